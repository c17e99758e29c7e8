"""Documents of the staff-training wing, registered with the shared certificates machinery.

- `training.certificate`: a training certificate for one passed attendance, issued
  into the certificate register (verification code, QR, expiry = validity end), singly
  from the person's record or in bulk for a session (certificates' bulk runs).
- The session sign-in sheet is a printout, not a register entry: it is laid out by the
  same engine, fonts and stylesheet (`certificates.rendering`) — never a second renderer.
"""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certificates.registry import (
    BulkSelection,
    DocumentKind,
    NotEligible,
    register_document_kind,
)
from institutes.models import Hospital
from institutes.national_id import Sex

from .compliance import validity_from_passes
from .models import Attendance, SessionStatus, TrainingSession

CERTIFICATE = "training.certificate"


def _check_passed(attendance: Attendance) -> None:
    if not attendance.passed:
        raise NotEligible(
            _("%(name)s did not pass “%(topic)s” on this session.")
            % {"name": attendance.staff.name, "topic": attendance.topic.title}
        )


def certificate_valid_until(attendance: Attendance) -> datetime.date | None:
    """The validity this pass earned (renewal rule applied to the passes up to it)."""
    passes = Attendance.objects.filter(
        staff_id=attendance.staff_id,
        topic_id=attendance.topic_id,
        passed=True,
        completed_on__lte=attendance.completed_on,
    ).values_list("completed_on", flat=True)
    return validity_from_passes(attendance.topic, passes)[1]


def _context(attendance: Attendance) -> dict:
    session = attendance.session
    return {
        "topic": attendance.topic,
        "session": session,
        "staff": attendance.staff,
        "completed_on": attendance.completed_on,
        "score": attendance.score,
        "hours": attendance.topic.hours,
        # The Arabic wording agrees with the holder: «أتم» or «أتمت».
        "female": attendance.staff.person.sex == Sex.FEMALE,
    }


def _session_field():
    recent = timezone.now() - datetime.timedelta(days=400)
    return {
        "session": forms.ModelChoiceField(
            label=_("Session"),
            queryset=TrainingSession.objects.filter(
                status=SessionStatus.HELD,
                starts_at__gte=recent,
                attendances__passed=True,
            )
            .distinct()
            .select_related("topic")
            .order_by("-starts_at"),
        )
    }


register_document_kind(
    DocumentKind(
        code=CERTIFICATE,
        label=_("Training certificate"),
        model=Attendance,
        template="training/documents/certificate.html",
        orientation="landscape",
        holder=lambda a: a.staff.person,
        issuer=lambda a: a.session.hospital,
        issuer_model=Hospital,
        title=lambda a: (
            f"شهادة إتمام تدريب: {a.topic.title_ar}",
            f"Training certificate: {a.topic.title_en or a.topic.title_ar}",
        ),
        check_eligible=_check_passed,
        context=_context,
        expiry=lambda a, issued_on: certificate_valid_until(a),
        select_related=("staff__person", "session__hospital", "topic"),
        bulk_selections=(
            BulkSelection(
                code="session",
                label=_("Everyone who passed a session"),
                queryset=lambda params: Attendance.objects.filter(
                    session_id=params["session"], passed=True
                ),
                form_fields=_session_field,
            ),
        ),
    )
)

# Not registered: a printout, not an issued document. Used for its page set-up.
SIGN_IN_SHEET = DocumentKind(
    code="training.sign_in_sheet",
    label=_("Sign-in sheet"),
    model=TrainingSession,
    template="training/documents/sign_in_sheet.html",
    holder=lambda s: None,
    issuer=lambda s: s.hospital,
    issuer_model=Hospital,
    title=lambda s: ("كشف حضور", "Sign-in sheet"),
)


def sign_in_sheet_pdf(*, session: TrainingSession, rows: list[dict], url: str) -> bytes:
    """The bilingual sign-in sheet of a session as PDF bytes (shared engine)."""
    from django.template.loader import render_to_string
    from django.utils import translation

    from certificates.rendering import (
        get_engine,
        logo_uri,
        qr_data_uri,
        stylesheets_for,
        wrap_html,
    )

    with translation.override("ar"):
        body = render_to_string(
            SIGN_IN_SHEET.template,
            {
                "session": session,
                "rows": rows,
                "qr": qr_data_uri(url),
                "url": url,
                "doc": {"issuer": session.hospital, "logo": logo_uri(session.hospital)},
                "printed_at": timezone.localtime(),
            },
        )
    title = (
        f"{session.topic.title_ar} — {timezone.localtime(session.starts_at):%Y-%m-%d}"
    )
    html = wrap_html(
        [
            f'<section class="document portrait" id="doc-0" lang="ar" dir="rtl">{body}</section>'
        ],
        title=title,
        language="ar",
    )
    result = get_engine().render(
        html,
        stylesheets_for(SIGN_IN_SHEET),
        doc_ids=["doc-0"],
        titles=[title],
        seconds=60,
    )
    return result.documents[0].pdf
