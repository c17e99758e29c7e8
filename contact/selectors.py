"""Reads of the contact centre, with their joins: office membership, lists, history,
earlier requests of a caller, dashboard figures."""

from __future__ import annotations

import datetime
import re

from django.db.models import Q, QuerySet

from institutes import access

_NON_DIGITS = re.compile(r"\D+")


def phone_digits(value: str) -> str:
    """The digits of a phone number (Arabic-Indic digits read as Western), without a
    leading country code 20 / 0020 so that 010… and +2010… match."""
    from institutes.arabic import normalize_for_search

    digits = _NON_DIGITS.sub("", normalize_for_search(value or ""))
    if digits.startswith("00"):
        digits = digits[2:]
    if digits.startswith("20") and len(digits) == 12:
        digits = "0" + digits[2:]
    return digits


def office_ids_of(user) -> set[int]:
    """Offices a user works in, with the departments inside them (scope dimension)."""
    from .models import Office

    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    mine = Q(members__user=user)
    return set(
        Office.objects.filter(
            mine | Q(parent__members__user=user) | Q(parent__parent__members__user=user)
        ).values_list("pk", flat=True)
    )


_CONFIDENTIAL_ATTR = "_contact_confidential_offices"


def confidential_office_ids_of(user) -> frozenset[int]:
    """Offices handling confidential staff matters that this user belongs to."""
    from .models import OfficeMember

    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, _CONFIDENTIAL_ATTR, None)
    if cached is None:
        cached = frozenset(
            OfficeMember.objects.filter(
                user=user, office__handles_confidential=True
            ).values_list("office_id", flat=True)
        )
        setattr(user, _CONFIDENTIAL_ATTR, cached)
    return cached


def requests_for(user, action: str = "view") -> QuerySet:
    """The contact requests `user` may see, with what a list shows."""
    from .models import ContactRequest

    return access.filter_for(
        ContactRequest.objects.select_related(
            "office", "topic", "institute", "hospital", "assigned_to"
        ),
        user,
        action,
    )


def earlier_requests_of_caller(*, user, phone: str, limit: int = 10) -> list:
    """Earlier requests from the same phone number that `user` may see."""
    digits = phone_digits(phone)
    if len(digits) < 6:
        return []
    return list(
        requests_for(user).filter(phone_digits=digits).order_by("-created_at")[:limit]
    )


def public_events(contact_request) -> list:
    """The steps a requester may see: never internal notes, routing or escalations."""
    return list(contact_request.events.filter(internal=False).order_by("at", "pk"))


# --- Figures -------------------------------------------------------------------------


def _median_from_histogram(counts: dict[int, int]) -> float | None:
    total = sum(counts.values())
    if not total:
        return None
    ordered = sorted(counts.items())
    # The median of a sorted multiset given as (value, count) pairs.
    lower_rank, upper_rank = (total - 1) // 2, total // 2
    seen, lower = 0, None
    for value, n in ordered:
        if lower is None and seen + n > lower_rank:
            lower = value
        if seen + n > upper_rank:
            return (lower + value) / 2
        seen += n
    return None  # pragma: no cover


def _aware_first(first: datetime.date) -> datetime.datetime:
    """Midnight of `first` in the authority's time zone: months are the authority's,
    whatever time zone a user's screens are shown in, so that the live figures and
    the roll-up (`contact.figures.month_of`) cut months at the same moment."""
    from django.utils import timezone

    return timezone.make_aware(
        datetime.datetime(first.year, first.month, first.day),
        timezone.get_default_timezone(),
    )


def _month_starts(months: int, now=None) -> list:
    """The first days of the last `months` months, oldest first (this month last)."""
    from django.utils import timezone

    today = timezone.localdate(now, timezone.get_default_timezone())
    year, month = today.year, today.month
    firsts = []
    for _i in range(months):
        firsts.append(datetime.date(year, month, 1))
        month -= 1
        if month == 0:
            month, year = 12, year - 1
    return list(reversed(firsts))


def _month_start(months: int, now=None) -> datetime.datetime:

    first = _month_starts(months, now)[0]
    return _aware_first(first)


def _as_date(value):
    return value.date() if isinstance(value, datetime.datetime) else value


def _month_bounds(months: int, now=None) -> list[tuple]:
    """(first day, aware start, aware end) of each of the last `months` months."""

    firsts = _month_starts(months, now)
    bounds = []
    for n, first in enumerate(firsts):
        start = _aware_first(first)
        end = _aware_first(firsts[n + 1]) if n + 1 < len(firsts) else None
        bounds.append((first, start, end))
    return bounds


