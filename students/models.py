"""Students of the nursing institutes: cohorts, records, enrolments, results.

The person behind a student (names, national ID, birth date, sex) is an
`institutes.Person`; this app keeps what is specific to studying. Every change of a
student's status is a new `EnrolmentEvent` row (append-only), every change of a mark
after it was first saved is a new `MarkChange` row. Writes go through
`students.services`; screens are in the admin's "Students" menu.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from curriculum.models import YEAR_VALIDATORS, YEARS_OF_STUDY, CurriculumVersion
from institutes.access import AccessRule, Paths
from institutes.arabic import normalize_for_search
from institutes.models import Institute, Person, SearchTextMixin
from institutes.national_id import Governorate
from institutes.plain_text import validate_visible_text


def academic_year_label(year: int | None) -> str:
    """2025 → "2025/26" (an academic year is named by the calendar year it starts)."""
    if not year:
        return ""
    return f"{year}/{(year + 1) % 100:02d}"


class StudentStatus(models.TextChoices):
    """Where a student stands now (kept on the student for fast lists)."""

    APPLICANT = "applicant", _("Applicant")
    ADMITTED = "admitted", _("Admitted")
    ENROLLED = "enrolled", _("Enrolled")
    SUSPENDED = "suspended", _("Suspended")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    GRADUATED = "graduated", _("Graduated")


class EventKind(models.TextChoices):
    """What happened, one row of the enrolment history per event."""

    APPLIED = "applied", _("Applied")
    ADMITTED = "admitted", _("Admitted")
    ENROLLED = "enrolled", _("Enrolled")
    PROMOTED = "promoted", _("Promoted")
    REPEATING = "repeating", _("Repeating the year")
    SUSPENDED = "suspended", _("Suspended")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    READMITTED = "readmitted", _("Re-admitted")
    GRADUATED = "graduated", _("Graduated")
    CORRECTION = "correction", _("Correction")


class WithdrawalReason(models.TextChoices):
    PERSONAL = "personal", _("Personal or family reasons")
    HEALTH = "health", _("Health")
    TRANSFER = "transfer", _("Transferred to another institute")
    ACADEMIC = "academic", _("Academic failure (repeat limit reached)")
    ATTENDANCE = "attendance", _("Non-attendance")
    DISCIPLINARY = "disciplinary", _("Disciplinary decision")
    MARRIAGE = "marriage", _("Marriage or relocation")
    OTHER = "other", _("Other")


class YearOutcome(models.TextChoices):
    """How an academic year of a student ended."""

    IN_PROGRESS = "in_progress", _("In progress")
    PROMOTED = "promoted", _("Promoted")
    REPEATING = "repeating", _("Repeating")
    GRADUATED = "graduated", _("Graduated")
    SUSPENDED = "suspended", _("Suspended")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class GuardianRelation(models.TextChoices):
    FATHER = "father", _("Father")
    MOTHER = "mother", _("Mother")
    BROTHER = "brother", _("Brother")
    SISTER = "sister", _("Sister")
    UNCLE = "uncle", _("Uncle")
    GRANDPARENT = "grandparent", _("Grandparent")
    HUSBAND = "husband", _("Husband")
    OTHER = "other", _("Other")


# --- Who may see students --------------------------------------------------------
# Institute administrators see their institute's students. Other apps open more
# paths (e.g. clinical supervisors see the students placed in their wards) by calling
# `extend_student_visibility(ward=("placements__ward",))` from their AppConfig.ready;
# paths are written from Student and prefixed for each related model.

_STUDENT_VIEW_PATHS: dict[str, tuple[str, ...]] = {
    "institute": ("cohort__institute",),
    "hospital": (),
    "ward": (),
}
# Conditions under which a view path holds (`Paths.when`), e.g. a placement now.
_STUDENT_VIEW_WHEN: dict[str, Callable[[], Q]] = {}
_STUDENT_CHANGE_PATHS = Paths(institute=("cohort__institute",))
_STUDENT_MODELS: list[tuple[type[models.Model], str]] = []


def _prefixed(paths: dict[str, tuple[str, ...]], prefix: str) -> Paths:
    return Paths(**{dim: tuple(prefix + p for p in ps) for dim, ps in paths.items()})


def _student_rule(prefix: str) -> AccessRule:
    change = {
        "institute": _STUDENT_CHANGE_PATHS.institute,
        "hospital": (),
        "ward": (),
    }
    # Paths opened by other apps reach the student only (name, number, year), never
    # the records under it (enrolments, results and their history: marks stay with
    # the institute).
    view = (
        _STUDENT_VIEW_PATHS
        if prefix == ""
        else {"institute": _STUDENT_VIEW_PATHS["institute"], "hospital": (), "ward": ()}
    )
    view_paths = _prefixed(view, prefix)
    if prefix == "" and _STUDENT_VIEW_WHEN:
        view_paths = replace(view_paths, when=dict(_STUDENT_VIEW_WHEN))
    return AccessRule(
        view=view_paths,
        change=_prefixed(change, prefix),
    )


def extend_student_visibility(
    *,
    hospital: tuple[str, ...] = (),
    ward: tuple[str, ...] = (),
    when: Mapping[str, Callable[[], Q]] | None = None,
) -> None:
    """Let more roles *see* students (and their enrolments, results, history).

    Paths start from Student, e.g. `ward=("placements__ward",)`; `when` limits a
    path to the time a condition holds (`institutes.access.Paths.when`), e.g. a
    placement running today. Changing student records stays with the institute's
    administrators.
    """
    _STUDENT_VIEW_WHEN.update(when or {})
    _STUDENT_VIEW_PATHS["hospital"] = tuple(
        dict.fromkeys(_STUDENT_VIEW_PATHS["hospital"] + tuple(hospital))
    )
    _STUDENT_VIEW_PATHS["ward"] = tuple(
        dict.fromkeys(_STUDENT_VIEW_PATHS["ward"] + tuple(ward))
    )
    for model, prefix in _STUDENT_MODELS:
        model.access_rule = _student_rule(prefix)


def _student_scoped(prefix: str):
    def decorator(model):
        _STUDENT_MODELS.append((model, prefix))
        model.access_rule = _student_rule(prefix)
        return model

    return decorator


class Cohort(models.Model):
    """The students of one institute who entered in one intake year.

    Follows one curriculum version (which it freezes) and takes at most `capacity`
    students. Edited in Students → Cohorts.
    """

    institute = models.ForeignKey(
        Institute,
        verbose_name=_("institute"),
        on_delete=models.PROTECT,
        related_name="cohorts",
    )
    intake_year = models.PositiveSmallIntegerField(
        _("intake year"),
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_("The academic year of entry, e.g. 2025 for 2025/26."),
    )
    curriculum_version = models.ForeignKey(
        CurriculumVersion,
        verbose_name=_("curriculum version"),
        on_delete=models.PROTECT,
        related_name="cohorts",
    )
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), default=60, validators=[MinValueValidator(1)]
    )

    access_rule = AccessRule(
        view=Paths(institute=("institute",)), change=Paths(institute=("institute",))
    )
    panels = [
        FieldPanel("institute"),
        FieldRowPanel([FieldPanel("intake_year"), FieldPanel("capacity")]),
        FieldPanel("curriculum_version"),
    ]

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["institute__name_ar", "-intake_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["institute", "intake_year"],
                name="cohort_unique_intake",
                violation_error_message=_(
                    "This institute already has a cohort for this intake year."
                ),
            ),
        ]

    def __str__(self) -> str:
        return _("Intake %(year)s — %(institute)s") % {
            "year": self.intake_label,
            "institute": self.institute.name,
        }

    @property
    def intake_label(self) -> str:
        return academic_year_label(self.intake_year)

    def year_of_study_in(self, academic_year: int) -> int:
        """Which year of study the cohort is in during `academic_year` (1-based)."""
        return academic_year - self.intake_year + 1

    def clean(self):
        super().clean()
        version = (
            CurriculumVersion.objects.filter(pk=self.curriculum_version_id).first()
            if self.curriculum_version_id
            else None
        )
        if (
            version
            and self.intake_year
            and self.intake_year < (version.applies_from_intake)
        ):
            raise ValidationError(
                {
                    "curriculum_version": _(
                        "This curriculum version applies from the %(year)s intake; "
                        "the cohort entered earlier."
                    )
                    % {"year": version.intake_label()}
                }
            )


@_student_scoped("")
class Student(SearchTextMixin):
    """A student of an institute: the study record of one person.

    Names, national ID, date of birth and sex are on the person (shared with staff
    records after graduation). `status`, `year_of_study` and `cohort` are the current
    state, kept in step with the enrolment history by `students.services`.
    """

    person = models.OneToOneField(
        Person,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="student",
    )
    student_number = models.CharField(_("student number"), max_length=30, unique=True)
    cohort = models.ForeignKey(
        Cohort,
        verbose_name=_("cohort"),
        on_delete=models.PROTECT,
        related_name="students",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=StudentStatus.choices,
        default=StudentStatus.APPLICANT,
    )
    year_of_study = models.PositiveSmallIntegerField(
        _("year of study"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    guardian_name = models.CharField(_("guardian's name"), max_length=200, blank=True)
    guardian_relation = models.CharField(
        _("guardian's relation"),
        max_length=20,
        choices=GuardianRelation.choices,
        blank=True,
    )
    guardian_phone = models.CharField(_("guardian's phone"), max_length=30, blank=True)
    governorate = models.CharField(
        _("governorate of residence"),
        max_length=2,
        choices=Governorate.choices,
        default=Governorate.LUXOR,
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    prep_certificate_total = models.DecimalField(
        _("preparatory certificate total"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(300)],
    )
    prep_certificate_year = models.PositiveSmallIntegerField(
        _("preparatory certificate year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
    )
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    # Shown when a delete is refused (every student has an enrolment history).
    delete_protected_hint = _(
        "A student's record is never deleted: it holds their enrolment history and "
        "results. To end their studies, open the student and choose Withdraw; the "
        "record stays, marked as withdrawn."
    )
    panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("student_number"), FieldPanel("cohort")]),
                FieldPanel("photo"),
            ],
            heading=_("Study"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("guardian_name"),
                        FieldPanel("guardian_relation"),
                        FieldPanel("guardian_phone"),
                    ]
                ),
                FieldRowPanel([FieldPanel("governorate"), FieldPanel("address")]),
            ],
            heading=_("Family and address"),
        ),
        FieldRowPanel(
            [FieldPanel("prep_certificate_total"), FieldPanel("prep_certificate_year")]
        ),
    ]

    class Meta:
        verbose_name = _("student")
        verbose_name_plural = _("students")
        ordering = ["student_number"]
        indexes = [
            models.Index(fields=["status", "year_of_study"], name="student_status_idx"),
            models.Index(fields=["cohort", "status"], name="student_cohort_status_idx"),
            models.Index(fields=["governorate"], name="student_governorate_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person.name} ({self.student_number})"

    # Names live on the person; these keep templates, tables and exports short.
    @property
    def name_ar(self) -> str:
        return self.person.name_ar

    @property
    def name_en(self) -> str:
        return self.person.name_en

    @property
    def name(self) -> str:
        return self.person.name

    @property
    def national_id(self) -> str:
        """The person's Egyptian national ID, or their first document's number."""
        return self.person.document_number

    @property
    def institute(self):
        return self.cohort.institute

    def refresh_search_text(self) -> None:
        person = self.person
        self.search_text = normalize_for_search(
            person.name_ar, person.name_en, person.document_number, self.student_number
        )

    def clean(self):
        # Printed on letters and transcripts: no bidi override or invisible character.
        errors = {}
        for name in ("guardian_name", "guardian_phone", "address"):
            try:
                validate_visible_text(getattr(self, name))
            except ValidationError as exc:
                errors[name] = exc
        if errors:
            raise ValidationError(errors)


@_student_scoped("student__")
class Enrolment(models.Model):
    """One academic year of one student: the cohort, the year of study, the outcome.

    A student has at most one enrolment per academic year (a database constraint).
    """

    student = models.ForeignKey(
        Student,
        verbose_name=_("student"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    cohort = models.ForeignKey(
        Cohort,
        verbose_name=_("cohort"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    academic_year = models.PositiveSmallIntegerField(
        _("academic year"),
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
    )
    year_of_study = models.PositiveSmallIntegerField(
        _("year of study"), validators=YEAR_VALIDATORS
    )
    outcome = models.CharField(
        _("outcome"),
        max_length=20,
        choices=YearOutcome.choices,
        default=YearOutcome.IN_PROGRESS,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["student", "academic_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "academic_year"],
                name="enrolment_once_per_academic_year",
                violation_error_message=_(
                    "This student is already enrolled in that academic year."
                ),
            ),
            models.CheckConstraint(
                name="enrolment_year_of_study_in_programme",
                violation_error_message=_("The year of study is 1 to 5."),
                condition=Q(year_of_study__gte=1)
                & Q(year_of_study__lte=YEARS_OF_STUDY),
            ),
        ]
        indexes = [
            models.Index(
                fields=["cohort", "academic_year"], name="enrolment_cohort_year_idx"
            ),
        ]

    def __str__(self) -> str:
        return _("%(student)s — %(year)s, year %(n)s") % {
            "student": self.student,
            "year": self.academic_year_label,
            "n": self.year_of_study,
        }

    @property
    def academic_year_label(self) -> str:
        return academic_year_label(self.academic_year)


class AppendOnlyError(Exception):
    """History rows are never changed or deleted: a correction is a new row."""


class AppendOnlyMixin(models.Model):
    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(
                f"{type(self).__name__} rows are append-only; add a correction instead."
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} rows cannot be deleted.")


@_student_scoped("student__")
class EnrolmentEvent(AppendOnlyMixin):
    """One change of a student's status: what, when, who, why. Never edited."""

    student = models.ForeignKey(
        Student,
        verbose_name=_("student"),
        on_delete=models.PROTECT,
        related_name="events",
    )
    enrolment = models.ForeignKey(
        Enrolment,
        verbose_name=_("enrolment"),
        on_delete=models.PROTECT,
        related_name="events",
        null=True,
        blank=True,
    )
    kind = models.CharField(_("event"), max_length=20, choices=EventKind.choices)
    status_after = models.CharField(
        _("status after"), max_length=20, choices=StudentStatus.choices
    )
    academic_year = models.PositiveSmallIntegerField(
        _("academic year"), null=True, blank=True
    )
    year_of_study = models.PositiveSmallIntegerField(
        _("year of study"), null=True, blank=True
    )
    reason_code = models.CharField(
        _("reason"), max_length=20, choices=WithdrawalReason.choices, blank=True
    )
    note = models.TextField(_("why"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("enrolment event")
        verbose_name_plural = _("enrolment history")
        ordering = ["student", "recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="event_withdrawal_has_reason",
                condition=~Q(kind="withdrawn") | ~Q(reason_code=""),
                violation_error_message=_("A withdrawal needs a reason code."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.recorded_at:%Y-%m-%d}"

    @property
    def academic_year_label(self) -> str:
        return academic_year_label(self.academic_year)


@_student_scoped("enrolment__student__")
class CourseResult(models.Model):
    """A student's theory and practical marks in one course in one enrolment year.

    `passed` and `total` are computed by `students.services.results_save`; a mark
    changed after it was first saved leaves a `MarkChange` row.
    """

    enrolment = models.ForeignKey(
        Enrolment,
        verbose_name=_("enrolment"),
        on_delete=models.PROTECT,
        related_name="results",
    )
    course = models.ForeignKey(
        "curriculum.Course",
        verbose_name=_("course"),
        on_delete=models.PROTECT,
        related_name="results",
    )
    theory_mark = models.DecimalField(
        _("theory mark"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    practical_mark = models.DecimalField(
        _("practical mark"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    total = models.DecimalField(
        _("total"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("course result")
        verbose_name_plural = _("course results")
        ordering = ["enrolment", "course__year", "course__sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "course"],
                name="result_once_per_course",
                violation_error_message=_(
                    "This student already has a result in this course this year."
                ),
            ),
            models.CheckConstraint(
                name="result_marks_not_negative",
                violation_error_message=_("Marks cannot be negative."),
                condition=(Q(theory_mark__isnull=True) | Q(theory_mark__gte=0))
                & (Q(practical_mark__isnull=True) | Q(practical_mark__gte=0)),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment.student} — {self.course.code}"


@_student_scoped("result__enrolment__student__")
class MarkChange(AppendOnlyMixin):
    """A mark changed after it was first saved: the old and new values, who, why."""

    result = models.ForeignKey(
        CourseResult,
        verbose_name=_("result"),
        on_delete=models.PROTECT,
        related_name="changes",
    )
    old_theory_mark = models.DecimalField(
        _("old theory mark"), max_digits=5, decimal_places=1, null=True
    )
    old_practical_mark = models.DecimalField(
        _("old practical mark"), max_digits=5, decimal_places=1, null=True
    )
    new_theory_mark = models.DecimalField(
        _("new theory mark"), max_digits=5, decimal_places=1, null=True
    )
    new_practical_mark = models.DecimalField(
        _("new practical mark"), max_digits=5, decimal_places=1, null=True
    )
    reason = models.TextField(_("reason"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("mark change")
        verbose_name_plural = _("mark changes")
        ordering = ["result", "changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.result} — {self.changed_at:%Y-%m-%d}"
