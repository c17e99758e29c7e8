"""Factories for the register (tests, benchmarks) and the scope sample for its viewset.

`graduate(institute)` builds a student who has done five years with results, ready for
every student document kind; `issued_document(...)` issues a real one.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from institutes.factories import scope_sample
from institutes.national_id import Sex

from .models import IssuedDocument

ARABIC_NAMES = [
    ("فاطمة محمد عبد الرحيم", "Fatma Mohamed Abdelrahim"),
    ("مريم أحمد السيد", "Mariam Ahmed El-Sayed"),
    ("آية محمود حسن", "Aya Mahmoud Hassan"),
    ("نورهان علي عبد الله", "Nourhan Ali Abdallah"),
    ("إسراء خالد إبراهيم", "Esraa Khaled Ibrahim"),
    ("شيماء حسين عثمان", "Shaimaa Hussein Osman"),
    ("منة الله طارق مصطفى", "Menatallah Tarek Mostafa"),
    ("سارة يوسف عبد الحميد", "Sara Youssef Abdelhamid"),
    ("عبد الرحمن سعيد محمد", "Abdelrahman Saeed Mohamed"),
    ("يوسف عادل جمال", "Youssef Adel Gamal"),
]


def graduate(
    institute, *, name_ar=None, name_en=None, graduated=True, index=0, sex=Sex.FEMALE
):
    """A student of `institute` with five enrolments and passing results."""
    from curriculum.factories import version_with_courses
    from curriculum.models import CurriculumVersion
    from students.factories import CohortFactory, PersonFactory, StudentFactory
    from students.models import Cohort, CourseResult, Enrolment, StudentStatus

    cohort = Cohort.objects.filter(institute=institute, intake_year=2021).first()
    if cohort is None:
        version = CurriculumVersion.objects.filter(
            applies_from_intake=2020
        ).first() or version_with_courses(applies_from_intake=2020)
        cohort = CohortFactory(
            institute=institute, intake_year=2021, curriculum_version=version
        )
    default_ar, default_en = ARABIC_NAMES[index % len(ARABIC_NAMES)]
    person = PersonFactory(
        name_ar=name_ar or default_ar,
        name_en=name_en if name_en is not None else default_en,
        sex=sex,
        birth_date=datetime.date(2003, 1, 1)
        + datetime.timedelta(days=random.randrange(1000)),  # noqa: S311
    )
    student = StudentFactory(
        person=person,
        cohort=cohort,
        student_number=f"{institute.pk}-{person.national_id}",
        status=StudentStatus.GRADUATED if graduated else StudentStatus.ENROLLED,
        year_of_study=5,
    )
    courses = list(cohort.curriculum_version.courses.all())
    for year in range(1, 6):
        enrolment = Enrolment.objects.create(
            student=student,
            cohort=cohort,
            academic_year=2020 + year,
            year_of_study=year,
            outcome=(
                "in_progress"
                if year == 5 and not graduated
                else ("graduated" if year == 5 else "promoted")
            ),
        )
        for course in [c for c in courses if c.year == year]:
            CourseResult.objects.create(
                enrolment=enrolment,
                course=course,
                theory_mark=Decimal("71.5"),
                practical_mark=Decimal(40),
                total=Decimal("111.5"),
                passed=True,
            )
    return student


def issued_document(
    institute, *, kind=None, issued_by=None, **kwargs
) -> IssuedDocument:
    """A real issued graduation certificate (rendered PDF, register row)."""
    from students.documents import GRADUATION_CERTIFICATE

    from .services import document_issue

    student = graduate(institute, **kwargs)
    return document_issue(
        kind=kind or GRADUATION_CERTIFICATE, achievement=student, issued_by=issued_by
    ).document


@scope_sample(IssuedDocument, marker="holder_name_ar")
def _document_sample(side):
    return issued_document(
        side.institute, name_ar=f"حاملة الوثيقة {side.institute.code}"
    )