def _per_month(field: str, bounds) -> dict:
    """One filtered count per month on `field` (a range on an indexed column, so no
    per-row date function runs; SQLite has none built in)."""
    from django.db.models import Count, Q

    counts = {}
    for n, (_first, start, end) in enumerate(bounds):
        condition = Q(**{f"{field}__gte": start})
        if end is not None:
            condition &= Q(**{f"{field}__lt": end})
        counts[f"m{n}"] = Count("pk", filter=condition)
    return counts


def contact_figures_by_month(
    *, months: int = 12, queryset: QuerySet | None = None, now=None
) -> list[dict]:
    """Per month (oldest first): received, answered, median hours to answer.

    Two queries whatever the number of requests: one with a filtered count per month,
    one histogram of `hours_to_answer` with a count per month, from which the median
    is exact to the hour.
    """
    from .models import ContactRequest

    qs = queryset if queryset is not None else ContactRequest.objects.all()
    qs = qs.order_by()
    bounds = _month_bounds(months, now)
    start = bounds[0][1]
    received = qs.filter(created_at__gte=start).aggregate(
        **_per_month("created_at", bounds)
    )
    histogram_rows = (
        qs.filter(answered_at__gte=start, hours_to_answer__isnull=False)
        .values("hours_to_answer")
        .annotate(**_per_month("answered_at", bounds))
    )
    histograms: list[dict] = [{} for _b in bounds]
    for row in histogram_rows:
        for n in range(len(bounds)):
            if row[f"m{n}"]:
                histograms[n][row["hours_to_answer"]] = row[f"m{n}"]
    result = []
    for n, (first, _start, _end) in enumerate(bounds):
        median = _median_from_histogram(histograms[n])
        result.append(
            {
                "month": first,
                "received": received[f"m{n}"] or 0,
                "answered": sum(histograms[n].values()),
                "median_hours": median,
                "median_days": round(median / 24, 1) if median is not None else None,
            }
        )
    return result


