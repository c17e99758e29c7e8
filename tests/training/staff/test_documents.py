"""Sign-in sheets and training certificates go through the certificates machinery."""

import datetime
import io

import pdfplumber
import pytest

from django.urls import reverse
from django.utils import timezone

from certificates.registry import NotEligible
from certificates.services import document_issue
from training.documents import CERTIFICATE
from training.factories import StaffMemberFactory, TopicFactory, TrainingSessionFactory
from training.models import Attendance, Registration
from training.staff.compliance import add_months
from training.staff.services import RosterEntry, roster_save

pytestmark = pytest.mark.django_db


def _session(hospital, **kw):
    start = timezone.now().replace(microsecond=0) - datetime.timedelta(hours=1)
    return TrainingSessionFactory(
        hospital=hospital,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        **kw,
    )


def test_sign_in_sheet_lists_the_registered(world, client):
    session = _session(world.a.hospital)
    people = [
        StaffMemberFactory(hospital=world.a.hospital, employee_number=f"SHEET-{i}")
        for i in range(3)
    ]
    for s in people:
        Registration.objects.create(
            session=session,
            staff=s,
            person_id=s.person_id,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
        )
    client.force_login(world.a.trainer)
    response = client.get(reverse("training_session_sign_in_sheet", args=[session.pk]))
    assert response["Content-Type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(response.content)) as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages)
        images = sum(len(page.images) for page in pdf.pages)
    for s in people:
        assert s.employee_number in text
    assert images >= 1  # the QR code
    client.force_login(world.b.trainer)
    assert (
        client.get(
            reverse("training_session_sign_in_sheet", args=[session.pk])
        ).status_code
        == 404
    )


def test_certificate_for_a_pass_expires_at_the_validity_end(world):
    topic = TopicFactory(validity_months=24)
    session = _session(world.a.hospital, topic=topic)
    staff = StaffMemberFactory(hospital=world.a.hospital)
    roster_save(session=session, entries=[RosterEntry(staff.pk, "present")])
    attendance = Attendance.objects.get()
    result = document_issue(
        kind=CERTIFICATE, achievement=attendance, issued_by=world.a.trainer
    )
    doc = result.document
    assert doc.holder == staff.person
    assert doc.issuer_hospital == world.a.hospital
    assert doc.valid_until == add_months(
        attendance.completed_on, 24
    ) - datetime.timedelta(days=1)
    again = document_issue(
        kind=CERTIFICATE, achievement=attendance, issued_by=world.a.trainer
    )
    assert not again.created


def test_no_certificate_without_a_pass(world):
    topic = TopicFactory(assessment="exam", pass_mark=70)
    session = _session(world.a.hospital, topic=topic)
    staff = StaffMemberFactory(hospital=world.a.hospital)
    roster_save(session=session, entries=[RosterEntry(staff.pk, "present", 50)])
    with pytest.raises(NotEligible):
        document_issue(
            kind=CERTIFICATE,
            achievement=Attendance.objects.get(),
            issued_by=world.a.trainer,
        )


def test_bulk_selection_picks_everyone_who_passed_a_session(world):
    from certificates.registry import get_kind

    topic = TopicFactory(assessment="exam", pass_mark=70)
    session = _session(world.a.hospital, topic=topic)
    passed = StaffMemberFactory(hospital=world.a.hospital)
    failed = StaffMemberFactory(hospital=world.a.hospital)
    roster_save(
        session=session,
        entries=[
            RosterEntry(passed.pk, "present", 90),
            RosterEntry(failed.pk, "present", 20),
        ],
    )
    selection = get_kind(CERTIFICATE).selection("session")
    chosen = selection.queryset({"session": session.pk})
    assert [a.staff_id for a in chosen] == [passed.pk]
    assert session in selection.form_fields()["session"].queryset
