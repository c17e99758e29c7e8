"""The automatic proposal as a pure function: capacity, requirements, spreading."""

from collections import Counter

from training.placements.proposal_algorithm import (
    StudentNeed,
    WardOffer,
    propose,
    required_specialties,
)

YEAR4 = required_specialties(4)


def _wards():
    return [
        WardOffer(1, "obstetrics", 2, (2, 2, 2)),
        WardOffer(2, "paediatrics", 2, (2, 2, 2)),
        WardOffer(3, "medical", 2, (2, 2, 2)),
    ]


def test_every_student_covers_every_requirement_when_places_allow():
    students = [StudentNeed(i) for i in range(6)]
    proposal = propose(
        students=students, wards=_wards(), rotations=3, requirements=YEAR4
    )
    assert not proposal.unplaced
    by_student = {}
    for a in proposal.assignments:
        by_student.setdefault(a.student_id, set()).add(a.ward_id)
    assert all(wards == {1, 2, 3} for wards in by_student.values())


def test_no_ward_gets_more_than_its_free_places_in_any_rotation():
    students = [StudentNeed(i) for i in range(10)]
    wards = [
        WardOffer(1, "obstetrics", 3, (3, 1, 0)),
        WardOffer(2, "medical", 2, (2, 2, 2)),
    ]
    proposal = propose(students=students, wards=wards, rotations=3, requirements=YEAR4)
    load = Counter((a.rotation, a.ward_id) for a in proposal.assignments)
    for w in wards:
        for r in range(3):
            assert load[(r, w.ward_id)] <= w.free[r]
    assert len(proposal.unplaced) == 10 * 3 - sum(load.values())


def test_students_who_already_did_a_specialty_leave_it_to_others():
    done = StudentNeed(1, covered={"obstetrics"})
    fresh = StudentNeed(2)
    wards = [WardOffer(1, "obstetrics", 1, (1,)), WardOffer(2, "medical", 1, (1,))]
    proposal = propose(
        students=[done, fresh], wards=wards, rotations=1, requirements=YEAR4
    )
    got = {a.student_id: a.ward_id for a in proposal.assignments}
    assert got == {2: 1, 1: 2}
    assert done.covered == {"obstetrics"}  # the caller's objects are not changed


def test_students_placed_by_hand_are_left_alone():
    students = [StudentNeed(1), StudentNeed(2)]
    proposal = propose(
        students=students,
        wards=_wards(),
        rotations=2,
        requirements=YEAR4,
        taken={(1, 0): None},
    )
    assert (1, 0) not in {(a.student_id, a.rotation) for a in proposal.assignments}
    assert (2, 0) in {(a.student_id, a.rotation) for a in proposal.assignments}


def test_spreads_students_over_wards_of_equal_need():
    students = [
        StudentNeed(i, covered={"obstetrics", "paediatrics", "medical"})
        for i in range(6)
    ]
    wards = [WardOffer(w, "icu", 6, (6,)) for w in (1, 2, 3)]
    proposal = propose(students=students, wards=wards, rotations=1, requirements=YEAR4)
    assert sorted(Counter(a.ward_id for a in proposal.assignments).values()) == [
        2,
        2,
        2,
    ]
