import pytest

from curriculum.factories import version_with_courses
from students.factories import CohortFactory


@pytest.fixture
def version(db):
    return version_with_courses(courses_per_year=3, applies_from_intake=2020)


@pytest.fixture
def cohort(world, version):
    return CohortFactory(
        institute=world.a.institute, intake_year=2025, curriculum_version=version
    )


@pytest.fixture
def cohort_b(world, version):
    return CohortFactory(
        institute=world.b.institute, intake_year=2025, curriculum_version=version
    )
