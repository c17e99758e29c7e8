"""Documents of the placements wing, rendered by the certificates app's one PDF engine.

- `training.clinical_record`: the clinical record of a student's year (hours,
  competencies, evaluations), issued into the certificate register once the year is
  complete.
- The ward schedule for the nurses' station is not an issued document (no register
entry, no verification code), so its kind is built here but not registered: it only
lends the shared stylesheets, fonts and page set-up to `certificates.rendering`.
"""

from __future__ import annotations

import datetime

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from certificates.registry import DocumentKind, NotEligible, register_document_kind
from institutes.models import Hospital, Institute

from .models import Placement

WARD_SCHEDULE = DocumentKind(
    code="training.ward_schedule",
    label="Ward schedule",
    model=Placement,
    template="training/placements/pdf/ward_schedule.html",
    holder=lambda ward: None,
    issuer=lambda ward: ward.hospital,
    issuer_model=Hospital,
    title=lambda ward: ("جدول تدريب الطلاب", "Students' ward schedule"),
    orientation="landscape",
    stylesheet="training/placements/pdf/ward_schedule.css",
)


def render_ward_schedule(
    *, ward, start: datetime.date, end: datetime.date, days: list
) -> bytes:
    """The bilingual schedule of a ward as PDF: one page per week range (dates as
    columns, shifts as rows, the students in each cell), no page for an empty week."""
    from certificates.rendering import get_engine, logo_uri, stylesheets_for, wrap_html

    from .selectors import ward_schedule_weeks

    with translation.override("ar"):
        body = render_to_string(
            WARD_SCHEDULE.template,
            {
                "ward": ward,
                "start": start,
                "end": end,
                "weeks": ward_schedule_weeks(days, start=start, end=end),
                "doc": {"issuer": ward.hospital, "logo": logo_uri(ward.hospital)},
                "printed_at": timezone.localtime(),
            },
        )
    title = f"{ward.name_ar} — {start.isoformat()} / {end.isoformat()}"
    html = wrap_html(
        [
            '<section class="document landscape" id="doc-0" lang="ar" dir="rtl">'
            f"{body}</section>"
        ],
        title=title,
        language="ar",
    )
    result = get_engine().render(
        html,
        stylesheets_for(WARD_SCHEDULE),
        doc_ids=["doc-0"],
        titles=[title],
        seconds=60,
    )
    return result.documents[0].pdf


# --- clinical record of a student's year -------------------------------------------

CLINICAL_RECORD = "training.clinical_record"


def _clinical_year(enrolment):
    from .selectors import clinical_record

    (year,) = clinical_record(enrolment.student, years=[enrolment.year_of_study])
    return year


def _clinical_record_check(enrolment) -> None:
    """Issued when the year's clinical requirement is complete, on the student's
    latest enrolment in that year of study (a repeater's record covers both tries)."""
    from students.models import Enrolment

    from .selectors import clinical_year_unmet

    name = enrolment.student.person.name_ar
    latest = (
        Enrolment.objects.filter(
            student_id=enrolment.student_id, year_of_study=enrolment.year_of_study
        )
        .order_by("-academic_year")
        .values_list("pk", flat=True)
        .first()
    )
    if latest != enrolment.pk:
        raise NotEligible(
            _(
                "The clinical record of year %(year)s is issued on %(name)s's latest "
                "enrolment in that year."
            )
            % {"year": enrolment.year_of_study, "name": name}
        )
    year = _clinical_year(enrolment)
    if not year.placements and not year.approved_hours:
        raise NotEligible(
            _("%(name)s has no clinical placement in year %(year)s.")
            % {"name": name, "year": enrolment.year_of_study}
        )
    unmet = clinical_year_unmet(year)
    if unmet:
        raise NotEligible(
            _("%(name)s has not completed the clinical requirement yet: %(unmet)s")
            % {"name": name, "unmet": " ".join(str(u) for u in unmet)}
        )


def _clinical_record_title(enrolment) -> tuple[str, str]:
    from django.utils.translation import override

    from students.models import academic_year_label

    values = {
        "year": enrolment.year_of_study,
        "academic_year": academic_year_label(enrolment.academic_year),
    }
    with override("ar"):
        ar = str(
            _("Clinical record — year %(year)s, academic year %(academic_year)s")
            % values
        )
    with override("en"):
        en = str(
            _("Clinical record — year %(year)s, academic year %(academic_year)s")
            % values
        )
    return ar, en


def _clinical_record_context(enrolment) -> dict:
    from students.models import academic_year_label

    year = _clinical_year(enrolment)
    return {
        "student": enrolment.student,
        "enrolment": enrolment,
        "record": year,
        "programme": enrolment.cohort.curriculum_version.programme,
        "academic_year": academic_year_label(enrolment.academic_year),
        "intake": academic_year_label(enrolment.cohort.intake_year),
    }


def _clinical_record_kind():
    from students.models import Enrolment

    return DocumentKind(
        code=CLINICAL_RECORD,
        label=_("Clinical record"),
        model=Enrolment,
        template="training/documents/clinical_record.html",
        stylesheet="training/documents/clinical_record.css",
        orientation="portrait",
        paged=True,
        holder=lambda e: e.student.person,
        issuer=lambda e: e.cohort.institute,
        issuer_model=Institute,
        title=_clinical_record_title,
        check_eligible=_clinical_record_check,
        context=_clinical_record_context,
        select_related=(
            "student__person",
            "student__cohort",
            "cohort__institute__logo",
            "cohort__curriculum_version__programme",
        ),
        prefetch_related=("student__person__documents",),
    )


register_document_kind(_clinical_record_kind())
