"""The placements dashboard's competencies table: per cohort and year of study with
students studying now, the students lacking a required competency and the sign-offs
outstanding, in a fixed number of queries, within the user's scope."""

import datetime

import pytest

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from curriculum.factories import CompetencyFactory
from institutes.access import Role, forget_scope
from institutes.factories import RoleAssignmentFactory, UserFactory, WardFactory
from students.factories import CohortFactory, EnrolmentFactory, StudentFactory
from students.models import StudentStatus
from training.models import SignOffLevel
from training.placements.factories import BlockWardFactory, RotationBlockFactory
from training.placements.selectors import competencies_pending_by_cohort
from training.placements.services import (
    clinical_year_record,
    placement_book,
    signoff_record,
)

from .fixtures import make_site

D = datetime.date
SUPERVISED = SignOffLevel.SUPERVISED
INDEPENDENT = SignOffLevel.INDEPENDENT
OBSERVED = SignOffLevel.OBSERVED


def _rows(user):
    forget_scope(user)
    return {(r.cohort.pk, r.year): r for r in competencies_pending_by_cohort(user=user)}


def _figures(row):
    return {
        "students": row.students,
        "missing": row.students_missing,
        "this_year": (
            row.this_year_tracked,
            row.this_year_outstanding,
            row.this_year_required,
        ),
        "earlier": (row.earlier_tracked, row.earlier_outstanding, row.earlier_required),
    }


class World:
    """A site (cohort of intake 2023 in year 4, two year-4 competencies) with three
    year-3 competencies, one of year 1 (never tracked here), a year-3 block and a
    roomy ward for both blocks."""

    def __init__(self, tag="c", *, year3_block=True):
        site = make_site(tag)
        self.site = site
        version = site.cohort.curriculum_version
        self.y1 = CompetencyFactory(version=version, year=1, code=f"Y1-{tag}")
        self.y3 = [
            CompetencyFactory(version=version, year=3, code=f"Y3-{i}-{tag}")
            for i in range(3)
        ]
        self.y4 = site.competencies
        self.ward = WardFactory(
            hospital=site.hospital, name_ar=f"الجراحة {tag}", student_capacity=40
        )
        RoleAssignmentFactory(
            user=site.supervisor, role=Role.SUPERVISOR, institute=None, ward=self.ward
        )
        self.block3 = None
        if year3_block:
            self.block3 = RotationBlockFactory(
                cohort=site.cohort,
                year=3,
                start_date=D(2026, 9, 5),  # Saturday
                end_date=D(2026, 9, 17),
                rotation_weeks=1,
            )
            BlockWardFactory(block=self.block3, ward=self.ward, places=40)
        BlockWardFactory(block=site.block, ward=self.ward, places=40)

    def student(self, year, cohort=None, **kwargs):
        return StudentFactory(
            cohort=cohort or self.site.cohort, year_of_study=year, **kwargs
        )

    def placement(self, student, block):
        return placement_book(
            block=block,
            student=student,
            ward=self.ward,
            start_date=block.start_date,
            end_date=block.end_date,
            supervisor=self.site.supervisor,
        )

    def sign(self, placement, competency, level, corrects=None):
        return signoff_record(
            placement=placement,
            competency=competency,
            level=level,
            assessed_on=placement.start_date,
            comment="يعاد" if level == SignOffLevel.REMEDIATION else "",
            by=self.site.supervisor,
            corrects=corrects,
        )


@pytest.fixture
def world(db):
    return World()


