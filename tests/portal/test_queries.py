"""Each portal page costs at most 10 queries, whatever the length of the history."""

import datetime

import pytest

from django.urls import reverse

from training.models import PlacementDay
from training.staff.factories import TrainingSessionFactory

from .conftest import enter

STUDENT_PAGES = ("home", "placements", "hours", "record", "documents", "activity")
STAFF_PAGES = ("home", "training", "documents", "activity", "calendar")


def _grow_student(client, portal, days: int):
    for day in PlacementDay.objects.filter(placement=portal.placement)[:days]:
        client.post(reverse("portal:hours_enter", args=[day.pk]), {"hours": "5"})


def _grow_staff(client, portal, sessions: int):
    for index in range(sessions):
        session = TrainingSessionFactory(
            topic=portal.topic,
            hospital=portal.site.hospital,
            starts_at=portal.session.starts_at + datetime.timedelta(days=index + 1),
            ends_at=portal.session.ends_at + datetime.timedelta(days=index + 1),
        )
        client.post(reverse("portal:book", args=[session.pk]))
        TrainingSessionFactory(
            topic=portal.topic,
            hospital=portal.site.hospital,
            starts_at=portal.session.starts_at + datetime.timedelta(days=40 + index),
            ends_at=portal.session.ends_at + datetime.timedelta(days=40 + index),
        )


@pytest.mark.parametrize("grow", [1, 8])
def test_student_pages_cost_at_most_ten_queries(
    client, portal, grow, django_assert_max_num_queries
):
    enter(client, portal.student.person)
    _grow_student(client, portal, grow)
    for name in STUDENT_PAGES:
        with django_assert_max_num_queries(10) as captured:
            assert client.get(reverse(f"portal:{name}")).status_code == 200
        print(f"queries student {name} history={grow}: {len(captured)}")


@pytest.mark.parametrize("grow", [1, 8])
def test_staff_pages_cost_at_most_ten_queries(
    client, portal, grow, django_assert_max_num_queries
):
    enter(client, portal.staff.person)
    _grow_staff(client, portal, grow)
    for name in STAFF_PAGES:
        with django_assert_max_num_queries(10) as captured:
            assert client.get(reverse(f"portal:{name}")).status_code == 200
        print(f"queries staff {name} history={grow}: {len(captured)}")
