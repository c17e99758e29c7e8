"""Clinical results per year and the graduation requirement they feed."""

import datetime
from decimal import Decimal

import pytest

from django.utils import translation

from students.services import graduation_requirements
from training.models import SignOffLevel
from training.placements.selectors import (
    clinical_record,
    clinical_year_unmet,
    competencies_pending_by_cohort,
    students_behind_on_hours,
)
from training.placements.services import (
    hours_decide,
    hours_record,
    placement_book,
    placement_transition,
    signoff_record,
)

from .fixtures import site_fixture, student_of  # noqa: F401

D = datetime.date


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _running(site, student):
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


def _approve(site, p, day, hours):
    entry = hours_record(placement=p, date=day, hours=hours, by=site.instructor)
    hours_decide(entry=entry, approve=True, by=site.supervisor)


def test_year_record_counts_only_approved_hours_and_current_signoffs(site):
    student = student_of(site)
    p = _running(site, student)
    _approve(site, p, D(2026, 10, 3), 7)
    hours_record(placement=p, date=D(2026, 10, 4), hours=7, by=site.instructor)
    first = signoff_record(
        placement=p,
        competency=site.competencies[0],
        level=SignOffLevel.INDEPENDENT,
        assessed_on=D(2026, 10, 4),
        by=site.supervisor,
    )
    # Corrected to "needs remediation": the competency no longer counts.
    signoff_record(
        placement=p,
        competency=site.competencies[0],
        level=SignOffLevel.REMEDIATION,
        assessed_on=D(2026, 10, 5),
        comment="يعاد التدريب",
        by=site.supervisor,
        corrects=first,
    )
    (year4,) = clinical_record(student, years=[4])
    assert year4.approved_hours == Decimal("7") and year4.pending_hours == Decimal("7")
    assert year4.required_hours == 14 and not year4.hours_met
    assert year4.signed_off_count == 0
    assert len(year4.competencies[0].history) == 2
    unmet = clinical_year_unmet(year4)
    assert "7 of 14 clinical hours" in unmet[0]
    assert site.competencies[0].code in unmet[1]


def test_year_is_met_with_the_hours_and_every_competency(site):
    student = student_of(site)
    p = _running(site, student)
    _approve(site, p, D(2026, 10, 3), 7)
    _approve(site, p, D(2026, 10, 4), 7)
    for comp in site.competencies:
        signoff_record(
            placement=p,
            competency=comp,
            level=SignOffLevel.SUPERVISED,
            assessed_on=D(2026, 10, 5),
            by=site.supervisor,
        )
    (year4,) = clinical_record(student, years=[4])
    assert year4.hours_met and year4.competencies_met
    assert clinical_year_unmet(year4) == []


def test_graduation_lists_the_clinical_requirements(site):
    student = student_of(site)
    unmet = graduation_requirements(student)
    assert any("clinical hours approved" in u for u in unmet)
    assert any("Year 4: competencies not signed off" in u for u in unmet)


def test_dashboards_show_students_behind_and_pending_competencies(site):
    student = student_of(site)
    p = _running(site, student)
    _approve(site, p, D(2026, 10, 3), 2)
    behind = students_behind_on_hours(user=site.admin, today=D(2026, 10, 15))
    assert [b["student_id"] for b in behind] == [student.pk]
    (row,) = competencies_pending_by_cohort(user=site.admin)
    assert (row.cohort, row.year, row.students, row.students_missing) == (
        site.cohort,
        4,
        1,
        1,
    )
    assert row.this_year_outstanding == row.this_year_required == len(site.competencies)
