"""Panels: the student page's slots other apps fill, and the dashboard panel.

Other apps add a section to the student page (placements, certificates) by
registering a Wagtail `Component` class from their AppConfig.ready():

    from students.panels import StudentPagePanel, register_student_page_panel

    class PlacementsPanel(StudentPagePanel):
        order = 300
        template_name = "training/panels/student_placements.html"
        title = _("Clinical placements")

        def get_context_data(self, parent_context=None):
            return {"placements": placements_of(self.student, self.request.user)}

    register_student_page_panel(PlacementsPanel)

The panel gets `self.student` and `self.request`; it must scope what it shows with
`institutes.access` (the student page itself is scoped already). `is_shown()` may
hide it for some users or students.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wagtail.admin.ui.components import Component

from institutes import access

from .models import Student, StudentStatus

_student_page_panels: list[type[StudentPagePanel]] = []


class StudentPagePanel(Component):
    """A section of the student page supplied by another app."""

    order = 100
    title = ""

    def __init__(self, student: Student, request):
        self.student = student
        self.request = request

    def is_shown(self) -> bool:
        return True


def register_student_page_panel(panel_class: type[StudentPagePanel]) -> None:
    if panel_class not in _student_page_panels:
        _student_page_panels.append(panel_class)


def student_page_panels(student: Student, request) -> list[StudentPagePanel]:
    panels = [cls(student, request) for cls in _student_page_panels]
    return sorted((p for p in panels if p.is_shown()), key=lambda p: p.order)


class StudentsDashboardPanel(Component):
    """Home-page panel: students per institute, year, status and sex (inline SVG bars)."""

    name = "students_overview"
    order = 120
    template_name = "students/panels/dashboard.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        from .selectors import students_dashboard_counts

        counts = students_dashboard_counts(self.user)
        status_labels = dict(StudentStatus.choices)
        sex_labels = {"m": _("Male"), "f": _("Female")}

        def bars(rows, label):
            top = max((r["n"] for r in rows), default=0) or 1
            return [
                {"label": label(r), "n": r["n"], "pct": round(100 * r["n"] / top)}
                for r in rows
            ]

        from institutes.bilingual import localized

        class _Name:
            def __init__(self, row):
                self.name_ar = row["cohort__institute__name_ar"]
                self.name_en = row["cohort__institute__name_en"]

        return {
            "title": _("Students"),
            "total": sum(r["n"] for r in counts["status"]),
            "groups": [
                (
                    _("By institute"),
                    bars(counts["institute"], lambda r: localized(_Name(r), "name")),
                ),
                (
                    _("Enrolled, by year of study"),
                    bars(
                        counts["year"],
                        lambda r: _("Year %(n)s") % {"n": r["year_of_study"]},
                    ),
                ),
                (
                    _("By status"),
                    bars(counts["status"], lambda r: status_labels[r["status"]]),
                ),
                (
                    _("By sex"),
                    bars(counts["sex"], lambda r: sex_labels.get(r["person__sex"])),
                ),
            ],
        }

    def render_html(self, parent_context=None):
        # Student counts are for those who run institutes; trainers and supervisors
        # see the students placed with them on their own screens.
        scope = access.scope_for(self.user)
        if not (scope.is_authority or scope.institute_ids):
            return ""
        if not access.user_may(self.user, "view", Student):
            return ""
        return super().render_html(parent_context)
