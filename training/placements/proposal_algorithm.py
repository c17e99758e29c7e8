"""The automatic proposal: spread a cohort's students across a block's wards.

Pure functions over plain data (no database), so the algorithm is tested and timed
on its own; `training.placements.services.proposal_build` feeds it from the database
and `proposal_apply` books the result through the same booking service as a manual
placement (so the database guarantees still decide).

The block is cut into rotations. For each rotation, students are served most-needy
first (most year requirements still uncovered); each takes the ward that

1. covers one of their uncovered specialty requirements,
2. they have not been in already during this block,
3. has the most free places left relative to its size (spreads students evenly),

among wards with a free place on *every* day of the rotation (the free places of a
ward for a rotation are the minimum over its days of the block's share and of the
ward's capacity minus what other blocks hold). Cost: O(rotations × students × wards).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.conf import settings

from institutes.models import Specialty

#: For each year of study, the specialty groups a student must rotate through; a
#: group is met by a ward of any of its specialties ("medical-surgical" is either).
DEFAULT_REQUIRED_SPECIALTIES: dict[int, tuple[frozenset[str], ...]] = {
    1: (frozenset({Specialty.MEDICAL, Specialty.SURGICAL}),),
    2: (
        frozenset({Specialty.MEDICAL}),
        frozenset({Specialty.SURGICAL, Specialty.OR}),
    ),
    3: (
        frozenset({Specialty.MEDICAL, Specialty.SURGICAL}),
        frozenset({Specialty.PAEDIATRICS, Specialty.NICU}),
        frozenset({Specialty.ER}),
    ),
    4: (
        frozenset({Specialty.OBSTETRICS}),
        frozenset({Specialty.PAEDIATRICS, Specialty.NICU}),
        frozenset({Specialty.MEDICAL, Specialty.SURGICAL}),
    ),
    5: (
        frozenset({Specialty.ICU}),
        frozenset({Specialty.ER, Specialty.OR}),
        frozenset({Specialty.DIALYSIS, Specialty.MEDICAL}),
    ),
}


def required_specialties(year: int) -> tuple[frozenset[str], ...]:
    """The specialty groups of `year` (settings.PLACEMENT_REQUIRED_SPECIALTIES wins)."""
    configured = getattr(settings, "PLACEMENT_REQUIRED_SPECIALTIES", None)
    if configured and year in configured:
        return tuple(frozenset(group) for group in configured[year])
    return DEFAULT_REQUIRED_SPECIALTIES.get(year, ())


@dataclass
class StudentNeed:
    """A student and the specialties they already did this year."""

    student_id: int
    covered: set[str] = field(default_factory=set)
    visited_wards: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class WardOffer:
    """A ward of the block: its specialty and free places for each rotation."""

    ward_id: int
    specialty: str
    places: int
    free: Sequence[int]


@dataclass(frozen=True)
class Assignment:
    student_id: int
    rotation: int
    ward_id: int


@dataclass(frozen=True)
class Unplaced:
    student_id: int
    rotation: int


@dataclass
class Proposal:
    assignments: list[Assignment]
    unplaced: list[Unplaced]

    def for_rotation(self, rotation: int) -> list[Assignment]:
        return [a for a in self.assignments if a.rotation == rotation]


def _unmet(need: StudentNeed, groups: Iterable[frozenset[str]]) -> list[frozenset]:
    return [g for g in groups if not (g & need.covered)]


def propose(
    *,
    students: Sequence[StudentNeed],
    wards: Sequence[WardOffer],
    rotations: int,
    requirements: Sequence[frozenset[str]],
    taken: Mapping[tuple[int, int], None] | None = None,
) -> Proposal:
    """Assign each student one ward per rotation; see the module docstring.

    `taken` holds (student_id, rotation) pairs already placed by hand, which the
    proposal leaves alone.
    """
    taken = taken or {}
    assignments: list[Assignment] = []
    unplaced: list[Unplaced] = []
    # Work on copies: the callers' objects stay as they were given.
    students = [
        StudentNeed(s.student_id, set(s.covered), set(s.visited_wards))
        for s in students
    ]
    for rotation in range(rotations):
        left = {w.ward_id: w.free[rotation] for w in wards}
        size = {w.ward_id: max(w.places, 1) for w in wards}
        specialty = {w.ward_id: w.specialty for w in wards}
        order = sorted(
            (s for s in students if (s.student_id, rotation) not in taken),
            key=lambda s: (
                -len(_unmet(s, requirements)),
                # A rotating tie-break so the same students are not always served
                # last in every rotation.
                (s.student_id * 7919 + rotation * 104729) % 1_000_003,
            ),
        )
        for need in order:
            unmet = _unmet(need, requirements)
            best = None
            best_key = None
            for ward_id, free in left.items():
                if free <= 0:
                    continue
                covers = any(specialty[ward_id] in g for g in unmet)
                key = (
                    0 if covers else 1,
                    1 if ward_id in need.visited_wards else 0,
                    -free / size[ward_id],
                    ward_id,
                )
                if best_key is None or key < best_key:
                    best, best_key = ward_id, key
            if best is None:
                unplaced.append(Unplaced(need.student_id, rotation))
                continue
            left[best] -= 1
            need.covered.add(specialty[best])
            need.visited_wards.add(best)
            assignments.append(Assignment(need.student_id, rotation, best))
    return Proposal(assignments, unplaced)
