"""The admin forms go through the services: staff through person_upsert, topic rule
changes recorded and recomputed, session times carried to bookings."""

import datetime

import pytest

from django.urls import reverse

from institutes.models import Person
from training.factories import (
    PersonFactory,
    StaffMemberFactory,
    TopicFactory,
    TrainingSessionFactory,
)
from training.models import Registration, StaffMember, StaffTopicStatus, TopicRuleChange

pytestmark = pytest.mark.django_db


def test_trainer_adds_staff_reusing_the_person_record(world, client):
    TopicFactory()
    graduate = PersonFactory()
    client.force_login(world.a.trainer)
    response = client.post(
        reverse("training_staff:add"),
        {
            "document_type": "eg_national_id",
            "document_number": graduate.national_id,
            "name_ar": graduate.name_ar,
            "name_en": "",
            "hospital": world.a.hospital.pk,
            "employee_number": "N-1",
            "job_category": "nurse",
            "employment_type": "permanent",
            "hire_date": "2024-01-01",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    staff = StaffMember.objects.get(employee_number="N-1")
    assert staff.person == graduate
    assert Person.objects.count() == 1
    assert StaffTopicStatus.objects.filter(staff=staff).exists()


def test_bad_national_id_is_refused_with_a_message(world, client):
    client.force_login(world.a.trainer)
    response = client.post(
        reverse("training_staff:add"),
        {
            "document_type": "eg_national_id",
            "document_number": "12345",
            "name_ar": "اسم",
            "hospital": world.a.hospital.pk,
            "employee_number": "N-2",
            "job_category": "nurse",
            "hire_date": "2024-01-01",
        },
    )
    assert response.status_code == 200
    assert "document_number" in response.context["form"].errors
    assert not StaffMember.objects.exists()


def test_topic_edit_records_the_rule_change(world, client):
    topic = TopicFactory(validity_months=12)
    StaffMemberFactory(hospital=world.a.hospital)
    client.force_login(world.authority)
    response = client.post(
        reverse("training_topics:edit", args=[topic.pk]),
        {
            "code": topic.code,
            "title_ar": topic.title_ar,
            "title_en": topic.title_en,
            "job_categories": ["nurse"],
            "validity_months": 24,
            "hours": "2",
            "assessment": "attendance",
            "delivery": "classroom",
            "renewal_rule": "completion",
            "renewal_window_days": 0,
            "grace_days": 90,
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    change = TopicRuleChange.objects.get()
    assert (
        change.before["validity_months"] == 12 and change.after["validity_months"] == 24
    )
    assert change.changed_by == world.authority


def test_trainers_cannot_open_topic_screens(world, client):
    topic = TopicFactory()
    client.force_login(world.a.trainer)
    assert client.get(reverse("training_topics:index")).status_code in (302, 403)
    assert client.get(reverse("training_topics:edit", args=[topic.pk])).status_code in (
        302,
        403,
    )


def test_moving_a_session_moves_its_bookings(world, client):
    session = TrainingSessionFactory(hospital=world.a.hospital)
    staff = StaffMemberFactory(hospital=world.a.hospital)
    Registration.objects.create(
        session=session,
        staff=staff,
        person_id=staff.person_id,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
    )
    new_start = session.starts_at + datetime.timedelta(days=1)
    client.force_login(world.a.trainer)
    response = client.post(
        reverse("training_sessions:edit", args=[session.pk]),
        {
            "topic": session.topic_id,
            "hospital": world.a.hospital.pk,
            "venue": session.venue,
            "starts_at": new_start.strftime("%Y-%m-%d %H:%M"),
            "ends_at": (new_start + datetime.timedelta(hours=2)).strftime(
                "%Y-%m-%d %H:%M"
            ),
            "capacity": 20,
            "status": "scheduled",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    registration = Registration.objects.get()
    session.refresh_from_db()
    assert registration.starts_at == session.starts_at
