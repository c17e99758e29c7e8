"""The staffing dashboard: share of nationals per hospital and department, scoped,
exportable, a fixed number of queries."""

import pytest

from django.urls import reverse

from institutes.factories import WardFactory
from training.factories import PersonFactory, StaffMemberFactory
from training.staff.selectors import staffing_by_nationality

pytestmark = pytest.mark.django_db


def _staff(hospital, nationality, ward=None, **kwargs):
    person = PersonFactory()
    person.nationality = nationality
    person.save()
    return StaffMemberFactory(person=person, hospital=hospital, ward=ward, **kwargs)


@pytest.fixture
def staffed(world):
    icu = WardFactory(hospital=world.a.hospital, name_ar="العناية")
    _staff(world.a.hospital, "EG", icu)
    _staff(world.a.hospital, "EG", icu)
    _staff(world.a.hospital, "IN", icu, employment_type="contracted")
    _staff(world.a.hospital, "PH", None, employment_type="visiting_trainer")
    _staff(world.a.hospital, "PH", None, is_active=False)
    _staff(world.b.hospital, "EG")
    return icu


def test_share_of_nationals_per_hospital_and_department(world, staffed):
    data = staffing_by_nationality(user=world.authority)
    a, b = sorted(data["by_hospital"], key=lambda f: f.key["hospital"].code)
    assert (a.total, a.nationals, a.share) == (4, 2, 50.0)
    assert (b.total, b.nationals, b.share) == (1, 1, 100.0)
    icu = next(f for f in data["by_ward"] if f.key["ward"] == staffed)
    assert (icu.total, icu.nationals, icu.share) == (3, 2, 66.7)
    assert icu.by_employment == {"permanent": 2, "contracted": 1}
    assert (data["total"].total, data["total"].nationals) == (5, 3)


def test_the_deployment_decides_who_is_national(world, staffed, settings):
    settings.IDENTITY_DEFAULT_COUNTRY = "PH"
    data = staffing_by_nationality(user=world.authority)
    assert data["total"].nationals == 1


def test_a_trainer_sees_only_their_hospital(world, staffed, client):
    client.force_login(world.b.trainer)
    response = client.get(reverse("training_staffing_nationality"))
    assert response.status_code == 200
    assert [f.key["hospital"] for f in response.context["by_hospital"]] == [
        world.b.hospital
    ]
    body = response.content.decode()
    assert world.a.hospital.name_ar not in body and "العناية" not in body


def test_export_lists_each_department(world, staffed, client):
    client.force_login(world.a.trainer)
    response = client.get(reverse("training_staffing_nationality") + "?export=csv")
    assert response.status_code == 200
    text = b"".join(
        response.streaming_content if response.streaming else [response.content]
    ).decode("utf-8-sig")
    lines = [line for line in text.splitlines() if line]
    assert len(lines) == 3  # header + the ICU + no department
    assert "66.7" in text and world.b.hospital.name_ar not in text


def test_queries_do_not_grow_with_the_staff(
    world, staffed, client, django_assert_max_num_queries
):
    client.force_login(world.authority)
    url = reverse("training_staffing_nationality")
    client.get(url)
    for _n in range(20):
        _staff(world.b.hospital, "IN", WardFactory(hospital=world.b.hospital))
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.context["total"].total == 25
