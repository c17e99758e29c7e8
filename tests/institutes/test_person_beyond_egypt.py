"""People beyond Egypt, end to end: an Omani civil number holder and a passport
holder are enrolled through the back office's student form, graduate through the
results and the year-end rollover, are hired through `graduate_hire` (the person
page's form), and their person page shows both sides."""

import pytest

from django.urls import reverse

from curriculum.factories import version_with_courses
from students import services as student_services
from students.factories import CohortFactory
from students.models import Student, StudentStatus
from training.staff.models import StaffMember

pytestmark = pytest.mark.django_db

PEOPLE = [
    {
        "document_type": "om_civil_number",
        "document_number": "87654321",
        "nationality": "OM",
        "name_ar": "سالم بن خلفان البلوشي",
        "name_en": "Salim Khalfan Al-Balushi",
        "sex": "m",
    },
    {
        "document_type": "passport",
        "document_number": "P7654321",
        "document_country": "SD",
        "document_expires_on": "2031-05-01",
        "nationality": "SD",
        "name_ar": "آمنة عثمان الطيب",
        "name_en": "Amna Osman Eltayeb",
        "sex": "f",
    },
]


def _enrol_through_the_form(client, admin, cohort, person: dict) -> Student:
    client.force_login(admin)
    response = client.post(
        reverse("students:add"),
        {
            **person,
            "birth_date": "2004-02-03",
            "cohort": cohort.pk,
            "governorate": "29",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    return Student.objects.get(person__documents__number=person["document_number"])


def _five_years_passed(students, cohort, admin) -> None:
    """Admit, enrol, then each year: every course passed and the rollover."""
    for student in students:
        student_services.student_admit(student=student, by=admin)
        student_services.student_enrol(student=student, by=admin)
    courses = list(cohort.curriculum_version.courses.all())
    for year in range(1, 6):
        academic_year = cohort.intake_year + year - 1
        enrolments = list(
            cohort.enrolments.filter(academic_year=academic_year, year_of_study=year)
        )
        assert len(enrolments) == len(students)
        for course in (c for c in courses if c.year == year):
            student_services.results_save(
                course=course,
                enrolments=enrolments,
                marks={
                    e.pk: {
                        "theory": str(course.theory_max),
                        "practical": str(course.practical_max),
                    }
                    for e in enrolments
                },
                by=admin,
            )
        student_services.rollover_confirm(
            cohort=cohort, academic_year=academic_year, by=admin
        )


def test_omani_and_passport_holders_go_from_student_to_staff(world, client):
    version = version_with_courses(courses_per_year=1, applies_from_intake=2020)
    cohort = CohortFactory(
        institute=world.a.institute, intake_year=2021, curriculum_version=version
    )
    students = [
        _enrol_through_the_form(client, world.a.admin, cohort, person)
        for person in PEOPLE
    ]
    assert all(s.person.national_id is None for s in students)
    _five_years_passed(students, cohort, world.a.admin)
    for student in students:
        student.refresh_from_db()
        assert student.status == StudentStatus.GRADUATED

    # Hired by the trainer of the institute's hospital, from the person page.
    client.force_login(world.a.trainer)
    for number, (student, person) in enumerate(zip(students, PEOPLE, strict=True)):
        page = client.get(reverse("institutes_person", args=[student.person_id]))
        assert 'id="pp-hire"' in page.content.decode()
        response = client.post(
            reverse("training_graduate_hire", args=[student.person_id]),
            {
                "hospital": world.a.hospital.pk,
                "employee_number": f"N-2026-{number}",
                "job_category": "nurse",
                "hire_date": "2026-09-01",
            },
        )
        assert response.status_code == 302
        staff = StaffMember.objects.get(person=student.person)
        assert staff.hospital == world.a.hospital
        assert staff.person.documents.get().number == person["document_number"]
        assert staff.person.nationality == person["nationality"]

    # The person page shows both sides, with the document as typed.
    client.force_login(world.authority)
    for number, (student, person) in enumerate(zip(students, PEOPLE, strict=True)):
        page = client.get(reverse("institutes_person", args=[student.person_id]))
        assert page.status_code == 200
        text = page.content.decode()
        assert 'id="pp-enrolment"' in text and 'id="pp-employment"' in text
        assert student.student_number in text and f"N-2026-{number}" in text
        assert person["document_number"] in text
        assert 'id="pp-hire"' not in text  # hired: no second hire form


def test_a_passport_holder_still_studying_is_not_hired(world, client):
    """The refusal beside the journey above: not graduated, not hired."""
    version = version_with_courses(courses_per_year=1, applies_from_intake=2020)
    cohort = CohortFactory(
        institute=world.a.institute, intake_year=2021, curriculum_version=version
    )
    student = _enrol_through_the_form(client, world.a.admin, cohort, PEOPLE[1])
    client.force_login(world.a.trainer)
    response = client.post(
        reverse("training_graduate_hire", args=[student.person_id]),
        {
            "hospital": world.a.hospital.pk,
            "employee_number": "N-2026-9",
            "job_category": "nurse",
            "hire_date": "2026-09-01",
        },
    )
    assert response.status_code in (302, 404)
    assert not StaffMember.objects.filter(person=student.person).exists()
