"""The contact centre: requests from the public and from staff, the offices that answer
them, the topics that route them, and every step of their handling.

Requests arrive from the public site (`cms` calls `contact.services`), from agents
taking calls and walk-ins, and from signed-in staff. Each is routed to an `Office` with
a deadline; office staff see only their office's requests (`institutes.access`, the
"office" dimension). The tables keep their original `cms_` names: the models moved
here from `cms` without moving their data (docs/contact-centre.md).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wagtail.admin.panels import FieldPanel, FieldRowPanel

from institutes.access import AccessRule, Paths
from institutes.bilingual import BilingualNameMixin
from institutes.models import Hospital, Institute


class ContactKind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    REPORT = "report", _("Report")
    INQUIRY = "inquiry", _("Inquiry")
    SUGGESTION = "suggestion", _("Suggestion")


class ContactStatus(models.TextChoices):
    NEW = "new", _("Received")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", pgettext_lazy("request status", "In progress")
    NEEDS_INFO = "needs_info", _("Needs information from the requester")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")


OPEN_STATUSES = (
    ContactStatus.NEW,
    ContactStatus.ASSIGNED,
    ContactStatus.IN_PROGRESS,
    ContactStatus.NEEDS_INFO,
    ContactStatus.REOPENED,
)
DONE_STATUSES = (ContactStatus.ANSWERED, ContactStatus.CLOSED)


class ContactChannel(models.TextChoices):
    WEB = "web", _("Web form")
    PHONE = "phone", _("Phone call")
    WALK_IN = "walk_in", _("Walk-in")
    EMAIL = "email", pgettext_lazy("channel", "E-mail")
    STAFF = "staff", _("Staff channel")


class Resolution(models.TextChoices):
    YES = "yes", _("Yes, it was resolved")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")


class OfficeKind(models.TextChoices):
    AUTHORITY = "authority", _("Health authority")
    HOSPITAL = "hospital", _("Hospital")
    INSTITUTE = "institute", _("Institute")
    DEPARTMENT = "department", _("Department")


class Office(BilingualNameMixin, models.Model):
    """A team that answers requests: the authority, a hospital, an institute, or a
    department inside one of them. Edited by authority staff under Contact centre →
    Offices; a department carries the hospital or institute it belongs to so that the
    place's own staff see its requests too.
    """

    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=OfficeKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="departments",
    )
    institute = models.ForeignKey(
        Institute,
        verbose_name=_("institute"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contact_offices",
    )
    hospital = models.ForeignKey(
        Hospital,
        verbose_name=_("hospital"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contact_offices",
    )
    email = models.EmailField(
        _("office e-mail"),
        blank=True,
        help_text=_("New assignments, escalations and the daily digest go here."),
    )
    handles_confidential = models.BooleanField(
        _("handles confidential staff matters"),
        default=False,
        help_text=_(
            "Only designated authority staff of such an office see confidential "
            "requests raised by employees."
        ),
    )
    active = models.BooleanField(_("active"), default=True)

    access_rule = AccessRule(
        view=Paths(
            institute=("institute",),
            hospital=("hospital",),
            other={"office": ("pk",)},
        ),
        change=Paths(),
    )
    panels = [
        FieldRowPanel([FieldPanel("name_ar"), FieldPanel("name_en")]),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("parent")]),
        FieldRowPanel([FieldPanel("institute"), FieldPanel("hospital")]),
        FieldPanel("email"),
        FieldRowPanel([FieldPanel("handles_confidential"), FieldPanel("active")]),
    ]

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["kind", "name_ar"]
        constraints = [
            models.CheckConstraint(
                name="office_one_place",
                condition=Q(institute__isnull=True) | Q(hospital__isnull=True),
            ),
            models.CheckConstraint(
                name="office_kind_matches_place",
                condition=(
                    Q(kind="authority", institute__isnull=True, hospital__isnull=True)
                    | Q(kind="hospital", hospital__isnull=False)
                    | Q(kind="institute", institute__isnull=False)
                    | Q(kind="department", parent__isnull=False)
                ),
            ),
            models.CheckConstraint(
                name="office_confidential_only_authority",
                condition=Q(handles_confidential=False)
                | Q(institute__isnull=True, hospital__isnull=True),
            ),
            models.UniqueConstraint(
                fields=["hospital"],
                condition=Q(kind="hospital"),
                name="office_one_per_hospital",
            ),
            models.UniqueConstraint(
                fields=["institute"],
                condition=Q(kind="institute"),
                name="office_one_per_institute",
            ),
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(kind="authority"),
                name="office_one_authority",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        errors = {}
        if self.institute_id and self.hospital_id:
            errors["hospital"] = _("An office belongs to an institute or a hospital.")
        if self.kind == OfficeKind.AUTHORITY and (
            self.institute_id or self.hospital_id
        ):
            errors["kind"] = _("The authority's office belongs to no hospital.")
        if self.kind == OfficeKind.HOSPITAL and not self.hospital_id:
            errors["hospital"] = _("Choose the hospital.")
        if self.kind == OfficeKind.INSTITUTE and not self.institute_id:
            errors["institute"] = _("Choose the institute.")
        if self.kind == OfficeKind.DEPARTMENT and not self.parent_id:
            errors["parent"] = _("Choose the office this department is part of.")
        if self.handles_confidential and (self.institute_id or self.hospital_id):
            errors["handles_confidential"] = _(
                "Only an office of the authority handles confidential staff matters."
            )
        if errors:
            raise ValidationError(errors)


class OfficeMember(models.Model):
    """A user who works in an office; the head receives its escalations."""

    office = models.ForeignKey(
        Office,
        verbose_name=_("office"),
        on_delete=models.CASCADE,
        related_name="members",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="contact_offices",
    )
    is_head = models.BooleanField(_("head of the office"), default=False)

    access_rule = AccessRule(
        view=Paths(
            institute=("office__institute",),
            hospital=("office__hospital",),
            other={"office": ("office",)},
        ),
        change=Paths(),
    )

    class Meta:
        verbose_name = _("office member")
        verbose_name_plural = _("office members")
        constraints = [
            models.UniqueConstraint(
                fields=["office", "user"], name="office_member_once"
            ),
        ]

    def __str__(self) -> str:
        from institutes.services import user_display_name

        return f"{user_display_name(self.user)} — {self.office}"


class Topic(models.Model):
    """What a request is about (appointments, staff conduct, medicines ...): routes it
    to a default office and sets its target time. Managed by authority staff; read by
    every back-office user."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    default_office = models.ForeignKey(
        Office,
        verbose_name=_("default office"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="topics",
        help_text=_(
            "Requests on this topic that name no hospital or institute go here; "
            "otherwise the named place's office answers."
        ),
    )
    target_days = models.PositiveSmallIntegerField(
        _("target time to answer (working days)"), default=7
    )
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    access_rule = AccessRule.reference_data()
    panels = [
        FieldRowPanel([FieldPanel("name_ar"), FieldPanel("name_en")]),
        FieldRowPanel([FieldPanel("code"), FieldPanel("order")]),
        FieldRowPanel([FieldPanel("default_office"), FieldPanel("target_days")]),
        FieldPanel("active"),
    ]

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["order", "name_ar"]
        constraints = [
            models.CheckConstraint(
                name="topic_target_positive", condition=Q(target_days__gte=1)
            ),
        ]

    def __str__(self) -> str:
        from institutes.bilingual import localized

        return localized(self, "name")

    @property
    def name(self) -> str:
        return str(self)


