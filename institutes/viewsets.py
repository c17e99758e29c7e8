"""Back-office screens for hospitals, institutes, wards and role assignments."""

import django_filters

from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.viewsets.base import ViewSetGroup

from .access import Role
from .forms import InstituteForm
from .models import (
    AccreditationStatus,
    Hospital,
    Institute,
    RoleAssignment,
    Specialty,
    Ward,
)
from .national_id import Governorate
from .scoped_admin import (
    ScopedChooserViewSet,
    ScopedCreateView,
    ScopedFilterSet,
    ScopedModelViewSet,
)


class HospitalFilterSet(ScopedFilterSet):
    governorate = django_filters.ChoiceFilter(
        choices=Governorate.choices, label=_("Governorate")
    )
    accreditation_status = django_filters.ChoiceFilter(
        choices=AccreditationStatus.choices, label=_("Accreditation")
    )

    class Meta:
        model = Hospital
        fields = ["governorate", "accreditation_status"]


class HospitalViewSet(ScopedModelViewSet):
    name = "hospitals"
    model = Hospital
    icon = "home"
    menu_label = _("Hospitals")
    add_to_admin_menu = False
    filterset_class = HospitalFilterSet
    search_fields = ["search_text"]
    list_display = [
        "name_ar",
        "name_en",
        "governorate",
        "accreditation_status",
        Column("beds", label=_("Beds"), sort_key="beds"),
        Column("icu_beds", label=_("ICU beds"), sort_key="icu_beds"),
        Column("incubators", label=_("Incubators")),
        Column("dialysis_machines", label=_("Dialysis machines")),
    ]
    list_export = [
        "code",
        "name_ar",
        "name_en",
        "governorate",
        "city_ar",
        "accreditation_status",
        "accreditation_date",
        "beds",
        "icu_beds",
        "incubators",
        "dialysis_machines",
        "operating_rooms",
        "outpatient_clinics",
        "emergency_rooms",
        "hotline",
    ]
    export_filename = "hospitals"
    inspect_view_fields = [
        "code",
        "name_ar",
        "name_en",
        "specialty_ar",
        "governorate",
        "city_ar",
        "accreditation_status",
        "accreditation_date",
        "opened_on",
        "beds",
        "icu_beds",
        "incubators",
        "dialysis_machines",
        "operating_rooms",
        "outpatient_clinics",
        "emergency_rooms",
        "hotline",
        "phone",
        "email",
        "address_ar",
    ]
    ordering = ["name_ar"]


class InstituteFilterSet(ScopedFilterSet):
    hospital = django_filters.ModelChoiceFilter(
        queryset=Hospital.objects.all(), label=_("Attached hospital")
    )

    class Meta:
        model = Institute
        fields = ["hospital"]


class InstituteViewSet(ScopedModelViewSet):
    name = "institutes"
    model = Institute
    icon = "group"
    menu_label = _("Institutes")
    add_to_admin_menu = False
    filterset_class = InstituteFilterSet
    search_fields = ["search_text"]
    list_display = [
        "name_ar",
        "name_en",
        "code",
        "hospital",
        "founded_year",
        "intake_capacity",
    ]
    list_export = [
        "code",
        "name_ar",
        "name_en",
        "hospital",
        "founded_year",
        "intake_capacity",
        "director_name",
        "phone",
        "email",
    ]
    export_filename = "institutes"
    edit_handler = ObjectList(Institute.panels, base_form_class=InstituteForm)
    inspect_view_fields = [
        "code",
        "name_ar",
        "name_en",
        "hospital",
        "partner_hospitals",
        "founded_year",
        "intake_capacity",
        "director_name",
        "phone",
        "email",
        "address_ar",
        "address_en",
    ]
    ordering = ["name_ar"]

    def get_queryset(self, request):
        return Institute.objects.select_related("hospital")


class WardFilterSet(ScopedFilterSet):
    hospital = django_filters.ModelChoiceFilter(
        queryset=Hospital.objects.all(), label=_("Hospital")
    )
    specialty = django_filters.ChoiceFilter(
        choices=Specialty.choices, label=_("Specialty")
    )
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = Ward
        fields = ["hospital", "specialty", "is_active"]


class WardViewSet(ScopedModelViewSet):
    name = "wards"
    model = Ward
    icon = "table"
    menu_label = _("Wards")
    add_to_admin_menu = False
    filterset_class = WardFilterSet
    search_fields = ["search_text"]
    list_display = [
        "name_ar",
        "name_en",
        "hospital",
        "specialty",
        Column(
            "student_capacity", label=_("Student places"), sort_key="student_capacity"
        ),
        BooleanColumn("is_active", label=_("Active")),
    ]
    list_export = [
        "hospital",
        "name_ar",
        "name_en",
        "specialty",
        "student_capacity",
        "floor",
        "is_active",
    ]
    export_filename = "wards"
    inspect_view_fields = [
        "hospital",
        "name_ar",
        "name_en",
        "specialty",
        "student_capacity",
        "floor",
        "is_active",
    ]
    ordering = ["hospital__name_ar", "name_ar"]

    def get_queryset(self, request):
        return Ward.objects.select_related("hospital")


class RoleAssignmentFilterSet(ScopedFilterSet):
    role = django_filters.ChoiceFilter(choices=Role.choices, label=_("Role"))

    class Meta:
        model = RoleAssignment
        fields = ["role"]


class RoleAssignmentCreateView(ScopedCreateView):
    """Roles are given on the people-and-roles screen (a person found by name, only
    the scope the role needs, `institutes.services.role_assign`); "Add" leads there."""

    def dispatch(self, request, *args, **kwargs):
        return redirect("institutes_people_and_roles")


class RoleAssignmentViewSet(ScopedModelViewSet):
    name = "roles"
    model = RoleAssignment
    icon = "key"
    menu_label = _("Roles")
    add_view_class = RoleAssignmentCreateView
    add_to_admin_menu = False
    filterset_class = RoleAssignmentFilterSet
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    list_display = ["user", "role", "institute", "hospital", "ward", "granted_at"]
    list_export = ["user", "role", "institute", "hospital", "ward", "granted_at"]
    export_filename = "role-assignments"
    inspect_view_fields = [
        "user",
        "role",
        "institute",
        "hospital",
        "ward",
        "granted_at",
    ]

    def get_queryset(self, request):
        return RoleAssignment.objects.select_related(
            "user", "institute", "hospital", "ward__hospital"
        )


class WardChooserViewSet(ScopedChooserViewSet):
    model = Ward
    icon = "table"
    choose_one_text = _("Choose a ward")
    choose_another_text = _("Choose another ward")


class InstituteChooserViewSet(ScopedChooserViewSet):
    model = Institute
    icon = "group"
    choose_one_text = _("Choose an institute")
    choose_another_text = _("Choose another institute")


class InstitutesGroup(ViewSetGroup):
    menu_label = _("Institutes & hospitals")
    menu_icon = "home"
    menu_order = 200
    items = (InstituteViewSet, HospitalViewSet, WardViewSet, RoleAssignmentViewSet)


ward_chooser_viewset = WardChooserViewSet("ward_chooser")
institute_chooser_viewset = InstituteChooserViewSet("institute_chooser")
