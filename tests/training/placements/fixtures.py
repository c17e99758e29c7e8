"""Fixtures shared by the placement tests: an institute, its attached hospital, a
partner hospital and a foreign one, wards, a supervisor per ward and a cohort."""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass

import pytest

from curriculum.factories import (
    CompetencyFactory,
    CurriculumVersionFactory,
    YearRequirementFactory,
)
from institutes.access import Role
from institutes.factories import (
    HospitalFactory,
    InstituteFactory,
    RoleAssignmentFactory,
    UserFactory,
    WardFactory,
)
from institutes.models import Specialty
from students.factories import CohortFactory, StudentFactory
from training.placements.factories import BlockWardFactory, RotationBlockFactory

_intakes = itertools.count(2001)


@dataclass
class Site:
    institute: object
    hospital: object
    partner: object
    foreign: object
    ward: object  # attached hospital, capacity 2
    partner_ward: object
    foreign_ward: object
    supervisor: object
    partner_supervisor: object
    admin: object
    cohort: object
    block: object
    competencies: list
    #: A second supervisor of `ward` (the clinical instructor): enters hours that
    #: `supervisor` approves (four eyes).
    instructor: object = None


def make_site(tag: str = "p") -> Site:
    hospital = HospitalFactory(code=f"h-{tag}", name_ar=f"مستشفى {tag}")
    partner = HospitalFactory(code=f"hp-{tag}", name_ar=f"مستشفى شريك {tag}")
    foreign = HospitalFactory(code=f"hf-{tag}", name_ar=f"مستشفى بعيد {tag}")
    institute = InstituteFactory(
        code=f"i-{tag}", name_ar=f"معهد {tag}", hospital=hospital
    )
    institute.partner_hospitals.add(partner)
    ward = WardFactory(
        hospital=hospital,
        name_ar=f"النساء والتوليد {tag}",
        specialty=Specialty.OBSTETRICS,
        student_capacity=2,
    )
    partner_ward = WardFactory(
        hospital=partner,
        name_ar=f"الأطفال {tag}",
        specialty=Specialty.PAEDIATRICS,
        student_capacity=3,
    )
    foreign_ward = WardFactory(hospital=foreign, name_ar=f"الباطنة {tag}")
    supervisor = UserFactory(username=f"sup-{tag}", first_name="منى")
    RoleAssignmentFactory(
        user=supervisor, role=Role.SUPERVISOR, institute=None, ward=ward
    )
    instructor = UserFactory(username=f"inst-{tag}", first_name="سعاد")
    RoleAssignmentFactory(
        user=instructor, role=Role.SUPERVISOR, institute=None, ward=ward
    )
    partner_supervisor = UserFactory(username=f"psup-{tag}")
    RoleAssignmentFactory(
        user=partner_supervisor, role=Role.SUPERVISOR, institute=None, ward=partner_ward
    )
    admin = UserFactory(username=f"adm-{tag}")
    RoleAssignmentFactory(user=admin, role=Role.INSTITUTE_ADMIN, institute=institute)
    version = CurriculumVersionFactory(applies_from_intake=next(_intakes))
    competencies = [
        CompetencyFactory(version=version, year=4, code=f"Y4-{i}-{tag}")
        for i in range(2)
    ]
    for year in range(1, 6):
        YearRequirementFactory(version=version, year=year, required_clinical_hours=14)
    cohort = CohortFactory(
        institute=institute, intake_year=2023, curriculum_version=version
    )
    block = RotationBlockFactory(
        cohort=cohort,
        year=4,
        start_date=datetime.date(2026, 10, 3),  # Saturday
        end_date=datetime.date(2026, 10, 15),  # Thursday of the next week
        rotation_weeks=1,
    )
    BlockWardFactory(block=block, ward=ward, places=2)
    BlockWardFactory(block=block, ward=partner_ward, places=3)
    return Site(
        institute,
        hospital,
        partner,
        foreign,
        ward,
        partner_ward,
        foreign_ward,
        supervisor,
        partner_supervisor,
        admin,
        cohort,
        block,
        competencies,
        instructor,
    )


@pytest.fixture(name="site")
def site_fixture(db) -> Site:
    return make_site()


def student_of(site: Site, **kwargs):
    kwargs.setdefault("year_of_study", 4)
    return StudentFactory(cohort=site.cohort, **kwargs)
