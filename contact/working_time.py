"""Working time: deadlines counted in the offices' working hours and days.

A target of "3 days" means three working days of the office's week
(`CONTACT_WORKING_WEEK`: Sunday to Thursday, 08:00–15:00 by default), skipping the
public holidays kept in `PublicHoliday`. A request received outside working hours
starts its clock at the next opening. Times are the authority's (`TIME_ZONE`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Far enough for any target: stops a calendar with no working day from looping.
_MAX_DAYS_AHEAD = 3660


@dataclass(frozen=True)
class WorkingWeek:
    """The days (Python weekday numbers, Monday 0) and hours an office works."""

    days: frozenset[int]
    opens: datetime.time
    closes: datetime.time

    @property
    def day_length(self) -> datetime.timedelta:
        return datetime.datetime.combine(
            datetime.date.min, self.closes
        ) - datetime.datetime.combine(datetime.date.min, self.opens)


def _time(value, name: str) -> datetime.time:
    if isinstance(value, datetime.time):
        return value
    try:
        return datetime.time.fromisoformat(str(value))
    except ValueError:
        raise ImproperlyConfigured(
            f"CONTACT_WORKING_WEEK[{name!r}] must be a time such as '08:00', "
            f"not {value!r}."
        ) from None


def working_week(config: dict | None = None) -> WorkingWeek:
    """The working week from `CONTACT_WORKING_WEEK` (or `config`), checked."""
    config = config if config is not None else settings.CONTACT_WORKING_WEEK
    names = [str(day).lower()[:3] for day in config.get("days", ())]
    unknown = [day for day in names if day not in DAY_NAMES]
    if unknown or not names:
        raise ImproperlyConfigured(
            "CONTACT_WORKING_WEEK['days'] must list at least one of "
            f"{', '.join(DAY_NAMES)}; got {config.get('days')!r}."
        )
    week = WorkingWeek(
        days=frozenset(DAY_NAMES.index(day) for day in names),
        opens=_time(config.get("opens", "08:00"), "opens"),
        closes=_time(config.get("closes", "15:00"), "closes"),
    )
    if week.day_length <= datetime.timedelta(0):
        raise ImproperlyConfigured(
            "CONTACT_WORKING_WEEK: 'closes' must be later than 'opens'."
        )
    return week


def holidays_from(day: datetime.date) -> frozenset[datetime.date]:
    """Public holidays on or after `day` (one query)."""
    from .models import PublicHoliday

    return frozenset(
        PublicHoliday.objects.filter(date__gte=day).values_list("date", flat=True)
    )


def add_working_time(
    start: datetime.datetime,
    *,
    days: int = 0,
    hours: float = 0,
    week: WorkingWeek | None = None,
    holidays: Iterable[datetime.date] | None = None,
) -> datetime.datetime:
    """The moment `days` working days and `hours` working hours after `start`.

    A working day is the length of the working week's day (`opens` to `closes`), so
    "1 day" from Thursday 14:00 on a Sunday–Thursday, 08:00–15:00 week is Sunday
    14:00. Weekends and `holidays` (default: the `PublicHoliday` rows) are skipped.
    """
    if days < 0 or hours < 0:
        raise ValueError("Working time is added forwards only.")
    week = week or working_week()
    zone = timezone.get_default_timezone()
    local = timezone.localtime(start, zone)
    off = frozenset(holidays) if holidays is not None else holidays_from(local.date())
    remaining = week.day_length * days + datetime.timedelta(hours=hours)
    day, moment = local.date(), local
    for _n in range(_MAX_DAYS_AHEAD):
        if day.weekday() in week.days and day not in off:
            opening = timezone.make_aware(
                datetime.datetime.combine(day, week.opens), zone
            )
            closing = timezone.make_aware(
                datetime.datetime.combine(day, week.closes), zone
            )
            begin = max(moment, opening)
            if begin < closing:
                if remaining <= closing - begin:
                    return begin + remaining
                remaining -= closing - begin
        day += datetime.timedelta(days=1)
        moment = timezone.make_aware(
            datetime.datetime.combine(day, datetime.time()), zone
        )
    raise ImproperlyConfigured(
        "No working day in the next ten years: check CONTACT_WORKING_WEEK and the "
        "public holidays."
    )
