"""The clinical-record PDF of a student's year, issued through the certificate
register: eligible only when the year's clinical requirement is complete, issued by
the cohort's institute, offered on the student's clinical record page (scoped)."""

import datetime
import io

import pypdf
import pytest

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from certificates.models import IssuedDocument
from certificates.registry import NotEligible
from certificates.services import document_issue
from certificates.views import issue_url
from students.factories import enrolled_student
from training.documents import CLINICAL_RECORD
from training.models import SignOffLevel
from training.placements.services import (
    hours_decide,
    hours_record,
    placement_book,
    placement_transition,
    signoff_record,
)

from .fixtures import make_site, site_fixture  # noqa: F401

D = datetime.date


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _student(site, name_ar="سارة أحمد عبد الله"):
    student = enrolled_student(site.cohort, year_of_study=4, person__name_ar=name_ar)
    p = placement_book(
        block=site.block,
        student=student,
        ward=site.ward,
        start_date=site.block.start_date,
        end_date=site.block.end_date,
        supervisor=site.supervisor,
    )
    placement_transition(placement=p, to_status="confirmed")
    placement_transition(placement=p, to_status="in_progress")
    p.refresh_from_db()
    return student, p


def _complete(site, p):
    for day in (D(2026, 10, 3), D(2026, 10, 4)):
        entry = hours_record(placement=p, date=day, hours=7, by=site.instructor)
        hours_decide(entry=entry, approve=True, by=site.supervisor)
    for c in site.competencies:
        signoff_record(
            placement=p,
            competency=c,
            level=SignOffLevel.INDEPENDENT,
            assessed_on=D(2026, 10, 4),
            by=site.supervisor,
        )


def _text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_refused_while_the_year_is_incomplete(site):
    student, p = _student(site)
    enrolment = student.enrolments.get()
    entry = hours_record(placement=p, date=D(2026, 10, 3), hours=7, by=site.instructor)
    hours_decide(entry=entry, approve=True, by=site.supervisor)
    with pytest.raises(NotEligible) as info:
        document_issue(
            kind=CLINICAL_RECORD, achievement=enrolment, issued_by=site.admin
        )
    message = " ".join(info.value.messages)
    assert "7 of 14 clinical hours approved" in message
    assert site.competencies[0].code in message
    assert not IssuedDocument.objects.exists()


def test_refused_without_any_placement_in_the_year(site):
    student = enrolled_student(site.cohort, year_of_study=4)
    with pytest.raises(NotEligible, match="no clinical placement"):
        document_issue(
            kind=CLINICAL_RECORD,
            achievement=student.enrolments.get(),
            issued_by=site.admin,
        )


def test_issued_pdf_names_the_student_in_arabic_and_carries_the_code(site):
    student, p = _student(site)
    _complete(site, p)
    result = document_issue(
        kind=CLINICAL_RECORD, achievement=student.enrolments.get(), issued_by=site.admin
    )
    doc = result.document
    assert result.created and doc.issuer_institute == site.institute
    assert doc.holder == student.person
    text = _text(doc.pdf.read())
    assert "سارة أحمد عبد الله" in text
    assert doc.code_display in text
    assert site.competencies[0].code in text
    assert "Clinical record" in text
    # A second issue returns the current document.
    again = document_issue(
        kind=CLINICAL_RECORD, achievement=student.enrolments.get(), issued_by=site.admin
    )
    assert not again.created and again.document.pk == doc.pk


def test_another_institute_may_not_issue_it(site):
    other = make_site("q")
    student, p = _student(site)
    _complete(site, p)
    with pytest.raises(PermissionDenied):
        document_issue(
            kind=CLINICAL_RECORD,
            achievement=student.enrolments.get(),
            issued_by=other.admin,
        )


def test_the_record_page_offers_the_action_only_when_complete(site, client):
    done, p = _student(site)
    _complete(site, p)
    short, _p = _student(site, name_ar="هدى علي")
    client.force_login(site.admin)
    page = client.get(reverse("training_student_clinical_record", args=[done.pk]))
    action = escape(issue_url(CLINICAL_RECORD, done.enrolments.get()))
    assert page.status_code == 200
    assert action in page.content.decode()
    page = client.get(reverse("training_student_clinical_record", args=[short.pk]))
    body = page.content.decode()
    assert escape(issue_url(CLINICAL_RECORD, short.enrolments.get())) not in body
    assert "يمكن إصدار السجل الإكلينيكي عند استيفاء" in body  # says why
    # The supervisor sees the record but is no issuer: no action.
    client.force_login(site.supervisor)
    page = client.get(reverse("training_student_clinical_record", args=[done.pk]))
    assert page.status_code == 200 and action not in page.content.decode()
    # Issued: the page links the document instead.
    doc = document_issue(
        kind=CLINICAL_RECORD, achievement=done.enrolments.get(), issued_by=site.admin
    ).document
    client.force_login(site.admin)
    page = client.get(reverse("training_student_clinical_record", args=[done.pk]))
    assert doc.serial in page.content.decode()
    assert action not in page.content.decode()


def test_foreign_ids_answer_404(site, client):
    other = make_site("q")
    student, p = _student(site)
    _complete(site, p)
    client.force_login(other.admin)
    assert (
        client.get(
            reverse("training_student_clinical_record", args=[student.pk])
        ).status_code
        == 404
    )
    url = issue_url(CLINICAL_RECORD, student.enrolments.get())
    assert client.get(url).status_code == 404
    kind, obj = CLINICAL_RECORD, student.enrolments.get().pk
    response = client.post(
        reverse("certificates_admin:issue"),
        {"kind": kind, "object": obj, "language": "ar-en", "digits": "arab"},
    )
    assert response.status_code == 404
    assert not IssuedDocument.objects.exists()


def test_own_ids_issue_the_record_through_the_same_doors(site, client):
    """Twin of the 404s above: the institute's own admin, the same doors, own ids."""
    student, p = _student(site)
    _complete(site, p)
    client.force_login(site.admin)
    record = client.get(reverse("training_student_clinical_record", args=[student.pk]))
    assert record.status_code == 200
    page = client.get(issue_url(CLINICAL_RECORD, student.enrolments.get()))
    assert page.status_code == 200
    assert "سارة أحمد عبد الله" in page.content.decode()
    response = client.post(
        reverse("certificates_admin:issue"),
        {
            "kind": CLINICAL_RECORD,
            "object": student.enrolments.get().pk,
            "language": "ar-en",
            "digits": "arab",
        },
    )
    assert response.status_code == 302
    doc = IssuedDocument.objects.get()
    assert doc.holder == student.person and doc.issued_by == site.admin
