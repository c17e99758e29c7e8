"""A clinical supervisor sees a student only while the student is placed in their
ward *now*: from the placement's first day until PLACEMENT_SUPERVISION_GRACE_DAYS
(14 here) after its last, cancelled placements never. Every door follows the one
rule (`training.placements.supervision.placed_now`, applied by `institutes.access`):
the student list, its search and export, the student page and its history, the
chooser, the placement screens and the hours decisions. The twin of each refusal is
the institute's administrator, or the student placed in the ward today.
"""

from __future__ import annotations

import datetime

import pytest

from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from institutes.access import forget_scope
from training.placements.factories import BlockWardFactory, RotationBlockFactory
from training.placements.models import ClinicalHours, HoursStatus, PlacementDay
from training.placements.services import (
    hours_decide,
    hours_record,
    placement_book,
    placement_transition,
)

from ..training.placements.fixtures import make_site, student_of

GRACE = 14
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _real_grace(settings):
    settings.PLACEMENT_SUPERVISION_GRACE_DAYS = GRACE


def _text(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


class Ward:
    """A ward with a block that spans last year to next month, and its people."""

    def __init__(self):
        self.today = timezone.localdate()
        self.site = make_site("now")
        self.block = RotationBlockFactory(
            cohort=self.site.cohort,
            year=4,
            start_date=self.today - 400 * DAY,
            end_date=self.today + 90 * DAY,
            weekdays="5601234",
            rotation_weeks=2,
        )
        BlockWardFactory(block=self.block, ward=self.site.ward, places=2)
        BlockWardFactory(block=self.block, ward=self.site.partner_ward, places=3)
        self._numbers = iter(range(1, 1000))

    def place(self, start: int, end: int, *, ward=None, running=True, student=None):
        """A student placed from `today + start` to `today + end` (days)."""
        student = student or student_of(
            self.site, student_number=f"NOW-{next(self._numbers):03d}"
        )
        ward = ward or self.site.ward
        supervisor = (
            self.site.supervisor
            if ward == self.site.ward
            else self.site.partner_supervisor
        )
        placement = placement_book(
            block=self.block,
            student=student,
            ward=ward,
            start_date=self.today + start * DAY,
            end_date=self.today + end * DAY,
            supervisor=supervisor,
        )
        if running:
            for status in ("confirmed", "in_progress"):
                placement = placement_transition(
                    placement=placement, to_status=status, by=self.site.admin
                )
        return placement


@pytest.fixture
def ward(db):
    w = Ward()
    yield w
    for user in (w.site.supervisor, w.site.instructor, w.site.admin):
        forget_scope(user)


class Answer:
    """A response read once (an export streams)."""

    def __init__(self, response):
        self.status_code = response.status_code
        self.text = _text(response) if response.status_code == 200 else ""


def _doors(client, user, student) -> dict[str, Answer]:
    """Every door to a student a supervisor has, answered for `user`."""
    client.force_login(user)
    number = student.student_number
    responses = {
        "list": client.get(reverse("students:index")),
        "search": client.get(reverse("students:index_results"), {"q": number}),
        "export": client.get(reverse("students:index"), {"export": "csv"}),
        "chooser": client.get(reverse("student_chooser:choose_results"), {"q": number}),
        "inspect": client.get(reverse("students:inspect", args=[student.pk])),
        "history": client.get(reverse("students:history", args=[student.pk])),
        "clinical": client.get(
            reverse("training_student_clinical_record", args=[student.pk])
        ),
    }
    return {name: Answer(response) for name, response in responses.items()}


def _seen(doors, student) -> dict[str, bool]:
    """Which doors show the student (by name: the number searched for is echoed)."""
    return {
        name: answer.status_code == 200 and student.person.name_ar in answer.text
        for name, answer in doors.items()
        if name != "history"
    }


def test_student_placed_now_is_seen_through_every_door(client, ward):
    placement = ward.place(-7, 7)
    student = placement.student
    doors = _doors(client, ward.site.supervisor, student)
    assert all(_seen(doors, student).values()), _seen(doors, student)
    # The enrolment history is the institute's (minimisation), now or not.
    assert doors["history"].status_code in (302, 403, 404)
    # Only what supervision needs: the administrator (the twin) reads the rest.
    assert student.person.national_id not in doors["inspect"].text
    admin = _doors(client, ward.site.admin, student)
    assert student.person.national_id in admin["inspect"].text


def test_student_placed_last_year_is_not_seen(client, ward):
    past = ward.place(-380, -366).student
    doors = _doors(client, ward.site.supervisor, past)
    assert not any(_seen(doors, past).values()), _seen(doors, past)
    assert doors["inspect"].status_code == 404
    assert doors["history"].status_code != 200
    # The twin: the student's institute still reads the whole record.
    admin = _doors(client, ward.site.admin, past)
    assert all(_seen(admin, past).values()), _seen(admin, past)


def test_student_placed_next_month_is_not_seen_yet(client, ward):
    coming = ward.place(30, 44).student
    doors = _doors(client, ward.site.supervisor, coming)
    assert not any(_seen(doors, coming).values()), _seen(doors, coming)
    assert doors["inspect"].status_code == 404


def test_student_in_the_grace_is_seen_with_the_minimal_fields_only(client, ward):
    ended = ward.place(-20, -GRACE).student  # ended 14 days ago: the last day seen
    doors = _doors(client, ward.site.supervisor, ended)
    assert all(_seen(doors, ended).values()), _seen(doors, ended)
    for name in ("list", "export", "inspect"):
        text = doors[name].text
        assert ended.person.national_id not in text, name
        assert ended.person.birth_date.isoformat() not in text, name
    gone = ward.place(-40, -GRACE - 1).student  # the day after the grace: gone
    doors = _doors(client, ward.site.supervisor, gone)
    assert not any(_seen(doors, gone).values()), _seen(doors, gone)


def test_cancelled_placement_shows_nothing(client, ward):
    placement = ward.place(-3, 10, running=False)
    placement_transition(
        placement=placement, to_status="cancelled", reason="نقل", by=ward.site.admin
    )
    doors = _doors(client, ward.site.supervisor, placement.student)
    assert doors["inspect"].status_code == 404


def test_placed_now_elsewhere_and_here_last_year_is_not_seen_here(client, ward):
    """The date condition is met by the same placement as the ward, not by any."""
    last_year = ward.place(-380, -366)
    student = last_year.student
    ward.place(-7, 7, ward=ward.site.partner_ward, student=student)
    doors = _doors(client, ward.site.supervisor, student)
    assert doors["inspect"].status_code == 404
    partner = _doors(client, ward.site.partner_supervisor, student)
    assert partner["inspect"].status_code == 200


def test_placement_screens_follow_the_rule(client, ward):
    now = ward.place(-7, 7)
    past = ward.place(-380, -366)
    client.force_login(ward.site.supervisor)
    detail = "training_placement_detail"
    assert client.get(reverse(detail, args=[now.pk])).status_code == 200
    assert client.get(reverse(detail, args=[past.pk])).status_code == 404
    today = _text(
        client.get(
            reverse("training_my_students_today"),
            {"date": past.start_date.isoformat()},
        )
    )
    assert past.student.person.name_ar not in today
    block = _text(client.get(reverse("training_block_detail", args=[ward.block.pk])))
    assert now.student.person.name_ar in block
    assert past.student.person.name_ar not in block


def _pending_hours(ward, placement) -> ClinicalHours:
    """Hours entered by the ward's instructor while the ward still saw them."""
    day = PlacementDay.objects.filter(placement=placement).order_by("-date").first()
    return ClinicalHours.objects.create(
        placement=placement, day=day, hours=6, entered_by=ward.site.instructor
    )


def test_hours_of_a_placement_in_the_grace_are_approved(client, ward):
    placement = ward.place(-20, -5)
    day = PlacementDay.objects.filter(placement=placement).order_by("-date").first()
    entry = hours_record(
        placement=placement, date=day.date, hours="6", by=ward.site.instructor
    )
    client.force_login(ward.site.supervisor)
    response = client.post(
        reverse("training_hours_decide", args=[entry.pk]), {"decision": "approve"}
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == HoursStatus.APPROVED


def test_hours_past_the_grace_are_refused_with_the_reason(client, ward):
    placement = ward.place(-60, -GRACE - 1)
    entry = _pending_hours(ward, placement)
    client.force_login(ward.site.supervisor)
    response = client.post(
        reverse("training_hours_decide", args=[entry.pk]),
        {"decision": "approve"},
        follow=True,
    )
    text = _text(response)
    assert "no longer" in text or "لم تعد" in text
    entry.refresh_from_db()
    assert entry.status == HoursStatus.PENDING
    with pytest.raises(ValidationError) as refused:
        hours_decide(entry=entry, decision="approve", by=ward.site.supervisor)
    assert placement.end_date.isoformat() in refused.value.messages[0]
    with pytest.raises(ValidationError):
        hours_record(
            placement=placement,
            date=placement.end_date,
            hours="6",
            by=ward.site.instructor,
        )
    # Approving many: the entry is left out and the reason said.
    response = client.post(
        reverse("training_hours_approve_many"), {"entry": [entry.pk]}, follow=True
    )
    assert "no longer" in _text(response) or "لم تعد" in _text(response)
    entry.refresh_from_db()
    assert entry.status == HoursStatus.PENDING


def _list_queries(client, user) -> int:
    forget_scope(user)
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("students:index"))
    assert response.status_code == 200
    return len(queries)


def test_supervisor_list_costs_the_same_whatever_the_past(client, ward):
    ward.place(-7, 7)
    ward.place(-3, 7)
    for i in range(2):
        ward.place(-380 + 5 * i, -378 + 5 * i)
    _list_queries(client, ward.site.supervisor)  # warm caches (content types, ...)
    with_two_past = _list_queries(client, ward.site.supervisor)
    for i in range(8):
        ward.place(-300 + 5 * i, -298 + 5 * i)
    assert _list_queries(client, ward.site.supervisor) == with_two_past


def test_ward_schedule_sheet_lists_only_students_placed_now(ward):
    from training.placements.selectors import ward_schedule

    now = ward.place(-7, 7)
    past = ward.place(-380, -366)
    coming = ward.place(30, 44)
    start, end = ward.today - 400 * DAY, ward.today + 60 * DAY

    def students(user) -> set[int]:
        days = ward_schedule(ward=ward.site.ward, start=start, end=end, user=user)
        return {d.student_id for _date, _shift, rows in days for d in rows}

    assert students(ward.site.supervisor) == {now.student_id}
    assert students(ward.site.admin) == {
        now.student_id,
        past.student_id,
        coming.student_id,
    }
