"""Hiring a graduate from their person page: one staff record from the graduate's
person, through the staff service (and so the person-identity rule)."""

from __future__ import annotations

import datetime

import pytest

from django.contrib.messages import get_messages
from django.urls import reverse

from certificates.factories import graduate
from institutes.models import IdentityChangeRequest
from training.models import InductionTopic, StaffMember, StaffTopicStatus
from training.staff.factories import TopicFactory


def _post(client, user, person, hospital, **extra):
    client.force_login(user)
    data = {
        "hospital": hospital.pk,
        "employee_number": "N-2027-001",
        "job_category": "nurse",
        "hire_date": "2027-03-01",
        **extra,
    }
    return client.post(reverse("training_graduate_hire", args=[person.pk]), data)


def _messages(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


@pytest.mark.django_db
def test_authority_hires_a_graduate_without_retyping_and_gets_induction_dates(
    world, client
):
    topic = TopicFactory(code="ipc", grace_days=30)
    InductionTopic.objects.create(
        job_category="nurse", topic=topic, months_to_complete=3
    )
    person = graduate(world.a.institute).person
    names = (person.name_ar, person.name_en, person.birth_date)
    response = _post(client, world.authority, person, world.a.hospital)
    assert response.status_code == 302
    staff = StaffMember.objects.get(person=person)
    assert staff.hospital == world.a.hospital
    person.refresh_from_db()
    assert (person.name_ar, person.name_en, person.birth_date) == names
    assert not IdentityChangeRequest.objects.exists()
    status = StaffTopicStatus.objects.get(staff=staff, topic=topic)
    assert status.grace_until == datetime.date(2027, 5, 31)
    page = client.get(reverse("institutes_person", args=[person.pk])).content.decode()
    assert 'id="pp-employment"' in page and 'id="pp-hire"' not in page


@pytest.mark.django_db
def test_a_double_submit_creates_one_staff_record(world, client):
    person = graduate(world.a.institute).person
    _post(client, world.authority, person, world.a.hospital)
    second = _post(
        client, world.authority, person, world.a.hospital, employee_number="N-2"
    )
    assert second.status_code == 302
    assert StaffMember.objects.filter(person=person).count() == 1
    assert "already on a hospital" in _messages(second) or "بالفعل" in _messages(second)


@pytest.mark.django_db
def test_a_non_graduate_is_refused_with_a_message(world, client):
    person = graduate(world.a.institute, graduated=False).person
    response = _post(client, world.authority, person, world.a.hospital)
    assert response.status_code == 302
    assert not StaffMember.objects.filter(person=person).exists()
    assert _messages(response)


@pytest.mark.django_db
def test_trainer_hires_a_graduate_of_their_hospitals_institute(world, client):
    person = graduate(world.a.institute).person
    page = client.get(reverse("institutes_person", args=[person.pk]))
    client.force_login(world.a.trainer)
    page = client.get(reverse("institutes_person", args=[person.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="pp-hire"' in text
    assert f">{person.national_id}<" not in text  # the name, not the record
    assert 'id="pp-enrolment"' not in text
    _post(client, world.a.trainer, person, world.a.hospital)
    assert StaffMember.objects.filter(person=person, hospital=world.a.hospital).exists()


@pytest.mark.django_db
def test_trainer_cannot_hire_into_another_hospital(world, client):
    person = graduate(world.a.institute).person
    response = _post(client, world.a.trainer, person, world.b.hospital)
    assert response.status_code == 302
    assert not StaffMember.objects.filter(person=person).exists()
    # Twin: the same trainer, same door, their own hospital.
    _post(client, world.a.trainer, person, world.a.hospital)
    assert StaffMember.objects.filter(person=person).count() == 1


@pytest.mark.django_db
def test_another_hospitals_trainer_gets_404_for_a_foreign_graduate(world, client):
    person = graduate(world.a.institute).person
    client.force_login(world.b.trainer)
    assert client.get(reverse("institutes_person", args=[person.pk])).status_code == 404
    response = _post(client, world.b.trainer, person, world.b.hospital)
    assert response.status_code == 404
    assert not StaffMember.objects.filter(person=person).exists()
    # Twin: B's trainer hires a graduate of B's institute.
    own = graduate(world.b.institute, index=1).person
    _post(client, world.b.trainer, own, world.b.hospital)
    assert StaffMember.objects.filter(person=own).exists()


@pytest.mark.django_db
def test_institute_admin_sees_no_hire_form_and_may_not_post(world, client):
    person = graduate(world.a.institute).person
    client.force_login(world.a.admin)
    page = client.get(reverse("institutes_person", args=[person.pk])).content.decode()
    assert 'id="pp-enrolment"' in page and 'id="pp-hire"' not in page
    assert _post(client, world.a.admin, person, world.a.hospital).status_code in (
        302,
        403,
    )
    assert not StaffMember.objects.filter(person=person).exists()
