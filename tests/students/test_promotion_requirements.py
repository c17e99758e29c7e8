"""The promotion-requirements registry and the rollover's use of it.

Another app (placements) registers a checker; here a stand-in checker blocks chosen
students, so the students app is tested without importing any other app of ours.
"""

import pytest

from students import services
from students.factories import enrolled_student
from students.models import Enrolment, EventKind, StudentStatus, YearOutcome


@pytest.fixture
def blocker():
    """A checker blocking the students in `blocked`; records how it was called."""
    state = {"blocked": set(), "calls": []}

    def check(enrolments):
        state["calls"].append([e.student_id for e in enrolments])
        return {
            e.student_id: [f"clinical hours missing for {e.student_id}"]
            for e in enrolments
            if e.student_id in state["blocked"]
        }

    services.register_promotion_requirement("test.blocker", check)
    yield state
    services.unregister_promotion_requirement("test.blocker")


def _pass_year(cohort, students, year=1):
    courses = list(cohort.curriculum_version.courses.filter(year=year))
    enrolments = [s.enrolments.get() for s in students]
    for course in courses:
        services.results_save(
            course=course,
            enrolments=enrolments,
            marks={e.pk: {"theory": "70", "practical": "40"} for e in enrolments},
        )
    return enrolments


def test_unmet_promotion_requirement_blocks_and_says_why(cohort, blocker):
    students = [enrolled_student(cohort) for _ in range(3)]
    _pass_year(cohort, students)
    blocker["blocked"] = {students[1].pk}
    lines = {
        line.student.pk: line
        for line in services.rollover_preview(cohort=cohort, academic_year=2025)
    }
    assert lines[students[0].pk].decision == services.Decision.PROMOTE
    blocked = lines[students[1].pk]
    assert blocked.decision == services.Decision.BLOCKED
    assert blocked.reasons == [f"clinical hours missing for {students[1].pk}"]
    # One call for the whole cohort.
    assert len(blocker["calls"]) == 1

    summary = services.rollover_confirm(cohort=cohort, academic_year=2025)
    assert (summary.promoted, summary.blocked) == (2, 1)
    stuck = Enrolment.objects.get(student=students[1], academic_year=2025)
    assert stuck.outcome == YearOutcome.IN_PROGRESS
    assert not Enrolment.objects.filter(student=students[1], academic_year=2026)
    students[1].refresh_from_db()
    assert (students[1].status, students[1].year_of_study) == (
        StudentStatus.ENROLLED,
        1,
    )

    # Re-running changes nothing while it is unmet …
    again = services.rollover_confirm(cohort=cohort, academic_year=2025)
    assert (again.moved, again.blocked) == (0, 1)
    # … and promotes once it is met; a third run is a no-op.
    blocker["blocked"] = set()
    met = services.rollover_confirm(cohort=cohort, academic_year=2025)
    assert (met.promoted, met.blocked) == (1, 0)
    assert students[1].events.filter(kind=EventKind.PROMOTED).count() == 1
    assert services.rollover_confirm(cohort=cohort, academic_year=2025).moved == 0


def test_repeaters_and_missing_marks_keep_their_own_decision(cohort, blocker):
    students = [enrolled_student(cohort) for _ in range(2)]
    enrolments = _pass_year(cohort, students)
    courses = list(cohort.curriculum_version.courses.filter(year=1))
    for course in courses:
        services.results_save(
            course=course,
            enrolments=enrolments,
            marks={enrolments[0].pk: {"theory": "10", "practical": "40"}},
            reason="تصحيح",
        )
    blocker["blocked"] = {s.pk for s in students}
    lines = {
        line.student.pk: line
        for line in services.rollover_preview(cohort=cohort, academic_year=2025)
    }
    # Failing too many courses repeats the year whatever the clinical record says.
    assert lines[students[0].pk].decision == services.Decision.REPEAT
    assert lines[students[1].pk].decision == services.Decision.BLOCKED


def test_final_year_is_not_asked_for_promotion(cohort, blocker):
    student = enrolled_student(cohort, year_of_study=5)
    services.rollover_preview(cohort=cohort, academic_year=2029)
    assert blocker["calls"] == []  # year 5 goes through the graduation requirements
    assert services.promotion_requirements([]) == {}
    assert student.enrolments.get().year_of_study == 5


def test_preview_queries_do_not_grow_with_the_cohort(
    cohort, blocker, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    few = [enrolled_student(cohort) for _ in range(2)]
    _pass_year(cohort, few)
    with CaptureQueriesContext(connection) as small:
        services.rollover_preview(cohort=cohort, academic_year=2025)
    more = [enrolled_student(cohort) for _ in range(8)]
    _pass_year(cohort, more)
    blocker["blocked"] = {s.pk for s in more[:3]}
    with django_assert_max_num_queries(len(small)):
        lines = services.rollover_preview(cohort=cohort, academic_year=2025)
    assert len(lines) == 10
