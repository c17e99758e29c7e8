"""The self-service portal's own records: accounts, one-time codes, activity.

Students and staff sign in at `/ar/my/` with an identity document number and a code
sent to them; nothing here is edited in the back office. See docs/portal.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from institutes.access import AccessRule


class PortalAccount(models.Model):
    """A person's portal account: the secret of their calendar feed, their optional
    portal password and the user row that signs what they enter (clinical hours,
    bookings).

    That user never signs in: it has no password, is inactive and holds no role, so
    the back office's records keep a real "entered by" while the portal grants no
    admin access. The portal password is kept here, never on the user, so it opens
    the portal only. Made on the person's first sign-in by `portal.services`.
    """

    person = models.OneToOneField(
        "institutes.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        # No reverse accessor: the person-identity rule walks every model pointing
        # to a person as a "record of a scope"; portal rows are the person's own.
        related_name="+",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signature"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    feed_token = models.CharField(_("calendar token"), max_length=64, unique=True)
    # Django's password hash (`make_password`); empty: the person signs in by code only.
    password = models.CharField(_("password"), max_length=128, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    access_rule = AccessRule()

    class Meta:
        verbose_name = _("portal account")
        verbose_name_plural = _("portal accounts")

    def __str__(self) -> str:
        return str(self.person_id)


class SignInCode(models.Model):
    """A one-time sign-in code sent to a person: stored as a keyed hash, valid for
    `PORTAL_CODE_MINUTES`, locked after `PORTAL_CODE_MAX_ATTEMPTS` wrong tries."""

    person = models.ForeignKey(
        "institutes.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    digest = models.CharField(max_length=64)
    salt = models.CharField(max_length=32)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    attempts = models.PositiveSmallIntegerField(_("wrong tries"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    access_rule = AccessRule()

    class Meta:
        verbose_name = _("sign-in code")
        verbose_name_plural = _("sign-in codes")
        indexes = [models.Index(fields=["person", "created_at"])]

    def __str__(self) -> str:
        return f"{self.person_id} {self.created_at:%Y-%m-%d %H:%M}"


class EventKind(models.TextChoices):
    CODE_REQUESTED = "code_requested", _("Sign-in code requested")
    SIGNED_IN = "signed_in", _("Signed in")
    SIGNED_IN_WITH_PASSWORD = "signed_in_password", _("Signed in with a password")
    WRONG_PASSWORD = "wrong_password", _("Wrong password")
    PASSWORD_LOCKED = (
        "password_locked",
        _("Password sign-in paused after wrong passwords"),
    )
    PASSWORD_SET = "password_set", _("Password set")
    PASSWORD_REMOVED = "password_removed", _("Password removed")
    WRONG_CODE = "wrong_code", _("Wrong sign-in code")
    CODE_EXPIRED = "code_expired", _("Expired sign-in code")
    LOCKED = "locked", _("Sign-in locked after wrong codes")
    RATE_LIMITED = "rate_limited", _("Too many sign-in requests")
    SIGNED_OUT = "signed_out", _("Signed out")
    DOCUMENT_DOWNLOADED = "document_downloaded", _("Document downloaded")
    FEED_RESET = "feed_reset", _("Calendar link reset")
    HOURS_ENTERED = "hours_entered", _("Clinical hours entered")
    SESSION_BOOKED = (
        "session_booked",
        pgettext_lazy("training session", "Session booked"),
    )
    BOOKING_CANCELLED = "booking_cancelled", _("Booking cancelled")
    CORRECTION_REQUESTED = "correction_requested", _("Correction requested")


#: What the person is shown under "Recent activity".
SHOWN_TO_PERSON = (
    EventKind.SIGNED_IN,
    EventKind.SIGNED_IN_WITH_PASSWORD,
    EventKind.WRONG_CODE,
    EventKind.WRONG_PASSWORD,
    EventKind.PASSWORD_LOCKED,
    EventKind.PASSWORD_SET,
    EventKind.PASSWORD_REMOVED,
    EventKind.LOCKED,
    EventKind.DOCUMENT_DOWNLOADED,
    EventKind.FEED_RESET,
    EventKind.HOURS_ENTERED,
    EventKind.SESSION_BOOKED,
    EventKind.BOOKING_CANCELLED,
    EventKind.CORRECTION_REQUESTED,
)


class PortalEvent(models.Model):
    """One thing that happened at the portal door or inside it: every sign-in
    attempt (also for numbers that match nobody: `person` is then empty and only the
    number's last digits are kept), every download, booking and entry."""

    person = models.ForeignKey(
        "institutes.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("event"), max_length=30, choices=EventKind.choices)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    client = models.CharField(_("address"), max_length=64, blank=True)
    detail = models.CharField(_("detail"), max_length=200, blank=True)

    access_rule = AccessRule()

    class Meta:
        verbose_name = _("portal event")
        verbose_name_plural = _("portal events")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["person", "-at"], name="portal_event_person_at"),
        ]
        constraints = [
            models.CheckConstraint(
                name="portal_event_anonymous_only_at_door",
                condition=Q(person__isnull=False)
                | Q(
                    kind__in=[
                        "code_requested",
                        "wrong_code",
                        "wrong_password",
                        "password_locked",
                        "code_expired",
                        "locked",
                        "rate_limited",
                    ]
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"
