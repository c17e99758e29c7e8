"""Writes to curricula: freezing a version once it is used, copying it into a new one."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    Competency,
    Course,
    CurriculumVersion,
    GradeBand,
    Programme,
    YearRequirement,
)


def curriculum_version_for_intake(
    *, programme: Programme, intake_year: int
) -> CurriculumVersion | None:
    """The version that applies to an intake: the newest one starting at or before it."""
    return (
        CurriculumVersion.objects.filter(
            programme=programme, applies_from_intake__lte=intake_year
        )
        .order_by("-applies_from_intake")
        .first()
    )


def curriculum_version_freeze(*, version: CurriculumVersion) -> CurriculumVersion:
    """Mark a version as in use (idempotent); its parts can no longer change."""
    if version.frozen_at is None:
        CurriculumVersion.objects.filter(pk=version.pk, frozen_at__isnull=True).update(
            frozen_at=timezone.now()
        )
        version.refresh_from_db(fields=["frozen_at"])
    return version


@transaction.atomic
def curriculum_version_copy(
    *,
    version: CurriculumVersion,
    code: str,
    applies_from_intake: int,
    name_ar: str = "",
    name_en: str = "",
) -> CurriculumVersion:
    """Copy a version (courses, prerequisites, competencies, requirements, grade bands)
    into a new one.

    This is how a frozen curriculum is changed: the copy is editable until a cohort
    uses it.
    """
    if applies_from_intake <= version.applies_from_intake:
        raise ValidationError(
            {
                "applies_from_intake": _(
                    "The new version must apply from a later intake than the one it "
                    "copies."
                )
            }
        )
    new = CurriculumVersion(
        programme=version.programme,
        code=code,
        name_ar=name_ar or version.name_ar,
        name_en=name_en or version.name_en,
        applies_from_intake=applies_from_intake,
        max_failed_courses_carried=version.max_failed_courses_carried,
    )
    new.full_clean()
    new.save()
    by_old_pk: dict[int, Course] = {}
    for course in version.courses.all():
        old_pk = course.pk
        course.pk = None
        course.id = None
        course._state.adding = True
        course.version = new
        course.save()
        by_old_pk[old_pk] = course
    for old_pk, course in by_old_pk.items():
        prereq_ids = Course.prerequisites.through.objects.filter(
            from_course_id=old_pk
        ).values_list("to_course_id", flat=True)
        course.prerequisites.set(
            [by_old_pk[pk] for pk in prereq_ids if pk in by_old_pk]
        )
    Competency.objects.bulk_create(
        Competency(
            version=new,
            year=c.year,
            code=c.code,
            title_ar=c.title_ar,
            title_en=c.title_en,
            description_ar=c.description_ar,
            description_en=c.description_en,
        )
        for c in version.competencies.all()
    )
    YearRequirement.objects.bulk_create(
        YearRequirement(
            version=new, year=r.year, required_clinical_hours=r.required_clinical_hours
        )
        for r in version.year_requirements.all()
    )
    GradeBand.objects.bulk_create(
        GradeBand(
            version=new,
            min_percent=b.min_percent,
            name_ar=b.name_ar,
            name_en=b.name_en,
            passing=b.passing,
        )
        for b in version.grade_bands.all()
    )
    return new
