"""The compliance rules, and the status table that keeps their result.

Rules (one place, tested at their boundaries in tests/training/test_staff_compliance.py):

- A topic is required of an active staff member whose job category it lists and, when
  it lists specialties, whose ward has one of them.
- Only passed attendance counts; a failed attempt after a pass changes nothing.
- A pass on day D of a topic valid for N months is valid up to and including the day
  before D + N months (`valid_until`). N = 0 never expires.
- With the "previous expiry" renewal rule, a pass no more than `renewal_window_days`
  before the current `valid_until` (and not after it) extends from that expiry, so
  early renewal loses nothing; any other pass counts from its own date.
- A never-taken topic is "in grace" until `hire_date + grace_days` (inclusive); when
  the topic is in the induction of the staff member's job category
  (`InductionTopic`), until the day before `hire_date + months_to_complete` months
  instead. That date is the new hire's due date for the topic.

`StaffTopicStatus` holds, per staff member and required topic, the last completion,
`valid_until` and `grace_until`. `status_sync` rewrites the rows of a batch of staff in
a few queries; callers run it inside the transaction that changed the inputs.
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import (
    Attendance,
    InductionTopic,
    RenewalRule,
    StaffMember,
    StaffTopicStatus,
    Topic,
)

DUE_SOON_DAYS = 30
SYNC_BATCH = 2000


class State:
    COMPLIANT = "compliant"
    DUE = "due"
    EXPIRED = "expired"
    NEVER = "never"
    GRACE = "grace"

    LABELS = {
        COMPLIANT: _("Compliant"),
        DUE: _("Due within 30 days"),
        EXPIRED: _("Expired"),
        NEVER: _("Never taken"),
        GRACE: _("New staff — in grace period"),
    }
    ORDER = (COMPLIANT, DUE, EXPIRED, NEVER, GRACE)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` moved by whole months; the 31st becomes the last day of a shorter month."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def validity_from_passes(
    topic: Topic, passes: Iterable[datetime.date]
) -> tuple[datetime.date | None, datetime.date | None]:
    """(last completion, valid_until) after these passes, applying the renewal rule."""
    completed_on = None
    valid_until = None
    for day in sorted(passes):
        if topic.validity_months == 0:
            completed_on, valid_until = day, None
            continue
        start = day
        if (
            topic.renewal_rule == RenewalRule.FROM_PREVIOUS_EXPIRY
            and valid_until is not None
            and valid_until - datetime.timedelta(days=topic.renewal_window_days)
            <= day
            <= valid_until
        ):
            start = valid_until + datetime.timedelta(days=1)
        new_until = add_months(start, topic.validity_months) - datetime.timedelta(
            days=1
        )
        completed_on = day
        # A pass never shortens a validity already earned.
        valid_until = new_until if valid_until is None else max(valid_until, new_until)
    return completed_on, valid_until


def topic_requires(topic: Topic, *, job_category: str, specialty: str | None) -> bool:
    if not topic.is_active or job_category not in topic.job_categories:
        return False
    return not topic.specialties or specialty in topic.specialties


def staff_required_q(topic: Topic) -> Q:
    """The staff a topic is required of, as a filter on StaffMember."""
    q = Q(is_active=True, job_category__in=list(topic.job_categories))
    if topic.specialties:
        q &= Q(ward__specialty__in=list(topic.specialties))
    return q


def grace_until_for(
    topic: Topic, *, hired: datetime.date, induction_months: int | None
) -> datetime.date:
    """The last day a never-taken topic is "in grace" (the new hire's due date)."""
    if induction_months:
        return add_months(hired, induction_months) - datetime.timedelta(days=1)
    return hired + datetime.timedelta(days=topic.grace_days)


def induction_months() -> dict[tuple[str, int], int]:
    """{(job category, topic id): months to complete} of the induction plan."""
    return {
        (category, topic_id): months
        for category, topic_id, months in InductionTopic.objects.values_list(
            "job_category", "topic_id", "months_to_complete"
        )
    }


@dataclass(frozen=True)
class TopicState:
    state: str
    valid_until: datetime.date | None
    completed_on: datetime.date | None
    grace_until: datetime.date | None

    @property
    def label(self):
        return State.LABELS[self.state]

    @property
    def expired_since(self) -> datetime.date | None:
        if self.state == State.EXPIRED and self.valid_until:
            return self.valid_until + datetime.timedelta(days=1)
        return None


def state_of(
    *,
    completed_on: datetime.date | None,
    valid_until: datetime.date | None,
    grace_until: datetime.date | None,
    today: datetime.date | None = None,
) -> TopicState:
    """Today's state for one status row (the same rule as `state_conditions`)."""
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    if completed_on is None:
        state = State.GRACE if grace_until and grace_until >= today else State.NEVER
    elif valid_until is None or valid_until > soon:
        state = State.COMPLIANT
    elif valid_until >= today:
        state = State.DUE
    else:
        state = State.EXPIRED
    return TopicState(state, valid_until, completed_on, grace_until)


def state_conditions(today: datetime.date | None = None, prefix: str = "") -> dict:
    """The SQL condition of each state on StaffTopicStatus (`prefix` for joins)."""
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    p = prefix

    def q(**kw):
        return Q(**{f"{p}{k}": v for k, v in kw.items()})

    return {
        State.COMPLIANT: q(completed_on__isnull=False)
        & (q(valid_until__isnull=True) | q(valid_until__gt=soon)),
        State.DUE: q(valid_until__gte=today, valid_until__lte=soon),
        State.EXPIRED: q(valid_until__lt=today),
        State.NEVER: q(completed_on__isnull=True, grace_until__lt=today),
        State.GRACE: q(completed_on__isnull=True, grace_until__gte=today),
    }


def status_sync(
    staff_ids: Iterable[int], *, topics: Iterable[Topic] | None = None
) -> int:
    """Rewrite the status rows of these staff members (for these topics, or all).

    Reads the staff, their passes and their current rows in three queries per batch
    and writes only what changed. Returns the number of rows created, changed or
    deleted. Run it inside the transaction that changed attendance, staff or topics.
    """
    staff_ids = list(dict.fromkeys(staff_ids))
    topic_list = list(topics) if topics is not None else list(Topic.objects.all())
    if not staff_ids or not topic_list:
        return 0
    changed = 0
    induction = induction_months()
    for start in range(0, len(staff_ids), SYNC_BATCH):
        changed += _sync_batch(
            staff_ids[start : start + SYNC_BATCH], topic_list, induction
        )
    return changed


def _sync_batch(
    staff_ids: list[int], topics: list[Topic], induction: dict[tuple[str, int], int]
) -> int:
    topic_by_id = {t.pk: t for t in topics}
    staff_rows = StaffMember.objects.filter(pk__in=staff_ids).values_list(
        "pk", "hospital_id", "ward_id", "ward__specialty", "job_category",
        "hire_date", "is_active",
    )  # fmt: skip
    passes: dict[tuple[int, int], list[datetime.date]] = defaultdict(list)
    for staff_id, topic_id, day in Attendance.objects.filter(
        staff_id__in=staff_ids, topic_id__in=list(topic_by_id), passed=True
    ).values_list("staff_id", "topic_id", "completed_on"):
        passes[(staff_id, topic_id)].append(day)
    existing = {
        (row.staff_id, row.topic_id): row
        for row in StaffTopicStatus.objects.filter(
            staff_id__in=staff_ids, topic_id__in=list(topic_by_id)
        )
    }
    to_create, to_update, keep = [], [], set()
    for (
        staff_id,
        hospital_id,
        ward_id,
        specialty,
        category,
        hired,
        active,
    ) in staff_rows:
        for topic in topics:
            if not active or not topic_requires(
                topic, job_category=category, specialty=specialty
            ):
                continue
            key = (staff_id, topic.pk)
            keep.add(key)
            completed_on, valid_until = validity_from_passes(topic, passes.get(key, ()))
            values = {
                "hospital_id": hospital_id,
                "ward_id": ward_id,
                "completed_on": completed_on,
                "valid_until": valid_until,
                "grace_until": grace_until_for(
                    topic,
                    hired=hired,
                    induction_months=induction.get((category, topic.pk)),
                ),
            }
            row = existing.get(key)
            if row is None:
                to_create.append(
                    StaffTopicStatus(staff_id=staff_id, topic_id=topic.pk, **values)
                )
            elif any(getattr(row, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(row, k, v)
                to_update.append(row)
    stale = [row.pk for key, row in existing.items() if key not in keep]
    if stale:
        StaffTopicStatus.objects.filter(pk__in=stale).delete()
    StaffTopicStatus.objects.bulk_create(to_create, batch_size=1000)
    if to_update:
        # One prepared UPDATE run for every row: Django's bulk_update builds a CASE
        # per column that SQLite evaluates slowly (3 s for a 1,500-person roster).
        table = connection.ops.quote_name(StaffTopicStatus._meta.db_table)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {table} SET hospital_id = %s, ward_id = %s, "  # noqa: S608
                "completed_on = %s, valid_until = %s, grace_until = %s WHERE id = %s",
                [
                    (
                        row.hospital_id,
                        row.ward_id,
                        connection.ops.adapt_datefield_value(row.completed_on),
                        connection.ops.adapt_datefield_value(row.valid_until),
                        connection.ops.adapt_datefield_value(row.grace_until),
                        row.pk,
                    )
                    for row in to_update
                ],
            )
    return len(to_create) + len(to_update) + len(stale)


def topic_affected_staff_ids(topic: Topic) -> list[int]:
    """Everyone whose row for this topic may change: now required, or holding a row."""
    required = StaffMember.objects.filter(staff_required_q(topic)).values_list(
        "pk", flat=True
    )
    holding = StaffTopicStatus.objects.filter(topic=topic).values_list(
        "staff_id", flat=True
    )
    return sorted(set(required) | set(holding))
