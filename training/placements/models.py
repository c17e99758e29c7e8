"""Clinical placements: rotation blocks, placements, the days they book, hours,
competency sign-offs and evaluations.

The guarantees live in the database, not only in forms (see docs/placements.md):

* a placement books one `PlacementDay` per working day; `(student, date)` is unique,
  so a student is never in two overlapping placements;
* each ward, day and shift has one `WardShiftLoad` row whose `booked` is raised with
  an atomic `UPDATE … SET booked = booked + 1` under a row lock and is checked
  `booked <= capacity`, so no ward is ever over capacity, even under concurrency;
* triggers (migration 0003) refuse a placement whose ward's hospital is not the
  institute's attached or partner hospital, or whose supervisor does not supervise
  the ward, and refuse any UPDATE of a competency sign-off (corrections are new rows);
* hours are recorded against a booked `PlacementDay` (foreign key), so hours outside
  the placement's days cannot exist, and are checked against the shift's length.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from institutes.access import AccessRule, Paths
from institutes.bilingual import BilingualNameMixin

from .supervision import placed_now_via


class Shift(models.TextChoices):
    MORNING = "morning", _("Morning")
    EVENING = "evening", _("Evening")
    NIGHT = "night", _("Night")


#: The longest attendance one shift can hold, in hours.
SHIFT_HOURS: dict[str, Decimal] = {
    Shift.MORNING: Decimal("7"),
    Shift.EVENING: Decimal("7"),
    Shift.NIGHT: Decimal("12"),
}
MAX_SHIFT_HOURS = max(SHIFT_HOURS.values())

WEEKDAY_NAMES = {
    0: _("Monday"),
    1: _("Tuesday"),
    2: _("Wednesday"),
    3: _("Thursday"),
    4: _("Friday"),
    5: _("Saturday"),
    6: _("Sunday"),
}
#: Saturday to Thursday, the Egyptian working week (Python weekday numbers).
DEFAULT_WEEKDAYS = "560123"


def validate_weekdays(value: str) -> None:
    if (
        not value
        or any(c not in "0123456" for c in value)
        or len(set(value)) != len(value)
    ):
        raise ValidationError(
            _("Choose at least one day of the week, each once."), code="weekdays"
        )


class PlacementStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CONFIRMED = "confirmed", _("Confirmed")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


#: Which status may follow which (see `training.placements.services.placement_transition`).
PLACEMENT_TRANSITIONS: dict[str, tuple[str, ...]] = {
    PlacementStatus.PLANNED: (PlacementStatus.CONFIRMED, PlacementStatus.CANCELLED),
    PlacementStatus.CONFIRMED: (
        PlacementStatus.IN_PROGRESS,
        PlacementStatus.PLANNED,
        PlacementStatus.CANCELLED,
    ),
    PlacementStatus.IN_PROGRESS: (
        PlacementStatus.COMPLETED,
        PlacementStatus.CANCELLED,
    ),
    PlacementStatus.COMPLETED: (),
    PlacementStatus.CANCELLED: (),
}
ACTIVE_PLACEMENT = (
    PlacementStatus.PLANNED,
    PlacementStatus.CONFIRMED,
    PlacementStatus.IN_PROGRESS,
)

_INSTITUTE_OF_BLOCK = ("cohort__institute",)
# A ward's supervisors see a placement, and what hangs on it, while it runs and for
# a short grace after (training.placements.supervision); the other paths have no
# time limit.
PLACEMENT_VIEW = Paths(
    institute=("block__cohort__institute",),
    hospital=("ward__hospital",),
    ward=("ward",),
    when={"ward": placed_now_via("")},
)
_VIA_PLACEMENT_WARD = Paths(
    ward=("placement__ward",), when={"placement__ward": placed_now_via("placement__")}
)


class RotationBlock(BilingualNameMixin, models.Model):
    """A period in which one cohort's students rotate through hospital wards.

    Made by the institute's administrator (Placements → Rotation blocks); the wards it
    uses and their places are `BlockWard` rows. The period is cut into rotations of
    `rotation_weeks` weeks; each student gets one ward per rotation.
    """

    cohort = models.ForeignKey(
        "students.Cohort",
        verbose_name=_("cohort"),
        on_delete=models.PROTECT,
        related_name="rotation_blocks",
    )
    year = models.PositiveSmallIntegerField(
        _("year of study"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    shift = models.CharField(
        _("shift"), max_length=10, choices=Shift.choices, default=Shift.MORNING
    )
    weekdays = models.CharField(
        _("days of the week"),
        max_length=7,
        default=DEFAULT_WEEKDAYS,
        validators=[validate_weekdays],
        help_text=_("The days students attend (Saturday to Thursday by default)."),
    )
    rotation_weeks = models.PositiveSmallIntegerField(
        _("weeks per rotation"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
        help_text=_("The block is cut into rotations of this length, one ward each."),
    )
    students = models.ManyToManyField(
        "students.Student",
        verbose_name=_("group of students"),
        blank=True,
        related_name="rotation_blocks",
        help_text=_(
            "Leave empty for the whole cohort; choose students to run the cohort in "
            "groups (e.g. group A on some days, group B on others)."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    access_rule = AccessRule(
        view=Paths(
            institute=_INSTITUTE_OF_BLOCK,
            hospital=("block_wards__ward__hospital",),
            ward=("block_wards__ward",),
        ),
        change=Paths(institute=_INSTITUTE_OF_BLOCK),
    )
    panels = [
        FieldRowPanel([FieldPanel("cohort"), FieldPanel("year")]),
        FieldRowPanel([FieldPanel("name_ar"), FieldPanel("name_en")]),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
                FieldRowPanel(
                    [
                        FieldPanel("shift"),
                        FieldPanel("weekdays"),
                        FieldPanel("rotation_weeks"),
                    ]
                ),
            ],
            heading=_("Period and shift pattern"),
        ),
    ]

    class Meta:
        verbose_name = _("rotation block")
        verbose_name_plural = _("rotation blocks")
        ordering = ["-start_date", "name_ar"]
        constraints = [
            models.CheckConstraint(
                name="rotation_block_period_in_order",
                violation_error_message=_("The last day cannot be before the first."),
                condition=Q(end_date__gte=F("start_date")),
            ),
            models.CheckConstraint(
                name="rotation_block_year_in_programme",
                violation_error_message=_("The year of study is 1 to 5."),
                condition=Q(year__gte=1) & Q(year__lte=5),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": _("The last day comes before the first day.")}
            )
        if self.start_date and self.end_date and not self.working_days():
            raise ValidationError(
                {"weekdays": _("The period has none of the chosen days of the week.")}
            )
        if self.pk:
            self._check_placements_still_fit()

    def _check_placements_still_fit(self) -> None:
        saved = RotationBlock.objects.filter(pk=self.pk).first()
        if saved is None or not self.placements.exists():
            return
        if saved.shift != self.shift or saved.weekdays != self.weekdays:
            raise ValidationError(
                _(
                    "Students are already placed in this block: its shift and days "
                    "can no longer change. Cancel the placements or make a new block."
                )
            )
        outside = self.placements.exclude(status="cancelled").filter(
            Q(start_date__lt=self.start_date) | Q(end_date__gt=self.end_date)
        )
        if self.start_date and self.end_date and outside.exists():
            count = outside.count()
            raise ValidationError(
                ngettext(
                    "%(n)s placement falls outside the new period; move it first.",
                    "%(n)s placements fall outside the new period; move them first.",
                    count,
                )
                % {"n": count}
            )

    @property
    def weekday_set(self) -> frozenset[int]:
        return frozenset(int(c) for c in self.weekdays)

    def weekdays_display(self) -> str:
        return "، ".join(str(WEEKDAY_NAMES[int(c)]) for c in self.weekdays)

    def working_days(
        self, start: datetime.date | None = None, end: datetime.date | None = None
    ) -> list[datetime.date]:
        """The block's attendance days between `start` and `end` (inclusive)."""
        return working_days(
            max(start or self.start_date, self.start_date),
            min(end or self.end_date, self.end_date),
            self.weekday_set,
        )

    def rotations(self) -> list[tuple[datetime.date, datetime.date]]:
        """The (first day, last day) of each rotation of the block."""
        spans = []
        start = self.start_date
        step = datetime.timedelta(weeks=self.rotation_weeks)
        while start <= self.end_date:
            end = min(start + step - datetime.timedelta(days=1), self.end_date)
            if self.working_days(start, end):
                spans.append((start, end))
            start = end + datetime.timedelta(days=1)
        return spans