def contact_counts(user) -> dict:
    """Counts of the requests the user may see, by type and by status (home panel)."""
    from django.db.models import Count

    from .models import OPEN_STATUSES, ContactKind, ContactRequest, ContactStatus

    rows = (
        access.filter_for(ContactRequest.objects.all(), user, "view")
        .values("kind", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_kind = dict.fromkeys(ContactKind.values, 0)
    by_status = dict.fromkeys(ContactStatus.values, 0)
    for row in rows:
        by_kind[row["kind"]] += row["n"]
        by_status[row["status"]] += row["n"]
    return {
        "by_kind": [(ContactKind(k).label, n) for k, n in by_kind.items()],
        "by_status": [(ContactStatus(s).label, n) for s, n in by_status.items()],
        "open": sum(by_status[s] for s in OPEN_STATUSES),
        "total": sum(by_kind.values()),
    }


def _with_rates(row: dict) -> dict:
    row["satisfaction"] = (
        round(100 * row["satisfied"] / row["rated"]) if row["rated"] else None
    )
    return row


def _shape_groups(rows: list[dict], field: str) -> list[dict]:
    """Rates, bar lengths and a fixed order (most received first, then by key)."""
    rows = [_with_rates(row) for row in rows]
    rows.sort(key=lambda row: (-row["received"], row[field] is None, row[field] or 0))
    top = max([row["received"] for row in rows] + [1])
    for row in rows:
        row["value"] = row[field]
        row["share"] = round(100 * row["received"] / top)
    return rows


def _label_groups(groups: dict, rising_counts: dict) -> dict:
    """Labels of topics, types and offices, and the recurring problems: topics and
    offices whose volume rose in each of the last two months (m-2 < m-1 < m, this
    month counted so far)."""
    from institutes.bilingual import localized

    from .models import ContactKind, Office, Topic

    topics = {t.pk: t for t in Topic.objects.all()}
    offices = {o.pk: o for o in Office.objects.all()}
    by_topic = [
        {**row, "label": str(topics[row["topic"]]) if row["topic"] else "—"}
        for row in groups["topic"]
    ]
    by_kind = [
        {**row, "label": ContactKind(row["kind"]).label} for row in groups["kind"]
    ]
    by_office = [
        {
            **row,
            "label": localized(offices[row["office"]], "name")
            if row["office"]
            else "—",
        }
        for row in groups["office"]
    ]
    rising = []
    for field, names in (("topic", topics), ("office", offices)):
        for key in sorted(rising_counts[field]):
            counts = rising_counts[field][key]
            if counts[0] < counts[1] < counts[2]:
                obj = names.get(key)
                rising.append(
                    {
                        "dimension": field,
                        "label": localized(obj, "name") if obj else "—",
                        "counts": counts,
                    }
                )
    return {
        "by_topic": by_topic,
        "by_kind": by_kind,
        "by_office": by_office,
        "rising": rising,
    }


def dashboard_figures_live(*, user, months: int = 12, now=None) -> dict:
    """The dashboard's figures counted from the requests themselves: the reference
    that `dashboard_figures` (read from the monthly roll-up) must equal, used by the
    tests and the benchmark. A fixed number of grouped queries, but each reads every
    request of the period: its cost grows with the table."""
    from django.db.models import Count, Q
    from django.utils import timezone

    from .models import OPEN_STATUSES, ContactRequest

    now = now or timezone.now()
    qs = access.filter_for(ContactRequest.objects.all(), user, "view").order_by()
    start = _month_start(months, now)
    period = qs.filter(created_at__gte=start)
    measures = {
        "received": Count("pk"),
        "answered": Count("pk", filter=Q(answered_at__isnull=False)),
        "overdue": Count("pk", filter=Q(status__in=OPEN_STATUSES, due_at__lt=now)),
        "rated": Count("pk", filter=~Q(resolution="")),
        "satisfied": Count("pk", filter=Q(resolution="yes")),
    }
    totals = _with_rates(period.aggregate(**measures))
    by_month = contact_figures_by_month(months=months, queryset=qs, now=now)
    hours = (
        period.filter(hours_to_answer__isnull=False)
        .values_list("hours_to_answer")
        .annotate(n=Count("pk"))
        .values_list("hours_to_answer", "n")
    )
    median = _median_from_histogram(dict(hours))
    totals["median_days"] = round(median / 24, 1) if median is not None else None
    groups = {
        field: _shape_groups(list(period.values(field).annotate(**measures)), field)
        for field in ("topic", "kind", "office")
    }
    recent = _month_bounds(3, now)
    rising_counts = {}
    for field in ("topic", "office"):
        rows = (
            qs.filter(created_at__gte=recent[0][1], **{f"{field}__isnull": False})
            .values(field)
            .annotate(**_per_month("created_at", recent))
        )
        rising_counts[field] = {
            row[field]: [row["m0"], row["m1"], row["m2"]] for row in rows
        }
    return {
        "totals": totals,
        **_label_groups(groups, rising_counts),
        "by_month": by_month,
        "since": start.date(),
    }


def _merge_into(merged: dict, histogram: dict) -> None:
    """Add a stored histogram ({"hours": n}) into `merged`, keys left as stored."""
    get = merged.get
    for value, n in histogram.items():
        merged[value] = get(value, 0) + n


def _as_hours(merged: dict) -> dict[int, int]:
    return {int(value): n for value, n in merged.items() if n}


def _figures_by_month(figures: QuerySet, hours: QuerySet, bounds) -> list[dict]:
    """Received, answered and the median hours per month, from the roll-up."""
    from django.db.models import Sum

    first_day = bounds[0][0]
    received = dict(
        figures.filter(month__gte=first_day)
        .values_list("month")
        .annotate(n=Sum("received"))
        .values_list("month", "n")
    )
    histograms: dict = {}
    for month, answered in hours.filter(month__gte=first_day).values_list(
        "month", "answered_hours"
    ):
        _merge_into(histograms.setdefault(month, {}), answered)
    result = []
    for first, _start, _end in bounds:
        histogram = _as_hours(histograms.get(first, {}))
        median = _median_from_histogram(histogram)
        result.append(
            {
                "month": first,
                "received": received.get(first) or 0,
                "answered": sum(histogram.values()),
                "median_hours": median,
                "median_days": round(median / 24, 1) if median is not None else None,
            }
        )
    return result


def contact_figures_public(*, months: int = 12, now=None) -> list[dict]:
    """Per month (oldest first), for the public figures page: received, answered,
    median hours to answer, over every request, from the monthly roll-up (two small
    queries at any volume). Equal to `contact_figures_by_month()`."""
    from .models import ContactMonthFigure, ContactMonthHours

    return _figures_by_month(
        ContactMonthFigure.objects.order_by(),
        ContactMonthHours.objects.order_by(),
        _month_bounds(months, now),
    )


def dashboard_figures(*, user, months: int = 12, now=None) -> dict:
    """The contact-centre dashboard for what `user` may see: totals, by month, by topic,
    kind and office, and the recurring problems (volume rising two months running).

    Read from the monthly roll-up (`ContactMonthFigure`, `ContactMonthHours`, kept by
    the services; `contact.figures`), scoped like the requests; only "overdue", which
    depends on the clock, is counted live over the open requests. A fixed number of
    queries whose cost follows months × offices × topics × types, not the number of
    requests; the figures equal `dashboard_figures_live`.
    """
    from django.db.models import Count, Sum
    from django.utils import timezone

    from .models import (
        OPEN_STATUSES,
        ContactMonthFigure,
        ContactMonthHours,
        ContactRequest,
    )

    now = now or timezone.now()
    bounds = _month_bounds(months, now)
    start = bounds[0][1]
    first_day = bounds[0][0]
    figures = access.filter_for(ContactMonthFigure.objects.all(), user, "view")
    figures = figures.order_by()
    hours = access.filter_for(ContactMonthHours.objects.all(), user, "view").order_by()
    period = figures.filter(month__gte=first_day)
    sums = {
        "received": Sum("received"),
        "answered": Sum("answered"),
        "rated": Sum("rated"),
        "satisfied": Sum("satisfied"),
    }
    overdue_rows = list(
        access.filter_for(ContactRequest.objects.all(), user, "view")
        .order_by()
        .filter(created_at__gte=start, status__in=OPEN_STATUSES, due_at__lt=now)
        .values("topic", "kind", "office")
        .annotate(n=Count("pk"))
    )

    def overdue_by(field: str) -> dict:
        counted: dict = {}
        for row in overdue_rows:
            counted[row[field]] = counted.get(row[field], 0) + row["n"]
        return counted

    def _int(row: dict) -> dict:
        return {
            key: (value or 0) if key in sums else value for key, value in row.items()
        }

    totals = _int(period.aggregate(**sums))
    totals["overdue"] = sum(row["n"] for row in overdue_rows)
    totals = _with_rates(totals)
    received_hist: dict = {}
    for histogram in hours.filter(month__gte=first_day).values_list(
        "received_hours", flat=True
    ):
        _merge_into(received_hist, histogram)
    median = _median_from_histogram(_as_hours(received_hist))
    totals["median_days"] = round(median / 24, 1) if median is not None else None
    groups = {}
    for field in ("topic", "kind", "office"):
        overdue = overdue_by(field)
        rows = [
            {**_int(row), "overdue": overdue.get(row[field], 0)}
            for row in period.values(field).annotate(**sums)
            if row["received"]
        ]
        groups[field] = _shape_groups(rows, field)
    recent = [first for first, _s, _e in _month_bounds(3, now)]
    rising_counts = {}
    for field in ("topic", "office"):
        counted: dict = {}
        rows = (
            figures.filter(month__gte=recent[0], **{f"{field}__isnull": False})
            .values_list(field, "month")
            .annotate(n=Sum("received"))
        )
        for key, month, n in rows:
            if month in recent:
                counted.setdefault(key, [0, 0, 0])[recent.index(month)] += n
        rising_counts[field] = counted
    return {
        "totals": totals,
        **_label_groups(groups, rising_counts),
        "by_month": _figures_by_month(figures, hours, bounds),
        "since": start.date(),
    }


# --- Personal data -------------------------------------------------------------------

CONTACT_FIELDS = ("name", "phone", "email")


def may_see_contacts(user, contact_request) -> bool:
    """Requesters' contacts are for the office handling the request: its members, the
    staff of the institute or hospital it belongs to, and authority staff for the
    authority's own office. Everyone else sees them masked."""
    scope = access.scope_for(user)
    office = contact_request.office
    if office is None:
        return scope.is_authority
    if office.pk in scope.ids_for("office"):
        return True
    if office.institute_id and office.institute_id in scope.institute_ids:
        return True
    if office.hospital_id and office.hospital_id in scope.hospital_ids:
        return True
    return (
        scope.is_authority
        and office.institute_id is None
        and (office.hospital_id is None)
        and office.parent_id is None
    )


def mask(value: str) -> str:
    """`01001234567` → `010•••••67`; `name@example.org` → `n•••@example.org`."""
    value = value or ""
    if "@" in value:
        local, _at, domain = value.partition("@")
        return f"{local[:1]}•••@{domain}"
    if len(value) <= 4:
        return "•" * len(value)
    return value[:3] + "•" * (len(value) - 5) + value[-2:]
