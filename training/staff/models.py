"""Mandatory staff training: staff, topics that expire, sessions, attendance, compliance.

A staff member points to the one `Person` record of a human (so a graduate who becomes
staff keeps one history). Each topic applies to job categories (and optionally ward
specialties); passing a session makes the person compliant until the validity ends.
Compliance is kept in `StaffTopicStatus`, one row per staff member and required topic,
updated in the same transaction as the attendance that changes it, so reports are a
single aggregate query (see `training.staff.selectors`).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from institutes.access import AccessRule, Paths
from institutes.bilingual import localized
from institutes.models import SearchTextMixin, Specialty
from institutes.person_forms import PERSON_DOCUMENT_PANELS


class JobCategory(models.TextChoices):
    NURSE = "nurse", _("Nurse")
    PHYSICIAN = "physician", _("Physician")
    PHARMACIST = "pharmacist", _("Pharmacist")
    TECHNICIAN = "technician", _("Technician")
    ADMINISTRATIVE = "administrative", _("Administrative")
    SUPPORT = "support", _("Support services")


class EmploymentType(models.TextChoices):
    PERMANENT = "permanent", _("Permanent")
    CONTRACTED = "contracted", _("Contracted")
    VISITING_TRAINER = "visiting_trainer", _("Visiting trainer")


HOSPITAL_SCOPE = AccessRule.same(hospital=("hospital",))


class StaffMember(SearchTextMixin):
    """One employment of a person at a hospital. Edited in Training → Staff.

    The person's national ID and names live on `institutes.Person` (written through
    `person_upsert`); the employee number is unique within the hospital.
    """

    person = models.ForeignKey(
        "institutes.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="staff_memberships",
    )
    hospital = models.ForeignKey(
        "institutes.Hospital",
        verbose_name=_("hospital"),
        on_delete=models.PROTECT,
        related_name="staff",
    )
    ward = models.ForeignKey(
        "institutes.Ward",
        verbose_name=_("department / ward"),
        on_delete=models.PROTECT,
        related_name="staff",
        null=True,
        blank=True,
    )
    employee_number = models.CharField(_("employee number"), max_length=30)
    job_category = models.CharField(
        _("job category"), max_length=20, choices=JobCategory.choices
    )
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    employment_type = models.CharField(
        _("employment type"),
        max_length=20,
        choices=EmploymentType.choices,
        default=EmploymentType.PERMANENT,
    )
    hire_date = models.DateField(_("hire date"))
    manager = models.ForeignKey(
        "self",
        verbose_name=_("manager"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
    )
    email = models.EmailField(_("work e-mail"), blank=True)
    phone = models.CharField(_("work phone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    search_source_fields = ("name_ar", "name_en", "employee_number", "national_id")
    access_rule = HOSPITAL_SCOPE
    # Shown when a delete is refused (attendance and certificates point to them).
    delete_protected_hint = _(
        "A staff member with training history is not deleted: their attendance "
        "and certificates must stay. If they left the hospital, open them and "
        "untick Active; they then leave the lists and the compliance figures."
    )
    panels = [
        MultiFieldPanel(
            [
                *PERSON_DOCUMENT_PANELS,
                FieldRowPanel([FieldPanel("birth_date"), FieldPanel("sex")]),
                FieldRowPanel([FieldPanel("name_ar"), FieldPanel("name_en")]),
            ],
            heading=_("Person"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("hospital"), FieldPanel("ward")]),
                FieldRowPanel([FieldPanel("employee_number"), FieldPanel("hire_date")]),
                FieldRowPanel([FieldPanel("job_category"), FieldPanel("job_title")]),
                FieldPanel("employment_type"),
                FieldPanel("manager"),
                FieldRowPanel([FieldPanel("email"), FieldPanel("phone")]),
                FieldPanel("is_active"),
            ],
            heading=_("Employment"),
        ),
    ]

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        ordering = ["hospital_id", "employee_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["hospital", "employee_number"],
                name="staff_unique_employee_number",
                violation_error_message=_(
                    "This hospital already has a staff member with this employee number."
                ),
            ),
            models.UniqueConstraint(
                fields=["person", "hospital"],
                condition=Q(is_active=True),
                name="staff_one_active_record_per_hospital",
                violation_error_message=_(
                    "This person is already on this hospital's staff."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["hospital", "is_active", "ward"]),
            models.Index(fields=["person"]),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.employee_number})"

    # Names and national ID belong to the person; these read through for search,
    # listings and the scoping tests' markers.
    @property
    def name_ar(self) -> str:
        return self.person.name_ar if self.person_id else ""

    @property
    def name_en(self) -> str:
        return self.person.name_en if self.person_id else ""

    @property
    def national_id(self) -> str:
        """The person's Egyptian national ID, or their first document's number."""
        return self.person.document_number if self.person_id else ""

    @property
    def nationality(self) -> str:
        return self.person.nationality if self.person_id else ""

    @property
    def name(self) -> str:
        return localized(self.person, "name") if self.person_id else ""

    def clean(self):
        errors = {}
        if (
            self.ward_id
            and self.hospital_id
            and self.ward.hospital_id != self.hospital_id
        ):
            errors["ward"] = _("This ward belongs to another hospital.")
        if self.manager_id and self.manager_id == self.pk:
            errors["manager"] = _("A staff member cannot be their own manager.")
        if errors:
            raise ValidationError(errors)


class AssessmentKind(models.TextChoices):
    EXAM = "exam", _("Written exam (pass mark)")
    PRACTICAL = "practical", _("Practical assessment (pass mark)")
    ATTENDANCE = "attendance", _("Attendance only")


class Delivery(models.TextChoices):
    CLASSROOM = "classroom", _("Classroom")
    PRACTICAL = "practical", _("Practical / simulation")
    ELEARNING = "elearning", _("E-learning")


class RenewalRule(models.TextChoices):
    FROM_COMPLETION = "completion", _("From the completion date")
    FROM_PREVIOUS_EXPIRY = (
        "previous_expiry",
        _("From the previous expiry when renewed inside the recertification window"),
    )


class Topic(models.Model):
    """A mandatory training topic and its rules. Edited by authority staff.

    Required of staff whose job category is listed and, when specialties are listed,
    who work in a ward of one of them. `validity_months = 0` never expires.
    """

    code = models.SlugField(_("code"), max_length=20, unique=True)
    title_ar = models.CharField(_("title (Arabic)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_ar = models.TextField(_("description (Arabic)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    job_categories = models.JSONField(
        _("job categories"),
        default=list,
        help_text=_("Staff in these job categories must take this topic."),
    )
    specialties = models.JSONField(
        _("departments"),
        default=list,
        blank=True,
        help_text=_(
            "Optional: only staff working in wards of these specialties. "
            "Leave empty for every department."
        ),
    )
    validity_months = models.PositiveSmallIntegerField(
        _("validity (months)"),
        default=12,
        validators=[MaxValueValidator(240)],
        help_text=_("0 means the training never expires."),
    )
    hours = models.DecimalField(
        _("duration (hours)"),
        max_digits=5,
        decimal_places=1,
        default=2,
        validators=[MinValueValidator(0)],
    )
    assessment = models.CharField(
        _("assessment"),
        max_length=20,
        choices=AssessmentKind.choices,
        default=AssessmentKind.ATTENDANCE,
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_("Required for exams and practical assessments."),
    )
    delivery = models.CharField(
        _("delivery"),
        max_length=20,
        choices=Delivery.choices,
        default=Delivery.CLASSROOM,
    )
    renewal_rule = models.CharField(
        _("new validity counted"),
        max_length=20,
        choices=RenewalRule.choices,
        default=RenewalRule.FROM_COMPLETION,
    )
    renewal_window_days = models.PositiveSmallIntegerField(
        _("recertification window (days)"),
        default=0,
        help_text=_(
            "Renewing at most this many days before expiry extends from the "
            "previous expiry, so early renewal loses nothing."
        ),
    )
    grace_days = models.PositiveSmallIntegerField(
        _("grace period for new staff (days)"),
        default=90,
        help_text=_("Days from hire before a never-taken topic counts as overdue."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    access_rule = AccessRule.reference_data()
    panels = [
        MultiFieldPanel(
            [
                FieldPanel("code"),
                FieldRowPanel([FieldPanel("title_ar"), FieldPanel("title_en")]),
                FieldRowPanel(
                    [FieldPanel("description_ar"), FieldPanel("description_en")]
                ),
            ],
            heading=_("Topic"),
        ),
        MultiFieldPanel(
            [FieldPanel("job_categories"), FieldPanel("specialties")],
            heading=_("Who must take it"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("validity_months"),
                        FieldPanel("hours"),
                        FieldPanel("delivery"),
                    ]
                ),
                FieldRowPanel([FieldPanel("assessment"), FieldPanel("pass_mark")]),
                FieldRowPanel(
                    [FieldPanel("renewal_rule"), FieldPanel("renewal_window_days")]
                ),
                FieldRowPanel([FieldPanel("grace_days"), FieldPanel("is_active")]),
            ],
            heading=_("Rules"),
        ),
    ]

    class Meta:
        verbose_name = _("training topic")
        verbose_name_plural = _("training topics")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                name="topic_pass_mark_matches_assessment",
                violation_error_message=_(
                    "An attendance-only topic has no pass mark; a scored topic needs one."
                ),
                condition=Q(assessment="attendance", pass_mark__isnull=True)
                | (~Q(assessment="attendance") & Q(pass_mark__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def description(self) -> str:
        return localized(self, "description")

    @property
    def never_expires(self) -> bool:
        return self.validity_months == 0

    def job_category_labels(self) -> list[str]:
        labels = dict(JobCategory.choices)
        return [str(labels.get(c, c)) for c in self.job_categories]

    def specialty_labels(self) -> list[str]:
        labels = dict(Specialty.choices)
        return [str(labels.get(s, s)) for s in self.specialties]

    def clean(self):
        errors = {}
        if self.assessment == AssessmentKind.ATTENDANCE:
            self.pass_mark = None
        elif self.pass_mark is None:
            errors["pass_mark"] = _("An assessed topic needs a pass mark.")
        valid = set(JobCategory.values)
        if not self.job_categories or not set(self.job_categories) <= valid:
            errors["job_categories"] = _("Choose at least one job category.")
        if self.specialties and not set(self.specialties) <= set(Specialty.values):
            errors["specialties"] = _("Unknown department specialty.")
        if (
            self.renewal_rule == RenewalRule.FROM_PREVIOUS_EXPIRY
            and not self.renewal_window_days
        ):
            errors["renewal_window_days"] = _(
                "Give the recertification window in days for this renewal rule."
            )
        if errors:
            raise ValidationError(errors)

    def rules_snapshot(self) -> dict:
        """The fields that decide who must take the topic and for how long."""
        return {name: _json_value(getattr(self, name)) for name in TOPIC_RULE_FIELDS}


TOPIC_RULE_FIELDS = (
    "job_categories",
    "specialties",
    "validity_months",
    "assessment",
    "pass_mark",
    "renewal_rule",
    "renewal_window_days",
    "grace_days",
    "is_active",
)


def _json_value(value):
    if isinstance(value, list):
        return sorted(value)
    return value


class RecomputeStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class TopicRuleChange(models.Model):
    """A recorded change to a topic's rules and the recomputation it triggered."""

    topic = models.ForeignKey(
        Topic,
        verbose_name=_("topic"),
        on_delete=models.CASCADE,
        related_name="rule_changes",
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    before = models.JSONField(_("before"), default=dict)
    after = models.JSONField(_("after"), default=dict)
    status = models.CharField(
        _("recomputation"),
        max_length=10,
        choices=RecomputeStatus.choices,
        default=RecomputeStatus.QUEUED,
    )
    rows_total = models.PositiveIntegerField(_("people to recompute"), default=0)
    rows_done = models.PositiveIntegerField(_("people recomputed"), default=0)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    access_rule = AccessRule(view=Paths(), change=Paths())

    class Meta:
        verbose_name = _("topic rule change")
        verbose_name_plural = _("topic rule changes")
        ordering = ["-changed_at"]

    def __str__(self) -> str:
        return (
            f"{self.topic.code} @ {timezone.localtime(self.changed_at):%Y-%m-%d %H:%M}"
        )

    @property
    def progress_percent(self) -> int:
        if not self.rows_total:
            return 100 if self.status == RecomputeStatus.DONE else 0
        return min(100, round(100 * self.rows_done / self.rows_total))


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class TrainingSession(models.Model):
    """One scheduled session of a topic at a hospital, run by one or more trainers."""

    topic = models.ForeignKey(
        Topic,
        verbose_name=_("topic"),
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    hospital = models.ForeignKey(
        "institutes.Hospital",
        verbose_name=_("hospital"),
        on_delete=models.PROTECT,
        related_name="training_sessions",
    )
    venue = models.CharField(_("venue"), max_length=200)
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainers"),
        related_name="training_sessions",
        blank=True,
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(
        _("capacity"), default=25, validators=[MinValueValidator(1)]
    )
    registration_closes_at = models.DateTimeField(
        _("registration closes at"),
        null=True,
        blank=True,
        help_text=_("Leave empty to accept registrations until the session starts."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=SessionStatus.choices,
        default=SessionStatus.SCHEDULED,
    )
    notes = models.TextField(_("notes"), blank=True)
    cancelled_reason = models.CharField(
        _("reason for cancelling"), max_length=255, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    access_rule = HOSPITAL_SCOPE
    # Shown when a delete is refused (registrations and attendance point to it).
    delete_protected_hint = _(
        "A session with registrations or attendance is not deleted: the people's "
        "training history must stay. To call it off, open the session and choose "
        "Cancel session; the people registered are told."
    )
    panels = [
        FieldRowPanel([FieldPanel("topic"), FieldPanel("hospital")]),
        FieldPanel("venue"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
        FieldRowPanel([FieldPanel("capacity"), FieldPanel("registration_closes_at")]),
        FieldPanel("trainers"),
        FieldPanel("status"),
        FieldPanel("notes"),
    ]

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                name="session_ends_after_start",
                violation_error_message=_("The session must end after it starts."),
                condition=Q(ends_at__gt=F("starts_at")),
            ),
        ]
        indexes = [
            models.Index(fields=["hospital", "starts_at"]),
            models.Index(fields=["topic", "starts_at"]),
        ]

    def __str__(self) -> str:
        # People read times in the site's time zone (a 09:00 session is not 07:00).
        local = timezone.localtime(self.starts_at)
        return f"{self.topic.title} — {local:%Y-%m-%d %H:%M} — {self.venue}"

    def clean(self):
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The session must end after it starts.")
        if (
            self.registration_closes_at
            and self.starts_at
            and self.registration_closes_at > self.starts_at
        ):
            errors["registration_closes_at"] = _(
                "Registration must close before the session starts."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def registration_deadline(self):
        return self.registration_closes_at or self.starts_at


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITLISTED = "waitlisted", _("Waitlisted")
    CANCELLED = "cancelled", _("Cancelled")


ACTIVE_REGISTRATION = Q(status__in=("registered", "waitlisted"))


class Registration(models.Model):
    """A staff member's booking on a session: a place, or a place on the waitlist.

    The session's time and the person are copied here so the database itself can
    refuse two overlapping bookings of one person (an exclusion constraint on
    PostgreSQL, a trigger on SQLite; see migration 0001).
    """

    session = models.ForeignKey(
        TrainingSession,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    staff = models.ForeignKey(
        StaffMember,
        verbose_name=_("staff member"),
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    person = models.ForeignKey(
        "institutes.Person",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    starts_at = models.DateTimeField(editable=False)
    ends_at = models.DateTimeField(editable=False)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.REGISTERED,
    )
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    promoted_at = models.DateTimeField(_("promoted from waitlist at"), null=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    access_rule = AccessRule.same(hospital=("session__hospital",))

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["registered_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "staff"],
                name="registration_unique_staff",
                violation_error_message=_(
                    "This person is already registered for this session."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["session", "status", "registered_at"]),
            models.Index(fields=["person", "starts_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.staff} → {self.session}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


class Attendance(models.Model):
    """Whether a staff member attended a session, their score, and whether they passed.

    One row per session and staff member, so a re-submitted roster changes rows and
    never duplicates them; every later change is kept in `AttendanceChange`.
    """

    session = models.ForeignKey(
        TrainingSession,
        verbose_name=_("session"),
        on_delete=models.PROTECT,
        related_name="attendances",
    )
    staff = models.ForeignKey(
        StaffMember,
        verbose_name=_("staff member"),
        on_delete=models.PROTECT,
        related_name="attendances",
    )
    # Copied from the session so a person's history and compliance read one index.
    topic = models.ForeignKey(
        Topic, on_delete=models.PROTECT, related_name="+", editable=False
    )
    completed_on = models.DateField(_("date"), editable=False)
    status = models.CharField(
        _("attendance"), max_length=10, choices=AttendanceStatus.choices
    )
    score = models.DecimalField(
        _("score"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    passed = models.BooleanField(_("passed"), default=False)
    walk_in = models.BooleanField(_("walk-in"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    certificate_code = models.CharField(
        _("certificate code"), max_length=40, blank=True, default=""
    )

    access_rule = AccessRule.same(hospital=("session__hospital",))

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["session", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "staff"],
                name="attendance_unique_staff",
                violation_error_message=_(
                    "This person's attendance is already recorded for this session."
                ),
            ),
            models.CheckConstraint(
                name="attendance_pass_needs_presence",
                violation_error_message=_("Only someone present can pass."),
                condition=Q(passed=False) | Q(status="present"),
            ),
        ]
        indexes = [
            models.Index(fields=["staff", "topic", "completed_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.staff} — {self.session} — {self.get_status_display()}"


class AttendanceChange(models.Model):
    """The value an attendance row had before a later correction, and who changed it."""

    attendance = models.ForeignKey(
        Attendance,
        verbose_name=_("attendance"),
        on_delete=models.CASCADE,
        related_name="changes",
    )
    old_status = models.CharField(
        _("previous attendance"), max_length=10, choices=AttendanceStatus.choices
    )
    old_score = models.DecimalField(
        _("previous score"), max_digits=5, decimal_places=1, null=True
    )
    new_status = models.CharField(
        _("new attendance"), max_length=10, choices=AttendanceStatus.choices
    )
    new_score = models.DecimalField(
        _("new score"), max_digits=5, decimal_places=1, null=True
    )
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    access_rule = AccessRule.same(hospital=("attendance__session__hospital",))

    class Meta:
        verbose_name = _("attendance correction")
        verbose_name_plural = _("attendance corrections")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.attendance_id}: {self.old_status} → {self.new_status}"


class StaffTopicStatus(models.Model):
    """Where one staff member stands on one topic required of them.

    Kept up to date in the same transaction as attendance, staff and topic changes
    (`training.staff.compliance`); today's state (compliant / due / expired / never /
    grace) is derived in SQL from these dates, so reports never loop over people.
    `valid_until` is the last valid day; NULL with a `completed_on` never expires.
    """

    staff = models.ForeignKey(
        StaffMember,
        on_delete=models.CASCADE,
        related_name="topic_statuses",
    )
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+")
    # Copied from the staff member: reports group and filter on one table.
    hospital = models.ForeignKey(
        "institutes.Hospital", on_delete=models.CASCADE, related_name="+"
    )
    ward = models.ForeignKey(
        "institutes.Ward", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    completed_on = models.DateField(null=True)
    valid_until = models.DateField(null=True)
    grace_until = models.DateField()

    access_rule = HOSPITAL_SCOPE

    class Meta:
        verbose_name = _("training status")
        verbose_name_plural = _("training statuses")
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "topic"],
                name="status_unique_staff_topic",
                violation_error_message=_(
                    "This person already has a status for this topic."
                ),
            ),
        ]
        indexes = [
            models.Index(
                fields=[
                    "hospital",
                    "topic",
                    "completed_on",
                    "valid_until",
                    "grace_until",
                ],
                name="status_hospital_cover",
            ),
            models.Index(fields=["topic", "valid_until"], name="status_topic_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.staff_id}/{self.topic_id}: {self.valid_until}"


class ReminderLog(models.Model):
    """A reminder e-mailed about one topic falling due; never sent twice for one date."""

    staff = models.ForeignKey(
        StaffMember,
        verbose_name=_("staff member"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), on_delete=models.CASCADE, related_name="+"
    )
    due_date = models.DateField(_("due date"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    recipients = models.CharField(_("sent to"), max_length=500)

    access_rule = AccessRule.same(hospital=("staff__hospital",))

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "topic", "due_date"],
                name="reminder_once_per_due_date",
                violation_error_message=_(
                    "A reminder for this due date was already sent."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff} — {self.topic.code} — {self.due_date}"


class InductionTopic(models.Model):
    """One topic of a job category's induction: a new hire of that category completes
    it within `months_to_complete` months of their hire date. Edited by authority
    staff in Training → Induction plan.

    Compliance reads it (`training.staff.compliance`): for such a hire a topic never
    taken is due — "in grace" — until the day before hire date + these months
    (instead of the topic's own grace days).
    """

    job_category = models.CharField(
        _("job category"), max_length=20, choices=JobCategory.choices
    )
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("topic"),
        on_delete=models.PROTECT,
        related_name="induction_entries",
    )
    months_to_complete = models.PositiveSmallIntegerField(
        _("months to complete"),
        validators=[MinValueValidator(1), MaxValueValidator(24)],
        help_text=_("Counted from the hire date: 3 means within the first 3 months."),
    )

    access_rule = AccessRule.reference_data()
    panels = [
        FieldRowPanel([FieldPanel("job_category"), FieldPanel("topic")]),
        FieldPanel("months_to_complete"),
    ]

    class Meta:
        verbose_name = _("induction topic")
        verbose_name_plural = _("induction plan")
        ordering = ["job_category", "months_to_complete", "topic__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["job_category", "topic"],
                name="induction_topic_once_per_category",
                violation_error_message=_(
                    "This topic is already in this job category's induction."
                ),
            ),
            models.CheckConstraint(
                name="induction_months_in_range",
                violation_error_message=_("Months to complete are 1 to 24."),
                condition=Q(months_to_complete__gte=1) & Q(months_to_complete__lte=24),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_job_category_display()}: {self.topic.title}"

    def clean(self):
        if (
            self.topic_id
            and self.job_category
            and self.job_category not in (self.topic.job_categories or [])
        ):
            raise ValidationError(
                {
                    "topic": _(
                        "This topic is not required of this job category; add the "
                        "category to the topic first."
                    )
                }
            )


__all__ = [
    "AssessmentKind",
    "Attendance",
    "AttendanceChange",
    "AttendanceStatus",
    "Delivery",
    "InductionTopic",
    "JobCategory",
    "RecomputeStatus",
    "Registration",
    "RegistrationStatus",
    "ReminderLog",
    "RenewalRule",
    "SessionStatus",
    "StaffMember",
    "StaffTopicStatus",
    "Topic",
    "TopicRuleChange",
    "TrainingSession",
    "TOPIC_RULE_FIELDS",
    "ACTIVE_REGISTRATION",
]
