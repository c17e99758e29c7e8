"""Field-level minimisation: a clinical supervisor reads what supervision needs of the
students placed in their ward (name, number, year) and nothing else; trainers read no
student record. The twin: the institute's administrator reads the whole record through
the same doors."""

import pytest

from django.urls import reverse

from institutes.access import Role, forget_scope
from institutes.factories import RoleAssignmentFactory, UserFactory
from students.models import Enrolment
from tests.training.placements.fixtures import make_site, student_of
from training.placements.services import placement_book

GUARDIAN_PHONE = "01099887766"


@pytest.fixture
def placed(db):
    site = make_site("min")
    student = student_of(site, guardian_phone=GUARDIAN_PHONE, address="شارع الكرنك 12")
    placement_book(
        block=site.block,
        student=student,
        ward=site.ward,
        start_date=site.block.start_date,
        end_date=site.block.end_date,
    )
    trainer = UserFactory(username="trainer-min")
    RoleAssignmentFactory(
        user=trainer, role=Role.TRAINER, institute=None, hospital=site.hospital
    )
    for user in (site.supervisor, site.admin, trainer):
        forget_scope(user)
    return site, student, trainer


def _pages(client, user, student):
    client.force_login(user)
    listing = client.get(reverse("students:index"))
    page = client.get(reverse("students:inspect", args=[student.pk]))
    export = client.get(reverse("students:index"), {"export": "csv"})
    return listing, page, export


def _text(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


def test_supervisor_reads_name_number_and_year_only(client, placed):
    site, student, _trainer = placed
    listing, page, export = _pages(client, site.supervisor, student)
    for response in (listing, page, export):
        assert response.status_code == 200
        text = _text(response)
        assert student.student_number in text
        assert student.person.national_id not in text
        assert GUARDIAN_PHONE not in text
        assert "شارع الكرنك" not in text
    assert student.person.name_ar in _text(page)
    # Marks and the enrolment history are the institute's: not even through the ORM.
    from institutes import access

    assert not access.filter_for(
        Enrolment.objects.filter(student=student), site.supervisor, "view"
    ).exists()


def test_institute_admin_reads_the_whole_record_through_the_same_doors(client, placed):
    site, student, _trainer = placed
    listing, page, export = _pages(client, site.admin, student)
    assert student.person.national_id in _text(listing)
    assert GUARDIAN_PHONE in _text(page) and student.person.national_id in _text(page)
    assert GUARDIAN_PHONE in _text(export)


def test_trainer_reads_no_student_record(client, placed):
    _site, student, trainer = placed
    client.force_login(trainer)
    assert client.get(reverse("students:inspect", args=[student.pk])).status_code in (
        302,
        403,
        404,
    )
    listing = client.get(reverse("students:index"))
    assert listing.status_code in (302, 403) or (
        student.student_number not in listing.content.decode()
    )
