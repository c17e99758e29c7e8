"""The supervisor's day as operational tables: the day's hours and the hours to
approve render as labelled cards, with a fixed number of queries whatever the
number of students."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from institutes.access import forget_scope
from training.placements.models import BlockWard
from training.placements.services import (
    hours_record,
    placement_book,
    placement_transition,
)

from .fixtures import site_fixture, student_of  # noqa: F401

DAY = datetime.date(2026, 10, 5)


def _book_with_hours(site, count: int) -> None:
    """`count` more students in the site's ward on DAY, hours entered by the
    ward's other supervisor (so the supervisor may decide on them)."""
    for _ in range(count):
        placement = placement_book(
            block=site.block,
            student=student_of(site),
            ward=site.ward,
            start_date=site.block.start_date,
            end_date=site.block.end_date,
            supervisor=site.supervisor,
        )
        placement_transition(placement=placement, to_status="confirmed")
        placement_transition(placement=placement, to_status="in_progress")
        placement.refresh_from_db()
        hours_record(placement=placement, date=DAY, hours="6", by=site.instructor)


def _page(client, user):
    forget_scope(user)
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(
            reverse("training_my_students_today"), {"date": DAY.isoformat()}
        )
    assert response.status_code == 200
    return response.content.decode(), len(ctx.captured_queries)


def test_todays_hours_and_hours_to_approve_cost_the_same_for_more_students(
    site, client
):
    site.ward.student_capacity = 20
    site.ward.save()
    BlockWard.objects.filter(block=site.block, ward=site.ward).update(places=20)
    _book_with_hours(site, 2)
    body, few = _page(client, site.supervisor)
    assert body.count("op-table") >= 2
    assert body.count('name="entry"') == 2  # approve-many boxes
    assert body.count('name="comment"') == 2  # one decision form per entry
    assert body.count('class="pl-input-hours"') == 2  # one hours box per student
    _book_with_hours(site, 8)
    body, many = _page(client, site.supervisor)
    assert body.count('name="entry"') == 10
    assert body.count('class="pl-input-hours"') == 10
    assert many == few


def test_the_day_without_students_says_so(site, client):
    body, _n = _page(client, site.supervisor)
    assert "op-table" in body
