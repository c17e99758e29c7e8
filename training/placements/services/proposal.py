"""Proposing a rotation block's placements and applying the proposal in one
transaction (the algorithm itself is `training.placements.proposal_algorithm`)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F

from institutes.access import Role
from institutes.models import RoleAssignment, Ward

from ..models import (
    ACTIVE_PLACEMENT,
    BlockWard,
    Placement,
    PlacementDay,
    PlacementStatus,
    PlacementStatusChange,
    RotationBlock,
    WardShiftLoad,
)
from ..proposal_algorithm import (
    Proposal,
    StudentNeed,
    WardOffer,
    propose,
    required_specialties,
)
from .booking import placement_book, ward_is_training_site

# --- The proposal --------------------------------------------------------------------


@dataclass
class ProposalResult:
    booked: list[Placement] = field(default_factory=list)
    refused: list[tuple[object, str]] = field(default_factory=list)
    unplaced: list[tuple[object, tuple[datetime.date, datetime.date]]] = field(
        default_factory=list
    )


def _block_students(block: RotationBlock):
    from students.models import Student, StudentStatus

    students = Student.objects.filter(
        cohort=block.cohort_id, status=StudentStatus.ENROLLED
    )
    if block.students.exists():
        students = students.filter(rotation_blocks=block)
    return students.select_related("person").order_by("pk")


def proposal_build(*, block: RotationBlock) -> tuple[Proposal, dict]:
    """Read what the proposal needs (a fixed number of queries) and run it."""
    rotations = block.rotations()
    block_wards = list(block.block_wards.select_related("ward"))
    students = list(_block_students(block))
    student_ids = [s.pk for s in students]
    # Specialties already done this year (earlier blocks of the same year).
    covered: dict[int, set[str]] = defaultdict(set)
    visited: dict[int, set[int]] = defaultdict(set)
    taken: dict[tuple[int, int], None] = {}
    for student_id, specialty, ward_id, block_id, start in Placement.objects.filter(
        student_id__in=student_ids,
        block__year=block.year,
        status__in=(*ACTIVE_PLACEMENT, PlacementStatus.COMPLETED),
    ).values_list("student_id", "ward__specialty", "ward_id", "block_id", "start_date"):
        covered[student_id].add(specialty)
        visited[student_id].add(ward_id)
        if block_id == block.pk:
            for index, (r_start, r_end) in enumerate(rotations):
                if r_start <= start <= r_end:
                    taken[(student_id, index)] = None
    # Free places per ward and rotation: the block's share, less what this block
    # already holds, and the ward's capacity less what everybody holds.
    ward_ids = [bw.ward_id for bw in block_wards]
    loads: dict[tuple[int, datetime.date], int] = {}
    for ward_id, d, booked, cap in WardShiftLoad.objects.filter(
        ward_id__in=ward_ids,
        shift=block.shift,
        date__gte=block.start_date,
        date__lte=block.end_date,
    ).values_list("ward_id", "date", "booked", "capacity"):
        loads[(ward_id, d)] = cap - booked
    own: dict[tuple[int, datetime.date], int] = defaultdict(int)
    for row in (
        PlacementDay.objects.filter(placement__block=block)
        .values("ward_id", "date")
        .annotate(n=Count("pk"))
    ):
        own[(row["ward_id"], row["date"])] = row["n"]
    offers = []
    for bw in block_wards:
        free = []
        for r_start, r_end in rotations:
            days = block.working_days(r_start, r_end)
            free.append(
                min(
                    min(
                        bw.places - own[(bw.ward_id, d)],
                        loads.get((bw.ward_id, d), bw.ward.student_capacity),
                    )
                    for d in days
                )
                if days and bw.ward.is_active
                else 0
            )
        offers.append(WardOffer(bw.ward_id, bw.ward.specialty, bw.places, tuple(free)))
    proposal = propose(
        students=[StudentNeed(s.pk, covered[s.pk], visited[s.pk]) for s in students],
        wards=offers,
        rotations=len(rotations),
        requirements=required_specialties(block.year),
        taken=taken,
    )
    context = {
        "rotations": rotations,
        "students": {s.pk: s for s in students},
        "wards": {bw.ward_id: bw.ward for bw in block_wards},
    }
    return proposal, context


def _default_supervisor(ward_id: int, supervisors: dict[int, list], counts) -> object:
    choices = supervisors.get(ward_id) or []
    if not choices:
        return None
    best = min(choices, key=lambda u: (counts[(ward_id, u.pk)], u.pk))
    counts[(ward_id, best.pk)] += 1
    return best


class _GroupRefused(Exception):
    """A group booking found a change since the proposal was read (falls back)."""


def _book_group(
    *, block: RotationBlock, ward: Ward, members: list, start, end, by
) -> list[Placement]:
    """Book several students of the proposal into one ward for one rotation at once.

    The same guarantees as `_book_days`, paid once per ward and rotation instead of
    once per student: the load rows are locked in date order, every day must have
    room for all of them (and the block's share), none of them may be placed on those
    days already; then one UPDATE raises `booked` by the group's size (the check
    constraint is the backstop) and the placements, their history and their days are
    bulk-inserted (the triggers and the unique (student, date) constraint still
    check every row). Raises `_GroupRefused` when anything changed since the proposal
    was read; the caller then books one by one to say exactly why.
    """
    days = block.working_days(start, end)
    n = len(members)
    WardShiftLoad.objects.bulk_create(
        [
            WardShiftLoad(
                ward=ward, date=d, shift=block.shift, capacity=ward.student_capacity
            )
            for d in days
        ],
        ignore_conflicts=True,
    )
    loads = list(
        WardShiftLoad.objects.select_for_update()
        .filter(ward=ward, shift=block.shift, date__in=days)
        .order_by("date")
        .values_list("pk", "booked", "capacity")
    )
    if any(booked + n > cap for _pk, booked, cap in loads):
        raise _GroupRefused
    places = (
        BlockWard.objects.filter(block=block, ward=ward)
        .values_list("places", flat=True)
        .first()
    )
    if places is not None and (
        PlacementDay.objects.filter(placement__block=block, ward=ward, date__in=days)
        .values("date")
        .annotate(c=Count("pk"))
        .filter(c__gt=places - n)
        .exists()
    ):
        raise _GroupRefused
    if PlacementDay.objects.filter(
        student__in=[student for student, _sup in members], date__in=days
    ).exists():
        raise _GroupRefused
    placements = Placement.objects.bulk_create(
        [
            Placement(
                block=block,
                student=student,
                ward=ward,
                supervisor=supervisor,
                start_date=start,
                end_date=end,
            )
            for student, supervisor in members
        ]
    )
    PlacementStatusChange.objects.bulk_create(
        [
            PlacementStatusChange(
                placement=p,
                from_status="",
                to_status=PlacementStatus.PLANNED,
                changed_by=by,
            )
            for p in placements
        ]
    )
    WardShiftLoad.objects.filter(pk__in=[row[0] for row in loads]).update(
        booked=F("booked") + n
    )
    PlacementDay.objects.bulk_create(
        [
            PlacementDay(
                placement=p, student=p.student, ward=ward, date=d, shift=block.shift
            )
            for p in placements
            for d in days
        ],
        batch_size=2000,
    )
    return placements


@transaction.atomic
def proposal_apply(*, block: RotationBlock, by=None) -> ProposalResult:
    """Build the proposal and book it.

    Students going to the same ward in the same rotation are booked together
    (`_book_group`, a fixed number of queries per ward and rotation) on a savepoint;
    if the ward changed meanwhile (another institute took places), that group is
    booked one student at a time instead, each on its own savepoint, so refusals are
    reported with their reason and the rest is kept.
    """
    proposal, context = proposal_build(block=block)
    rotations = context["rotations"]
    students = context["students"]
    wards = context["wards"]
    institute = block.cohort.institute
    supervisors: dict[int, list] = defaultdict(list)
    for ra in RoleAssignment.objects.filter(
        role=Role.SUPERVISOR, ward_id__in=list(wards)
    ).select_related("user"):
        supervisors[ra.ward_id].append(ra.user)
    counts: dict[tuple[int, int], int] = defaultdict(int)
    groups: dict[tuple[int, int], list] = defaultdict(list)
    for a in proposal.assignments:
        groups[(a.rotation, a.ward_id)].append(
            (
                students[a.student_id],
                _default_supervisor(a.ward_id, supervisors, counts),
            )
        )
    result = ProposalResult()
    for (rotation, ward_id), members in sorted(groups.items()):
        start, end = rotations[rotation]
        ward = wards[ward_id]
        if ward_is_training_site(institute=institute, ward=ward) and ward.is_active:
            try:
                with transaction.atomic():
                    result.booked.extend(
                        _book_group(
                            block=block,
                            ward=ward,
                            members=members,
                            start=start,
                            end=end,
                            by=by,
                        )
                    )
                continue
            except (_GroupRefused, IntegrityError):
                pass
        for student, supervisor in members:
            try:
                with transaction.atomic():
                    result.booked.append(
                        placement_book(
                            block=block,
                            student=student,
                            ward=ward,
                            start_date=start,
                            end_date=end,
                            supervisor=supervisor,
                            by=by,
                        )
                    )
            except ValidationError as exc:
                result.refused.append((student, " ".join(exc.messages)))
    for u in proposal.unplaced:
        result.unplaced.append((students[u.student_id], rotations[u.rotation]))
    return result
