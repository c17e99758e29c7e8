"""Factories for curricula (tests, demo-sized and synthetic data)."""

import factory

from institutes.factories import scope_sample

from .models import (
    Competency,
    Course,
    CurriculumVersion,
    GradeBand,
    Programme,
    YearRequirement,
)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ("code",)

    # A programme per version by default, so factory versions never clash on
    # (programme, applies_from_intake).
    code = factory.Sequence(lambda n: f"nursing-diploma-{n}")
    name_ar = "دبلوم التمريض الفني (خمس سنوات)"
    name_en = "Technical nursing diploma (five years)"


class CurriculumVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CurriculumVersion

    programme = factory.SubFactory(ProgrammeFactory)
    code = factory.Sequence(lambda n: f"nursing-v{n}")
    name_ar = factory.Sequence(lambda n: f"لائحة التمريض رقم {n}")
    name_en = factory.Sequence(lambda n: f"Nursing curriculum {n}")
    applies_from_intake = 2020
    max_failed_courses_carried = 2


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    version = factory.SubFactory(CurriculumVersionFactory)
    year = 1
    code = factory.Sequence(lambda n: f"CRS{n:03d}")
    title_ar = factory.Sequence(lambda n: f"مقرر {n}")
    title_en = factory.Sequence(lambda n: f"Course {n}")
    theory_hours = 45
    practical_hours = 30
    theory_max = 100
    theory_pass = 50
    practical_max = 50
    practical_pass = 25


class CompetencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competency

    version = factory.SubFactory(CurriculumVersionFactory)
    year = 1
    code = factory.Sequence(lambda n: f"CMP{n:03d}")
    title_ar = factory.Sequence(lambda n: f"مهارة {n}")
    title_en = factory.Sequence(lambda n: f"Competency {n}")


class YearRequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = YearRequirement

    version = factory.SubFactory(CurriculumVersionFactory)
    year = 1
    required_clinical_hours = 120


class GradeBandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GradeBand

    version = factory.SubFactory(CurriculumVersionFactory)
    min_percent = 85
    name_ar = "ممتاز"
    name_en = "Excellent"


def version_with_courses(*, courses_per_year: int = 2, **kwargs) -> CurriculumVersion:
    """A small five-year version: `courses_per_year` courses and a competency a year."""
    version = CurriculumVersionFactory(**kwargs)
    for year in range(1, 6):
        for i in range(courses_per_year):
            CourseFactory(version=version, year=year, code=f"Y{year}C{i}-{version.pk}")
        CompetencyFactory(version=version, year=year)
        YearRequirementFactory(version=version, year=year)
    return version


# Curricula are reference data (readable by every role); samples prove the admin
# screens stay read-only for roles and that nothing else leaks.
@scope_sample(CurriculumVersion, marker="name_ar")
def _version_sample(side):
    return CurriculumVersionFactory(name_ar=f"لائحة {side.institute.code}")


@scope_sample(Course, marker="title_ar")
def _course_sample(side):
    return CourseFactory(title_ar=f"مقرر {side.institute.code}")


@scope_sample(Competency, marker="title_ar")
def _competency_sample(side):
    return CompetencyFactory(title_ar=f"مهارة {side.institute.code}")


@scope_sample(YearRequirement, marker="required_clinical_hours")
def _requirement_sample(side):
    return YearRequirementFactory(required_clinical_hours=900 + side.institute.pk)


@scope_sample(GradeBand, marker="name_ar")
def _grade_band_sample(side):
    return GradeBandFactory(name_ar=f"تقدير {side.institute.code}")
