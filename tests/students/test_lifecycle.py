"""The enrolment lifecycle: each rule, the append-only history, capacity, graduation."""

import datetime

import pytest

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from students import services
from students.factories import EnrolmentFactory, StudentFactory, national_id_for
from students.models import (
    AppendOnlyError,
    EventKind,
    StudentStatus,
    YearOutcome,
)
from students.services import CohortFull, LifecycleError

BORN = datetime.date(2009, 5, 17)


def _register(cohort, n=1, **kwargs):
    return services.student_register(
        cohort=cohort,
        national_id=national_id_for(BORN, "f", serial=n),
        name_ar=f"منى أحمد {n}",
        birth_date=BORN,
        sex="f",
        **kwargs,
    )


def test_register_admit_enrol_writes_history(cohort, world):
    student = _register(cohort, by=world.a.admin)
    assert student.status == StudentStatus.APPLICANT
    services.student_admit(student=student, by=world.a.admin)
    enrolment = services.student_enrol(student=student, by=world.a.admin)
    student.refresh_from_db()
    assert student.status == StudentStatus.ENROLLED and student.year_of_study == 1
    assert enrolment.academic_year == 2025
    kinds = list(student.events.values_list("kind", flat=True))
    assert kinds == [EventKind.APPLIED, EventKind.ADMITTED, EventKind.ENROLLED]
    assert student.events.last().recorded_by == world.a.admin


def test_one_student_record_per_person(cohort):
    _register(cohort, n=3)
    with pytest.raises(LifecycleError) as info:
        _register(cohort, n=3)
    assert info.value.code == "student_exists"


def test_national_id_must_match_birth_date(cohort):
    with pytest.raises(ValidationError) as info:
        services.student_register(
            cohort=cohort,
            national_id=national_id_for(BORN, "f", serial=9),
            name_ar="منى",
            birth_date=datetime.date(2009, 5, 18),
            sex="f",
        )
    (error,) = info.value.error_dict["document_number"]
    assert error.code == "national_id_birth_date_mismatch"


def test_cannot_enrol_an_applicant_before_admission(cohort):
    student = _register(cohort)
    with pytest.raises(LifecycleError) as info:
        services.student_enrol(student=student)
    assert info.value.code == "bad_transition"


def test_capacity_is_respected(cohort):
    cohort.capacity = 1
    cohort.save()
    first = _register(cohort, n=1)
    second = _register(cohort, n=2)
    services.student_admit(student=first)
    with pytest.raises(CohortFull):
        services.student_admit(student=second)
    second.refresh_from_db()
    assert second.status == StudentStatus.APPLICANT
    # A withdrawn student frees the place.
    services.student_withdraw(student=first, reason_code="personal")
    services.student_admit(student=second)


def test_never_enrolled_twice_in_one_academic_year(cohort):
    student = StudentFactory(cohort=cohort)
    EnrolmentFactory(student=student, academic_year=2025)
    with pytest.raises(IntegrityError), transaction.atomic():
        EnrolmentFactory(student=student, academic_year=2025)


def test_readmission_in_same_year_resumes_the_enrolment(cohort):
    student = _register(cohort, admitted=True)
    services.student_enrol(student=student)
    services.student_suspend(student=student, note="مرض")
    student.refresh_from_db()
    assert student.status == StudentStatus.SUSPENDED
    enrolment = services.student_readmit(
        student=student, academic_year=2025, note="شفيت"
    )
    assert student.enrolments.count() == 1
    assert enrolment.outcome == YearOutcome.IN_PROGRESS


def test_withdrawal_needs_a_reason_code_and_keeps_records(cohort):
    student = _register(cohort, admitted=True)
    services.student_enrol(student=student)
    with pytest.raises(LifecycleError) as info:
        services.student_withdraw(student=student, reason_code="")
    assert info.value.code == "no_reason"
    services.student_withdraw(student=student, reason_code="health", note="")
    student.refresh_from_db()
    assert student.status == StudentStatus.WITHDRAWN
    assert student.enrolments.get().outcome == YearOutcome.WITHDRAWN
    event = student.events.get(kind=EventKind.WITHDRAWN)
    assert event.reason_code == "health"
    with pytest.raises(LifecycleError):
        services.student_suspend(student=student, note="x")


def test_withdrawn_student_is_readmitted_next_year(cohort):
    student = _register(cohort, admitted=True)
    services.student_enrol(student=student)
    services.student_withdraw(student=student, reason_code="personal")
    enrolment = services.student_readmit(
        student=student, academic_year=2026, note="عادت"
    )
    assert (enrolment.academic_year, enrolment.year_of_study) == (2026, 1)


def test_history_rows_cannot_be_edited_or_deleted(cohort):
    student = _register(cohort)
    event = student.events.get()
    event.note = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    services.student_record_correction(student=student, by=None, note="تصحيح")
    assert student.events.count() == 2


def test_student_with_history_cannot_be_deleted(cohort):
    from django.db.models import ProtectedError

    student = _register(cohort)
    with pytest.raises(ProtectedError):
        student.delete()


def test_graduation_requires_year_five_and_every_course(cohort):
    student = _register(cohort, admitted=True)
    services.student_enrol(student=student)
    with pytest.raises(LifecycleError) as info:
        services.student_graduate(student=student)
    assert info.value.code == "requirements_unmet"
    unmet = services._courses_passed_check([student])[student.pk]
    assert len(unmet) == 2  # year 5, courses
    assert len(services.graduation_requirements(student)) >= 2


def test_other_apps_register_graduation_requirements(cohort, monkeypatch):
    student = _register(cohort)
    monkeypatch.setitem(
        services._graduation_checks,
        "test.extra",
        lambda students: {s.pk: ["clinical hours short"] for s in students},
    )
    assert "clinical hours short" in services.graduation_requirements(student)


def test_curriculum_version_is_frozen_by_a_cohort(world, version):
    from curriculum.models import CurriculumFrozen

    services.cohort_create(
        institute=world.a.institute, intake_year=2024, curriculum_version=version
    )
    version.refresh_from_db()
    assert version.is_frozen
    course = version.courses.first()
    course.title_ar = "تغيير"
    with pytest.raises(CurriculumFrozen):
        course.save()


def test_register_refuses_an_invisible_character_in_the_guardian_name(world, cohort):
    import datetime

    from django.core.exceptions import ValidationError

    from students.factories import national_id_for
    from students.models import Student
    from students.services import student_register

    number = national_id_for(datetime.date(2009, 5, 17), "f", serial=93)
    with pytest.raises(ValidationError) as caught:
        student_register(
            cohort=cohort,
            national_id=number,
            name_ar="منى أحمد",
            guardian_name="أحمد \u202eيلع",
        )
    assert "guardian_name" in caught.value.message_dict
    assert not Student.objects.filter(person__national_id=number).exists()
    student = student_register(
        cohort=cohort, national_id=number, name_ar="منى أحمد", guardian_name="أحمد علي"
    )
    assert student.guardian_name == "أحمد علي"
