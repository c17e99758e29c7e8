"""Totals, percentages and grades of the academic record (transcripts, certificates)."""

from decimal import Decimal

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from curriculum.factories import (
    CourseFactory,
    CurriculumVersionFactory,
    GradeBandFactory,
)
from curriculum.models import GradeBand
from curriculum.selectors import grade_bands, grade_for_percent
from curriculum.services import curriculum_version_copy
from students.factories import CohortFactory, StudentFactory
from students.models import CourseResult, Enrolment
from students.selectors import academic_record, final_standing

pytestmark = pytest.mark.django_db


def _result(enrolment, course, theory, practical, passed=True):
    return CourseResult.objects.create(
        enrolment=enrolment,
        course=course,
        theory_mark=Decimal(theory),
        practical_mark=Decimal(practical),
        total=Decimal(theory) + Decimal(practical),
        passed=passed,
    )


@pytest.fixture
def version():
    version = CurriculumVersionFactory(applies_from_intake=2010)
    for year in (1, 2):
        for i in range(2):
            CourseFactory(version=version, year=year, code=f"Y{year}-{i}")
    return version


@pytest.fixture
def student(version):
    cohort = CohortFactory(intake_year=2021, curriculum_version=version)
    return StudentFactory(cohort=cohort, year_of_study=2)


def _enrol(student, year_of_study, academic_year):
    return Enrolment.objects.create(
        student=student,
        cohort=student.cohort,
        academic_year=academic_year,
        year_of_study=year_of_study,
    )


def _courses(version, year):
    return list(version.courses.filter(year=year).order_by("code"))


def test_year_and_cumulative_totals_percentage_and_grade(student, version):
    y1 = _enrol(student, 1, 2021)
    a, b = _courses(version, 1)
    _result(y1, a, "82.5", "45")  # 127.5 / 150
    _result(y1, b, "60", "30")  # 90 / 150
    y2 = _enrol(student, 2, 2022)
    c, d = _courses(version, 2)
    _result(y2, c, "90", "48")
    _result(y2, d, "85", "47.5")

    record = academic_record(student)
    first, second = record.years
    assert (first.standing.obtained, first.standing.maximum) == (Decimal("217.5"), 300)
    assert first.standing.percent == Decimal("72.5")
    assert first.standing.grade.name_ar == "جيد"
    assert second.standing.percent == Decimal("90.2")  # 270.5 / 300
    assert second.standing.grade.name_ar == "ممتاز"
    assert (second.cumulative.obtained, second.cumulative.maximum) == (
        Decimal("488"),
        600,
    )
    assert second.cumulative.percent == Decimal("81.3")
    assert second.cumulative.grade.name_ar == "جيد جدًا"
    assert record.overall == second.cumulative
    assert final_standing(student) == record.overall


def test_a_resit_replaces_the_failure_in_the_cumulative_standing(student, version):
    y1 = _enrol(student, 1, 2021)
    a, b = _courses(version, 1)
    _result(y1, a, "20", "10", passed=False)  # 30 / 150
    _result(y1, b, "80", "40")
    again = _enrol(student, 1, 2022)  # repeats year 1
    _result(again, a, "70", "35")  # 105 / 150

    record = academic_record(student)
    assert record.years[0].standing.obtained == Decimal(150)
    assert record.years[1].cumulative.obtained == Decimal(225)  # 105 + 120
    assert record.years[1].cumulative.maximum == 300  # each course once


def test_no_grade_while_a_mark_is_missing(student, version):
    y1 = _enrol(student, 1, 2021)
    a, _b = _courses(version, 1)
    _result(y1, a, "80", "40")
    year = academic_record(student).years[0]
    assert not year.standing.complete
    assert (year.standing.obtained, year.standing.maximum) == (Decimal(120), 150)
    assert year.standing.grade is None
    assert final_standing(student).grade is None


def test_grade_bands_are_the_versions_and_default_to_egypts(version):
    defaults = grade_bands(version.pk)
    assert [(b.min_percent, b.name_ar) for b in defaults] == [
        (85, "ممتاز"),
        (75, "جيد جدًا"),
        (65, "جيد"),
        (50, "مقبول"),
        (0, "ضعيف"),
    ]
    assert grade_for_percent(defaults, Decimal("49.9")).passing is False
    assert grade_for_percent(defaults, Decimal("85.0")).name_en == "Excellent"
    assert grade_for_percent(defaults, None) is None

    GradeBandFactory(version=version, min_percent=90, name_ar="امتياز", name_en="A")
    GradeBandFactory(version=version, min_percent=0, name_ar="أقل", name_en="B")
    configured = grade_bands(version.pk)
    assert grade_for_percent(configured, Decimal("89.9")).name_ar == "أقل"
    assert grade_for_percent(configured, Decimal("90")).name_ar == "امتياز"


def test_the_configured_bands_grade_the_transcript(student, version):
    GradeBandFactory(version=version, min_percent=70, name_ar="ناجح بتفوق")
    GradeBandFactory(version=version, min_percent=0, name_ar="دون ذلك")
    y1 = _enrol(student, 1, 2021)
    a, b = _courses(version, 1)
    _result(y1, a, "82.5", "45")
    _result(y1, b, "60", "30")  # 72.5 %
    assert academic_record(student).years[0].standing.grade.name_ar == "ناجح بتفوق"


def test_copying_a_version_copies_its_bands(version):
    GradeBandFactory(version=version, min_percent=60, name_ar="مقبول")
    copy = curriculum_version_copy(
        version=version, code="copy-with-bands", applies_from_intake=2011
    )
    assert list(
        GradeBand.objects.filter(version=copy).values_list("min_percent", "name_ar")
    ) == [(Decimal(60), "مقبول")]


def _queries(student) -> int:
    with CaptureQueriesContext(connection) as queries:
        academic_record(student)
    return len(queries)


def test_academic_record_costs_the_same_for_more_years(student, version):
    enrolment = _enrol(student, 1, 2021)
    for course in _courses(version, 1):
        _result(enrolment, course, "50", "25")
    one_year = _queries(student)
    enrolment = _enrol(student, 2, 2022)
    for course in _courses(version, 2):
        _result(enrolment, course, "50", "25")
    assert _queries(student) == one_year


def test_final_standing_reads_a_frozen_versions_courses_once(student, version):
    from curriculum.services import curriculum_version_freeze

    curriculum_version_freeze(version=version)
    y1 = _enrol(student, 1, 2021)
    a, b = _courses(version, 1)
    _result(y1, a, "82.5", "45")
    _result(y1, b, "60", "30")
    student.cohort.curriculum_version.refresh_from_db()
    first = final_standing(student)
    with CaptureQueriesContext(connection) as queries:
        again = final_standing(student)
    assert again == first and len(queries) == 1  # the results only
    assert (first.obtained, first.maximum, first.complete) == (
        Decimal("217.5"),
        300,
        False,
    )
