"""Every message the product sends (e-mail or SMS), as sent, with its delivery record.

A `Notification` is written when a message is queued, rendered from its template in the
recipient's language, and updated by the background task that delivers it. Staff read
the log in Settings → Messages sent, and on the record the message was about.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from institutes.access import AccessRule, Paths
from institutes.models import Hospital, Institute


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Notification(models.Model):
    """One message to one address by one channel: what was said, to whom, and when.

    Scoped by the institute or hospital the message concerns; messages about nothing
    scoped (e.g. the authority's own office) are seen by authority staff only.
    """

    template = models.CharField(_("template"), max_length=80)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    channel = models.CharField(_("channel"), max_length=5, choices=Channel.choices)
    recipient_name = models.CharField(_("recipient"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=254)
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
    )
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    status = models.CharField(
        _("status"),
        max_length=6,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.QUEUED,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    about_type = models.ForeignKey(
        ContentType,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    about_id = models.PositiveBigIntegerField(null=True, blank=True)
    about_label = models.CharField(_("about"), max_length=100, blank=True)
    institute = models.ForeignKey(
        Institute,
        verbose_name=_("institute"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    hospital = models.ForeignKey(
        Hospital,
        verbose_name=_("hospital"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    # Read-only log: nobody changes a message once written.
    access_rule = AccessRule(
        view=Paths(institute=("institute",), hospital=("hospital",)), change=Paths()
    )

    class Meta:
        verbose_name = _("message sent")
        verbose_name_plural = _("messages sent")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="notification_sent_has_time",
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
            ),
            models.CheckConstraint(
                name="notification_has_address", condition=~Q(address="")
            ),
        ]
        indexes = [
            models.Index(fields=["about_type", "about_id"], name="notif_about"),
            models.Index(fields=["status", "next_attempt_at"], name="notif_due"),
        ]

    def __str__(self) -> str:
        return f"{self.template} → {self.address} ({self.get_status_display()})"
