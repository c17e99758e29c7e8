"""Results sheet service and rollover: validation per cell, history of changes, rules."""

from decimal import Decimal

import pytest

from students import services
from students.factories import enrolled_student
from students.models import CourseResult, EventKind, MarkChange, StudentStatus


@pytest.fixture
def year1(cohort):
    courses = list(cohort.curriculum_version.courses.filter(year=1))
    students = [enrolled_student(cohort) for _ in range(3)]
    enrolments = [s.enrolments.get() for s in students]
    return courses, students, enrolments


def _pass_all(courses, enrolments, by=None, mark="70"):
    for course in courses:
        services.results_save(
            course=course,
            enrolments=enrolments,
            marks={e.pk: {"theory": mark, "practical": "40"} for e in enrolments},
            by=by,
        )


def test_marks_are_saved_with_totals_and_results(year1, world):
    courses, _students, enrolments = year1
    course = courses[0]
    written = services.results_save(
        course=course,
        enrolments=enrolments,
        marks={
            enrolments[0].pk: {"theory": "70", "practical": "30"},
            enrolments[1].pk: {"theory": "٤٠", "practical": "30"},  # Arabic digits
            enrolments[2].pk: {"theory": "", "practical": ""},
        },
        by=world.a.admin,
    )
    assert written == 2
    first = CourseResult.objects.get(enrolment=enrolments[0], course=course)
    assert (first.total, first.passed) == (Decimal("100"), True)
    second = CourseResult.objects.get(enrolment=enrolments[1], course=course)
    assert second.passed is False  # theory 40 < pass 50
    assert not CourseResult.objects.filter(enrolment=enrolments[2]).exists()


def test_marks_typed_with_any_decimal_separator_are_read_alike(year1):
    courses, _students, enrolments = year1
    course = courses[0]
    services.results_save(
        course=course,
        enrolments=enrolments,
        marks={
            enrolments[0].pk: {"theory": "٨٢٫٥", "practical": "٣٠"},
            enrolments[1].pk: {"theory": "82,5", "practical": "30"},
            enrolments[2].pk: {"theory": " 82.5 ", "practical": "٣٠,٠"},
        },
    )
    assert set(
        CourseResult.objects.filter(course=course).values_list("theory_mark", "total")
    ) == {(Decimal("82.5"), Decimal("112.5"))}


def test_one_bad_cell_saves_nothing_and_names_every_bad_cell(year1):
    courses, _students, enrolments = year1
    with pytest.raises(services.ResultsGridError) as info:
        services.results_save(
            course=courses[0],
            enrolments=enrolments,
            marks={
                enrolments[0].pk: {"theory": "70", "practical": "30"},
                enrolments[1].pk: {"theory": "101", "practical": "30"},
                enrolments[2].pk: {"theory": "abc", "practical": "-1"},
            },
        )
    errors = info.value.cell_errors
    assert set(errors) == {enrolments[1].pk, enrolments[2].pk}
    assert set(errors[enrolments[2].pk]) == {"theory", "practical"}
    assert not CourseResult.objects.exists()


def test_foreign_enrolment_id_is_refused(year1, cohort_b):
    courses, _students, enrolments = year1
    foreign = enrolled_student(cohort_b).enrolments.get()
    with pytest.raises(services.ResultsGridError) as info:
        services.results_save(
            course=courses[0],
            enrolments=enrolments,
            marks={foreign.pk: {"theory": "70", "practical": "30"}},
        )
    assert foreign.pk in info.value.cell_errors
    assert not CourseResult.objects.exists()


def test_changing_a_saved_mark_needs_a_reason_and_keeps_the_old_value(year1, world):
    courses, _students, enrolments = year1
    course, enrolment = courses[0], enrolments[0]
    marks = {enrolment.pk: {"theory": "45", "practical": "30"}}
    services.results_save(course=course, enrolments=enrolments, marks=marks)
    changed = {enrolment.pk: {"theory": "55", "practical": "30"}}
    with pytest.raises(services.ResultsGridError):
        services.results_save(course=course, enrolments=enrolments, marks=changed)
    services.results_save(
        course=course,
        enrolments=enrolments,
        marks=changed,
        by=world.a.admin,
        reason="خطأ في الرصد",
    )
    result = CourseResult.objects.get(enrolment=enrolment, course=course)
    assert result.theory_mark == Decimal("55") and result.passed is True
    change = MarkChange.objects.get()
    assert change.old_theory_mark == Decimal("45")
    assert change.new_theory_mark == Decimal("55")
    assert change.changed_by == world.a.admin and change.reason == "خطأ في الرصد"
    # Saving the same values again records nothing.
    services.results_save(course=course, enrolments=enrolments, marks=changed)
    assert MarkChange.objects.count() == 1