def working_days(
    start: datetime.date, end: datetime.date, weekdays: frozenset[int]
) -> list[datetime.date]:
    days = []
    day = start
    one = datetime.timedelta(days=1)
    while day <= end:
        if day.weekday() in weekdays:
            days.append(day)
        day += one
    return days


class BlockWard(models.Model):
    """A ward a rotation block uses and how many of its students it takes per shift.

    The places are the block's share; the ward's own `student_capacity` is the hard
    limit shared by every institute (held by `WardShiftLoad`).
    """

    block = models.ForeignKey(
        RotationBlock,
        verbose_name=_("rotation block"),
        on_delete=models.CASCADE,
        related_name="block_wards",
    )
    ward = models.ForeignKey(
        "institutes.Ward",
        verbose_name=_("ward"),
        on_delete=models.PROTECT,
        related_name="block_wards",
    )
    places = models.PositiveSmallIntegerField(
        _("places"), validators=[MinValueValidator(1)]
    )

    access_rule = AccessRule(
        view=Paths(
            institute=("block__cohort__institute",),
            hospital=("ward__hospital",),
            ward=("ward",),
        ),
        change=Paths(institute=("block__cohort__institute",)),
    )

    class Meta:
        verbose_name = _("ward of a block")
        verbose_name_plural = _("wards of a block")
        ordering = ["block", "ward__name_ar"]
        constraints = [
            models.UniqueConstraint(
                fields=["block", "ward"],
                name="block_ward_unique",
                violation_error_message=_("This ward is already used by the block."),
            ),
            models.CheckConstraint(
                name="block_ward_places_positive",
                violation_error_message=_("Give at least one place."),
                condition=Q(places__gte=1),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ward} ({self.places})"


class Placement(models.Model):
    """One student in one ward for part of a rotation block, under a supervisor.

    Created by the proposal or by hand (Placements → a block); ward and dates change
    only through `training.placements.services`, which re-books the days.
    """

    block = models.ForeignKey(
        RotationBlock,
        verbose_name=_("rotation block"),
        on_delete=models.PROTECT,
        related_name="placements",
    )
    student = models.ForeignKey(
        "students.Student",
        verbose_name=_("student"),
        on_delete=models.PROTECT,
        related_name="placements",
    )
    ward = models.ForeignKey(
        "institutes.Ward",
        verbose_name=_("ward"),
        on_delete=models.PROTECT,
        related_name="placements",
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("supervisor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervised_placements",
        help_text=_("A clinical supervisor of the ward."),
    )
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=PlacementStatus.choices,
        default=PlacementStatus.PLANNED,
    )
    cancel_reason = models.CharField(
        _("reason for cancelling"), max_length=300, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    access_rule = AccessRule(
        view=PLACEMENT_VIEW, change=Paths(institute=("block__cohort__institute",))
    )
    panels = [FieldPanel("supervisor"), FieldPanel("notes")]

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["start_date", "ward__name_ar"]
        indexes = [models.Index(fields=["ward", "start_date"])]
        constraints = [
            models.CheckConstraint(
                name="placement_period_in_order",
                violation_error_message=_("The last day cannot be before the first."),
                condition=Q(end_date__gte=F("start_date")),
            ),
            models.CheckConstraint(
                name="placement_cancel_has_reason",
                violation_error_message=_("Say why the placement is cancelled."),
                condition=~Q(status="cancelled") | ~Q(cancel_reason=""),
            ),
            models.CheckConstraint(
                name="placement_confirmed_has_supervisor",
                violation_error_message=_(
                    "A confirmed or running placement needs a supervisor."
                ),
                condition=Q(status__in=["planned", "cancelled"])
                | Q(supervisor__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.student} — {self.ward.name} ({self.start_date} → {self.end_date})"
        )

    @property
    def shift(self) -> str:
        return self.block.shift

    def allowed_transitions(self) -> tuple[str, ...]:
        return PLACEMENT_TRANSITIONS.get(self.status, ())


class PlacementStatusChange(models.Model):
    """The history of a placement's status: who moved it, when, and why."""

    placement = models.ForeignKey(
        Placement,
        verbose_name=_("placement"),
        on_delete=models.CASCADE,
        related_name="status_changes",
    )
    from_status = models.CharField(
        _("from"), max_length=12, choices=PlacementStatus.choices, blank=True
    )
    to_status = models.CharField(
        _("to"), max_length=12, choices=PlacementStatus.choices
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    access_rule = AccessRule(
        view=Paths(
            institute=("placement__block__cohort__institute",),
            hospital=("placement__ward__hospital",),
            ward=_VIA_PLACEMENT_WARD.ward,
            when=_VIA_PLACEMENT_WARD.when,
        ),
        change=Paths(),
    )

    class Meta:
        verbose_name = _("placement status change")
        verbose_name_plural = _("placement status changes")
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class PlacementDay(models.Model):
    """One booked attendance day of a placement (a day and shift in a ward).

    `(student, date)` is unique: the database refuses overlapping placements.
    """

    placement = models.ForeignKey(
        Placement,
        verbose_name=_("placement"),
        on_delete=models.CASCADE,
        related_name="days",
    )
    student = models.ForeignKey(
        "students.Student",
        verbose_name=_("student"),
        on_delete=models.PROTECT,
        related_name="placement_days",
    )
    ward = models.ForeignKey(
        "institutes.Ward",
        verbose_name=_("ward"),
        on_delete=models.PROTECT,
        related_name="placement_days",
    )
    date = models.DateField(_("date"))
    shift = models.CharField(_("shift"), max_length=10, choices=Shift.choices)

    access_rule = AccessRule(
        view=Paths(
            institute=("placement__block__cohort__institute",),
            hospital=("ward__hospital",),
            ward=("ward",),
            when={"ward": placed_now_via("placement__")},
        ),
        change=Paths(),
    )

    class Meta:
        verbose_name = _("placement day")
        verbose_name_plural = _("placement days")
        ordering = ["date"]
        indexes = [models.Index(fields=["ward", "date", "shift"])]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "date"],
                name="placement_day_student_once_a_day",
                violation_error_message=_("The student is already placed on this day."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_shift_display()}"


class WardShiftLoad(models.Model):
    """How many students one ward holds on one day and shift, against its capacity.

    Written only by the booking service: `booked` moves by atomic UPDATEs under a
    row lock, and the check constraint makes overbooking impossible.
    """

    ward = models.ForeignKey(
        "institutes.Ward",
        verbose_name=_("ward"),
        on_delete=models.CASCADE,
        related_name="shift_loads",
    )
    date = models.DateField(_("date"))
    shift = models.CharField(_("shift"), max_length=10, choices=Shift.choices)
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    booked = models.PositiveSmallIntegerField(_("booked"), default=0)

    access_rule = AccessRule(
        view=Paths(
            institute=(
                "ward__hospital__institutes",
                "ward__hospital__partner_institutes",
            ),
            hospital=("ward__hospital",),
            ward=("ward",),
        ),
        change=Paths(),
    )

    class Meta:
        verbose_name = _("ward load")
        verbose_name_plural = _("ward loads")
        ordering = ["ward", "date", "shift"]
        constraints = [
            models.UniqueConstraint(
                fields=["ward", "date", "shift"],
                name="ward_shift_load_unique",
                violation_error_message=_(
                    "This ward's load for this day and shift already exists."
                ),
            ),
            models.CheckConstraint(
                name="ward_shift_load_within_capacity",
                violation_error_message=_("The ward is full on this day and shift."),
                condition=Q(booked__lte=F("capacity")) & Q(booked__gte=0),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ward_id} {self.date} {self.shift}: {self.booked}/{self.capacity}"


class HoursStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    NEEDS_INFO = "needs_info", _("Returned: needs information")
    SUPERSEDED = "superseded", _("Corrected")


_HOURS_VIEW = Paths(
    institute=("placement__block__cohort__institute",),
    hospital=("placement__ward__hospital",),
    ward=_VIA_PLACEMENT_WARD.ward,
    when=_VIA_PLACEMENT_WARD.when,
)


class ClinicalHours(models.Model):
    """A student's attendance (hours) on one booked day and shift of a placement.

    Entered by one person of the ward (the nurse on shift, the clinical instructor)
    and approved, rejected or returned for information (with a comment) by another
    supervisor of the ward: the database refuses a decision by whoever entered the
    hours (four eyes). A correction is a new row that `corrects` the old one, which
    is kept with status "corrected"; only one current row exists per day.
    """

    placement = models.ForeignKey(
        Placement,
        verbose_name=_("placement"),
        on_delete=models.PROTECT,
        related_name="hours",
    )
    day = models.ForeignKey(
        PlacementDay,
        verbose_name=_("day"),
        on_delete=models.PROTECT,
        related_name="hours",
    )
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=HoursStatus.choices,
        default=HoursStatus.PENDING,
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = models.CharField(_("comment"), max_length=300, blank=True)
    corrects = models.OneToOneField(
        "self",
        verbose_name=_("corrects"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="correction",
    )
    #: Decided by the person who entered it before the four-eyes rule existed
    #: (migration 0006 marks those rows; they are kept as they were).
    single_signature = models.BooleanField(
        _("decided by the person who entered it"), default=False, editable=False
    )

    access_rule = AccessRule(view=_HOURS_VIEW, change=_VIA_PLACEMENT_WARD)

    class Meta:
        verbose_name = _("clinical hours")
        verbose_name_plural = _("clinical hours")
        ordering = ["day__date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["day"],
                condition=~Q(status="superseded"),
                name="clinical_hours_one_current_per_day",
                violation_error_message=_(
                    "This day already has hours; record a correction instead."
                ),
            ),
            models.CheckConstraint(
                name="clinical_hours_within_longest_shift",
                violation_error_message=_(
                    "Hours are more than 0 and at most 12 (the longest shift)."
                ),
                condition=Q(hours__gt=0) & Q(hours__lte=MAX_SHIFT_HOURS),
            ),
            models.CheckConstraint(
                name="clinical_hours_rejection_has_comment",
                condition=~Q(status__in=["rejected", "needs_info"])
                | ~Q(decision_comment=""),
                violation_error_message=_(
                    "Say why the hours are rejected or returned."
                ),
            ),
            models.CheckConstraint(
                name="clinical_hours_four_eyes",
                condition=Q(decided_by__isnull=True)
                | ~Q(decided_by=F("entered_by"))
                | Q(single_signature=True),
                violation_error_message=_(
                    "Hours are decided by someone other than the person who entered "
                    "them."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day.date}: {self.hours}"


class SignOffLevel(models.TextChoices):
    OBSERVED = "observed", _("Observed")
    SUPERVISED = "supervised", _("Performed under supervision")
    INDEPENDENT = "independent", _("Performed independently")
    REMEDIATION = "remediation", _("Needs remediation")


#: Levels that count as "signed off" for promotion and graduation.
SIGNED_OFF_LEVELS = (SignOffLevel.SUPERVISED, SignOffLevel.INDEPENDENT)


class CompetencySignOff(models.Model):
    """A supervisor's assessment of one competency of a student, on a date.

    Never edited: the database refuses UPDATEs; a correction is a new row that
    `corrects` the previous one, so the record shows both.
    """

    student = models.ForeignKey(
        "students.Student",
        verbose_name=_("student"),
        on_delete=models.PROTECT,
        related_name="competency_signoffs",
    )
    competency = models.ForeignKey(
        "curriculum.Competency",
        verbose_name=_("competency"),
        on_delete=models.PROTECT,
        related_name="signoffs",
    )
    placement = models.ForeignKey(
        Placement,
        verbose_name=_("placement"),
        on_delete=models.PROTECT,
        related_name="signoffs",
    )
    level = models.CharField(
        _("assessment"), max_length=12, choices=SignOffLevel.choices
    )
    assessed_on = models.DateField(_("date"))
    comment = models.TextField(_("comment"), blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    corrects = models.OneToOneField(
        "self",
        verbose_name=_("corrects"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="correction",
    )

    access_rule = AccessRule(view=_HOURS_VIEW, change=_VIA_PLACEMENT_WARD)

    class Meta:
        verbose_name = _("competency sign-off")
        verbose_name_plural = _("competency sign-offs")
        ordering = ["assessed_on", "pk"]
        constraints = [
            models.CheckConstraint(
                name="signoff_remediation_has_comment",
                violation_error_message=_(
                    "Say what needs remediation so it can be planned."
                ),
                condition=~Q(level="remediation") | ~Q(comment=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.competency_id}: {self.get_level_display()}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(
                _("A sign-off is never edited; record a correction instead.")
            )
        super().save(*args, **kwargs)


class EvaluationKind(models.TextChoices):
    MID = "mid", _("Mid-placement")
    FINAL = "final", _("Final")


RUBRIC = (
    ("professional_behaviour", _("Professional behaviour")),
    ("communication", _("Communication")),
    ("clinical_skills", _("Clinical skills")),
    ("safety", _("Safety")),
    ("documentation", _("Documentation")),
)
SCORE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class PlacementEvaluation(models.Model):
    """The supervisor's mid-placement or final evaluation on a five-point rubric."""

    placement = models.ForeignKey(
        Placement,
        verbose_name=_("placement"),
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    kind = models.CharField(
        _("evaluation"), max_length=8, choices=EvaluationKind.choices
    )
    professional_behaviour = models.PositiveSmallIntegerField(
        _("professional behaviour"), validators=SCORE_VALIDATORS
    )
    communication = models.PositiveSmallIntegerField(
        _("communication"), validators=SCORE_VALIDATORS
    )
    clinical_skills = models.PositiveSmallIntegerField(
        _("clinical skills"), validators=SCORE_VALIDATORS
    )
    safety = models.PositiveSmallIntegerField(_("safety"), validators=SCORE_VALIDATORS)
    documentation = models.PositiveSmallIntegerField(
        _("documentation"), validators=SCORE_VALIDATORS
    )
    comments = models.TextField(_("comments"), blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("evaluated by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    evaluated_on = models.DateField(_("date"))

    access_rule = AccessRule(view=_HOURS_VIEW, change=_VIA_PLACEMENT_WARD)

    class Meta:
        verbose_name = _("placement evaluation")
        verbose_name_plural = _("placement evaluations")
        ordering = ["placement", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "kind"],
                name="evaluation_one_per_kind",
                violation_error_message=_(
                    "This placement already has this evaluation."
                ),
            ),
            models.CheckConstraint(
                name="evaluation_scores_on_rubric",
                violation_error_message=_("Each score is 1 to 5."),
                condition=Q(
                    professional_behaviour__gte=1, professional_behaviour__lte=5
                )
                & Q(communication__gte=1, communication__lte=5)
                & Q(clinical_skills__gte=1, clinical_skills__lte=5)
                & Q(safety__gte=1, safety__lte=5)
                & Q(documentation__gte=1, documentation__lte=5),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.placement_id}"

    @property
    def scores(self) -> list[tuple[str, int]]:
        return [(label, getattr(self, name)) for name, label in RUBRIC]

    @property
    def average(self) -> float:
        return sum(getattr(self, name) for name, _label in RUBRIC) / len(RUBRIC)


class RecordedClinicalYear(models.Model):
    """A year of clinical training done before placements were managed here, as the
    registrar records it from the paper register: the approved hours and the
    competencies signed off, with the evidence (register, page), who and when.

    Recorded on the student's clinical record (Clinical placements → a student →
    "Record a past year") or imported from a spreadsheet. Never edited: a correction
    is a new row that `replaces` the previous one, which stays (no longer current).
    The totals count with the approved hours and sign-offs in promotion and
    graduation (see docs/placements.md, "Not tracked").
    """

    student = models.ForeignKey(
        "students.Student",
        verbose_name=_("student"),
        on_delete=models.PROTECT,
        related_name="recorded_clinical_years",
    )
    year = models.PositiveSmallIntegerField(
        _("year of study"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    hours = models.DecimalField(
        _("approved clinical hours"),
        max_digits=6,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(2000)],
    )
    competencies = models.ManyToManyField(
        "curriculum.Competency",
        verbose_name=_("competencies signed off"),
        blank=True,
        related_name="+",
    )
    evidence = models.TextField(
        _("evidence"),
        help_text=_("Where the figures come from, e.g. the register and its page."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    is_current = models.BooleanField(_("current"), default=True)
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
    )

    access_rule = AccessRule.same(institute=("student__cohort__institute",))

    class Meta:
        verbose_name = _("recorded past clinical year")
        verbose_name_plural = _("recorded past clinical years")
        ordering = ["student", "year", "recorded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "year"],
                condition=Q(is_current=True),
                name="recorded_clinical_year_one_current",
                violation_error_message=_(
                    "This year is already recorded for the student; record a "
                    "correction instead."
                ),
            ),
            models.CheckConstraint(
                name="recorded_clinical_year_in_programme",
                condition=Q(year__gte=1, year__lte=5),
                violation_error_message=_("The year of study is 1 to 5."),
            ),
            models.CheckConstraint(
                name="recorded_clinical_year_hours_range",
                condition=Q(hours__gte=0, hours__lte=2000),
                violation_error_message=_("The hours are 0 to 2000."),
            ),
            models.CheckConstraint(
                name="recorded_clinical_year_has_evidence",
                condition=~Q(evidence=""),
                violation_error_message=_(
                    "Say where the figures come from (the evidence)."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student_id} Y{self.year}: {self.hours}"


__all__ = [
    "ACTIVE_PLACEMENT",
    "BlockWard",
    "ClinicalHours",
    "CompetencySignOff",
    "EvaluationKind",
    "HoursStatus",
    "MAX_SHIFT_HOURS",
    "PLACEMENT_TRANSITIONS",
    "Placement",
    "PlacementDay",
    "PlacementEvaluation",
    "PlacementStatus",
    "PlacementStatusChange",
    "RUBRIC",
    "RecordedClinicalYear",
    "RotationBlock",
    "SHIFT_HOURS",
    "SIGNED_OFF_LEVELS",
    "Shift",
    "SignOffLevel",
    "WardShiftLoad",
    "working_days",
]
