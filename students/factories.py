"""Factories for cohorts, students, enrolments and results (tests and synthetic data).

`national_id_for` builds a valid Egyptian national number from a birth date, sex and
governorate, so factories and the benchmark generator never produce invalid IDs.
"""

from __future__ import annotations

import datetime
import itertools

import factory

from curriculum.factories import CurriculumVersionFactory
from institutes.factories import (
    InstituteFactory,
    egyptian_national_id_document,
    scope_sample,
)
from institutes.models import Person
from institutes.national_id import Sex

from .models import Cohort, Enrolment, Student, StudentStatus

_serials = itertools.count(1)


def national_id_for(
    birth_date: datetime.date,
    sex: str,
    governorate: str = "29",
    serial: int | None = None,
) -> str:
    """A valid national ID: century, YYMMDD, governorate, 3-digit serial, sex digit, check."""
    serial = next(_serials) if serial is None else serial
    century = "2" if birth_date.year < 2000 else "3"
    sex_digit = (serial % 5) * 2 + (1 if sex == Sex.MALE else 0)
    return (
        f"{century}{birth_date:%y%m%d}{governorate}{(serial // 5) % 1000:03d}"
        f"{sex_digit}{serial % 10}"
    )


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        django_get_or_create = ("national_id",)

    name_ar = factory.Sequence(lambda n: f"طالبة رقم {n} محمد")
    name_en = factory.Sequence(lambda n: f"Student {n} Mohamed")
    birth_date = datetime.date(2008, 3, 14)
    sex = Sex.FEMALE
    national_id = factory.LazyAttribute(lambda p: national_id_for(p.birth_date, p.sex))
    document = factory.PostGeneration(egyptian_national_id_document)


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort
        django_get_or_create = ("institute", "intake_year")

    institute = factory.SubFactory(InstituteFactory)
    intake_year = 2025
    curriculum_version = factory.SubFactory(
        CurriculumVersionFactory, applies_from_intake=2020
    )
    capacity = 60


class StudentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Student

    person = factory.SubFactory(PersonFactory)
    cohort = factory.SubFactory(CohortFactory)
    student_number = factory.Sequence(lambda n: f"TST-{n:05d}")
    status = StudentStatus.ENROLLED
    year_of_study = 1
    guardian_name = "محمد عبد الله"
    guardian_relation = "father"
    guardian_phone = "01000000000"


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    student = factory.SubFactory(StudentFactory)
    cohort = factory.LazyAttribute(lambda e: e.student.cohort)
    academic_year = factory.LazyAttribute(lambda e: e.cohort.intake_year)
    year_of_study = 1


def enrolled_student(cohort: Cohort, **kwargs) -> Student:
    """A student enrolled in year 1 of `cohort` in its intake year (with the enrolment)."""
    student = StudentFactory(cohort=cohort, **kwargs)
    EnrolmentFactory(
        student=student,
        cohort=cohort,
        academic_year=cohort.intake_year + (student.year_of_study or 1) - 1,
        year_of_study=student.year_of_study or 1,
    )
    return student


@scope_sample(Cohort, marker="institute")
def _cohort_sample(side):
    return CohortFactory(institute=side.institute)


@scope_sample(Student, marker="name_ar")
def _student_sample(side):
    # An Arabic marker: a search query echoed in the page is URL-encoded, not literal.
    return StudentFactory(
        cohort=CohortFactory(institute=side.institute),
        person__name_ar=f"طالبة من {side.institute.name_ar}",
        student_number=f"SMP-{side.institute.code}",
    )
