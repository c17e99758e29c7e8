"""The five-year technical nursing programme and its versioned curricula.

Curricula are reference data: authority staff edit them (Students → Curricula), every
back-office user may read them. A version applies to the cohorts that enter from its
intake year on; once a cohort uses it (`frozen_at` is set by the students app), its
courses, competencies and requirements can no longer be changed in place — copy it
into a new version with `curriculum.services.curriculum_version_copy`.

This app knows no students or staff.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from institutes.access import AccessRule
from institutes.bilingual import BilingualNameMixin, localized

YEARS_OF_STUDY = 5
YEAR_VALIDATORS = [MinValueValidator(1), MaxValueValidator(YEARS_OF_STUDY)]


class Term(models.IntegerChoices):
    FULL_YEAR = 0, _("Full year")
    FIRST = 1, _("First term")
    SECOND = 2, _("Second term")


class CurriculumFrozen(ValidationError):
    """Raised when a change would alter a curriculum version a cohort already uses."""


class Programme(BilingualNameMixin, models.Model):
    """A diploma programme, e.g. the five-year technical nursing diploma."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    years = models.PositiveSmallIntegerField(
        _("years of study"), default=YEARS_OF_STUDY, validators=YEAR_VALIDATORS
    )

    access_rule = AccessRule.reference_data()
    panels = [
        FieldPanel("code"),
        FieldRowPanel([FieldPanel("name_ar"), FieldPanel("name_en")]),
        FieldPanel("years"),
    ]

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class CurriculumVersion(BilingualNameMixin, models.Model):
    """One version of a programme's curriculum and its promotion rule.

    It applies to cohorts whose intake year is `applies_from_intake` or later (until
    a newer version takes over). Frozen once a cohort uses it.
    """

    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="versions",
    )
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    applies_from_intake = models.PositiveSmallIntegerField(
        _("applies from intake year"),
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_("The first intake (e.g. 2021 for 2021/22) that follows it."),
    )
    max_failed_courses_carried = models.PositiveSmallIntegerField(
        _("failed courses that may be carried"),
        default=2,
        help_text=_(
            "A student who fails at most this many courses of a year is promoted and "
            "carries them; more failures mean repeating the year. No course may be "
            "carried out of the final year."
        ),
    )
    frozen_at = models.DateTimeField(
        _("in use since"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set when the first cohort uses this version."),
    )

    access_rule = AccessRule.reference_data()
    panels = [
        FieldPanel("programme"),
        FieldRowPanel([FieldPanel("code"), FieldPanel("applies_from_intake")]),
        FieldRowPanel([FieldPanel("name_ar"), FieldPanel("name_en")]),
        FieldPanel("max_failed_courses_carried"),
    ]

    class Meta:
        verbose_name = _("curriculum version")
        verbose_name_plural = _("curriculum versions")
        ordering = ["programme__code", "-applies_from_intake"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "applies_from_intake"],
                name="curriculum_version_unique_intake",
                violation_error_message=_(
                    "This programme already has a curriculum version from this intake."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None

    def intake_label(self) -> str:
        return f"{self.applies_from_intake}/{(self.applies_from_intake + 1) % 100:02d}"


class VersionPartMixin(models.Model):
    """A row that belongs to a curriculum version and is frozen with it."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.ensure_version_not_frozen()
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        self.ensure_version_not_frozen()

    def ensure_version_not_frozen(self) -> None:
        version = (
            CurriculumVersion.objects.filter(pk=self.version_id).first()
            if self.version_id
            else None
        )
        if version is not None and version.is_frozen:
            raise CurriculumFrozen(
                _(
                    "The curriculum version “%(version)s” is used by a cohort and can "
                    "no longer be changed. Copy it into a new version instead."
                ),
                code="curriculum_frozen",
                params={"version": version.name},
            )

    def delete(self, *args, **kwargs):
        self.ensure_version_not_frozen()
        return super().delete(*args, **kwargs)


class Course(VersionPartMixin):
    """A course of one year (and term) of a curriculum version, with its marks."""

    version = models.ForeignKey(
        CurriculumVersion,
        verbose_name=_("curriculum version"),
        on_delete=models.PROTECT,
        related_name="courses",
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    term = models.PositiveSmallIntegerField(
        _("term"), choices=Term.choices, default=Term.FULL_YEAR
    )
    code = models.CharField(_("code"), max_length=20)
    title_ar = models.CharField(_("title (Arabic)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    theory_hours = models.PositiveSmallIntegerField(_("theory hours"), default=0)
    practical_hours = models.PositiveSmallIntegerField(_("practical hours"), default=0)
    clinical_hours = models.PositiveSmallIntegerField(_("clinical hours"), default=0)
    theory_max = models.PositiveSmallIntegerField(_("theory maximum mark"), default=100)
    theory_pass = models.PositiveSmallIntegerField(_("theory pass mark"), default=50)
    practical_max = models.PositiveSmallIntegerField(
        _("practical maximum mark"),
        default=0,
        help_text=_("0 when the course has no practical assessment."),
    )
    practical_pass = models.PositiveSmallIntegerField(
        _("practical pass mark"), default=0
    )
    prerequisites = models.ManyToManyField(
        "self",
        verbose_name=_("prerequisites"),
        symmetrical=False,
        blank=True,
        related_name="required_by",
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    access_rule = AccessRule.reference_data()
    panels = [
        FieldPanel("version"),
        FieldRowPanel([FieldPanel("year"), FieldPanel("term"), FieldPanel("code")]),
        FieldRowPanel([FieldPanel("title_ar"), FieldPanel("title_en")]),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("theory_hours"),
                        FieldPanel("practical_hours"),
                        FieldPanel("clinical_hours"),
                    ]
                ),
            ],
            heading=_("Hours"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("theory_max"), FieldPanel("theory_pass")]),
                FieldRowPanel(
                    [FieldPanel("practical_max"), FieldPanel("practical_pass")]
                ),
            ],
            heading=_("Marks"),
        ),
        FieldPanel("prerequisites"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["version", "year", "term", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "code"],
                name="course_unique_code_per_version",
                violation_error_message=_(
                    "This curriculum version already has a course with this code."
                ),
            ),
            models.CheckConstraint(
                name="course_year_in_programme",
                violation_error_message=_("The year is 1 to 5."),
                condition=Q(year__gte=1) & Q(year__lte=YEARS_OF_STUDY),
            ),
            models.CheckConstraint(
                name="course_theory_pass_within_max",
                violation_error_message=_(
                    "The theory pass mark cannot exceed the theory maximum."
                ),
                condition=Q(theory_pass__lte=F("theory_max")),
            ),
            models.CheckConstraint(
                name="course_practical_pass_within_max",
                violation_error_message=_(
                    "The practical pass mark cannot exceed the practical maximum."
                ),
                condition=Q(practical_pass__lte=F("practical_max")),
            ),
            models.CheckConstraint(
                name="course_has_a_mark",
                violation_error_message=_(
                    "A course is marked in theory, practice or both: give a maximum above 0."
                ),
                condition=Q(theory_max__gt=0) | Q(practical_max__gt=0),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def total_max(self) -> int:
        return self.theory_max + self.practical_max

    def clean(self):
        super().clean()
        errors = {}
        if self.theory_pass > self.theory_max:
            errors["theory_pass"] = _("The pass mark cannot be above the maximum mark.")
        if self.practical_pass > self.practical_max:
            errors["practical_pass"] = _(
                "The pass mark cannot be above the maximum mark."
            )
        if not self.theory_max and not self.practical_max:
            errors["theory_max"] = _(
                "A course needs a theory or a practical maximum mark."
            )
        if errors:
            raise ValidationError(errors)


class Competency(VersionPartMixin):
    """A clinical competency students sign off in a year (e.g. IV cannulation)."""

    version = models.ForeignKey(
        CurriculumVersion,
        verbose_name=_("curriculum version"),
        on_delete=models.PROTECT,
        related_name="competencies",
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    code = models.CharField(_("code"), max_length=20)
    title_ar = models.CharField(_("title (Arabic)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_ar = models.TextField(_("description (Arabic)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)

    access_rule = AccessRule.reference_data()
    panels = [
        FieldPanel("version"),
        FieldRowPanel([FieldPanel("year"), FieldPanel("code")]),
        FieldRowPanel([FieldPanel("title_ar"), FieldPanel("title_en")]),
        FieldRowPanel([FieldPanel("description_ar"), FieldPanel("description_en")]),
    ]

    class Meta:
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")
        ordering = ["version", "year", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "code"],
                name="competency_unique_code_per_version",
                violation_error_message=_(
                    "This curriculum version already has a competency with this code."
                ),
            ),
            models.CheckConstraint(
                name="competency_year_in_programme",
                violation_error_message=_("The year is 1 to 5."),
                condition=Q(year__gte=1) & Q(year__lte=YEARS_OF_STUDY),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"

    @property
    def title(self) -> str:
        return localized(self, "title")


class YearRequirement(VersionPartMixin):
    """What one year of a curriculum version requires besides passing its courses."""

    version = models.ForeignKey(
        CurriculumVersion,
        verbose_name=_("curriculum version"),
        on_delete=models.PROTECT,
        related_name="year_requirements",
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    required_clinical_hours = models.PositiveSmallIntegerField(
        _("required clinical hours"), default=0
    )

    access_rule = AccessRule.reference_data()
    panels = [
        FieldPanel("version"),
        FieldRowPanel([FieldPanel("year"), FieldPanel("required_clinical_hours")]),
    ]

    class Meta:
        verbose_name = _("year requirement")
        verbose_name_plural = _("year requirements")
        ordering = ["version", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "year"],
                name="year_requirement_unique_year",
                violation_error_message=_(
                    "This curriculum version already has the requirements of this year."
                ),
            ),
            models.CheckConstraint(
                name="year_requirement_year_in_programme",
                violation_error_message=_("The year is 1 to 5."),
                condition=Q(year__gte=1) & Q(year__lte=YEARS_OF_STUDY),
            ),
        ]

    def __str__(self) -> str:
        return ngettext(
            "Year %(year)s: %(hours)s clinical hour",
            "Year %(year)s: %(hours)s clinical hours",
            self.required_clinical_hours,
        ) % {
            "year": self.year,
            "hours": self.required_clinical_hours,
        }


class GradeBand(BilingualNameMixin, VersionPartMixin):
    """One verbal grade (التقدير) of a curriculum version, from `min_percent` up.

    A transcript's percentage (obtained / maximum marks) gets the band with the highest
    `min_percent` it reaches. A version without bands uses Egypt's technical-nursing
    bands (`DEFAULT_GRADE_BANDS`); edited under Students → Grade bands, frozen with the
    version like its courses.
    """

    version = models.ForeignKey(
        CurriculumVersion,
        verbose_name=_("curriculum version"),
        on_delete=models.CASCADE,
        related_name="grade_bands",
    )
    min_percent = models.DecimalField(
        _("from (percent)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("The lowest percentage that earns this grade, e.g. 85."),
    )
    name_ar = models.CharField(_("grade (Arabic)"), max_length=60)
    name_en = models.CharField(_("grade (English)"), max_length=60, blank=True)
    passing = models.BooleanField(
        _("passing grade"),
        default=True,
        help_text=_("Untick for the failing band (ضعيف)."),
    )

    access_rule = AccessRule.reference_data()
    panels = [
        FieldPanel("version"),
        FieldRowPanel([FieldPanel("min_percent"), FieldPanel("passing")]),
        FieldRowPanel([FieldPanel("name_ar"), FieldPanel("name_en")]),
    ]

    class Meta:
        verbose_name = _("grade band")
        verbose_name_plural = _("grade bands")
        ordering = ["version", "-min_percent"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "min_percent"],
                name="grade_band_unique_threshold",
                violation_error_message=_(
                    "This curriculum version already has a grade band starting at "
                    "this percentage."
                ),
            ),
            models.CheckConstraint(
                name="grade_band_percent_in_range",
                condition=Q(min_percent__gte=0) & Q(min_percent__lte=100),
                violation_error_message=_(
                    "A grade band starts at a percentage from 0 to 100."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (≥ {self.min_percent.normalize():f}%)"


# Egypt's technical-nursing institutes (docs/curriculum.md, "Grade bands"):
# (from percent, Arabic, English, passing).
DEFAULT_GRADE_BANDS = (
    (85, "ممتاز", "Excellent", True),
    (75, "جيد جدًا", "Very good", True),
    (65, "جيد", "Good", True),
    (50, "مقبول", "Pass", True),
    (0, "ضعيف", "Weak", False),
)
