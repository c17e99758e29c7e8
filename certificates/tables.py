"""django-tables2 tables of the certificates back office."""

from __future__ import annotations

import django_tables2 as tables

from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from institutes.tables import OperationalTable

from .models import BulkJob


class BulkRunsTable(OperationalTable):
    """A user's recent bulk runs, linked to their progress and downloads."""

    run = tables.Column(accessor="pk", verbose_name=_("Run"), orderable=False)
    created_at = tables.DateTimeColumn(
        verbose_name=_("Started"), format="j F Y H:i", orderable=False
    )
    status = tables.Column(verbose_name=_("Status"), orderable=False)
    issued_count = tables.Column(verbose_name=_("Issued"), orderable=False)
    skipped_count = tables.Column(verbose_name=_("Already issued"), orderable=False)
    failures = tables.Column(
        verbose_name=_("Failures"), orderable=False, empty_values=()
    )

    class Meta(OperationalTable.Meta):
        model = BulkJob
        fields = ()
        sequence = (
            "run",
            "created_at",
            "status",
            "issued_count",
            "skipped_count",
            "failures",
        )
        empty_text = _("No runs yet.")

    def render_run(self, record):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("certificates_admin:bulk_job", args=[record.pk]),
            record,
        )

    def render_status(self, record):
        return record.get_status_display()

    def render_failures(self, record):
        return len(record.failures or [])
