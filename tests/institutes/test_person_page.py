"""The person page: one record from student to staff, each part in its reader's scope.

Each refusal has its allowed twin (same role, same door, a person inside the scope).
"""

from __future__ import annotations

import datetime

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certificates.factories import graduate
from certificates.services import document_issue
from students.documents import GRADUATION_CERTIFICATE
from training.models import Attendance
from training.placements.factories import BlockWardFactory, RotationBlockFactory, book
from training.staff.factories import StaffMemberFactory, TrainingSessionFactory


def _url(person) -> str:
    return reverse("institutes_person", args=[person.pk])


def _history(world, side, *, size: int, name_ar: str | None = None):
    """A graduate of `side`'s institute, hired by `side`'s hospital: `size`
    placements, attendances and issued documents."""
    student = graduate(side.institute, name_ar=name_ar)
    person = student.person
    for n in range(size):
        block = RotationBlockFactory(
            cohort=student.cohort,
            year=n % 5 + 1,
            start_date=datetime.date(2026, 10, 3) + datetime.timedelta(weeks=5 * n),
            end_date=datetime.date(2026, 10, 29) + datetime.timedelta(weeks=5 * n),
        )
        BlockWardFactory(block=block, ward=side.ward, places=2)
        book(block=block, student=student, ward=side.ward, supervisor=side.supervisor)
    staff = StaffMemberFactory(
        person=person,
        hospital=side.hospital,
        employee_number=f"EMP-{side.hospital.code}-{person.pk}",
    )
    for n in range(size):
        session = TrainingSessionFactory(hospital=side.hospital)
        Attendance.objects.create(
            session=session,
            staff=staff,
            topic=session.topic,
            completed_on=datetime.date(2026, 1, 5) + datetime.timedelta(days=n),
            status="present",
            passed=True,
        )
    if size:
        document_issue(
            kind=GRADUATION_CERTIFICATE, achievement=student, issued_by=side.admin
        )
    return person


@pytest.fixture
def person(world):
    return _history(world, world.a, size=1, name_ar="هدى سامي الأقصري")


def _text(client, user, person, status=200):
    client.force_login(user)
    response = client.get(_url(person))
    assert response.status_code == status
    return response.content.decode()


@pytest.mark.django_db
def test_authority_sees_both_sides_in_order(world, client, person):
    text = _text(client, world.authority, person)
    order = [
        'id="pp-enrolment"',
        'id="pp-placements"',
        'id="pp-clinical"',
        'id="pp-documents"',
        'id="pp-employment"',
        'id="pp-training"',
        'id="pp-compliance"',
    ]
    positions = [text.index(marker) for marker in order]
    assert positions == sorted(positions)
    assert f">{person.national_id}<" in text


@pytest.mark.django_db
def test_institute_admin_sees_the_student_side_only(world, client, person):
    text = _text(client, world.a.admin, person)
    assert 'id="pp-enrolment"' in text and 'id="pp-documents"' in text
    assert 'id="pp-employment"' not in text
    assert 'id="pp-training"' not in text
    assert person.national_id in text


@pytest.mark.django_db
def test_other_institute_admin_gets_404_and_own_admin_the_page(world, client, person):
    _text(client, world.b.admin, person, status=404)
    # Twin: B's administrator opens a person of B's institute through the same door.
    own = _history(world, world.b, size=0)
    assert 'id="pp-enrolment"' in _text(client, world.b.admin, own)


@pytest.mark.django_db
def test_trainer_sees_the_staff_side_of_own_hospital_only(world, client, person):
    text = _text(client, world.a.trainer, person)
    assert 'id="pp-employment"' in text and 'id="pp-compliance"' in text
    assert 'id="pp-enrolment"' not in text
    assert 'id="pp-placements"' not in text
    assert 'id="pp-documents"' not in text


@pytest.mark.django_db
def test_trainer_of_another_hospital_gets_404(world, client, person):
    _text(client, world.b.trainer, person, status=404)
    # Twin: B's trainer opens a staff member of B's hospital.
    own = _history(world, world.b, size=1)
    assert 'id="pp-employment"' in _text(client, world.b.trainer, own)


@pytest.mark.django_db
def test_supervisor_sees_little(world, client, person):
    """A supervisor of the ward the student was placed in: name, number, year —
    no identity document, no results, no placements list, no staff side."""
    text = _text(client, world.a.supervisor, person)
    assert person.name_ar in text
    assert person.student.student_number in text
    # (The factory's student number contains the national ID: look for it alone.)
    assert f">{person.national_id}<" not in text
    assert 'id="pp-placements"' not in text
    assert 'id="pp-employment"' not in text
    assert "71.5" not in text
    _text(client, world.b.supervisor, person, status=404)


@pytest.mark.django_db
def test_nobody_and_malformed_ids_are_404(world, client, person):
    client.force_login(world.nobody)
    response = client.get(_url(person))
    assert response.status_code in (302, 404)
    assert person.name_ar not in response.content.decode()
    client.force_login(world.authority)
    assert (
        client.get("/admin/people/person/9999999999999999999999999/").status_code == 404
    )


@pytest.mark.django_db
def test_student_page_and_staff_record_link_to_the_person_page(world, client, person):
    client.force_login(world.authority)
    student_page = client.get(reverse("students:inspect", args=[person.student.pk]))
    assert _url(person) in student_page.content.decode()
    staff = person.staff_memberships.get()
    record = client.get(reverse("training_staff_record", args=[staff.pk]))
    assert _url(person) in record.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["authority", "admin", "trainer"])
def test_query_count_does_not_grow_with_the_history(world, client, role):
    user = world.authority if role == "authority" else getattr(world.a, role)
    small = _history(world, world.a, size=1)
    large = _history(world, world.a, size=4)
    client.force_login(user)
    counts = []
    for person in (small, large):
        client.get(_url(person))  # warm caches (content types, site, locale)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url(person)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
