"""django-tables2 tables of the student screens.

Each renders through `institutes/tables/cards.html` (labelled cards below 600 px).
Where a screen's download has other columns than the screen (the roster and the
rollover files carry the Arabic name and the number in their own columns), the
screen's columns are `exclude_from_export` and the file's are hidden ones, so the
download is the table's own `as_values()`.
"""

from __future__ import annotations

import django_tables2 as tables

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from institutes.formatting import identifier_html
from institutes.tables import IdentifierColumn, OperationalTable

from .models import Student


class CohortRosterTable(OperationalTable):
    """A cohort's students (the roster), linked to their pages; the download adds
    the guardian's phone."""

    # On the screen.
    name = tables.Column(
        accessor="person__name_ar",
        verbose_name=_("Name"),
        order_by="person__name_ar",
        exclude_from_export=True,
    )
    name_en = tables.Column(
        accessor="person__name_en",
        verbose_name=_("Latin name"),
        exclude_from_export=True,
    )
    student_number = IdentifierColumn(
        verbose_name=_("Student number"), exclude_from_export=True
    )
    national_id = IdentifierColumn(
        accessor="person__national_id",
        verbose_name=_("National ID"),
        exclude_from_export=True,
    )
    sex = tables.Column(
        accessor="person__sex", verbose_name=_("Sex"), exclude_from_export=True
    )
    year_of_study = tables.Column(verbose_name=_("Year"), exclude_from_export=True)
    status = tables.Column(verbose_name=_("Status"), exclude_from_export=True)
    # In the download.
    file_student_number = tables.Column(
        accessor="student_number", verbose_name=_("Student number"), visible=False
    )
    file_name_ar = tables.Column(
        accessor="person__name_ar",
        verbose_name=_("Full name (Arabic)"),
        visible=False,
    )
    file_name_en = tables.Column(
        accessor="person__name_en",
        verbose_name=_("Full name (Latin)"),
        visible=False,
    )
    file_national_id = tables.Column(
        accessor="person__national_id", verbose_name=_("National ID"), visible=False
    )
    file_sex = tables.Column(
        accessor="person__sex", verbose_name=_("Sex"), visible=False
    )
    file_year_of_study = tables.Column(
        accessor="year_of_study",
        verbose_name=_("Year of study"),
        visible=False,
        empty_values=(),
    )
    file_status = tables.Column(
        accessor="status", verbose_name=_("Status"), visible=False
    )
    file_guardian_phone = tables.Column(
        accessor="guardian_phone", verbose_name=_("Guardian's phone"), visible=False
    )

    class Meta(OperationalTable.Meta):
        model = Student
        fields = ()
        sequence = (
            "name",
            "name_en",
            "student_number",
            "national_id",
            "sex",
            "year_of_study",
            "status",
            "file_student_number",
            "file_name_ar",
            "file_name_en",
            "file_national_id",
            "file_sex",
            "file_year_of_study",
            "file_status",
            "file_guardian_phone",
        )
        attrs = {"class": "listing op-table st-table"}
        orderable = False
        empty_text = _("No student in this cohort yet.")

    def render_name(self, value, record):
        return format_html(
            '<a href="{}">{}</a>', reverse("students:inspect", args=[record.pk]), value
        )

    def render_sex(self, record):
        return record.person.get_sex_display()

    def render_status(self, record):
        return record.get_status_display()

    def value_file_name_en(self, value):
        return value or ""

    def value_file_national_id(self, value):
        return value or ""

    def value_file_sex(self, record):
        return record.person.get_sex_display()

    def value_file_year_of_study(self, value):
        return value or ""

    def value_file_status(self, record):
        return record.get_status_display()

    def value_file_guardian_phone(self, value):
        return value or ""


class RolloverPreviewTable(OperationalTable):
    """What the year-end rollover would do to each student (`RolloverLine`s)."""

    # On the screen.
    student = tables.Column(
        verbose_name=_("Student"),
        accessor="student__person__name_ar",
        exclude_from_export=True,
    )
    # In the download.
    student_number = tables.Column(
        accessor="student__student_number",
        verbose_name=_("Student number"),
        visible=False,
    )
    name_ar = tables.Column(
        accessor="student__person__name_ar",
        verbose_name=_("Full name (Arabic)"),
        visible=False,
    )
    # Both.
    year_of_study = tables.Column(
        accessor="enrolment__year_of_study", verbose_name=_("Year of study")
    )
    decision = tables.Column(verbose_name=_("Decision"))
    reasons = tables.Column(verbose_name=_("Why"), empty_values=())

    class Meta(OperationalTable.Meta):
        sequence = (
            "student",
            "student_number",
            "name_ar",
            "year_of_study",
            "decision",
            "reasons",
        )
        attrs = {"class": "listing op-table st-table"}
        orderable = False
        empty_text = _(
            "Nobody in this cohort is waiting to move at the end of this year "
            "(already rolled over, or no enrolments)."
        )

    def render_student(self, value, record):
        return format_html(
            '<a href="{}">{}</a> <span class="st-muted st-ltr">{}</span>',
            reverse("students:inspect", args=[record.student.pk]),
            value,
            identifier_html(record.student.student_number),
        )

    def render_decision(self, value, record):
        return format_html(
            '<span class="st-badge st-{}">{}</span>', value, record.label
        )

    def value_decision(self, record):
        return str(record.label)

    def render_reasons(self, record):
        return format_html_join(" ", "{}", ((r,) for r in record.reasons))

    def value_reasons(self, record):
        return " ".join(str(r) for r in record.reasons)


class StudentImportPreviewTable(OperationalTable):
    """The rows of a students file as the import would treat them (`PreviewRow`s).

    Shown whole: built without the request (which would paginate it).
    """

    line = tables.Column(verbose_name=_("Line"))
    name = tables.Column(accessor="row__values__name_ar", verbose_name=_("Name"))
    document = tables.Column(
        accessor="row__values__document_number",
        verbose_name=_("Identity document"),
        attrs={"td": {"class": "st-ltr"}},
    )
    cohort = tables.Column(verbose_name=_("Cohort"), empty_values=(None,), default="—")
    outcome = tables.TemplateColumn(
        template_name="students/tables/import_outcome.html",
        verbose_name=_("Outcome"),
        accessor="state",
    )

    class Meta(OperationalTable.Meta):
        attrs = {"class": "listing op-table st-table"}
        orderable = False

    def render_cohort(self, value):
        return f"{value.intake_label} · {value.institute.code}"
