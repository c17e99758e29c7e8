"""Back-office screens for curricula (authority staff only).

Curricula are reference data: every role reads them inside the student screens
(student page, results sheets), but only authority staff open these editing screens.
A frozen version's parts are refused by the models with a message that says to copy
the version instead.
"""

import django_filters

from django.utils.translation import gettext_lazy as _

from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSetGroup

from institutes import scoped_admin
from institutes.scoped_admin import ScopedFilterSet

from .models import Competency, Course, CurriculumVersion, GradeBand, YearRequirement


class AuthorityOnlyViewSet(scoped_admin.AuthorityOnlyViewSet):
    """Curricula's screens: authority staff only, in the Curricula menu group."""

    add_to_admin_menu = False


class VersionFilterSet(ScopedFilterSet):
    class Meta:
        model = CurriculumVersion
        fields = ["programme"]


class CurriculumVersionViewSet(AuthorityOnlyViewSet):
    name = "curriculum_versions"
    model = CurriculumVersion
    icon = "list-ul"
    menu_label = _("Curricula")
    filterset_class = VersionFilterSet
    list_display = [
        "name_ar",
        "name_en",
        "code",
        Column("applies_from_intake", label=_("Applies from intake")),
        Column("max_failed_courses_carried", label=_("Failed courses carried")),
        Column("frozen_at", label=_("In use since")),
    ]
    list_export = [
        "code",
        "name_ar",
        "name_en",
        "applies_from_intake",
        "max_failed_courses_carried",
        "frozen_at",
    ]
    export_filename = "curriculum-versions"
    search_fields = ["name_ar", "name_en", "code"]


class CourseFilterSet(ScopedFilterSet):
    version = django_filters.ModelChoiceFilter(
        queryset=CurriculumVersion.objects.all(), label=_("Curriculum version")
    )
    year = django_filters.NumberFilter(label=_("Year"))

    class Meta:
        model = Course
        fields = ["version", "year"]


class CourseViewSet(AuthorityOnlyViewSet):
    name = "courses"
    model = Course
    icon = "doc-full"
    menu_label = _("Courses")
    filterset_class = CourseFilterSet
    list_display = [
        "code",
        "title_ar",
        "title_en",
        "version",
        "year",
        "term",
        Column("theory_hours", label=_("Theory hours")),
        Column("practical_hours", label=_("Practical hours")),
        Column("clinical_hours", label=_("Clinical hours")),
        Column("theory_max", label=_("Theory max")),
        Column("practical_max", label=_("Practical max")),
    ]
    list_export = [
        "version",
        "year",
        "term",
        "code",
        "title_ar",
        "title_en",
        "theory_hours",
        "practical_hours",
        "clinical_hours",
        "theory_max",
        "theory_pass",
        "practical_max",
        "practical_pass",
    ]
    export_filename = "courses"
    search_fields = ["code", "title_ar", "title_en"]
    ordering = ["version", "year", "term", "sort_order", "code"]

    def get_queryset(self, request):
        return Course.objects.select_related("version")


class CompetencyFilterSet(ScopedFilterSet):
    version = django_filters.ModelChoiceFilter(
        queryset=CurriculumVersion.objects.all(), label=_("Curriculum version")
    )
    year = django_filters.NumberFilter(label=_("Year"))

    class Meta:
        model = Competency
        fields = ["version", "year"]


class CompetencyViewSet(AuthorityOnlyViewSet):
    name = "competencies"
    model = Competency
    icon = "tick-inverse"
    menu_label = _("Competencies")
    filterset_class = CompetencyFilterSet
    list_display = ["code", "title_ar", "title_en", "version", "year"]
    list_export = ["version", "year", "code", "title_ar", "title_en"]
    export_filename = "competencies"
    search_fields = ["code", "title_ar", "title_en"]

    def get_queryset(self, request):
        return Competency.objects.select_related("version")


class YearRequirementViewSet(AuthorityOnlyViewSet):
    name = "year_requirements"
    model = YearRequirement
    icon = "time"
    menu_label = _("Clinical hours per year")
    list_display = ["version", "year", "required_clinical_hours"]
    list_export = ["version", "year", "required_clinical_hours"]
    export_filename = "clinical-hours-per-year"

    def get_queryset(self, request):
        return YearRequirement.objects.select_related("version")


class GradeBandViewSet(AuthorityOnlyViewSet):
    name = "grade_bands"
    model = GradeBand
    icon = "pick"
    menu_label = _("Grade bands")
    list_display = ["version", "min_percent", "name_ar", "name_en", "passing"]
    list_export = ["version", "min_percent", "name_ar", "name_en", "passing"]
    export_filename = "grade-bands"

    def get_queryset(self, request):
        return GradeBand.objects.select_related("version")


def curriculum_viewsets():
    return [
        CurriculumVersionViewSet(),
        CourseViewSet(),
        CompetencyViewSet(),
        YearRequirementViewSet(),
        GradeBandViewSet(),
    ]


class CurriculumGroup(ViewSetGroup):
    """The curricula menu: versions, courses, competencies and clinical hours per year."""

    menu_label = _("Curricula")
    menu_icon = "doc-full"
    menu_order = 160
    items = tuple(curriculum_viewsets())