def _confidential_restriction(user) -> Q | None:
    """Confidential staff matters: only members of an office that handles them."""
    from .selectors import confidential_office_ids_of

    offices = confidential_office_ids_of(user)
    if offices:
        return Q(confidential=False) | Q(office__in=offices)
    return Q(confidential=False)


class ContactRequest(models.Model):
    """A complaint, report, inquiry or suggestion, from the public or from staff.

    Routed to an `Office` (the place it concerns, else its topic's office, else the
    authority) with a deadline; that office's staff handle it. Every step is a
    `ContactRequestEvent`; internal notes are never shown to the requester.
    """

    reference = models.CharField(
        _("reference number"), max_length=16, unique=True, editable=False
    )
    kind = models.CharField(_("type"), max_length=12, choices=ContactKind.choices)
    channel = models.CharField(
        _("channel"),
        max_length=8,
        choices=ContactChannel.choices,
        default=ContactChannel.WEB,
    )
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("topic"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
    )
    subject = models.CharField(_("subject"), max_length=200)
    message = models.TextField(_("message"), max_length=5000)
    institute = models.ForeignKey(
        Institute,
        verbose_name=_("institute concerned"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contact_requests",
    )
    hospital = models.ForeignKey(
        Hospital,
        verbose_name=_("hospital concerned"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contact_requests",
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    phone_digits = models.CharField(
        _("phone digits"), max_length=30, blank=True, db_index=True, editable=False
    )
    email = models.EmailField(_("e-mail"), blank=True)
    notify_email = models.BooleanField(_("tell by e-mail"), default=True)
    notify_sms = models.BooleanField(_("tell by SMS"), default=True)
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="ar"
    )
    consent_at = models.DateTimeField(_("consent given at"))
    confidential = models.BooleanField(_("confidential"), default=False)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by (employee)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact_requests_raised",
    )
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("logged by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact_requests_logged",
    )
    office = models.ForeignKey(
        Office,
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ContactStatus.choices,
        default=ContactStatus.NEW,
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact_requests",
    )
    answer = models.TextField(
        _("answer to the requester"),
        blank=True,
        help_text=_("Shown on the “follow my request” page and sent to the requester."),
    )
    hours_to_answer = models.PositiveIntegerField(
        _("hours to answer"), null=True, blank=True, editable=False
    )
    due_at = models.DateTimeField(_("answer due by"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(
        _("escalation level"), default=0
    )
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    resolution = models.CharField(
        _("resolved, in the requester's words"),
        max_length=6,
        choices=Resolution.choices,
        blank=True,
    )
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
    )
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    access_rule = AccessRule(
        view=Paths(
            institute=("office__institute",),
            hospital=("office__hospital",),
            other={"office": ("office",)},
        ),
        change=Paths(
            institute=("office__institute",),
            hospital=("office__hospital",),
            other={"office": ("office",)},
        ),
        add=Paths(),
        delete=Paths(),
        restrict=_confidential_restriction,
    )

    class Meta:
        db_table = "cms_contactrequest"
        verbose_name = _("contact request")
        verbose_name_plural = _("contact requests")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                name="contact_request_concerns_one_place",
                condition=Q(institute__isnull=True) | Q(hospital__isnull=True),
            ),
            models.CheckConstraint(
                name="contact_request_reachable",
                condition=~Q(phone="")
                | ~Q(email="")
                | Q(raised_by__isnull=False)
                | Q(anonymised_at__isnull=False),
            ),
            models.CheckConstraint(
                name="contact_request_answered_has_answer",
                condition=~Q(status__in=["answered"]) | ~Q(answer=""),
            ),
            models.CheckConstraint(
                name="contact_request_handled_has_office",
                condition=Q(status="new") | Q(office__isnull=False),
            ),
            models.CheckConstraint(
                name="contact_request_confidential_staff_only",
                condition=Q(confidential=False) | Q(channel="staff"),
            ),
            models.CheckConstraint(
                name="contact_request_escalation_level",
                condition=Q(escalation_level__lte=2),
            ),
            models.CheckConstraint(
                name="contact_request_rated_when_answered",
                condition=Q(resolution="") | Q(answered_at__isnull=False),
            ),
        ]
        indexes = [
            models.Index(
                fields=["status", "kind"], name="cms_contact_status_9caba4_idx"
            ),
            models.Index(
                fields=["office", "status", "due_at"], name="contact_office_due"
            ),
            models.Index(fields=["created_at"], name="contact_created"),
            # The dashboard's live "overdue" count reads this index only (open
            # statuses, deadline passed, received in the period, grouped by topic,
            # type and office; confidentiality for the scope).
            models.Index(
                fields=[
                    "status",
                    "due_at",
                    "created_at",
                    "office",
                    "topic",
                    "kind",
                    "confidential",
                ],
                name="contact_overdue_cover",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.subject}"

    @property
    def concerns(self):
        return self.institute or self.hospital

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return bool(
            self.is_open and self.due_at is not None and self.due_at < timezone.now()
        )

    def clean(self):
        errors = {}
        if self.institute_id and self.hospital_id:
            errors["hospital"] = _(
                "Choose an institute or a hospital, not both: the request goes to one "
                "team."
            )
        if self.status == ContactStatus.ANSWERED and not self.answer.strip():
            errors["answer"] = _("Write the answer before marking it answered.")
        if self.confidential and self.channel != ContactChannel.STAFF:
            errors["confidential"] = _(
                "Only an employee's own matter, raised through the staff channel, can "
                "be confidential."
            )
        if errors:
            raise ValidationError(errors)


class EventKind(models.TextChoices):
    STATUS = "status", _("Status changed")
    ROUTED = "routed", _("Routed to another office")
    ASSIGNED = "assigned", _("Assigned")
    NOTE = "note", _("Note")
    ANSWER = "answer", _("Answered")
    ESCALATED = "escalated", _("Escalated")
    RATED = "rated", _("Rated by the requester")
    REOPENED = "reopened", _("Reopened by the requester")
    MERGED = "merged", _("Merged as a duplicate")


class ContactRequestEvent(models.Model):
    """One step in the life of a contact request: who did what, when, and why.

    `internal` events (routing reasons, internal notes, escalations) are never shown
    to the requester.
    """

    request = models.ForeignKey(
        ContactRequest,
        verbose_name=_("request"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=EventKind.choices, default=EventKind.STATUS
    )
    status = models.CharField(_("status"), max_length=12, choices=ContactStatus.choices)
    office = models.ForeignKey(
        Office,
        verbose_name=_("office"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answer = models.TextField(_("answer"), blank=True)
    note = models.TextField(_("note"), blank=True)
    internal = models.BooleanField(_("internal"), default=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    access_rule = AccessRule(
        view=Paths(
            institute=("request__office__institute",),
            hospital=("request__office__hospital",),
            other={"office": ("request__office",)},
        ),
        change=Paths(),
    )

    class Meta:
        db_table = "cms_contactrequestevent"
        verbose_name = _("contact request event")
        verbose_name_plural = _("contact request events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.request.reference} {self.get_kind_display()} {self.at:%Y-%m-%d}"


# --- Figures roll-up ------------------------------------------------------------------

_FIGURE_RULE_PATHS = Paths(
    institute=("office__institute",),
    hospital=("office__hospital",),
    other={"office": ("office",)},
)


# Both roll-up tables: read within the office paths (confidential matters only by their
# designated staff), written by the services alone.
_FIGURE_RULE = AccessRule(
    view=_FIGURE_RULE_PATHS,
    change=Paths(),
    add=Paths(),
    delete=Paths(),
    restrict=_confidential_restriction,
)


class ContactMonthFigure(models.Model):
    """Requests received in a month, per office, topic, type and confidentiality:
    how many, how many answered, rated, satisfied. Kept by `contact.figures` in the
    same transaction as each change made by the services, rebuilt by
    `manage.py rebuild_contact_figures`; the dashboard reads it (never edited by
    hand). Scoped like the requests it counts."""

    month = models.DateField(_("month"))
    office = models.ForeignKey(
        Office,
        verbose_name=_("office"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("topic"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("type"), max_length=12, choices=ContactKind.choices)
    confidential = models.BooleanField(_("confidential"), default=False)
    received = models.IntegerField(_("received"), default=0)
    answered = models.IntegerField(_("answered"), default=0)
    rated = models.IntegerField(_("rated"), default=0)
    satisfied = models.IntegerField(_("satisfied"), default=0)

    access_rule = _FIGURE_RULE

    class Meta:
        verbose_name = _("monthly contact figure")
        verbose_name_plural = _("monthly contact figures")
        constraints = [
            models.UniqueConstraint(
                models.F("month"),
                Coalesce("office", models.Value(0)),
                Coalesce("topic", models.Value(0)),
                models.F("kind"),
                models.F("confidential"),
                name="contact_month_figure_cell",
            ),
        ]
        indexes = [models.Index(fields=["month", "office"], name="contact_fig_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.office_id} {self.topic_id} {self.kind}"


class ContactMonthHours(models.Model):
    """Hours to answer as histograms ({hours: requests}) per month, office and
    confidentiality: of the requests *received* that month, and of those *answered*
    that month. The exact median time to answer comes from them. Kept and rebuilt
    with `ContactMonthFigure`."""

    month = models.DateField(_("month"))
    office = models.ForeignKey(
        Office,
        verbose_name=_("office"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    confidential = models.BooleanField(_("confidential"), default=False)
    received_hours = models.JSONField(_("hours, by month received"), default=dict)
    answered_hours = models.JSONField(_("hours, by month answered"), default=dict)

    access_rule = _FIGURE_RULE

    class Meta:
        verbose_name = _("monthly hours to answer")
        verbose_name_plural = _("monthly hours to answer")
        constraints = [
            models.UniqueConstraint(
                models.F("month"),
                Coalesce("office", models.Value(0)),
                models.F("confidential"),
                name="contact_month_hours_cell",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.office_id}"


class PublicHoliday(models.Model):
    """A day the offices do not work: deadlines skip it (`contact.working_time`).
    Kept by authority staff under Contact centre → Public holidays; read by all."""

    date = models.DateField(_("date"), unique=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)

    access_rule = AccessRule.reference_data()
    panels = [
        FieldPanel("date"),
        FieldRowPanel([FieldPanel("name_ar"), FieldPanel("name_en")]),
    ]

    class Meta:
        verbose_name = _("public holiday")
        verbose_name_plural = _("public holidays")
        ordering = ["-date"]

    def __str__(self) -> str:
        from institutes.bilingual import localized

        return f"{self.date:%Y-%m-%d} {localized(self, 'name')}"
