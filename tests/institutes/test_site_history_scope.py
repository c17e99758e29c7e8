"""Wagtail's site history report (page, results and CSV) is scoped like every list."""

import pytest

from wagtail.log_actions import log

from curriculum.factories import version_with_courses
from students.factories import CohortFactory, StudentFactory

pytestmark = pytest.mark.django_db

OWN = "طالبة المعهد الأول"
FOREIGN = "طالبة المعهد الثاني"
URLS = (
    "/admin/reports/site-history/",
    "/admin/reports/site-history/results/",
    "/admin/reports/site-history/?export=csv",
)


@pytest.fixture
def histories(world):
    version = version_with_courses(courses_per_year=1, applies_from_intake=2020)
    for side, name in ((world.a, OWN), (world.b, FOREIGN)):
        cohort = CohortFactory(
            institute=side.institute, intake_year=2025, curriculum_version=version
        )
        student = StudentFactory(cohort=cohort, person__name_ar=name)
        log(student, "wagtail.edit", user=side.admin)


def _text(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


@pytest.mark.parametrize("url", URLS)
def test_an_institute_admin_sees_only_own_records_history(
    client, world, histories, url
):
    client.force_login(world.a.admin)
    response = client.get(url)
    assert response.status_code == 200
    text = _text(response)
    assert OWN in text
    assert FOREIGN not in text


@pytest.mark.parametrize("role", ["trainer", "supervisor"])
def test_roles_without_the_students_see_neither(client, world, histories, role):
    client.force_login(getattr(world.b, role))
    text = _text(client.get(URLS[1]))
    assert OWN not in text


@pytest.mark.parametrize("role", ["trainer", "supervisor"])
def test_roles_without_the_students_see_their_own_wards_history(
    client, world, histories, role
):
    """Twin of the above: the same report shows the rows those roles may see."""
    ward = world.b.ward
    ward.name_ar = "قسم الطوارئ المعدل"
    ward.save()
    log(ward, "wagtail.edit", user=world.authority)
    client.force_login(getattr(world.b, role))
    response = client.get(URLS[1])
    assert response.status_code == 200
    text = _text(response)
    assert "قسم الطوارئ المعدل" in text
    assert OWN not in text


@pytest.mark.parametrize("url", URLS)
def test_the_authority_sees_every_institute_s_history(client, world, histories, url):
    client.force_login(world.authority)
    text = _text(client.get(url))
    assert OWN in text and FOREIGN in text


CLOSED_TO_ROLES = (
    "/admin/reports/locked/",
    "/admin/reports/aging-pages/",
    "/admin/reports/workflow/",
    "/admin/reports/workflow_tasks/",
    "/admin/reports/page-types-usage/",
    "/admin/pages/search/?q=a",
    "/admin/images/",
    "/admin/documents/",
)


@pytest.mark.parametrize("url", CLOSED_TO_ROLES)
def test_page_image_and_document_screens_stay_closed_to_roles(client, world, url):
    """Pages, images and documents are not institute data: roles never open them."""
    for user in (world.a.admin, world.a.trainer, world.a.supervisor):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 302, (user, url)
        assert response["Location"] == "/admin/"
    client.force_login(world.authority)
    assert client.get(url).status_code == 200


def test_scoped_site_history_queries_grow_by_at_most_one_per_row(client, world):
    """The scoping is one subquery per content type; Wagtail's edit link asks the
    permission policy once per row shown (at most a page of rows)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    version = version_with_courses(courses_per_year=1, applies_from_intake=2020)
    cohort = CohortFactory(
        institute=world.a.institute, intake_year=2025, curriculum_version=version
    )
    client.force_login(world.a.admin)

    def add_and_count(rows):
        for _index in range(rows):
            student = StudentFactory(cohort=cohort)
            log(student, "wagtail.edit", user=world.a.admin)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URLS[1]).status_code == 200
        return len(captured.captured_queries)

    five = add_and_count(5)
    thirty = add_and_count(25)
    assert thirty - five <= 25, (five, thirty)
