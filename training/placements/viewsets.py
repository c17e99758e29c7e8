"""Back-office viewsets of clinical placements: rotation blocks and placements.

Placements are created by a block's proposal or its "place a student" form and
moved through `training.placements.services`, so the generic screens only edit notes;
the add door of placements leads to the blocks.
"""

import django_filters

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wagtail.admin.ui.tables import Column, TitleColumn

from institutes.arabic import search_variants
from institutes.models import Hospital, Ward
from institutes.scoped_admin import (
    ScopedCreateView,
    ScopedFilterSet,
    ScopedIndexView,
    ScopedModelViewSet,
    UserColumn,
)
from students.models import Cohort

from .models import Placement, PlacementStatus, RotationBlock, Shift


class RotationBlockFilterSet(ScopedFilterSet):
    cohort = django_filters.ModelChoiceFilter(
        queryset=Cohort.objects.select_related("institute"), label=_("Cohort")
    )
    year = django_filters.NumberFilter(label=_("Year of study"))
    shift = django_filters.ChoiceFilter(choices=Shift.choices, label=_("Shift"))

    class Meta:
        model = RotationBlock
        fields = ["cohort", "year", "shift"]


class RotationBlockViewSet(ScopedModelViewSet):
    name = "rotation_blocks"
    model = RotationBlock
    icon = "calendar-alt"
    menu_label = _("Rotation blocks")
    add_to_admin_menu = False
    filterset_class = RotationBlockFilterSet
    search_fields = ["name_ar", "name_en"]
    list_display = [
        TitleColumn(
            "name_ar",
            label=_("Block"),
            url_name="training_block_detail",
        ),
        "cohort",
        "year",
        "start_date",
        "end_date",
        "shift",
    ]
    list_export = [
        "name_ar",
        "name_en",
        "cohort",
        "year",
        "start_date",
        "end_date",
        "shift",
        "weekdays",
        "rotation_weeks",
    ]
    export_filename = "rotation-blocks"
    inspect_view_fields = [
        "name_ar",
        "name_en",
        "cohort",
        "year",
        "start_date",
        "end_date",
        "shift",
        "weekdays",
        "rotation_weeks",
    ]
    ordering = ["-start_date"]

    def get_queryset(self, request):
        return RotationBlock.objects.select_related("cohort__institute")


class PlacementFilterSet(ScopedFilterSet):
    block = django_filters.ModelChoiceFilter(
        queryset=RotationBlock.objects.all(), label=_("Rotation block")
    )
    ward__hospital = django_filters.ModelChoiceFilter(
        queryset=Hospital.objects.all(), label=_("Hospital")
    )
    ward = django_filters.ModelChoiceFilter(
        queryset=Ward.objects.select_related("hospital"), label=_("Ward")
    )
    status = django_filters.ChoiceFilter(
        choices=PlacementStatus.choices, label=_("Status")
    )

    class Meta:
        model = Placement
        fields = ["block", "ward__hospital", "ward", "status"]


class PlacementIndexView(ScopedIndexView):
    """Searches the student's name without diacritics or spelling variants."""

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        condition = Q()
        for variant in search_variants(self.search_query):
            condition |= Q(student__search_text__contains=variant)
        return queryset.filter(condition)


class PlacementAddRedirect(ScopedCreateView):
    """Placements are booked from a block (capacity and overlap are checked there)."""

    def dispatch(self, request, *args, **kwargs):
        messages.info(
            request,
            _("Place students from a rotation block: open the block and use its form."),
        )
        return redirect(reverse("rotation_blocks:index"))


class PlacementViewSet(ScopedModelViewSet):
    name = "placements"
    model = Placement
    icon = "user"
    menu_label = _("Placements")
    add_to_admin_menu = False
    add_view_class = PlacementAddRedirect
    index_view_class = PlacementIndexView
    filterset_class = PlacementFilterSet
    search_fields = ["student__search_text"]
    list_display = [
        TitleColumn(
            "student", label=_("Student"), url_name="training_placement_detail"
        ),
        Column("ward", label=_("Ward")),
        "start_date",
        "end_date",
        "status",
        UserColumn("supervisor", label=_("Supervisor")),
    ]
    list_export = [
        "student",
        "ward",
        "block",
        "start_date",
        "end_date",
        "status",
        "supervisor",
        "cancel_reason",
    ]
    export_filename = "placements"
    inspect_view_fields = [
        "student",
        "block",
        "ward",
        "supervisor",
        "start_date",
        "end_date",
        "status",
        "cancel_reason",
        "notes",
    ]
    ordering = ["start_date"]

    def get_queryset(self, request):
        return Placement.objects.select_related(
            "student__person", "ward__hospital", "supervisor", "block"
        )


def viewsets():
    """What `training.wagtail_hooks` registers for the placements area (their menu
    entries live in `training.placements.menu`, beside the operational screens)."""
    return [
        RotationBlockViewSet("rotation_blocks"),
        PlacementViewSet("placements"),
    ]
