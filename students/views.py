"""Operational student screens: lifecycle actions, roster, results sheet, rollover, import.

Each view finds its objects through `institutes.access` (a foreign id answers 404),
parses input, calls one service and renders.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from curriculum.models import Course
from institutes import access
from institutes.listing import OperationalListView

from . import services
from .exports import spreadsheet_response
from .models import (
    Cohort,
    CourseResult,
    Student,
    StudentStatus,
    WithdrawalReason,
    academic_year_label,
)
from .selectors import cohort_roster, current_academic_year, results_sheet_enrolments
from .tables import (
    CohortRosterTable,
    RolloverPreviewTable,
    StudentImportPreviewTable,
)

# --- Lifecycle actions on the student page ----------------------------------------


#: Labels of the lifecycle steps; which step a status allows is the services' rule
#: (`services.LIFECYCLE_FROM`). "correction" is always offered.
LIFECYCLE_LABELS = {
    "admit": gettext_lazy("Admit"),
    "enrol": gettext_lazy("Enrol in year 1"),
    "suspend": gettext_lazy("Suspend"),
    "withdraw": gettext_lazy("Withdraw"),
    "readmit": gettext_lazy("Re-admit"),
    "graduate": gettext_lazy("Graduate"),
    "correction": gettext_lazy("Add a correction to the history"),
}


def lifecycle_actions(student: Student) -> list[tuple[str, str]]:
    """The actions the student's current status allows, as (code, label)."""
    steps = [*services.lifecycle_steps(student), "correction"]
    return [(code, LIFECYCLE_LABELS[code]) for code in steps]


class LifecycleForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Why (kept in the history)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reason_code = forms.ChoiceField(
        label=gettext_lazy("Reason"),
        choices=[("", "—"), *WithdrawalReason.choices],
        required=False,
    )
    academic_year = forms.IntegerField(
        label=gettext_lazy("Academic year (e.g. 2025 for 2025/26)"),
        required=False,
        min_value=2000,
        max_value=2100,
    )


@require_POST
def student_action(request, pk: int, action: str):
    """Apply one lifecycle step to a student the user may change."""
    if action not in LIFECYCLE_LABELS:
        raise Http404
    student = access.object_or_404(
        access.filter_for(Student.objects.all(), request.user, "change"), pk
    )
    form = LifecycleForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    note = data.get("note") or ""
    by = request.user
    try:
        if action == "admit":
            services.student_admit(student=student, by=by, note=note)
        elif action == "enrol":
            services.student_enrol(
                student=student,
                academic_year=data.get("academic_year"),
                by=by,
                note=note,
            )
        elif action == "suspend":
            services.student_suspend(student=student, by=by, note=note)
        elif action == "withdraw":
            services.student_withdraw(
                student=student,
                reason_code=data.get("reason_code") or "",
                by=by,
                note=note,
            )
        elif action == "readmit":
            year = data.get("academic_year") or current_academic_year(student.cohort)
            services.student_readmit(
                student=student, academic_year=year, by=by, note=note
            )
        elif action == "graduate":
            services.student_graduate(student=student, by=by, note=note)
        else:
            services.student_record_correction(student=student, by=by, note=note)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("Saved: %(action)s.") % {"action": LIFECYCLE_LABELS[action]}
        )
    return redirect("students:inspect", student.pk)


# --- Cohort roster ------------------------------------------------------------------


def roster_context(request, cohort: Cohort) -> dict:
    """What the roster template needs (a fixed number of queries whatever the size)."""
    students = cohort_roster(cohort)
    table = CohortRosterTable(students, request=request)
    year = current_academic_year(cohort)
    courses = list(
        Course.objects.filter(version=cohort.curriculum_version_id).order_by(
            "year", "term", "sort_order", "code"
        )
    )
    counts = {
        row["status"]: row["n"]
        for row in cohort.students.values("status").annotate(n=Count("pk"))
    }
    can_change = access.can(request.user, "change", cohort)
    return {
        "cohort": cohort,
        "table": table,
        "academic_year": year,
        "academic_year_label": academic_year_label(year),
        "courses": courses,
        "status_counts": [
            (label, counts[value])
            for value, label in StudentStatus.choices
            if counts.get(value)
        ],
        "seats_taken": services.cohort_seats_taken(cohort),
        "can_change": can_change,
        "year_of_study": cohort.year_of_study_in(year),
    }


def roster_export(cohort: Cohort, fmt: str):
    """The roster as a file: the roster table's own download columns."""
    students = cohort_roster(cohort).select_related("person")
    values = iter(CohortRosterTable(students).as_values())
    headers = next(values)
    return spreadsheet_response(
        filename=f"roster-{cohort.institute.code}-{cohort.intake_year}",
        headers=headers,
        rows=values,
        fmt=fmt,
    )


