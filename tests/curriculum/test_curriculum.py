"""Curriculum versions: constraints, freezing once used, copying into a new version."""

import pytest

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from curriculum.factories import CourseFactory, version_with_courses
from curriculum.models import Course, CurriculumFrozen
from curriculum.services import (
    curriculum_version_copy,
    curriculum_version_for_intake,
    curriculum_version_freeze,
)


@pytest.fixture
def version(db):
    return version_with_courses(courses_per_year=2, applies_from_intake=2021)


def test_pass_mark_above_maximum_is_refused_by_the_database(version):
    with pytest.raises(IntegrityError), transaction.atomic():
        CourseFactory(version=version, theory_max=100, theory_pass=120)


def test_pass_mark_above_maximum_has_a_plain_message(version):
    course = Course(
        version=version, year=1, code="X1", title_ar="س", theory_max=50, theory_pass=60
    )
    with pytest.raises(ValidationError) as info:
        course.full_clean()
    assert "theory_pass" in info.value.message_dict


def test_frozen_version_refuses_changes_and_deletions(version):
    curriculum_version_freeze(version=version)
    course = version.courses.first()
    course.theory_hours = 99
    with pytest.raises(CurriculumFrozen):
        course.save()
    with pytest.raises(CurriculumFrozen):
        course.delete()
    with pytest.raises(CurriculumFrozen):
        CourseFactory(version=version)


def test_copy_makes_an_editable_version_with_everything(version):
    first, second = version.courses.filter(year=2)[:2]
    second.prerequisites.add(first)
    curriculum_version_freeze(version=version)
    copy = curriculum_version_copy(
        version=version, code="nursing-2026", applies_from_intake=2026
    )
    assert copy.courses.count() == version.courses.count()
    assert copy.competencies.count() == version.competencies.count()
    assert copy.year_requirements.count() == 5
    copied_second = copy.courses.get(code=second.code)
    assert list(copied_second.prerequisites.values_list("code", flat=True)) == [
        first.code
    ]
    assert copied_second.prerequisites.get().version == copy
    assert not copy.is_frozen
    copied_second.theory_hours = 10
    copied_second.save()


def test_copy_must_apply_later(version):
    with pytest.raises(ValidationError):
        curriculum_version_copy(version=version, code="older", applies_from_intake=2020)


def test_version_for_intake_is_the_newest_that_applies(version):
    newer = curriculum_version_copy(
        version=version, code="v2024", applies_from_intake=2024
    )
    programme = version.programme
    assert (
        curriculum_version_for_intake(programme=programme, intake_year=2023) == version
    )
    assert curriculum_version_for_intake(programme=programme, intake_year=2025) == newer
    assert curriculum_version_for_intake(programme=programme, intake_year=2019) is None


def test_curriculum_screens_are_for_authority_only(world, client, version):
    url = reverse("courses:index")
    client.force_login(world.a.admin)
    assert client.get(url).status_code in (302, 403)
    client.force_login(world.authority)
    assert version.courses.first().title_ar in client.get(url).content.decode()
