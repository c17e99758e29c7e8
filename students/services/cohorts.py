"""Cohorts (intakes) and their places."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import ngettext

from curriculum.models import CurriculumVersion
from curriculum.services import curriculum_version_freeze
from institutes.models import Institute

from ..models import (
    Cohort,
    StudentStatus,
)
from .errors import CohortFull

# Statuses that take a place in a cohort.
SEATED = (StudentStatus.ADMITTED, StudentStatus.ENROLLED, StudentStatus.SUSPENDED)


# --- Cohorts ---------------------------------------------------------------------


@transaction.atomic
def cohort_create(
    *,
    institute: Institute,
    intake_year: int,
    curriculum_version: CurriculumVersion,
    capacity: int | None = None,
) -> Cohort:
    """Open an intake of an institute; freezes the curriculum version it follows."""
    cohort = Cohort(
        institute=institute,
        intake_year=intake_year,
        curriculum_version=curriculum_version,
        capacity=capacity or institute.intake_capacity,
    )
    cohort.full_clean()
    cohort.save()
    curriculum_version_freeze(version=curriculum_version)
    return cohort


def cohort_seats_taken(cohort: Cohort) -> int:
    return cohort.students.filter(status__in=SEATED).count()


def _ensure_seat(cohort: Cohort, *, extra: int = 1) -> None:
    # Lock the cohort row so two registrars can't take the last seat together.
    locked = Cohort.objects.select_for_update().get(pk=cohort.pk)
    taken = cohort_seats_taken(locked)
    if taken + extra > locked.capacity:
        raise CohortFull(
            ngettext(
                "The cohort %(cohort)s is full: %(taken)s of %(capacity)s place is "
                "taken.",
                "The cohort %(cohort)s is full: %(taken)s of %(capacity)s places are "
                "taken.",
                locked.capacity,
            )
            % {
                "cohort": locked.intake_label,
                "taken": taken,
                "capacity": locked.capacity,
            },
            code="cohort_full",
        )
