"""Factories for clinical placements (tests, demo-sized and synthetic data).

Placements are booked through `training.placements.services.placement_book`, never
inserted directly, so factories exercise the same guarantees as the screens.
"""

from __future__ import annotations

import datetime

import factory

from institutes.factories import scope_sample
from students.factories import CohortFactory, StudentFactory

from .models import BlockWard, Placement, RotationBlock, Shift
from .services import placement_book


class RotationBlockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RotationBlock

    cohort = factory.SubFactory(CohortFactory)
    year = 2
    name_ar = factory.Sequence(lambda n: f"دورة تدريب إكلينيكي {n}")
    name_en = factory.Sequence(lambda n: f"Clinical rotation {n}")
    # A Saturday; four weeks.
    start_date = datetime.date(2026, 10, 3)
    end_date = datetime.date(2026, 10, 29)
    shift = Shift.MORNING
    weekdays = "560123"
    rotation_weeks = 4


class BlockWardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BlockWard

    block = factory.SubFactory(RotationBlockFactory)
    ward = None
    places = 2


def book(
    *, block, student=None, ward, start=None, end=None, supervisor=None, **kwargs
) -> Placement:
    """Book a placement through the service (defaults: the whole block)."""
    if student is None:
        student = StudentFactory(cohort=block.cohort, year_of_study=block.year)
    return placement_book(
        block=block,
        student=student,
        ward=ward,
        start_date=start or block.start_date,
        end_date=end or block.end_date,
        supervisor=supervisor,
        **kwargs,
    )


@scope_sample(RotationBlock, marker="name_ar")
def _block_sample(side):
    cohort = CohortFactory(institute=side.institute)
    block = RotationBlockFactory(
        cohort=cohort, name_ar=f"دورة {side.institute.code}", name_en="Block"
    )
    BlockWardFactory(block=block, ward=side.ward, places=2)
    return block


@scope_sample(Placement, marker="student")
def _placement_sample(side):
    block = _block_sample(side)
    student = StudentFactory(
        cohort=block.cohort, student_number=f"PLC-{side.institute.code}"
    )
    return book(
        block=block, student=student, ward=side.ward, supervisor=side.supervisor
    )
