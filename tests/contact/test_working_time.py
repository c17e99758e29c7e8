"""Deadlines in working time: the offices' week (Sunday to Thursday, 08:00–15:00 by
default), public holidays skipped, and the escalation that counts the same way."""

import datetime

import pytest

from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from django.utils import timezone

from contact.factories import PublicHolidayFactory
from contact.services import contact_request_submit, contact_requests_escalate
from contact.working_time import add_working_time, working_week

WEEK = {
    "days": ["sun", "mon", "tue", "wed", "thu"],
    "opens": "08:00",
    "closes": "15:00",
}


def at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    """2026-12-<day> at hour:minute, Cairo time (2026-12-03 is a Thursday)."""
    return timezone.make_aware(
        datetime.datetime(2026, 12, day, hour, minute),
        timezone.get_default_timezone(),
    )


@override_settings(CONTACT_WORKING_WEEK=WEEK)
def test_a_working_day_from_thursday_afternoon_ends_on_sunday():
    assert at(3, 14).weekday() == 3  # Thursday
    assert add_working_time(at(3, 14), days=1, holidays=()) == at(6, 14)


@override_settings(CONTACT_WORKING_WEEK=WEEK)
def test_within_one_working_day_the_clock_runs_as_usual():
    assert add_working_time(at(6, 9), hours=3, holidays=()) == at(6, 12)


@override_settings(CONTACT_WORKING_WEEK=WEEK)
def test_hours_carry_over_to_the_next_working_day():
    assert add_working_time(at(6, 13), hours=3, holidays=()) == at(7, 9)


@override_settings(CONTACT_WORKING_WEEK=WEEK)
def test_a_request_received_at_night_starts_at_the_next_opening():
    assert add_working_time(at(6, 22), hours=1, holidays=()) == at(7, 9)
    assert add_working_time(at(7, 5), hours=1, holidays=()) == at(7, 9)
    # Friday: the clock starts on Sunday morning.
    assert add_working_time(at(4, 11), hours=1, holidays=()) == at(6, 9)


@override_settings(CONTACT_WORKING_WEEK=WEEK)
def test_a_public_holiday_is_skipped():
    holiday = datetime.date(2026, 12, 6)
    assert add_working_time(at(3, 14), days=1, holidays=[holiday]) == at(7, 14)
    # Its twin: the same day is worked when it is no holiday.
    assert add_working_time(at(3, 14), days=1, holidays=[]) == at(6, 14)


@pytest.mark.django_db
@override_settings(CONTACT_WORKING_WEEK=WEEK)
def test_holidays_come_from_the_editable_list():
    PublicHolidayFactory(date=datetime.date(2026, 12, 6), name_ar="عيد")
    assert add_working_time(at(3, 14), days=1) == at(7, 14)


@override_settings(
    CONTACT_WORKING_WEEK={
        "days": ["mon", "tue", "wed", "thu", "fri"],
        "opens": "09:00",
        "closes": "17:00",
    }
)
def test_another_week_can_be_configured():
    assert add_working_time(at(4, 16), days=1, holidays=()) == at(7, 16)


@pytest.mark.parametrize(
    "config",
    [
        {"days": [], "opens": "08:00", "closes": "15:00"},
        {"days": ["someday"], "opens": "08:00", "closes": "15:00"},
        {"days": ["sun"], "opens": "15:00", "closes": "08:00"},
        {"days": ["sun"], "opens": "eight", "closes": "15:00"},
    ],
)
def test_an_impossible_week_is_refused_with_a_message(config):
    with pytest.raises(ImproperlyConfigured):
        working_week(config)
    # Its twin: the default week is accepted.
    assert len(working_week(WEEK).days) == 5


def test_time_is_not_counted_backwards():
    with pytest.raises(ValueError):
        add_working_time(at(3, 10), days=-1, holidays=())


@pytest.mark.django_db
@override_settings(CONTACT_WORKING_WEEK=WEEK)
def test_a_request_deadline_counts_working_days(world, desk):
    from freezegun import freeze_time

    with freeze_time(at(3, 14)):
        request = contact_request_submit(
            kind="complaint",
            subject="s",
            message="m",
            institute=world.a.institute,
            phone="01001234567",
            topic=desk.topic,  # five working days
        )
    # Thu 14:00 + 5 × 7 h: Thu 1 h, Sun–Wed 28 h, Thursday 08:00 + 6 h.
    assert request.due_at == at(10, 14)


@pytest.mark.django_db
@override_settings(CONTACT_WORKING_WEEK=WEEK, CONTACT_ESCALATE_AUTHORITY_AFTER_DAYS=2)
def test_the_authority_is_told_after_working_days_not_a_weekend(world, desk):
    from contact.models import ContactRequest

    request = contact_request_submit(
        kind="complaint",
        subject="s",
        message="m",
        institute=world.a.institute,
        phone="01001234567",
    )
    ContactRequest.objects.filter(pk=request.pk).update(due_at=at(3, 10))
    assert contact_requests_escalate(now=at(3, 11)) == 1  # the head
    # Two calendar days later, over the weekend: not yet the authority.
    assert contact_requests_escalate(now=at(5, 12)) == 0
    # Thu 10:00 + 14 working hours is Monday 10:00.
    assert contact_requests_escalate(now=at(7, 9, 59)) == 0
    assert contact_requests_escalate(now=at(7, 10)) == 1
    request.refresh_from_db()
    assert request.escalation_level == 2