def test_a_mixed_year_cohort_is_split_by_year_of_study(world):
    site = world.site
    # Year 4: all of year 3 signed off in the system, one of year 4.
    a = world.student(4)
    p3 = world.placement(a, world.block3)
    for c in world.y3:
        world.sign(p3, c, SUPERVISED)
    world.sign(world.placement(a, site.block), world.y4[0], INDEPENDENT)
    # Year 4: nothing signed off (year 3 is tracked: the cohort has a year-3 block).
    world.student(4)
    # Year 3, repeating: observed only; signed then corrected to remediation;
    # signed off twice (counts once). Years 1 and 2 are not tracked.
    c = world.student(3)
    p = world.placement(c, world.block3)
    world.sign(p, world.y3[0], OBSERVED)
    first = world.sign(p, world.y3[1], SUPERVISED)
    world.sign(p, world.y3[1], SignOffLevel.REMEDIATION, corrects=first)
    world.sign(p, world.y3[2], SUPERVISED)
    world.sign(p, world.y3[2], INDEPENDENT)
    # Not studying: not counted.
    world.student(4, status=StudentStatus.GRADUATED)
    world.student(3, status=StudentStatus.WITHDRAWN)
    world.student(4, status=StudentStatus.SUSPENDED)

    rows = _rows(site.admin)

    assert sorted(rows) == [(site.cohort.pk, 3), (site.cohort.pk, 4)]
    assert _figures(rows[(site.cohort.pk, 3)]) == {
        "students": 1,
        "missing": 1,
        "this_year": (1, 2, 3),
        "earlier": (0, 0, 0),
    }
    assert _figures(rows[(site.cohort.pk, 4)]) == {
        "students": 2,
        "missing": 2,
        "this_year": (2, 1 + 2, 2 * 2),
        "earlier": (2, 0 + 3, 2 * 3),
    }


def test_a_student_with_everything_signed_off_is_not_missing_any(world):
    site = world.site
    done = world.student(4)
    p3 = world.placement(done, world.block3)
    for c in world.y3:
        world.sign(p3, c, SUPERVISED)
    p4 = world.placement(done, site.block)
    for c in world.y4:
        world.sign(p4, c, INDEPENDENT)
    world.student(4)

    row = _rows(site.admin)[(site.cohort.pk, 4)]

    assert (row.students, row.students_missing) == (2, 1)
    assert (row.this_year_outstanding, row.this_year_required) == (2, 4)
    assert (row.earlier_outstanding, row.earlier_required) == (3, 6)


def test_graduated_and_finished_cohorts_are_not_listed(world):
    site = world.site
    finished = CohortFactory(
        institute=site.institute,
        intake_year=2019,
        curriculum_version=site.cohort.curriculum_version,
    )
    for year in range(1, 5):
        RotationBlockFactory(cohort=finished, year=year)
    world.student(4, cohort=finished, status=StudentStatus.GRADUATED)
    world.student(4, cohort=finished, status=StudentStatus.GRADUATED)
    world.student(3, cohort=finished, status=StudentStatus.WITHDRAWN)
    # The site's cohort has blocks for years 3 and 4 but students in year 4 only:
    # one row, not one per block.
    world.student(4)

    rows = _rows(site.admin)

    assert list(rows) == [(site.cohort.pk, 4)]
    # The twin: a student of the finished cohort studying again lists it.
    world.student(4, cohort=finished)
    assert (finished.pk, 4) in _rows(site.admin)


def test_a_recorded_past_year_counts_as_signed_off(db):
    # Year 3 was not run here (no block): only the paper register has it.
    world = World(year3_block=False)
    site = world.site
    recorded = world.student(4)
    clinical_year_record(
        student=recorded,
        year=3,
        hours=400,
        competencies=world.y3[:2],
        evidence="سجل التدريب ١٩٩٩، ص ١٢",
        by=site.admin,
    )
    world.student(4)  # Year 3 not recorded, no block: not tracked for them.

    row = _rows(site.admin)[(site.cohort.pk, 4)]

    assert row.students == 2
    assert (row.earlier_tracked, row.earlier_outstanding, row.earlier_required) == (
        1,
        1,
        3,
    )
    # The record attests the third competency too: nothing of year 3 outstanding.
    clinical_year_record(
        student=recorded,
        year=3,
        hours=400,
        competencies=world.y3,
        evidence="سجل التدريب ١٩٩٩، ص ١٢",
        by=site.admin,
    )
    row = _rows(site.admin)[(site.cohort.pk, 4)]
    assert (row.earlier_outstanding, row.earlier_required) == (0, 3)


def test_a_later_assessment_wins_over_the_recorded_year(world):
    site = world.site
    student = world.student(4)
    clinical_year_record(
        student=student,
        year=3,
        hours=400,
        competencies=world.y3,
        evidence="سجل التدريب",
        by=site.admin,
    )
    world.sign(world.placement(student, world.block3), world.y3[0], OBSERVED)

    row = _rows(site.admin)[(site.cohort.pk, 4)]

    assert (row.earlier_outstanding, row.earlier_required) == (1, 3)


