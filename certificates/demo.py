"""Demo data: documents issued to demo students, one revoked and one superseded.

Runs after the students demo. Issues, as each institute's administrator would:
graduation certificates for the students who graduated (the 2020 intake of Karnak,
graduated by the training demo once their clinical record is complete — some of them
now work at Karnak hospital), transcripts and current enrolment letters. Idempotent:
issuing returns the documents already issued, and the revocation and the correction
are made only once.
"""

from institutes.models import Institute

from .models import IssuedDocument
from .services import document_issue, document_reissue, document_revoke

ADMINS = {
    "karnak-nursing": "admin.karnak",
    "limc-nursing": "admin.limc",
    "isis-nursing": "admin.isis",
    "horus-nursing": "admin.horus",
}
GRADUATES_PER_INSTITUTE = 20


def _issue_once(*, kind, achievement, by, **options) -> int:
    """Issue unless this record ever had a document of the kind (even revoked)."""
    from django.contrib.contenttypes.models import ContentType

    if IssuedDocument.objects.filter(
        kind=kind,
        achievement_type=ContentType.objects.get_for_model(type(achievement)),
        achievement_id=achievement.pk,
    ).exists():
        return 0
    document_issue(kind=kind, achievement=achievement, issued_by=by, **options)
    return 1


def load(ctx) -> None:
    try:
        from students.documents import (
            ENROLMENT_LETTER,
            GRADUATION_CERTIFICATE,
            TRANSCRIPT,
        )
        from students.models import Enrolment, Student, StudentStatus
    except ImportError:
        ctx.say("certificates: no students app, nothing to issue")
        return
    accounts = ctx.shared.get("accounts", {})
    issued = 0
    for code, username in ADMINS.items():
        institute = Institute.objects.filter(code=code).first()
        by = accounts.get(username)
        if institute is None:
            continue
        graduates = Student.objects.filter(
            cohort__institute=institute, status=StudentStatus.GRADUATED
        ).order_by("person__name_ar")[:GRADUATES_PER_INSTITUTE]
        for student in graduates:
            document_issue(
                kind=GRADUATION_CERTIFICATE, achievement=student, issued_by=by
            )
            issued += 1
        enrolled = list(
            Student.objects.filter(
                cohort__institute=institute, status=StudentStatus.ENROLLED
            ).order_by("-year_of_study", "person__name_ar")[:3]
        )
        for student in enrolled:
            issued += _issue_once(kind=TRANSCRIPT, achievement=student, by=by)
            enrolment = (
                Enrolment.objects.filter(student=student)
                .order_by("-academic_year")
                .first()
            )
            if enrolment is not None:
                issued += _issue_once(
                    kind=ENROLMENT_LETTER, achievement=enrolment, by=by, language="ar"
                )

    karnak_admin = accounts.get("admin.karnak")
    if not IssuedDocument.objects.filter(revoked_at__isnull=False).exists():
        victim = (
            IssuedDocument.objects.filter(kind=TRANSCRIPT, revoked_at__isnull=True)
            .order_by("pk")
            .first()
        )
        if victim is not None:
            document_revoke(
                document=victim,
                revoked_by=karnak_admin,
                reason="صدر قبل اعتماد نتيجة الدور الثاني",
            )
    if not IssuedDocument.objects.filter(superseded_by__isnull=False).exists():
        first = (
            IssuedDocument.objects.filter(
                kind__in=[GRADUATION_CERTIFICATE, TRANSCRIPT],
                revoked_at__isnull=True,
                replaced_at__isnull=True,
            )
            .order_by("-kind", "pk")
            .first()
        )
        if first is not None:
            document_reissue(
                document=first,
                issued_by=karnak_admin,
                reason="تصحيح كتابة الاسم بالإنجليزية",
            )
    ctx.say(
        f"  {IssuedDocument.objects.count()} documents in the register "
        f"({issued} issued by this run; one revoked, one superseded)"
    )
