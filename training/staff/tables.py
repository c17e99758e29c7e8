"""django-tables2 tables of the staff-training screens."""

from __future__ import annotations

import django_tables2 as tables

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from institutes.formatting import identifier_html
from institutes.tables import IdentifierColumn, OperationalTable

from .models import StaffTopicStatus
from .selectors import row_state


class StaffToTrainTable(OperationalTable):
    """Status rows of people and topics (who is expired, due or never trained).

    The screen shows name, employee number, department, topic and status; the export
    adds hospital, job category and the dates, in Arabic as the registrars file them.
    """

    name = tables.Column(
        accessor="staff__person__name",
        verbose_name=_("Name"),
        order_by=("staff__person__name_ar",),
    )
    employee_number = IdentifierColumn(
        accessor="staff__employee_number", verbose_name=_("Employee number")
    )
    department = tables.Column(
        accessor="staff__hospital",
        verbose_name=_("Department / ward"),
        orderable=False,
        exclude_from_export=True,
    )
    hospital = tables.Column(
        accessor="staff__hospital__name_ar", verbose_name=_("Hospital"), visible=False
    )
    ward = tables.Column(
        accessor="staff__ward__name_ar",
        verbose_name=_("Department / ward"),
        visible=False,
        default="",
    )
    job_category = tables.Column(
        accessor="staff__job_category", verbose_name=_("Job category"), visible=False
    )
    topic = tables.Column(
        accessor="topic__title", verbose_name=_("Topic"), order_by=("topic__code",)
    )
    state = tables.Column(
        accessor="valid_until",
        verbose_name=_("Status"),
        order_by=("valid_until", "staff__employee_number"),
    )
    completed_on = tables.Column(verbose_name=_("Last completed"), visible=False)
    valid_until = tables.Column(
        verbose_name=_("Valid until"), visible=False, default=""
    )

    class Meta(OperationalTable.Meta):
        model = StaffTopicStatus
        fields = ()
        sequence = (
            "employee_number",
            "name",
            "hospital",
            "department",
            "ward",
            "job_category",
            "topic",
            "state",
            "completed_on",
            "valid_until",
        )
        empty_text = _("Nobody in this list.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate()

    def render_name(self, value, record):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("training_staff_record", args=[record.staff_id]),
            value,
        )

    def render_department(self, record):
        staff = record.staff
        if staff.ward_id:
            return f"{staff.hospital.name} · {staff.ward.name}"
        return staff.hospital.name

    def render_state(self, record):
        return render_to_string(
            "training/staff/includes/state_badge.html",
            {"state": row_state(record, self.today)},
        )

    def value_name(self, record):
        return record.staff.person.name_ar

    def value_job_category(self, record):
        return record.staff.get_job_category_display()

    def value_topic(self, record):
        return record.topic.title_ar

    def value_state(self, record):
        return str(row_state(record, self.today).label)

    def value_completed_on(self, value):
        return value.isoformat() if value else ""

    def value_valid_until(self, value):
        return value.isoformat() if value else ""


def _count_link(state: str):
    def render(self, value, record):
        if not value:
            return 0
        return format_html(
            '<a href="{}&amp;state={}">{}</a>', record.people_url, state, value
        )

    return render


class ComplianceFiguresTable(OperationalTable):
    """Compliance counts per group (hospital, department or topic), with drill-down
    links to the people in each state. `label` names the group column."""

    name = tables.Column(verbose_name=_("Name"), orderable=False)
    percent = tables.Column(verbose_name="%", orderable=False, default="—")
    chart = tables.Column(
        verbose_name=_("Chart"),
        empty_values=(),
        orderable=False,
        exclude_from_export=True,
    )
    compliant = tables.Column(verbose_name=_("Compliant"), orderable=False)
    due = tables.Column(verbose_name=_("Due"), orderable=False)
    expired = tables.Column(verbose_name=_("Expired"), orderable=False)
    never = tables.Column(verbose_name=_("Never"), orderable=False)
    grace = tables.Column(verbose_name=_("Grace"), orderable=False)

    render_due = _count_link("due")
    render_expired = _count_link("expired")
    render_never = _count_link("never")

    class Meta(OperationalTable.Meta):
        empty_text = _("No staff with required training here yet.")

    def __init__(self, data, *, label, **kwargs):
        super().__init__(data, **kwargs)
        self.columns["name"].column.verbose_name = label

    def render_name(self, value, record):
        if getattr(record, "name_url", ""):
            return format_html('<a href="{}">{}</a>', record.name_url, value)
        return value

    def render_percent(self, value):
        return format_html("<strong>{}</strong>", value)

    def render_chart(self, record):
        return render_to_string("training/staff/includes/bar.html", {"fig": record})


