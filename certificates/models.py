"""The register of issued documents, serial counters and bulk printing runs.

Documents are issued through `certificates.services` only; the register is read in
Certificates → Register (scoped by the issuing institute or hospital) and verified by
the public at /ar/verify/<code>/.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from institutes.access import AccessRule, Paths
from institutes.bilingual import localized
from institutes.models import Hospital, Institute, Person, SearchTextMixin

from .codes import format_code
from .registry import kind_label
from .storage import document_storage


class DocumentLanguage(models.TextChoices):
    BILINGUAL = "ar-en", _("Arabic with English")
    ARABIC = "ar", _("Arabic only")
    ENGLISH = "en", _("English only")


class Digits(models.TextChoices):
    ARABIC_INDIC = "arab", _("Arabic-Indic digits (٠١٢٣)")
    WESTERN = "latn", _("Western digits (0123)")


class DocumentStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")
    SUPERSEDED = "superseded", _("Superseded")


def _document_path(instance, filename):
    return f"documents/{instance.year}/{instance.code}.pdf"


class IssuedDocument(SearchTextMixin):
    """One issued document: who holds it, what it certifies, how to verify it.

    A row is never deleted: it is revoked (with who, when and why) or superseded by a
    corrected re-issue. At most one current (neither revoked nor replaced) document
    exists per kind and achievement; the PDF bytes are stored and their SHA-256 kept.
    """

    kind = models.CharField(_("kind"), max_length=60, db_index=True)
    holder = models.ForeignKey(
        Person,
        verbose_name=_("holder"),
        on_delete=models.PROTECT,
        related_name="issued_documents",
    )
    achievement_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+"
    )
    achievement_id = models.PositiveBigIntegerField()
    achievement = GenericForeignKey("achievement_type", "achievement_id")
    issuer_institute = models.ForeignKey(
        Institute,
        verbose_name=_("issuing institute"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issued_documents",
    )
    issuer_hospital = models.ForeignKey(
        Hospital,
        verbose_name=_("issuing hospital"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issued_documents",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    serial_number = models.PositiveIntegerField(_("serial number"))
    serial = models.CharField(_("serial"), max_length=60)
    code = models.CharField(_("verification code"), max_length=20, unique=True)
    code_digest = models.CharField(max_length=64, unique=True, editable=False)
    language = models.CharField(
        _("language"),
        max_length=5,
        choices=DocumentLanguage.choices,
        default=DocumentLanguage.BILINGUAL,
    )
    digits = models.CharField(
        _("digits"), max_length=4, choices=Digits.choices, default=Digits.ARABIC_INDIC
    )
    # What was printed, kept as printed: a later name correction doesn't rewrite it.
    holder_name_ar = models.CharField(_("holder name (Arabic)"), max_length=200)
    holder_name_en = models.CharField(
        _("holder name (Latin)"), max_length=200, blank=True
    )
    title_ar = models.CharField(_("title (Arabic)"), max_length=255)
    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    pdf = models.FileField(
        _("PDF"), storage=document_storage, upload_to=_document_path, max_length=200
    )
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64)
    page_count = models.PositiveSmallIntegerField(_("pages"), default=1)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)
    replaced_at = models.DateTimeField(_("replaced at"), null=True, blank=True)
    superseded_by = models.OneToOneField(
        "self",
        verbose_name=_("superseded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supersedes",
    )
    correction_note = models.CharField(
        _("reason for re-issue"), max_length=255, blank=True
    )

    search_source_fields = ("holder_name_ar", "holder_name_en", "serial", "code")
    access_rule = AccessRule(
        view=Paths(institute=("issuer_institute",), hospital=("issuer_hospital",)),
        change=Paths(institute=("issuer_institute",), hospital=("issuer_hospital",)),
        add=Paths(),
        delete=Paths(),
    )

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        ordering = ["-issued_at", "-pk"]
        indexes = [
            models.Index(
                fields=["achievement_type", "achievement_id"],
                name="issueddoc_achievement",
            ),
            models.Index(fields=["issued_at"], name="issueddoc_issued_at"),
        ]
        constraints = [
            models.CheckConstraint(
                name="issueddoc_one_issuer",
                violation_error_message=_(
                    "A document is issued by one institute or one hospital."
                ),
                condition=(
                    Q(issuer_institute__isnull=False, issuer_hospital__isnull=True)
                    | Q(issuer_institute__isnull=True, issuer_hospital__isnull=False)
                ),
            ),
            models.UniqueConstraint(
                fields=["issuer_institute", "year", "serial_number"],
                condition=Q(issuer_institute__isnull=False),
                name="issueddoc_serial_per_institute_year",
                violation_error_message=_(
                    "This serial number is already used this year."
                ),
            ),
            models.UniqueConstraint(
                fields=["issuer_hospital", "year", "serial_number"],
                condition=Q(issuer_hospital__isnull=False),
                name="issueddoc_serial_per_hospital_year",
                violation_error_message=_(
                    "This serial number is already used this year."
                ),
            ),
            models.UniqueConstraint(
                fields=["kind", "achievement_type", "achievement_id"],
                condition=Q(revoked_at__isnull=True, replaced_at__isnull=True),
                name="issueddoc_one_current_per_achievement",
                violation_error_message=_(
                    "This document is already issued; re-issue or revoke the current one."
                ),
            ),
            models.CheckConstraint(
                name="issueddoc_revocation_has_reason",
                violation_error_message=_("Say why the document is revoked."),
                condition=Q(revoked_at__isnull=True) | ~Q(revocation_reason=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.serial} — {self.holder_name_ar}"

    @property
    def issuer(self):
        return self.issuer_institute or self.issuer_hospital

    @property
    def holder_name(self) -> str:
        """The holder's name in the reader's language (the other one if empty)."""
        return localized(self, "holder_name")

    @property
    def title(self) -> str:
        """The document's title in the reader's language (the other one if empty)."""
        return localized(self, "title")

    @property
    @admin.display(description=_("verification code"))
    def code_display(self) -> str:
        return format_code(self.code)

    @property
    @admin.display(description=_("kind"))
    def kind_label(self):
        return kind_label(self.kind)

    def status_on(self, today) -> str:
        if self.revoked_at is not None:
            return DocumentStatus.REVOKED
        if self.replaced_at is not None:
            return DocumentStatus.SUPERSEDED
        if self.valid_until is not None and self.valid_until < today:
            return DocumentStatus.EXPIRED
        return DocumentStatus.VALID

    @property
    @admin.display(description=_("status"))
    def status(self) -> str:
        return self.status_on(timezone.localdate())

    def get_status_display(self):
        return DocumentStatus(self.status).label


class SerialCounter(models.Model):
    """The last serial number given by one issuer in one year (row-locked when used)."""

    issuer_key = models.CharField(max_length=40)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["issuer_key", "year"],
                name="serialcounter_unique",
                violation_error_message=_("This serial counter already exists."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.issuer_key} {self.year}: {self.last_number}"


class BulkJobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Failed")


def _bulk_path(instance, filename):
    return f"bulk/{instance.pk}/{filename}"


class BulkJob(models.Model):
    """One background printing run started by one person, with its progress and files.

    Only the person who started it (and authority staff) see it; the outputs are the
    combined PDF for printing and a ZIP of the individual PDFs.
    """

    kind = models.CharField(_("kind"), max_length=60, blank=True)
    selection = models.CharField(_("selection"), max_length=60)
    params = models.JSONField(_("parameters"), default=dict)
    language = models.CharField(
        _("language"), max_length=5, choices=DocumentLanguage.choices
    )
    digits = models.CharField(_("digits"), max_length=4, choices=Digits.choices)
    description = models.CharField(_("description"), max_length=255, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.CASCADE,
        related_name="certificate_bulk_jobs",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=BulkJobStatus.choices,
        default=BulkJobStatus.QUEUED,
    )
    total = models.PositiveIntegerField(_("documents"), default=0)
    done = models.PositiveIntegerField(_("processed"), default=0)
    issued_count = models.PositiveIntegerField(_("newly issued"), default=0)
    skipped_count = models.PositiveIntegerField(_("already issued"), default=0)
    failures = models.JSONField(_("failures"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    combined_pdf = models.FileField(
        storage=document_storage, upload_to=_bulk_path, blank=True, max_length=200
    )
    zip_file = models.FileField(
        storage=document_storage, upload_to=_bulk_path, blank=True, max_length=200
    )
    task_id = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = _("bulk printing run")
        verbose_name_plural = _("bulk printing runs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.description or f"{self.kind} {self.selection}"

    @property
    def percent(self) -> int:
        if not self.total:
            return 100 if self.status == BulkJobStatus.DONE else 0
        return min(100, round(100 * self.done / self.total))
