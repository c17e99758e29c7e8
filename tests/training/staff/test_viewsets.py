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


def test_staff_form_refuses_a_bidi_override_in_the_name(world, client):
    from students.factories import national_id_for

    client.force_login(world.a.trainer)
    data = {
        "document_type": "eg_national_id",
        "document_number": national_id_for(datetime.date(1990, 3, 4), "f", serial=31),
        "document_country": "EG",
        "nationality": "EG",
        "name_ar": "سارة \u202eيلع",
        "hospital": world.a.hospital.pk,
        "employee_number": "N-3",
        "job_category": "nurse",
        "employment_type": "permanent",
        "hire_date": "2024-01-01",
        "is_active": "on",
    }
    response = client.post(reverse("training_staff:add"), data)
    assert response.status_code == 200
    assert "U+202E" in response.context["form"].errors["name_ar"][0]
    assert not StaffMember.objects.exists() and not Person.objects.exists()
    data["name_ar"] = "سارة علي"
    response = client.post(reverse("training_staff:add"), data)
    assert response.status_code == 302, response.context["form"].errors
    assert StaffMember.objects.get().person.name_ar == "سارة علي"


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


@pytest.mark.parametrize("door", ["training_staff", "training_sessions"])
def test_deleting_staff_or_a_session_with_attendance_says_what_to_do(
    door, world, client
):
    from django.utils import translation
    from django.utils.html import escape

    from training.models import Attendance, TrainingSession

    session = TrainingSessionFactory(hospital=world.a.hospital)
    staff = StaffMemberFactory(hospital=world.a.hospital)
    Attendance.objects.create(
        session=session,
        staff=staff,
        topic=session.topic,
        completed_on=datetime.date(2026, 1, 5),
        status="present",
    )
    obj = staff if door == "training_staff" else session
    client.force_login(world.a.trainer)
    url = reverse(f"{door}:delete", args=[obj.pk])
    response = client.post(url)
    assert response.status_code == 409
    assert type(obj).objects.filter(pk=obj.pk).exists()
    with translation.override("ar"):
        hint = escape(str(type(obj).delete_protected_hint))
    assert hint in response.content.decode()
    # Twin: the same door deletes a row nothing depends on.
    free = (
        StaffMemberFactory(hospital=world.a.hospital)
        if door == "training_staff"
        else TrainingSessionFactory(hospital=world.a.hospital)
    )
    assert client.post(reverse(f"{door}:delete", args=[free.pk])).status_code == 302
    assert not type(free).objects.filter(pk=free.pk).exists()
    assert TrainingSession.objects.filter(pk=session.pk).exists()
