"""When a ward's clinical supervisors see a student: while the student is placed
there *now*.

"Now" is one rule, used by every access rule that reaches a student through a
placement in a ward (the student, the placement, its days, status history, hours,
sign-offs and evaluations):

* the placement is not cancelled;
* it has started: its first day is today or earlier (a placement next month is not
  visible yet);
* it has not ended more than `PLACEMENT_SUPERVISION_GRACE_DAYS` (default 14) days
  ago, so the hours of the last days can still be entered, approved or returned.

"Today" is the local date (`TIME_ZONE`), read at each query (a replay of past
years, such as the demo's graduating class, runs `as_of` the day it replays). When
the grace has passed, the ward no longer sees the student, the placement or its
hours: hours still awaiting approval then are no longer decided from the ward;
authority staff decide them (or the institute corrects the placement's dates).
Administrators of the student's institute and authority staff are not concerned:
their paths have no time limit.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import ngettext

#: Every status but "cancelled" (a positive list: a negated condition on a
#: many-valued relation would be tested on another related row than the path's).
_SUPERVISED_STATUSES = ("planned", "confirmed", "in_progress", "completed")


_as_of: ContextVar[datetime.date | None] = ContextVar("supervision_as_of", default=None)


def today() -> datetime.date:
    """The day the rule is applied on: the local date, or the replayed one."""
    return _as_of.get() or timezone.localdate()


@contextmanager
def as_of(day: datetime.date) -> Iterator[None]:
    """Apply the rule as on `day`: for records of the past entered the way they
    were made then (the demo's earlier years), never for a request."""
    token = _as_of.set(day)
    try:
        yield
    finally:
        _as_of.reset(token)


def grace_days() -> int:
    """Days after a placement's last day during which its ward still sees it."""
    return max(0, int(getattr(settings, "PLACEMENT_SUPERVISION_GRACE_DAYS", 14)))


def supervised_until(end_date: datetime.date) -> datetime.date:
    """The last day a placement ending on `end_date` is seen from its ward."""
    return end_date + datetime.timedelta(days=grace_days())


def placed_now(prefix: str = "", on: datetime.date | None = None) -> Q:
    """The placements (reached through `prefix`, e.g. "placements__") that their ward
    sees today (or `on`): not cancelled, started, not ended more than the grace ago."""
    day = on or today()
    earliest_end = day - datetime.timedelta(days=grace_days())
    return Q(
        **{
            f"{prefix}status__in": _SUPERVISED_STATUSES,
            f"{prefix}start_date__lte": day,
            f"{prefix}end_date__gte": earliest_end,
        }
    )


def placed_now_via(prefix: str):
    """`placed_now` for an access rule's `when` (read at each query)."""

    def when() -> Q:
        return placed_now(prefix)

    return when


def is_supervised_now(placement, on: datetime.date | None = None) -> bool:
    """`placed_now` for one placement already loaded (no query)."""
    day = on or today()
    return (
        placement.status in _SUPERVISED_STATUSES
        and placement.start_date <= day <= supervised_until(placement.end_date)
    )


def supervision_closed_message(placement) -> str:
    """Why the ward may no longer record or decide anything on `placement`."""
    return ngettext(
        "This placement ended on %(end)s; its ward could record and approve its hours "
        "until %(until)s (%(days)s day after the last day). Authority staff decide "
        "what is left.",
        "This placement ended on %(end)s; its ward could record and approve its hours "
        "until %(until)s (%(days)s days after the last day). Authority staff decide "
        "what is left.",
        grace_days(),
    ) % {
        "end": placement.end_date.isoformat(),
        "until": supervised_until(placement.end_date).isoformat(),
        "days": grace_days(),
    }
