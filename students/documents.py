"""The student documents: enrolment letter, academic transcript, graduation certificate.

Registered with the generic register/renderer of `certificates` (see
`certificates.registry`); the institute of the student's cohort issues them, so the
institute's administrators are the ones who can issue, revoke and download them.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from certificates.registry import (
    BulkSelection,
    DocumentKind,
    NotEligible,
    register_document_kind,
)
from institutes.models import Institute
from institutes.national_id import Sex

from .models import Cohort, Enrolment, Student, StudentStatus, academic_year_label
from .selectors import academic_record, final_standing

ENROLMENT_LETTER = "students.enrolment_letter"
TRANSCRIPT = "students.transcript"
GRADUATION_CERTIFICATE = "students.graduation_certificate"


def _programme(cohort: Cohort):
    return cohort.curriculum_version.programme


# --- enrolment letter ------------------------------------------------------------


def _letter_check(enrolment: Enrolment) -> None:
    student = enrolment.student
    if student.status != StudentStatus.ENROLLED:
        raise NotEligible(
            _("%(name)s is not enrolled now (status: %(status)s).")
            % {"name": student.person.name_ar, "status": student.get_status_display()}
        )
    latest = (
        Enrolment.objects.filter(student_id=student.pk)
        .order_by("-academic_year")
        .values_list("pk", flat=True)
        .first()
    )
    if latest != enrolment.pk:
        raise NotEligible(
            _("An enrolment letter is issued for the current academic year only.")
        )


def _letter_title(enrolment: Enrolment) -> tuple[str, str]:
    year = academic_year_label(enrolment.academic_year)
    with override("ar"):
        ar = str(_("Enrolment letter — academic year %(year)s") % {"year": year})
    with override("en"):
        en = str(_("Enrolment letter — academic year %(year)s") % {"year": year})
    return ar, en


def _letter_context(enrolment: Enrolment) -> dict:
    student = enrolment.student
    return {
        "student": student,
        "female": student.person.sex == Sex.FEMALE,
        "enrolment": enrolment,
        "programme": _programme(enrolment.cohort),
        "academic_year": academic_year_label(enrolment.academic_year),
        "intake": academic_year_label(enrolment.cohort.intake_year),
    }


def _letters_for_cohort_year(params: dict):
    return Enrolment.objects.filter(
        cohort_id=params["cohort"],
        academic_year=params["academic_year"],
        student__status=StudentStatus.ENROLLED,
    )


def _cohort_and_year_fields() -> dict:
    return {
        "cohort": forms.ModelChoiceField(
            label=_("Cohort"),
            queryset=Cohort.objects.select_related("institute"),
        ),
        "academic_year": forms.IntegerField(
            label=_("Academic year (first calendar year, e.g. 2025)"),
            min_value=2000,
            max_value=2100,
        ),
    }


register_document_kind(
    DocumentKind(
        code=ENROLMENT_LETTER,
        label=_("Enrolment letter"),
        model=Enrolment,
        template="students/documents/enrolment_letter.html",
        stylesheet="students/documents/letter.css",
        orientation="portrait",
        holder=lambda e: e.student.person,
        issuer=lambda e: e.cohort.institute,
        issuer_model=Institute,
        title=_letter_title,
        check_eligible=_letter_check,
        context=_letter_context,
        select_related=(
            "student__person",
            "cohort__institute__logo",
            "cohort__curriculum_version__programme",
        ),
        prefetch_related=("student__person__documents",),
        bulk_selections=(
            BulkSelection(
                code="cohort-year",
                label=_("every enrolled student of a cohort in an academic year"),
                queryset=_letters_for_cohort_year,
                form_fields=_cohort_and_year_fields,
            ),
        ),
    )
)


# --- transcript ------------------------------------------------------------------


def _transcript_check(student: Student) -> None:
    if not student.enrolments.exists():
        raise NotEligible(
            _("%(name)s has no academic year on record yet.")
            % {"name": student.person.name_ar}
        )


def _transcript_title(student: Student) -> tuple[str, str]:
    with override("ar"):
        ar = str(_("Academic transcript"))
    with override("en"):
        en = str(_("Academic transcript"))
    return ar, en


def _transcript_context(student: Student) -> dict:
    record = academic_record(student)
    return {
        "student": record.student,
        "record": record,
        "programme": _programme(record.student.cohort),
        "intake": academic_year_label(record.student.cohort.intake_year),
    }


def _transcripts_for_year(params: dict):
    return Student.objects.filter(
        cohort__institute_id=params["institute"],
        enrolments__academic_year=params["academic_year"],
    ).distinct()


def _institute_and_year_fields() -> dict:
    return {
        "institute": forms.ModelChoiceField(
            label=_("Institute"), queryset=Institute.objects.all()
        ),
        "academic_year": forms.IntegerField(
            label=_("Academic year (first calendar year, e.g. 2025)"),
            min_value=2000,
            max_value=2100,
        ),
    }


register_document_kind(
    DocumentKind(
        code=TRANSCRIPT,
        label=_("Academic transcript"),
        model=Student,
        template="students/documents/transcript.html",
        stylesheet="students/documents/transcript.css",
        orientation="portrait",
        paged=True,
        holder=lambda s: s.person,
        issuer=lambda s: s.cohort.institute,
        issuer_model=Institute,
        title=_transcript_title,
        check_eligible=_transcript_check,
        context=_transcript_context,
        select_related=(
            "person",
            "cohort__institute__logo",
            "cohort__curriculum_version__programme",
        ),
        prefetch_related=("person__documents",),
        bulk_selections=(
            BulkSelection(
                code="year",
                label=_("every student of an institute enrolled in an academic year"),
                queryset=_transcripts_for_year,
                form_fields=_institute_and_year_fields,
            ),
        ),
    )
)


# --- graduation certificate ------------------------------------------------------


def _graduation_check(student: Student) -> None:
    if student.status != StudentStatus.GRADUATED:
        raise NotEligible(
            _("%(name)s has not graduated (status: %(status)s).")
            % {"name": student.person.name_ar, "status": student.get_status_display()}
        )


def _graduation_title(student: Student) -> tuple[str, str]:
    with override("ar"):
        ar = str(_("Graduation certificate"))
    with override("en"):
        en = str(_("Graduation certificate"))
    return ar, en


def _graduation_context(student: Student) -> dict:
    years = [e.academic_year for e in student.enrolments.all()]
    last = max(years) if years else student.cohort.intake_year + 4
    return {
        "student": student,
        "programme": _programme(student.cohort),
        "intake": academic_year_label(student.cohort.intake_year),
        "graduation_year": academic_year_label(last),
        # The holder's own fields (never in the shared background): the identity
        # document printed (a national ID, a civil number or a passport).
        "identity_document": student.person.identity_document,
        "standing": final_standing(student),
    }


def _graduation_background(context: dict) -> dict:
    """What the certificate's background shows: the same for a cohort's graduates."""
    programme = context["programme"]
    return {
        # The Arabic wording agrees with the graduate: «الطالبة … أتمت» or «الطالب … أتم».
        "female": context["student"].person.sex == Sex.FEMALE,
        "programme_ar": programme.name_ar,
        "programme_en": programme.name_en,
        "intake": context["intake"],
        "graduation_year": context["graduation_year"],
    }


def _graduates_of_cohort(params: dict):
    return Student.objects.filter(
        cohort_id=params["cohort"], status=StudentStatus.GRADUATED
    )


def _cohort_field() -> dict:
    return {
        "cohort": forms.ModelChoiceField(
            label=_("Cohort"), queryset=Cohort.objects.select_related("institute")
        )
    }


register_document_kind(
    DocumentKind(
        code=GRADUATION_CERTIFICATE,
        label=_("Graduation certificate"),
        model=Student,
        template="students/documents/graduation_certificate.html",
        stylesheet="students/documents/certificate.css",
        fields_template="students/documents/graduation_certificate_fields.html",
        fields_stylesheet="students/documents/certificate_fields.css",
        background_data=_graduation_background,
        orientation="landscape",
        holder=lambda s: s.person,
        issuer=lambda s: s.cohort.institute,
        issuer_model=Institute,
        title=_graduation_title,
        check_eligible=_graduation_check,
        context=_graduation_context,
        select_related=(
            "person",
            "cohort__institute__logo",
            "cohort__curriculum_version__programme",
        ),
        prefetch_related=("enrolments", "person__documents"),
        bulk_selections=(
            BulkSelection(
                code="cohort",
                label=_("every graduate of a cohort"),
                queryset=_graduates_of_cohort,
                form_fields=_cohort_field,
            ),
        ),
    )
)


# --- the student page's "Documents" section ----------------------------------------


def _student_page_panel():
    from django.contrib.contenttypes.models import ContentType

    from certificates.models import IssuedDocument
    from certificates.services import may_issue_as
    from certificates.views import issue_url
    from institutes import access

    from .panels import StudentPagePanel, register_student_page_panel

    class StudentDocumentsPanel(StudentPagePanel):
        """Documents issued to the student, and buttons to issue the missing ones."""

        order = 400
        template_name = "students/documents/panel.html"
        title = _("Documents")

        def get_context_data(self, parent_context=None):
            student = self.student
            enrolment = student.enrolments.order_by("-academic_year").first()
            targets = [
                (Student, [student.pk]),
                (Enrolment, [e.pk for e in student.enrolments.all()]),
            ]
            condition = None
            from django.db.models import Q

            for model, ids in targets:
                q = Q(
                    achievement_type=ContentType.objects.get_for_model(model),
                    achievement_id__in=ids,
                )
                condition = q if condition is None else condition | q
            documents = access.filter_for(
                IssuedDocument.objects.filter(condition).select_related(
                    "issuer_institute", "issuer_hospital"
                ),
                self.request.user,
                "view",
            )
            can_issue = may_issue_as(self.request.user, student.cohort.institute)
            actions = []
            if can_issue:
                actions.append(
                    (_("Academic transcript"), issue_url(TRANSCRIPT, student))
                )
                if student.status == StudentStatus.GRADUATED:
                    actions.append(
                        (
                            _("Graduation certificate"),
                            issue_url(GRADUATION_CERTIFICATE, student),
                        )
                    )
                if enrolment and student.status == StudentStatus.ENROLLED:
                    actions.append(
                        (_("Enrolment letter"), issue_url(ENROLMENT_LETTER, enrolment))
                    )
            return {"title": self.title, "documents": documents, "actions": actions}

    register_student_page_panel(StudentDocumentsPanel)


_student_page_panel()
