"""Back office of the contact centre: the requests list (the office list), offices,
members and topics. A request opens on its handling screen (`views.handle_request`),
which is the viewset's edit view."""

from __future__ import annotations

import django_filters

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.viewsets.base import ViewSetGroup

from institutes.scoped_admin import ScopedFilterSet, ScopedIndexView, ScopedModelViewSet

from .models import (
    OPEN_STATUSES,
    ContactChannel,
    ContactKind,
    ContactRequest,
    ContactStatus,
    Office,
    OfficeMember,
    PublicHoliday,
    Topic,
)
from .selectors import CONTACT_FIELDS, mask, may_see_contacts
from .views import handle_request, intake


class ContactRequestFilterSet(ScopedFilterSet):
    status = django_filters.ChoiceFilter(
        choices=ContactStatus.choices, label=_("Status")
    )
    kind = django_filters.ChoiceFilter(choices=ContactKind.choices, label=_("Type"))
    channel = django_filters.ChoiceFilter(
        choices=ContactChannel.choices, label=_("Channel")
    )
    office = django_filters.ModelChoiceFilter(
        queryset=Office.objects.all(), label=_("Office")
    )
    topic = django_filters.ModelChoiceFilter(
        queryset=Topic.objects.all(), label=_("Topic")
    )
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue")
    open = django_filters.BooleanFilter(label=_("Open"), method="filter_open")

    class Meta:
        model = ContactRequest
        fields = ["status", "kind", "channel", "office", "topic"]

    def filter_overdue(self, queryset, name, value):
        overdue = Q(status__in=OPEN_STATUSES, due_at__lt=timezone.now())
        if value is None:
            return queryset
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        condition = Q(status__in=OPEN_STATUSES)
        return queryset.filter(condition) if value else queryset.exclude(condition)


class DueColumn(Column):
    """The deadline, flagged when it has passed on an open request."""

    cell_template_name = "contact/admin/due_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["overdue"] = instance.is_overdue
        context["due"] = instance.due_at
        context["level"] = instance.escalation_level
        return context


class ContactRequestIndexView(ScopedIndexView):
    """The office list; exports mask contacts the user may not see."""

    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("office", "topic", "institute", "hospital", "assigned_to")
        )

    def to_row_dict(self, item):
        row = super().to_row_dict(item)
        if not may_see_contacts(self.request.user, item):
            for field in CONTACT_FIELDS:
                if row.get(field):
                    row[field] = mask(str(row[field]))
        return row


class ContactRequestViewSet(ScopedModelViewSet):
    name = "contact_requests"
    model = ContactRequest
    icon = "mail"
    menu_label = _("Requests")
    menu_order = 100
    index_view_class = ContactRequestIndexView
    filterset_class = ContactRequestFilterSet
    search_fields = ["reference", "subject", "name", "phone_digits"]
    list_display = [
        "reference",
        "subject",
        "kind",
        Column("office", label=_("Office")),
        StatusTagColumn(
            "get_status_display",
            label=_("Status"),
            primary=lambda r: r.status != "closed",
        ),
        DueColumn("due_at", label=_("Due"), sort_key="due_at"),
        "assigned_to",
        DateColumn("created_at", label=_("Received on"), sort_key="created_at"),
    ]
    # Contacts are masked in the export for rows the user does not handle
    # (`may_see_contacts`); the dashboard's export has no personal data at all.
    list_export = [
        "reference",
        "channel",
        "kind",
        "topic",
        "subject",
        "institute",
        "hospital",
        "office",
        "status",
        "assigned_to",
        "due_at",
        "escalation_level",
        "created_at",
        "answered_at",
        "closed_at",
        "resolution",
        "name",
        "phone",
        "email",
    ]
    export_filename = "contact-requests"
    inspect_view_fields = [
        "reference",
        "channel",
        "kind",
        "topic",
        "subject",
        "message",
        "office",
        "status",
        "due_at",
        "answer",
        "created_at",
    ]
    ordering = ["-created_at"]

    def get_queryset(self, request):
        return ContactRequest.objects.select_related(
            "office", "topic", "institute", "hospital", "assigned_to"
        )

    @property
    def edit_view(self):
        # The handling screen is the edit view: one screen to read and act.
        return handle_request

    @property
    def add_view(self):
        # Requests are logged through intake (services route and date them).
        return intake


class OfficeFilterSet(ScopedFilterSet):
    class Meta:
        model = Office
        fields = ["kind", "active"]


class OfficeViewSet(ScopedModelViewSet):
    name = "contact_offices"
    model = Office
    icon = "group"
    menu_label = _("Offices")
    menu_order = 300
    filterset_class = OfficeFilterSet
    list_display = ["name_ar", "name_en", "kind", "parent", "email", "active"]
    list_export = ["name_ar", "name_en", "kind", "parent", "email", "active"]
    search_fields = ["name_ar", "name_en"]

    def get_queryset(self, request):
        return Office.objects.select_related("parent", "institute", "hospital")


class OfficeMemberViewSet(ScopedModelViewSet):
    name = "contact_office_members"
    model = OfficeMember
    icon = "user"
    menu_label = _("Office members")
    menu_order = 310
    list_display = ["user", "office", "is_head"]
    list_export = ["user", "office", "is_head"]
    form_fields = ["office", "user", "is_head"]

    def get_queryset(self, request):
        return OfficeMember.objects.select_related("office", "user")


class TopicViewSet(ScopedModelViewSet):
    name = "contact_topics"
    model = Topic
    icon = "tag"
    menu_label = _("Topics")
    menu_order = 320
    list_display = ["name_ar", "name_en", "default_office", "target_days", "active"]
    list_export = ["code", "name_ar", "name_en", "default_office", "target_days"]
    search_fields = ["name_ar", "name_en", "code"]

    def get_queryset(self, request):
        return Topic.objects.select_related("default_office")


class PublicHolidayViewSet(ScopedModelViewSet):
    name = "contact_public_holidays"
    model = PublicHoliday
    icon = "date"
    menu_label = _("Public holidays")
    menu_order = 330
    list_display = ["date", "name_ar", "name_en"]
    list_export = ["date", "name_ar", "name_en"]
    search_fields = ["name_ar", "name_en"]
    form_fields = ["date", "name_ar", "name_en"]


class ContactCentreGroup(ViewSetGroup):
    menu_label = _("Contact centre")
    menu_icon = "mail"
    menu_order = 600
    items = (
        ContactRequestViewSet,
        OfficeViewSet,
        OfficeMemberViewSet,
        TopicViewSet,
        PublicHolidayViewSet,
    )


def viewsets():
    return [ContactCentreGroup()]
