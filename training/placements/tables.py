"""django-tables2 tables of the placements screens."""

from __future__ import annotations

import django_tables2 as tables

from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from institutes.tables import OperationalTable


class WardOccupancyTable(OperationalTable):
    """Wards' occupancy this week: busiest shift, place-shifts used, full shifts."""

    name = tables.Column(verbose_name=_("Ward"), orderable=False)
    hospital = tables.Column(
        accessor="ward__hospital__name_ar", verbose_name=_("Hospital"), orderable=False
    )
    peak = tables.Column(verbose_name=_("Busiest shift"), orderable=False)
    used = tables.Column(verbose_name=_("Place-shifts used"), orderable=False)
    full_days = tables.Column(verbose_name=_("Full shifts"), orderable=False)

    class Meta(OperationalTable.Meta):
        empty_text = _("No student is booked this week.")

    def render_used(self, record):
        return format_html(
            '{}/{} <span class="pl-bar" role="img" aria-label="{}%">'
            '<span style="inline-size: {}%"></span></span>',
            record["used"],
            record["places"],
            record["percent"],
            record["percent"],
        )

    def render_full_days(self, value):
        if not value:
            return "—"
        label = ngettext("%(n)s full shift", "%(n)s full shifts", value) % {"n": value}
        return format_html(
            '<span class="pl-badge pl-status-cancelled">{}</span>', label
        )


class StudentsBehindTable(OperationalTable):
    """Students whose approved hours are behind what the year's plan expects by now."""

    name = tables.Column(verbose_name=_("Student"), orderable=False)
    year = tables.Column(verbose_name=_("Year"), orderable=False)
    approved = tables.Column(verbose_name=_("Approved"), orderable=False)
    expected = tables.Column(verbose_name=_("Expected by now"), orderable=False)
    required = tables.Column(verbose_name=_("Required this year"), orderable=False)

    class Meta(OperationalTable.Meta):
        empty_text = _("Nobody is behind.")

    def render_name(self, value, record):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("training_student_clinical_record", args=[record["student_id"]]),
            value,
        )

    def render_approved(self, value, record):
        pending = record.get("pending")
        if pending:
            return format_html(
                '{} <span class="pl-muted">+ {}</span>',
                floatformat(value, "-1"),
                floatformat(pending, "-1"),
            )
        return floatformat(value, "-1")


class CompetenciesPendingTable(OperationalTable):
    """Per cohort and year of study with students studying now: the students, those
    lacking a required competency, and the sign-offs outstanding
    (`CohortYearCompetencies` rows)."""

    cohort = tables.Column(verbose_name=_("Cohort"), orderable=False)
    year = tables.Column(verbose_name=_("Year of study"), orderable=False)
    students = tables.Column(verbose_name=_("Students enrolled now"), orderable=False)
    students_missing = tables.Column(
        verbose_name=_("Students with a required competency not signed off"),
        orderable=False,
    )
    this_year = tables.Column(
        accessor="this_year_outstanding",
        verbose_name=_("Sign-offs outstanding: competencies of their year"),
        orderable=False,
    )
    earlier = tables.Column(
        accessor="earlier_outstanding",
        verbose_name=_("Sign-offs outstanding: competencies of earlier years"),
        orderable=False,
    )

    class Meta(OperationalTable.Meta):
        attrs = {"class": "listing op-table pl-wrap-heads"}
        empty_text = _("No cohort you can see has students enrolled now.")

    def render_cohort(self, value):
        return format_html(
            '<a href="{}?cohort={}">{}</a>',
            reverse("training_cohort_schedule"),
            value.pk,
            value,
        )

    def render_this_year(self, record):
        return _outstanding(
            record.this_year_tracked,
            record.this_year_outstanding,
            record.this_year_required,
        )

    def render_earlier(self, record):
        if record.year == 1:
            return "—"
        return _outstanding(
            record.earlier_tracked, record.earlier_outstanding, record.earlier_required
        )


def _outstanding(tracked: int, outstanding: int, required: int) -> str:
    """Sign-offs outstanding of those required ("3 of 40"), or "not tracked"."""
    if not tracked:
        return format_html('<span class="pl-none">{}</span>', _("not tracked"))
    return _("%(done)s of %(total)s") % {"done": outstanding, "total": required}


class TodayHoursTable(OperationalTable):
    """The students booked on a day in the supervisor's wards (`TodayRow`s), with
    the day's hours to type (rows the user supervises) and their status.

    Shown whole: built without the request (which would paginate it).
    """

    student = tables.Column(
        accessor="day__student__person__name", verbose_name=_("Student")
    )
    ward = tables.Column(accessor="day__ward__name", verbose_name=_("Ward"))
    shift = tables.Column(accessor="day", verbose_name=_("Shift"))
    hours = tables.TemplateColumn(
        template_name="training/placements/tables/today_hours.html",
        # An accessor the row has: a missing one costs a query per row (the
        # lookup error prints the row).
        accessor="day",
        verbose_name=_("Hours"),
        empty_values=(),
    )
    status = tables.TemplateColumn(
        template_name="training/placements/tables/today_status.html",
        accessor="day",
        verbose_name=_("Status"),
        empty_values=(),
    )

    class Meta(OperationalTable.Meta):
        attrs = {"class": "listing op-table pl-table"}
        orderable = False
        empty_text = _("No student is booked in your wards on this day.")

    def render_student(self, value, record):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("training_placement_detail", args=[record.day.placement_id]),
            value,
        )

    def render_shift(self, value):
        return value.get_shift_display()


class HoursToApproveTable(OperationalTable):
    """Hours awaiting the user's decision, with a box to approve many at once and the
    decision form of each entry (the user's own entries are decided by another).

    Shown whole: built without the request (which would paginate it).
    """

    select = tables.TemplateColumn(
        template_name="training/placements/tables/approve_select.html",
        accessor="pk",
        verbose_name="",
        empty_values=(),
    )
    date = tables.DateColumn(
        accessor="day__date", verbose_name=_("Day"), format="j/n/Y"
    )
    student = tables.Column(
        accessor="placement__student__person__name", verbose_name=_("Student")
    )
    ward = tables.Column(accessor="placement__ward__name", verbose_name=_("Ward"))
    hours = tables.Column(verbose_name=_("Hours"))
    decision = tables.TemplateColumn(
        template_name="training/placements/tables/approve_decision.html",
        accessor="pk",
        verbose_name=_("Decision"),
        empty_values=(),
    )

    class Meta(OperationalTable.Meta):
        attrs = {"class": "listing op-table pl-table"}
        orderable = False
        empty_text = _("Nothing awaits your approval.")

    def render_hours(self, value):
        return floatformat(value, "-1")
