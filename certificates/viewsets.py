"""The register in the back office: list, filters, export, inspect (scoped by issuer).

Documents are created only by issuing (one from a student's page, or in bulk), so the
add and delete doors are closed and the edit door shows the row read-only; revoking,
re-issuing and downloading are actions on the inspect page.
"""

import django_filters

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.widgets.button import HeaderButton

from institutes.models import Hospital, Institute
from institutes.scoped_admin import (
    ScopedCreateView,
    ScopedDeleteView,
    ScopedEditView,
    ScopedFilterSet,
    ScopedInspectView,
    ScopedModelViewSet,
)

from .models import DocumentStatus, IssuedDocument
from .registry import kind_choices


class DocumentFilterSet(ScopedFilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=kind_choices)
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=DocumentStatus.choices, method="filter_status"
    )
    issuer_institute = django_filters.ModelChoiceFilter(
        queryset=Institute.objects.all(), label=_("Issuing institute")
    )
    issuer_hospital = django_filters.ModelChoiceFilter(
        queryset=Hospital.objects.all(), label=_("Issuing hospital")
    )
    issued_at = django_filters.DateFromToRangeFilter(
        label=_("Issued between"),
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )
    year = django_filters.NumberFilter(label=_("Year"))

    class Meta:
        model = IssuedDocument
        fields = ["kind", "status", "issuer_institute", "issuer_hospital", "year"]

    def filter_status(self, queryset, name, value):
        today = timezone.localdate()
        current = Q(revoked_at__isnull=True, replaced_at__isnull=True)
        if value == DocumentStatus.REVOKED:
            return queryset.filter(revoked_at__isnull=False)
        if value == DocumentStatus.SUPERSEDED:
            return queryset.filter(revoked_at__isnull=True, replaced_at__isnull=False)
        if value == DocumentStatus.EXPIRED:
            return queryset.filter(current, valid_until__lt=today)
        if value == DocumentStatus.VALID:
            return queryset.filter(current).filter(
                Q(valid_until__isnull=True) | Q(valid_until__gte=today)
            )
        return queryset


class ClosedView:
    """A door that is not used for the register: documents are issued, never typed."""

    def dispatch(self, request, *args, **kwargs):
        raise PermissionDenied(_("Documents are issued, not typed in."))


class DocumentCreateView(ClosedView, ScopedCreateView):
    pass


class DocumentDeleteView(ClosedView, ScopedDeleteView):
    pass


def _action_buttons(doc, user):
    from institutes import access

    buttons = [
        HeaderButton(
            _("Download PDF"),
            url=reverse("certificates_admin:download", args=[doc.pk]),
            icon_name="download",
        )
    ]
    if access.can(user, "change", doc) and doc.revoked_at is None:
        if doc.replaced_at is None:
            buttons.append(
                HeaderButton(
                    _("Re-issue after a correction"),
                    url=reverse("certificates_admin:reissue", args=[doc.pk]),
                    icon_name="rotate",
                )
            )
        buttons.append(
            HeaderButton(
                pgettext_lazy("certificate", "Revoke"),
                url=reverse("certificates_admin:revoke", args=[doc.pk]),
                icon_name="cross",
            )
        )
    return buttons


class DocumentInspectView(ScopedInspectView):
    @property
    def header_buttons(self):
        return _action_buttons(self.object, self.request.user)

    def get_status_display_value(self):
        return self.object.get_status_display()

    def get_kind_display_value(self):
        return self.object.kind_label


class DocumentEditView(ScopedEditView):
    @property
    def header_buttons(self):
        return _action_buttons(self.object, self.request.user)


READ_ONLY = [
    "serial",
    "holder_name_ar",
    "holder_name_en",
    "title_ar",
    "title_en",
    "issued_at",
    "valid_until",
    "revocation_reason",
    "correction_note",
]


class IssuedDocumentViewSet(ScopedModelViewSet):
    name = "issued_documents"
    model = IssuedDocument
    icon = "doc-full"
    menu_label = _("Register")
    add_to_admin_menu = False
    filterset_class = DocumentFilterSet
    search_fields = ["search_text"]
    add_view_class = DocumentCreateView
    delete_view_class = DocumentDeleteView
    inspect_view_class = DocumentInspectView
    edit_view_class = DocumentEditView
    panels = [FieldPanel(name, read_only=True) for name in READ_ONLY]
    list_display = [
        "serial",
        "holder_name_ar",
        Column("kind_label", label=_("Kind")),
        "title_ar",
        Column("issuer", label=_("Issuer")),
        DateColumn("issued_at", label=_("Issued at"), sort_key="issued_at"),
        Column("get_status_display", label=_("Status")),
    ]
    list_export = [
        "serial",
        "code_display",
        "kind_label",
        "holder_name_ar",
        "holder_name_en",
        "title_ar",
        "title_en",
        "issuer",
        "issued_at",
        "issued_by",
        "valid_until",
        "get_status_display",
        "revoked_at",
        "revocation_reason",
        "sha256",
    ]
    export_headings = {
        "code_display": _("Verification code"),
        "kind_label": _("Kind"),
        "issuer": _("Issuer"),
        "get_status_display": _("Status"),
    }
    export_filename = "issued-documents"
    inspect_view_fields = [
        "serial",
        "code_display",
        "kind",
        "holder_name_ar",
        "holder_name_en",
        "title_ar",
        "title_en",
        "issuer_institute",
        "issuer_hospital",
        "language",
        "digits",
        "issued_at",
        "issued_by",
        "valid_until",
        "status",
        "revoked_at",
        "revoked_by",
        "revocation_reason",
        "superseded_by",
        "correction_note",
        "page_count",
        "sha256",
    ]
    ordering = ["-issued_at"]

    def get_queryset(self, request):
        return IssuedDocument.objects.select_related(
            "issuer_institute", "issuer_hospital", "issued_by"
        )


class CertificatesGroup(ViewSetGroup):
    menu_label = _("Certificates")
    menu_icon = "doc-full"
    menu_order = 400
    items = (IssuedDocumentViewSet,)
