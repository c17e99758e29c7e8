"""Back office of the contact centre: requests routed, assigned, answered, closed."""

import django_filters

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn

from institutes import access
from institutes.models import Hospital, Institute
from institutes.scoped_admin import (
    ScopedEditView,
    ScopedFilterSet,
    ScopedInspectView,
    ScopedModelViewSet,
)

from .models import ContactKind, ContactRequest, ContactStatus
from .services import contact_request_update


class ContactRequestFilterSet(ScopedFilterSet):
    status = django_filters.ChoiceFilter(
        choices=ContactStatus.choices, label=_("Status")
    )
    kind = django_filters.ChoiceFilter(choices=ContactKind.choices, label=_("Type"))
    institute = django_filters.ModelChoiceFilter(
        queryset=Institute.objects.all(), label=_("Institute")
    )
    hospital = django_filters.ModelChoiceFilter(
        queryset=Hospital.objects.all(), label=_("Hospital")
    )

    class Meta:
        model = ContactRequest
        fields = ["status", "kind", "institute", "hospital"]


class ContactRequestEditView(ScopedEditView):
    """Saves through `contact_request_update` so every change is kept in the history."""

    def save_instance(self):
        data = self.form.cleaned_data
        with transaction.atomic():
            instance = contact_request_update(
                contact_request=self.form.instance,
                status=data["status"],
                assigned_to=data.get("assigned_to"),
                answer=data.get("answer", ""),
                actor=self.request.user,
            )
            if not access.can(self.request.user, "change", instance):
                raise PermissionDenied(
                    _("You can only save records of your own institutes and hospitals.")
                )
        return instance


class ContactRequestInspectView(ScopedInspectView):
    def get_history_display_value(self):
        events = self.object.events.select_related("actor", "assigned_to")
        return format_html(
            "<ol>{}</ol>",
            format_html_join(
                "",
                "<li>{} — {} {} {}</li>",
                (
                    (
                        f"{e.at:%Y-%m-%d %H:%M}",
                        e.get_status_display(),
                        f"({e.actor})" if e.actor else "",
                        e.answer,
                    )
                    for e in events
                ),
            ),
        )

    def get_history_label(self):
        return _("History")

    def get_field_label(self, field_name, field):
        if field_name == "history":
            return _("History")
        return super().get_field_label(field_name, field)


class ContactRequestViewSet(ScopedModelViewSet):
    name = "contact_requests"
    model = ContactRequest
    icon = "mail"
    menu_label = _("Contact centre")
    menu_order = 600
    add_to_admin_menu = True
    edit_view_class = ContactRequestEditView
    inspect_view_class = ContactRequestInspectView
    filterset_class = ContactRequestFilterSet
    search_fields = ["reference", "subject", "name"]
    list_display = [
        Column("reference", label=_("Reference"), sort_key="reference"),
        "subject",
        "kind",
        Column("concerns", label=_("Concerns")),
        StatusTagColumn(
            "get_status_display",
            label=_("Status"),
            primary=lambda r: r.status != "closed",
        ),
        "assigned_to",
        DateColumn("created_at", label=_("Received on"), sort_key="created_at"),
    ]
    list_export = [
        "reference",
        "kind",
        "subject",
        "message",
        "institute",
        "hospital",
        "status",
        "assigned_to",
        "answer",
        "created_at",
        "answered_at",
        "closed_at",
    ]
    export_filename = "contact-requests"
    inspect_view_fields = [
        "reference",
        "kind",
        "subject",
        "message",
        "institute",
        "hospital",
        "name",
        "phone",
        "email",
        "language",
        "status",
        "assigned_to",
        "answer",
        "created_at",
        "answered_at",
        "closed_at",
        "history",
    ]
    ordering = ["-created_at"]

    def get_queryset(self, request):
        return ContactRequest.objects.select_related(
            "institute", "hospital", "assigned_to"
        )


contact_request_viewset = ContactRequestViewSet()