def _cohort_for(request, pk: int, action: str = "view") -> Cohort:
    return access.object_or_404(
        access.filter_for(
            Cohort.objects.select_related("institute", "curriculum_version"),
            request.user,
            action,
        ),
        pk,
    )


# --- Results sheet (cohort × course) ----------------------------------------------------


def results_sheet(request, cohort_pk: int, course_pk: int):
    """Theory and practical marks of a whole cohort in one course: one screen, one save."""
    cohort = _cohort_for(request, cohort_pk, "view")
    course = access.object_or_404(
        Course.objects.filter(version=cohort.curriculum_version_id), course_pk
    )
    can_change = access.can(request.user, "change", cohort)
    try:
        year = int(request.GET.get("year") or 0)
    except ValueError:
        year = 0
    year = year or cohort.intake_year + course.year - 1
    enrolments = list(
        results_sheet_enrolments(cohort=cohort, course=course, academic_year=year)
    )
    results = {
        r.enrolment_id: r
        for r in CourseResult.objects.filter(
            course=course, enrolment__in=enrolments
        ).annotate(n_changes=Count("changes"))
    }
    cell_errors: dict[int, dict[str, str]] = {}
    posted: dict[int, dict[str, str]] = {}
    reason = ""
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        reason = request.POST.get("reason", "")
        ids = request.POST.getlist("enrolment")
        try:
            marks = {
                int(i): {
                    "theory": request.POST.get(f"t{i}", ""),
                    "practical": request.POST.get(f"p{i}", ""),
                }
                for i in ids
            }
        except ValueError:
            raise Http404 from None
        posted = marks
        try:
            written = services.results_save(
                course=course,
                enrolments=enrolments,
                marks=marks,
                by=request.user,
                reason=reason,
            )
        except services.ResultsGridError as exc:
            cell_errors = exc.cell_errors
            messages.error(request, exc.messages[0])
        else:
            messages.success(
                request,
                ngettext("%(n)s result saved.", "%(n)s results saved.", written)
                % {"n": written},
            )
            return redirect(
                f"{reverse('students_results_sheet', args=[cohort.pk, course.pk])}"
                f"?year={year}"
            )
    if request.GET.get("export") in ("csv", "xlsx"):
        return spreadsheet_response(
            filename=f"results-{course.code}-{cohort.intake_year}-{year}",
            headers=[
                _("Student number"),
                _("Full name (Arabic)"),
                _("Theory (of %(max)s)") % {"max": course.theory_max},
                _("Practical (of %(max)s)") % {"max": course.practical_max},
                _("Total"),
                _("Result"),
            ],
            rows=(
                [
                    e.student.student_number,
                    e.student.person.name_ar,
                    getattr(results.get(e.pk), "theory_mark", ""),
                    getattr(results.get(e.pk), "practical_mark", ""),
                    getattr(results.get(e.pk), "total", ""),
                    _pass_label(getattr(results.get(e.pk), "passed", None)),
                ]
                for e in enrolments
            ),
            fmt=request.GET["export"],
        )
    rows = []
    for enrolment in enrolments:
        result = results.get(enrolment.pk)
        mine = posted.get(enrolment.pk)
        rows.append(
            {
                "enrolment": enrolment,
                "student": enrolment.student,
                "result": result,
                "theory": mine["theory"]
                if mine
                else _fmt(result.theory_mark if result else None),
                "practical": mine["practical"]
                if mine
                else _fmt(result.practical_mark if result else None),
                "errors": cell_errors.get(enrolment.pk, {}),
                "changes": result.n_changes if result else 0,
            }
        )
    other_years = (
        cohort.enrolments.filter(year_of_study__gte=course.year)
        .values_list("academic_year", flat=True)
        .distinct()
        .order_by("academic_year")
    )
    return render(
        request,
        "students/results_sheet.html",
        {
            "page_title": _("Results: %(course)s") % {"course": course},
            "cohort": cohort,
            "course": course,
            "year": year,
            "year_label": academic_year_label(year),
            "years": [(y, academic_year_label(y)) for y in other_years],
            "rows": rows,
            "reason": reason,
            "can_change": can_change,
            "has_errors": bool(cell_errors),
        },
    )


def _fmt(value) -> str:
    if value is None:
        return ""
    return f"{value.normalize():f}"


def _pass_label(passed) -> str:
    if passed is None:
        return ""
    return _("Pass") if passed else _("Fail")


# --- Year rollover -------------------------------------------------------------------------