class TopicStatusTable(OperationalTable):
    """One person's status per required topic (rows of (status row, state))."""

    topic = tables.Column(
        accessor="0__topic__title", verbose_name=_("Topic"), orderable=False
    )
    state = tables.Column(
        accessor="1", verbose_name=_("Status"), orderable=False, empty_values=()
    )
    completed_on = tables.Column(
        accessor="0__completed_on", verbose_name=_("Last completed"), orderable=False
    )
    due = tables.Column(
        accessor="0", verbose_name=_("Due by"), orderable=False, empty_values=()
    )

    class Meta(OperationalTable.Meta):
        empty_text = _("No topic is required of this staff member.")

    def render_due(self, value):
        # Never taken: the end of the grace period (for a new hire, the induction's
        # due date); taken: the end of validity.
        day = value.grace_until if value.completed_on is None else value.valid_until
        return day.isoformat() if day else "—"

    def value_due(self, value):
        return self.render_due(value)

    def render_state(self, value):
        return render_to_string(
            "training/staff/includes/state_badge.html", {"state": value}
        )

    def render_completed_on(self, value):
        return value.isoformat() if value else "—"


class TrainingHistoryTable(OperationalTable):
    """Every attempt of one person: date, topic, attendance, score, result,
    certificate (issue link where it may be issued) and the correction link."""

    completed_on = tables.Column(verbose_name=_("Date"), orderable=False)
    topic = tables.Column(
        accessor="session__topic__title", verbose_name=_("Topic"), orderable=False
    )
    status = tables.Column(verbose_name=_("Attendance"), orderable=False)
    score = tables.Column(verbose_name=_("Score"), orderable=False, default="—")
    result = tables.Column(
        verbose_name=_("Result"), orderable=False, empty_values=(), accessor="pk"
    )
    certificate = tables.Column(
        verbose_name=_("Certificate"),
        orderable=False,
        empty_values=(),
        accessor="certificate_serial",
    )
    correct = tables.Column(
        verbose_name="", orderable=False, empty_values=(), accessor="pk"
    )

    class Meta(OperationalTable.Meta):
        empty_text = _("No training attended yet.")

    def __init__(self, data, *, issue_links=None, can_change=False, **kwargs):
        super().__init__(data, **kwargs)
        self.issue_links = issue_links or {}
        self.can_change = can_change
        if not can_change:
            self.columns.hide("correct")

    def render_completed_on(self, value):
        return value.isoformat() if value else "—"

    def render_topic(self, value, record):
        return format_html(
            '{} <span class="tr-muted">{}</span>', value, record.session.hospital.name
        )

    def render_status(self, record):
        label = record.get_status_display()
        if record.walk_in:
            return format_html(
                '{} <span class="tr-muted">({})</span>', label, _("walk-in")
            )
        return label

    def render_score(self, value):
        from institutes.formatting import format_number

        return format_number(value)

    def render_result(self, record):
        if record.passed:
            return format_html(
                '<span class="tr-badge tr-compliant">{}</span>', _("passed")
            )
        if record.status == "present":
            return format_html(
                '<span class="tr-badge tr-expired">{}</span>', _("not passed")
            )
        return "—"

    def render_certificate(self, record):
        if record.certificate_serial:
            return identifier_html(record.certificate_serial)
        if record.passed and self.can_change and record.pk in self.issue_links:
            return format_html(
                '<a href="{}">{}</a>', self.issue_links[record.pk], _("issue")
            )
        return "—"

    def render_correct(self, record):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("training_attendance_correct", args=[record.pk]),
            _("correct"),
        )


class StaffImportPreviewTable(OperationalTable):
    """The rows of a staff file as the import read them (`ImportRow`s), with each
    row's problems or what confirming will do.

    Shown whole: built without the request (which would paginate it).
    """

    line = tables.Column(verbose_name=_("Line"))
    employee_number = tables.Column(
        accessor="values__employee_number",
        verbose_name=_("Employee number"),
        attrs={"td": {"dir": "ltr"}},
        default="",
    )
    name = tables.Column(accessor="values__name_ar", verbose_name=_("Name"), default="")
    problems = tables.TemplateColumn(
        template_name="training/staff/tables/import_problems.html",
        verbose_name=_("Problems"),
        empty_values=(),
    )

    class Meta(OperationalTable.Meta):
        attrs = {"class": "listing op-table tr-table"}
        orderable = False

    def render_employee_number(self, value):
        return identifier_html(value)