def test_rollover_preview_confirm_and_rerun(year1, cohort, world):
    courses, students, enrolments = year1
    _pass_all(courses, enrolments)
    # Student 1 fails every course of year 1 (more than 2): repeats.
    for course in courses:
        services.results_save(
            course=course,
            enrolments=enrolments,
            marks={enrolments[1].pk: {"theory": "10", "practical": "40"}},
            reason="تصحيح",
        )
    # Student 2 has a mark missing: blocked.
    CourseResult.objects.filter(enrolment=enrolments[2], course=courses[0]).delete()
    lines = {
        line.student.pk: line
        for line in services.rollover_preview(cohort=cohort, academic_year=2025)
    }
    assert lines[students[0].pk].decision == services.Decision.PROMOTE
    assert lines[students[1].pk].decision == services.Decision.REPEAT
    assert lines[students[2].pk].decision == services.Decision.BLOCKED
    assert lines[students[2].pk].reasons

    summary = services.rollover_confirm(
        cohort=cohort, academic_year=2025, by=world.a.admin
    )
    assert (summary.promoted, summary.repeating, summary.blocked) == (1, 1, 1)
    for student in students:
        student.refresh_from_db()
    assert students[0].year_of_study == 2
    assert students[0].enrolments.get(academic_year=2026).year_of_study == 2
    assert students[1].enrolments.get(academic_year=2026).year_of_study == 1
    assert not students[2].enrolments.filter(academic_year=2026).exists()
    assert students[0].events.filter(kind=EventKind.PROMOTED).count() == 1

    again = services.rollover_confirm(cohort=cohort, academic_year=2025)
    assert again.moved == 0
    assert students[0].enrolments.count() == 2
    assert students[0].events.filter(kind=EventKind.PROMOTED).count() == 1


def test_carrying_at_most_the_allowed_failures_promotes(year1, cohort):
    courses, students, enrolments = year1
    _pass_all(courses, enrolments)
    services.results_save(
        course=courses[0],
        enrolments=enrolments,
        marks={enrolments[0].pk: {"theory": "10", "practical": "40"}},
        reason="x",
    )
    line = next(
        line
        for line in services.rollover_preview(cohort=cohort, academic_year=2025)
        if line.student.pk == students[0].pk
    )
    assert line.decision == services.Decision.PROMOTE
    assert line.failed == [courses[0].code]


def test_final_year_failure_repeats_and_pass_graduates(cohort, monkeypatch):
    monkeypatch.setattr(services.requirements, "_graduation_checks", {})
    student = enrolled_student(cohort, year_of_study=5)
    enrolment = student.enrolments.get()
    courses = list(cohort.curriculum_version.courses.filter(year=5))
    _pass_all(courses, [enrolment])
    (line,) = services.rollover_preview(
        cohort=cohort, academic_year=enrolment.academic_year
    )
    assert line.decision == services.Decision.GRADUATE
    services.rollover_confirm(cohort=cohort, academic_year=enrolment.academic_year)
    student.refresh_from_db()
    assert student.status == StudentStatus.GRADUATED


def test_carried_course_is_re_sat_on_the_next_years_sheet(year1, cohort):
    from students.selectors import academic_record, results_sheet_enrolments

    courses, students, enrolments = year1
    _pass_all(courses, enrolments)
    failed = courses[0]
    services.results_save(
        course=failed,
        enrolments=enrolments,
        marks={enrolments[0].pk: {"theory": "10", "practical": "40"}},
        reason="x",
    )
    services.rollover_confirm(cohort=cohort, academic_year=2025)
    sheet = list(
        results_sheet_enrolments(cohort=cohort, course=failed, academic_year=2026)
    )
    assert [e.student_id for e in sheet] == [students[0].pk]
    services.results_save(
        course=failed,
        enrolments=sheet,
        marks={sheet[0].pk: {"theory": "66", "practical": "40"}},
    )
    unmet = services._courses_passed_check([students[0]]).get(students[0].pk, [])
    assert not [u for u in unmet if failed.code in u]
    record = academic_record(students[0])
    carried = [line for line in record.years[1].lines if line.carried]
    assert carried[0].course == failed and carried[0].passed is True
    # Once passed, the course is no longer on the following year's sheet.
    assert not results_sheet_enrolments(
        cohort=cohort, course=failed, academic_year=2027
    ).exists()


def _final_year_preview_queries(cohort, count):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    courses = list(cohort.curriculum_version.courses.filter(year=5))
    students = [enrolled_student(cohort, year_of_study=5) for _ in range(count)]
    _pass_all(courses, [s.enrolments.get() for s in students])
    year = cohort.intake_year + 4
    with CaptureQueriesContext(connection) as captured:
        lines = services.rollover_preview(cohort=cohort, academic_year=year)
    return len(captured), lines


def test_final_year_preview_checks_graduation_for_the_cohort_at_once(cohort):
    few, lines = _final_year_preview_queries(cohort, 2)
    # Years 1-4 were never passed here: every student is blocked, with the reason.
    assert {line.decision for line in lines} == {services.Decision.BLOCKED}
    assert all(any("Y1C0" in r for r in line.reasons) for line in lines)
    many, lines = _final_year_preview_queries(cohort, 8)
    assert len(lines) == 10
    assert many == few, f"{few} queries for 2 students, {many} for 10"