class RolloverView(OperationalListView):
    """Preview the year-end rollover of a cohort (a table, downloadable), then
    confirm it (POST)."""

    table_class = RolloverPreviewTable
    template_name = "students/rollover.html"
    header_icon = "user"
    # The whole cohort on one page: the confirmation applies to every line.
    per_page = 1000

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.cohort = None
        self.year = 0

    def check_access(self, request) -> None:
        super().check_access(request)
        self.cohort = _cohort_for(request, self.kwargs["cohort_pk"], "change")
        try:
            year = int(request.GET.get("year") or request.POST.get("year") or 0)
        except ValueError:
            year = 0
        self.year = year or current_academic_year(self.cohort)
        self.page_title = _("Year-end rollover: %(cohort)s") % {"cohort": self.cohort}

    def get_queryset(self):
        return services.rollover_preview(cohort=self.cohort, academic_year=self.year)

    def get_context_data(self, **context) -> dict:
        lines = context["table"].data.data
        totals: dict[str, int] = {}
        for line in lines:
            totals[line.decision] = totals.get(line.decision, 0) + 1
        return {
            **context,
            "cohort": self.cohort,
            "year": self.year,
            "year_label": academic_year_label(self.year),
            "next_year_label": academic_year_label(self.year + 1),
            "totals": [
                (services.DECISION_LABELS[d], n) for d, n in sorted(totals.items())
            ],
            "can_confirm": any(
                line.decision != services.Decision.BLOCKED for line in lines
            ),
        }

    def export(self, table, fmt: str):
        values = iter(table.as_values())
        headers = next(values)
        cohort = self.cohort
        return spreadsheet_response(
            filename=f"rollover-{cohort.institute.code}-{cohort.intake_year}-"
            f"{self.year}",
            headers=headers,
            rows=values,
            fmt=fmt,
        )

    def post(self, request, *args, **kwargs):
        self.check_access(request)
        summary = services.rollover_confirm(
            cohort=self.cohort, academic_year=self.year, by=request.user
        )
        if summary.moved:
            messages.success(
                request,
                _(
                    "Rollover done: %(p)s promoted, %(r)s repeating, %(g)s graduated, "
                    "%(b)s left as they were."
                )
                % {
                    "p": summary.promoted,
                    "r": summary.repeating,
                    "g": summary.graduated,
                    "b": summary.blocked,
                },
            )
        else:
            messages.warning(
                request, _("Nothing to do: nobody in this year is waiting to move.")
            )
        return redirect("cohorts:inspect", self.cohort.pk)


rollover = RolloverView.as_view()


# --- Import ---------------------------------------------------------------------------


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File (CSV or Excel .xlsx)"),
        help_text=gettext_lazy(
            "First line: column names. Required: national ID and Arabic name."
        ),
    )
    cohort = forms.ModelChoiceField(
        queryset=Cohort.objects.none(),
        label=gettext_lazy("Cohort"),
        required=False,
        help_text=gettext_lazy(
            "Used for rows without institute code and intake year columns."
        ),
    )
    admitted = forms.BooleanField(
        label=gettext_lazy("Record them as admitted (not only applicants)"),
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = access.filter_for(
            Cohort.objects.select_related("institute"), user, "change"
        )


def student_import(request):
    """Upload → preview with every row's problems → confirm (one transaction)."""
    from .importing import import_confirm, import_preview

    if not access.user_may(request.user, "add", Student):
        raise PermissionDenied
    preview = None
    form = ImportUploadForm(user=request.user)
    if request.method == "POST" and request.POST.get("token"):
        try:
            result = import_confirm(
                token=request.POST["token"],
                user=request.user,
                cohort_pk=request.POST.get("cohort") or None,
                admitted=request.POST.get("admitted") == "1",
                confirm_link=request.POST.get("confirm_link") == "1",
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                result.summary(
                    ngettext(
                        "Import done: %(n)s student added.",
                        "Import done: %(n)s students added.",
                        result.written,
                    )
                    % {"n": result.written},
                    ngettext(
                        "%(n)s student already there and unchanged.",
                        "%(n)s students already there and unchanged.",
                        result.unchanged,
                    )
                    % {"n": result.unchanged},
                ),
            )
            # Land on the imported rows: the cohort they went into.
            if request.POST.get("cohort", "").isdigit():
                return redirect("cohorts:inspect", int(request.POST["cohort"]))
            return redirect("students:index")
    elif request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            preview = import_preview(
                data=upload.read(),
                filename=upload.name,
                user=request.user,
                cohort=form.cleaned_data["cohort"],
                admitted=form.cleaned_data["admitted"],
            )
    return render(
        request,
        "students/import.html",
        {
            "page_title": _("Import students"),
            "form": form,
            "preview": preview,
            "preview_table": StudentImportPreviewTable(preview.rows)
            if preview is not None
            else None,
        },
    )


# --- URLs ---------------------------------------------------------------------------------
