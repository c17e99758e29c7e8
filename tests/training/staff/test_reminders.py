"""Reminders: the people due and their managers are told once per due date, through
the notification layer (a recorded `Notification` per recipient and channel, retried
when delivery fails)."""

import datetime

import pytest

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from institutes.factories import HospitalFactory
from notifications import sms
from notifications.models import Channel, DeliveryStatus, Notification
from notifications.services import notifications_retry_due
from training.factories import StaffMemberFactory, TopicFactory
from training.models import ReminderLog, StaffTopicStatus
from training.staff.compliance import status_sync
from training.staff.reminders import reminders_send

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_outboxes():
    sms.outbox.clear()
    mail.outbox = []
    yield
    sms.outbox.clear()


@pytest.fixture
def due_staff():
    hospital = HospitalFactory()
    topic = TopicFactory(title_ar="السلامة من الحريق")
    manager = StaffMemberFactory(hospital=hospital, email="head@h.example")
    staff = StaffMemberFactory(
        hospital=hospital,
        manager=manager,
        email="nurse@h.example",
        phone="01001234567",
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


def _sent():
    return sorted(
        Notification.objects.filter(template="training/reminder").values_list(
            "channel", "address"
        )
    )


def test_a_reminder_is_a_notification_per_recipient_and_channel(
    due_staff, django_capture_on_commit_callbacks
):
    staff, topic = due_staff
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(days=30) == 1
    assert _sent() == [
        (Channel.EMAIL, "head@h.example"),
        (Channel.EMAIL, "nurse@h.example"),
        (Channel.SMS, "01001234567"),
    ]
    notifications = Notification.objects.filter(template="training/reminder")
    assert {n.status for n in notifications} == {DeliveryStatus.SENT}
    assert {n.hospital_id for n in notifications} == {staff.hospital_id}
    assert sorted(m.to[0] for m in mail.outbox) == ["head@h.example", "nurse@h.example"]
    assert "السلامة من الحريق" in mail.outbox[0].body
    assert [m["to"] for m in sms.outbox] == ["01001234567"]
    assert "السلامة من الحريق" in sms.outbox[0]["text"]


def test_a_second_run_the_same_day_sends_nothing_more(
    due_staff, django_capture_on_commit_callbacks
):
    staff, topic = due_staff
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(days=30) == 1
        assert reminders_send(days=30) == 0
        call_command("send_training_reminders", "--days", "30")
    assert len(_sent()) == 3 and len(mail.outbox) == 2
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
    assert len(_sent()) == 6


def test_not_due_yet_is_not_reminded(due_staff):
    assert reminders_send(days=5) == 0
    assert not Notification.objects.exists()
    # Its twin: the same person within the window is reminded.
    assert reminders_send(days=30) == 1


def test_a_person_without_any_address_is_not_claimed(due_staff):
    staff, topic = due_staff
    staff.email = staff.phone = ""
    staff.manager = None
    staff.save()
    staff.person.email = ""
    staff.person.save()
    assert reminders_send(days=30) == 0
    assert not ReminderLog.objects.exists()


def test_unique_constraint_refuses_a_second_log(due_staff):
    from django.db import IntegrityError, transaction

    staff, topic = due_staff
    reminders_send(days=30)
    log = ReminderLog.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        ReminderLog.objects.create(
            staff=staff, topic=topic, due_date=log.due_date, recipients="x"
        )


def test_a_failed_delivery_is_retried_not_sent_twice(
    due_staff, monkeypatch, django_capture_on_commit_callbacks
):
    from django.core.mail import EmailMessage

    original = EmailMessage.send

    def broken(self, *a, **k):
        raise OSError("smtp down")

    monkeypatch.setattr(EmailMessage, "send", broken)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(days=30) == 1
    emails = Notification.objects.filter(
        template="training/reminder", channel=Channel.EMAIL
    )
    assert {n.status for n in emails} == {DeliveryStatus.QUEUED}
    assert all(n.attempts == 1 and "smtp down" in n.last_error for n in emails)
    monkeypatch.setattr(EmailMessage, "send", original)
    # The next run of reminders queues nothing new; the layer's retry delivers.
    assert reminders_send(days=30) == 0
    later = timezone.now() + datetime.timedelta(minutes=2)
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications_retry_due(now=later) == 2
    assert {n.status for n in emails.all()} == {DeliveryStatus.SENT}
    assert len(mail.outbox) == 2 and len(_sent()) == 3


def test_reminder_task_runs(due_staff):
    from training.staff.tasks import send_training_reminders

    result = send_training_reminders.enqueue(days=30)
    assert result.return_value == 1
