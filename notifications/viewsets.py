"""The log of messages sent, read-only, scoped like everything else."""

from __future__ import annotations

import django_filters

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from wagtail.admin.ui.tables import Column, DateColumn

from institutes.scoped_admin import ScopedFilterSet, ScopedModelViewSet

from .models import Channel, DeliveryStatus, Notification


class NotificationFilterSet(ScopedFilterSet):
    status = django_filters.ChoiceFilter(
        choices=DeliveryStatus.choices, label=_("Status")
    )
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label=_("Channel"))

    class Meta:
        model = Notification
        fields = ["status", "channel"]


def _refuse(request, *args, **kwargs):
    raise PermissionDenied(_("Messages sent are a record: they are not written here."))


class NotificationViewSet(ScopedModelViewSet):
    name = "notifications"
    model = Notification
    icon = "mail"
    menu_label = _("Messages sent")
    menu_order = 9000
    add_to_settings_menu = True
    filterset_class = NotificationFilterSet
    search_fields = ["about_label", "address", "recipient_name", "template"]
    list_display = [
        "about_label",
        "template",
        "channel",
        "recipient_name",
        "address",
        Column("get_status_display", label=_("Status")),
        "attempts",
        DateColumn("created_at", label=_("Queued at"), sort_key="created_at"),
        DateColumn("sent_at", label=_("Sent at")),
    ]
    list_export = [
        "about_label",
        "template",
        "language",
        "channel",
        "recipient_name",
        "address",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "sent_at",
    ]
    inspect_view_fields = [
        "about_label",
        "template",
        "language",
        "channel",
        "recipient_name",
        "address",
        "subject",
        "body",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "sent_at",
        "next_attempt_at",
    ]
    export_filename = "messages-sent"
    ordering = ["-created_at"]

    def get_queryset(self, request):
        return Notification.objects.all()

    @property
    def add_view(self):
        return _refuse

    @property
    def edit_view(self):
        # A record is read, never edited: the edit door shows it.
        return self.inspect_view

    @property
    def delete_view(self):
        return _refuse


notification_viewset = NotificationViewSet()
