import pytest

from django.core.exceptions import PermissionDenied, ValidationError

from certificates.models import DocumentStatus, IssuedDocument
from certificates.registry import NotEligible
from certificates.services import (
    document_issue,
    document_reissue,
    document_revoke,
    serials_allocate,
)
from students.documents import ENROLMENT_LETTER, GRADUATION_CERTIFICATE


def test_issuing_again_returns_the_existing_document(world, grad_a):
    first = document_issue(
        kind=GRADUATION_CERTIFICATE, achievement=grad_a, issued_by=world.a.admin
    )
    again = document_issue(
        kind=GRADUATION_CERTIFICATE, achievement=grad_a, issued_by=world.a.admin
    )
    assert first.created and not again.created
    assert again.document.pk == first.document.pk
    assert IssuedDocument.objects.count() == 1
    doc = first.document
    assert doc.holder == grad_a.person
    assert doc.issuer == world.a.institute
    assert doc.achievement == grad_a
    assert len(doc.sha256) == 64 and doc.issued_by == world.a.admin


def test_a_student_who_has_not_graduated_gets_no_certificate(world):
    from certificates.factories import graduate

    student = graduate(world.a.institute, graduated=False)
    with pytest.raises(NotEligible, match=student.person.name_ar):
        document_issue(
            kind=GRADUATION_CERTIFICATE, achievement=student, issued_by=world.a.admin
        )
    assert not IssuedDocument.objects.exists()


def test_enrolment_letter_only_for_the_current_year(world):
    from certificates.factories import graduate

    student = graduate(world.a.institute, graduated=False)
    old, current = (
        student.enrolments.order_by("academic_year").first(),
        student.enrolments.order_by("-academic_year").first(),
    )
    with pytest.raises(NotEligible):
        document_issue(kind=ENROLMENT_LETTER, achievement=old, issued_by=None)
    doc = document_issue(
        kind=ENROLMENT_LETTER, achievement=current, issued_by=None
    ).document
    assert "2025/26" in doc.title_ar and "Enrolment letter" in doc.title_en


def test_nobody_issues_for_another_institute(world, grad_b):
    for user in (world.a.admin, world.a.trainer, world.a.supervisor):
        with pytest.raises(PermissionDenied):
            document_issue(
                kind=GRADUATION_CERTIFICATE, achievement=grad_b, issued_by=user
            )
    assert not IssuedDocument.objects.exists()


def test_serials_count_per_issuer_and_year(world, grad_a, grad_b):
    a1 = document_issue(kind=GRADUATION_CERTIFICATE, achievement=grad_a, issued_by=None)
    b1 = document_issue(kind=GRADUATION_CERTIFICATE, achievement=grad_b, issued_by=None)
    assert a1.document.serial_number == b1.document.serial_number == 1
    assert (
        serials_allocate(issuer=world.a.institute, year=a1.document.year, count=5) == 2
    )
    assert serials_allocate(issuer=world.a.institute, year=a1.document.year) == 7
    assert serials_allocate(issuer=world.a.hospital, year=a1.document.year) == 1
    assert a1.document.serial.startswith("INST-A-")


def test_reissue_after_correction_supersedes(world, grad_a):
    old = document_issue(
        kind=GRADUATION_CERTIFICATE, achievement=grad_a, issued_by=world.a.admin
    ).document
    grad_a.person.name_ar = "فاطمه محمد عبد الرحيم"  # corrected spelling
    grad_a.person.save()
    new = document_reissue(document=old, issued_by=world.a.admin, reason="تصحيح الاسم")
    old.refresh_from_db()
    assert old.status == DocumentStatus.SUPERSEDED
    assert old.superseded_by == new
    assert new.status == DocumentStatus.VALID
    assert new.holder_name_ar == "فاطمه محمد عبد الرحيم"
    assert old.holder_name_ar == "فاطمة محمد عبد الرحيم"  # kept as printed
    assert new.code != old.code and new.serial_number == old.serial_number + 1
    # Issuing now returns the corrected one.
    assert (
        document_issue(
            kind=GRADUATION_CERTIFICATE, achievement=grad_a, issued_by=None
        ).document
        == new
    )
    with pytest.raises(ValidationError):
        document_reissue(document=old, issued_by=world.a.admin, reason="again")


def test_revoke_needs_a_reason_and_scope(world, grad_a):
    doc = document_issue(
        kind=GRADUATION_CERTIFICATE, achievement=grad_a, issued_by=None
    ).document
    with pytest.raises(ValidationError):
        document_revoke(document=doc, revoked_by=world.a.admin, reason=" ")
    with pytest.raises(PermissionDenied):
        document_revoke(document=doc, revoked_by=world.b.admin, reason="fraud")
    revoked = document_revoke(document=doc, revoked_by=world.a.admin, reason="خطأ")
    assert revoked.status == DocumentStatus.REVOKED
    assert revoked.revoked_by == world.a.admin and revoked.revocation_reason == "خطأ"
    with pytest.raises(ValidationError):
        document_revoke(document=doc, revoked_by=world.a.admin, reason="again")