@pytest.fixture
def two_institutes(db):
    a, b = World("a"), World("b")
    # A student of institute B who started in institute A's cohort (transferred):
    # an enrolment in A's cohort, a student of B now.
    moved = b.student(4)
    EnrolmentFactory(
        student=moved, cohort=a.site.cohort, academic_year=2023, year_of_study=1
    )
    a.student(4)
    return a, b, moved


def test_another_institutes_student_is_never_counted(two_institutes):
    a, b, _moved = two_institutes

    rows = _rows(a.site.admin)

    assert list(rows) == [(a.site.cohort.pk, 4)]
    assert rows[(a.site.cohort.pk, 4)].students == 1
    # The twin: institute B's administrator sees their student.
    rows = _rows(b.site.admin)
    assert list(rows) == [(b.site.cohort.pk, 4)]
    assert rows[(b.site.cohort.pk, 4)].students == 1


def test_authority_sees_every_institute_and_a_supervisor_no_cohort(two_institutes):
    a, b, _moved = two_institutes
    authority = UserFactory(username="authority-dash", is_superuser=True)

    rows = _rows(authority)

    assert set(rows) == {
        (a.site.cohort.pk, 4),
        (b.site.cohort.pk, 4),
    }
    # Cohorts are scoped by institute: a ward's supervisor has none (as before).
    assert _rows(a.site.supervisor) == {}
    # The twin: the same ward's institute administrator has theirs.
    assert _rows(a.site.admin)


def _count_queries(user):
    forget_scope(user)
    with CaptureQueriesContext(connection) as ctx:
        rows = competencies_pending_by_cohort(user=user)
    return len(ctx.captured_queries), rows


def test_the_query_count_does_not_grow_with_cohorts_students_and_signoffs(world):
    site = world.site
    world.student(4)
    small, rows = _count_queries(site.admin)
    assert len(rows) == 1

    for _i in range(3):
        s = world.student(4)
        p3 = world.placement(s, world.block3)
        world.sign(p3, world.y3[0], SUPERVISED)
        world.sign(world.placement(s, site.block), world.y4[1], INDEPENDENT)
        clinical_year_record(
            student=s, year=2, hours=300, evidence="سجل", by=site.admin
        )
    for _i in range(2):
        world.student(3)
    other = CohortFactory(
        institute=site.institute,
        intake_year=2025,
        curriculum_version=site.cohort.curriculum_version,
    )
    RotationBlockFactory(cohort=other, year=1)
    for _i in range(3):
        world.student(1, cohort=other)
        world.student(2, cohort=other)
    large, rows = _count_queries(site.admin)

    assert len(rows) == 4
    assert small == large == 9


def test_the_dashboard_says_what_it_counts(world, client):
    site = world.site
    student = world.student(4)
    world.sign(world.placement(student, site.block), world.y4[0], SUPERVISED)
    client.force_login(site.admin)
    url = reverse("training_placements_dashboard")

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(url)
    html = english.content.decode()
    assert english.status_code == 200
    for header in (
        "Year of study",
        "Students enrolled now",
        "Students with a required competency not signed off",
        "Sign-offs outstanding: competencies of their year",
        "Sign-offs outstanding: competencies of earlier years",
    ):
        assert header in html
    assert "1 of 2" in html  # year 4: one of two outstanding
    assert "3 of 3" in html  # year 3 (tracked by the cohort's block): none signed

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    arabic = client.get(url)
    html = arabic.content.decode()
    assert "طلاب لديهم مهارة مطلوبة لم تُعتمد" in html
    assert "1 من 2" in html


def test_each_dashboard_table_pages_on_its_own(world, client):
    client.force_login(world.site.admin)

    response = client.get(reverse("training_placements_dashboard"))

    prefixes = [
        response.context[name].prefixed_page_field
        for name in ("occupancy", "behind", "competencies")
    ]
    assert len(set(prefixes)) == 3
    assert response.context["competencies"].prefixed_page_field == ("competencies-page")


def test_a_supervisor_is_told_no_cohort_is_in_view(world, client):
    world.student(4)
    url = reverse("training_placements_dashboard")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    empty = "No cohort you can see has students enrolled now."

    forget_scope(world.site.supervisor)
    client.force_login(world.site.supervisor)
    assert empty in client.get(url).content.decode()
    # The twin: the institute's administrator has the cohort's row.
    forget_scope(world.site.admin)
    client.force_login(world.site.admin)
    html = client.get(url).content.decode()
    assert empty not in html
    assert f'?cohort={world.site.cohort.pk}">' in html
