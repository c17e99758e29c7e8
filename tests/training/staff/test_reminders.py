"""Reminders: the people due and their managers are told once per due date."""

import datetime

import pytest

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from institutes.factories import HospitalFactory
from training.factories import StaffMemberFactory, TopicFactory
from training.models import ReminderLog, StaffTopicStatus
from training.staff.compliance import status_sync
from training.staff.reminders import reminders_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def due_staff():
    hospital = HospitalFactory()
    topic = TopicFactory(title_ar="السلامة من الحريق")
    manager = StaffMemberFactory(hospital=hospital, email="head@h.example")
    staff = StaffMemberFactory(
        hospital=hospital, manager=manager, email="nurse@h.example"
    )
    status_sync([staff.pk, manager.pk])
    today = timezone.localdate()
    StaffTopicStatus.objects.filter(staff=staff).update(
        completed_on=today - datetime.timedelta(days=340),
        valid_until=today + datetime.timedelta(days=10),
    )
    StaffTopicStatus.objects.filter(staff=manager).update(
        completed_on=today, valid_until=today + datetime.timedelta(days=300)
    )
    return staff, topic


def test_person_and_manager_are_told_once(due_staff):
    staff, topic = due_staff
    assert reminders_send(days=30) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nurse@h.example"] and message.cc == ["head@h.example"]
    assert "السلامة من الحريق" in message.body
    assert reminders_send(days=30) == 0
    call_command("send_training_reminders", "--days", "30")
    assert len(mail.outbox) == 1
    log = ReminderLog.objects.get()
    assert log.due_date == StaffTopicStatus.objects.get(staff=staff).valid_until


def test_a_new_due_date_is_reminded_again(due_staff):
    staff, topic = due_staff
    reminders_send(days=30)
    StaffTopicStatus.objects.filter(staff=staff).update(
        valid_until=timezone.localdate() + datetime.timedelta(days=20)
    )
    assert reminders_send(days=30) == 1
    assert ReminderLog.objects.count() == 2


def test_not_due_yet_is_not_reminded(due_staff):
    assert reminders_send(days=5) == 0
    assert not mail.outbox


def test_unique_constraint_refuses_a_second_log(due_staff):
    from django.db import IntegrityError, transaction

    staff, topic = due_staff
    reminders_send(days=30)
    log = ReminderLog.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        ReminderLog.objects.create(
            staff=staff, topic=topic, due_date=log.due_date, recipients="x"
        )


def test_failed_sending_logs_nothing_so_the_next_run_retries(due_staff, monkeypatch):
    from django.core.mail import EmailMessage

    def broken(self, *a, **k):
        raise OSError("smtp down")

    monkeypatch.setattr(EmailMessage, "send", broken)
    assert reminders_send(days=30) == 0
    assert not ReminderLog.objects.exists()
    monkeypatch.undo()
    assert reminders_send(days=30) == 1


def test_reminder_task_runs(due_staff):
    from training.staff.tasks import send_training_reminders

    result = send_training_reminders.enqueue(days=30)
    assert result.return_value == 1
