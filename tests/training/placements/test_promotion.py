"""Clinical results feed the year rollover: a student whose finished year's clinical
hours or competencies are incomplete is blocked (not promoted), with why."""

import datetime

import pytest

from django.utils import translation

from students import services
from students.factories import enrolled_student
from students.models import Enrolment, YearOutcome
from training.models import SignOffLevel
from training.placements.factories import RotationBlockFactory
from training.placements.selectors import clinical_promotion_unmet
from training.placements.services import (
    hours_decide,
    hours_record,
    placement_book,
    placement_transition,
    signoff_record,
)

from .fixtures import site_fixture  # noqa: F401

D = datetime.date
YEAR = 2026  # the site's cohort (intake 2023) is in year 4 in 2026/27
FIRST_DAYS = (D(2026, 10, 3), D(2026, 10, 4))


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _placed(site, student):
    p = placement_book(
        block=site.block,
        student=student,
        ward=site.ward,
        start_date=site.block.start_date,
        end_date=site.block.end_date,
        supervisor=site.supervisor,
    )
    placement_transition(placement=p, to_status="confirmed")
    placement_transition(placement=p, to_status="in_progress")
    p.refresh_from_db()
    return p


def _complete(site, p, hours_days=FIRST_DAYS):
    for day in hours_days:
        entry = hours_record(placement=p, date=day, hours=7, by=site.instructor)
        hours_decide(entry=entry, approve=True, by=site.supervisor)
    for c in site.competencies:
        signoff_record(
            placement=p,
            competency=c,
            level=SignOffLevel.INDEPENDENT,
            assessed_on=D(2026, 10, 4),
            by=site.supervisor,
        )


def _lines(site):
    return {
        line.student.pk: line
        for line in services.rollover_preview(cohort=site.cohort, academic_year=YEAR)
    }


def test_clinical_blocker_in_the_rollover_and_rerun(site):
    done = enrolled_student(site.cohort, year_of_study=4)
    short = enrolled_student(site.cohort, year_of_study=4)
    unplaced = enrolled_student(site.cohort, year_of_study=4)
    _complete(site, _placed(site, done))
    p = _placed(site, short)
    entry = hours_record(placement=p, date=D(2026, 10, 3), hours=6, by=site.instructor)
    hours_decide(entry=entry, approve=True, by=site.supervisor)

    lines = _lines(site)
    assert lines[done.pk].decision == services.Decision.PROMOTE
    assert lines[short.pk].decision == services.Decision.BLOCKED
    reasons = " ".join(str(r) for r in lines[short.pk].reasons)
    assert "Year 4: 6 of 14 clinical hours approved." in reasons
    assert site.competencies[0].code in reasons
    assert lines[unplaced.pk].decision == services.Decision.BLOCKED
    assert "0 of 14" in " ".join(str(r) for r in lines[unplaced.pk].reasons)

    summary = services.rollover_confirm(cohort=site.cohort, academic_year=YEAR)
    assert (summary.promoted, summary.blocked) == (1, 2)
    assert (
        Enrolment.objects.get(student=short, academic_year=YEAR).outcome
        == YearOutcome.IN_PROGRESS
    )
    assert not Enrolment.objects.filter(student=short, academic_year=YEAR + 1)

    # Idempotent: nothing moves again until the record is complete.
    assert services.rollover_confirm(cohort=site.cohort, academic_year=YEAR).moved == 0
    _complete(site, p, hours_days=(D(2026, 10, 4), D(2026, 10, 5)))
    again = services.rollover_confirm(cohort=site.cohort, academic_year=YEAR)
    assert (again.promoted, again.blocked) == (1, 1)
    short.refresh_from_db()
    assert short.year_of_study == 5
    assert services.rollover_confirm(cohort=site.cohort, academic_year=YEAR).moved == 0


def test_a_cohort_year_without_rotation_blocks_is_not_tracked(site):
    """E.g. the years rolled over before the institute planned placements here."""
    student = enrolled_student(site.cohort, year_of_study=3)  # no block for year 3
    enrolment = student.enrolments.get()
    assert clinical_promotion_unmet([enrolment]) == {}
    (line,) = services.rollover_preview(
        cohort=site.cohort, academic_year=enrolment.academic_year
    )
    assert line.decision == services.Decision.PROMOTE
    # Once a block exists for the cohort's year 3, the year is checked.
    RotationBlockFactory(
        cohort=site.cohort, year=3, start_date=D(2025, 10, 4), end_date=D(2025, 10, 9)
    )
    unmet = clinical_promotion_unmet([enrolment])
    assert "Year 3: 0 of 14 clinical hours approved." in unmet[student.pk]


def test_the_check_takes_a_fixed_number_of_queries(site, django_assert_max_num_queries):
    students = [enrolled_student(site.cohort, year_of_study=4) for _ in range(2)]
    _complete(site, _placed(site, students[0]))
    enrolments = list(
        Enrolment.objects.filter(cohort=site.cohort).select_related("cohort")
    )
    with django_assert_max_num_queries(7):
        few = clinical_promotion_unmet(enrolments)
    assert set(few) == {students[1].pk}
    more = [enrolled_student(site.cohort, year_of_study=4) for _ in range(6)]
    for s in more[:1]:
        _complete(site, _placed(site, s))
    enrolments = list(
        Enrolment.objects.filter(cohort=site.cohort).select_related("cohort")
    )
    with django_assert_max_num_queries(7):
        many = clinical_promotion_unmet(enrolments)
    assert len(many) == 6
