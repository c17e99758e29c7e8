"""The contact centre's figures roll-up: what each request adds to the monthly tables
(`ContactMonthFigure`, `ContactMonthHours`), kept in step by the services and rebuilt
from the requests on demand.

A request's *footprint* is what the dashboard counts of it: the month it was received,
its office, topic, type and confidentiality, whether it was answered (and in which
month, after how many hours), rated and found satisfying. Each service takes the
footprint after locking the request and calls `figures_track` after saving it: when
the footprint changed, the old one is taken out of the tables and the new one put in,
in the same transaction. Status alone is not counted (only "overdue", which depends
on the clock, is read live by the dashboard).

Writes that bypass the services (bulk loads, data fixes, the demo's back-dating) must
be followed by `figures_rebuild()` (`manage.py rebuild_contact_figures`).
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone


def month_of(moment: datetime.datetime) -> datetime.date:
    """The first day of the month of `moment`, in the authority's time zone."""
    local = timezone.localtime(moment, timezone.get_default_timezone())
    return local.date().replace(day=1)


@dataclass(frozen=True)
class Footprint:
    """What one request adds to the figures."""

    month: datetime.date
    office_id: int | None
    topic_id: int | None
    kind: str
    confidential: bool
    answered: bool
    rated: bool
    satisfied: bool
    hours: int | None
    answered_month: datetime.date | None


FOOTPRINT_FIELDS = (
    "created_at",
    "office_id",
    "topic_id",
    "kind",
    "confidential",
    "answered_at",
    "resolution",
    "hours_to_answer",
)


def _footprint_of(
    created_at,
    office_id,
    topic_id,
    kind,
    confidential,
    answered_at,
    resolution,
    hours_to_answer,
) -> Footprint:
    return Footprint(
        month=month_of(created_at),
        office_id=office_id,
        topic_id=topic_id,
        kind=kind,
        confidential=bool(confidential),
        answered=answered_at is not None,
        rated=bool(resolution),
        satisfied=resolution == "yes",
        hours=hours_to_answer,
        answered_month=month_of(answered_at) if answered_at is not None else None,
    )


def footprint(contact_request) -> Footprint | None:
    """The footprint of a saved request (None before it is saved)."""
    if contact_request.pk is None or contact_request.created_at is None:
        return None
    return _footprint_of(*(getattr(contact_request, f) for f in FOOTPRINT_FIELDS))


def _upsert(model, key: dict, *, increments: dict | None = None, apply=None):
    """Add `increments` to the row of `key` (made when missing), or, for JSON
    columns, lock the row and call `apply(row)`. Safe under concurrency: the row's
    unique constraint turns a race on creation into an update of the winner's row."""
    lookup = {
        (f"{name[:-3]}__isnull" if value is None else name): (
            True if value is None else value
        )
        for name, value in key.items()
    }
    if increments is not None:
        changes = {name: F(name) + value for name, value in increments.items()}
        if model.objects.filter(**lookup).update(**changes):
            return
        try:
            with transaction.atomic():
                model.objects.create(**key, **increments)
            return
        except IntegrityError:
            model.objects.filter(**lookup).update(**changes)
            return
    row = model.objects.select_for_update().filter(**lookup).first()
    if row is None:
        try:
            with transaction.atomic():
                row = model(**key)
                apply(row)
                row.save()
            return
        except IntegrityError:
            row = model.objects.select_for_update().get(**lookup)
    apply(row)
    row.save()


def _bump(histogram: dict, hours: int, sign: int) -> None:
    key = str(hours)
    value = histogram.get(key, 0) + sign
    if value:
        histogram[key] = value
    else:
        histogram.pop(key, None)


def _apply(print_: Footprint, sign: int) -> None:
    from .models import ContactMonthFigure, ContactMonthHours

    _upsert(
        ContactMonthFigure,
        {
            "month": print_.month,
            "office_id": print_.office_id,
            "topic_id": print_.topic_id,
            "kind": print_.kind,
            "confidential": print_.confidential,
        },
        increments={
            "received": sign,
            "answered": sign * print_.answered,
            "rated": sign * print_.rated,
            "satisfied": sign * print_.satisfied,
        },
    )
    if print_.hours is None:
        return
    cell = {"office_id": print_.office_id, "confidential": print_.confidential}

    def received(row):
        _bump(row.received_hours, print_.hours, sign)

    _upsert(ContactMonthHours, {"month": print_.month, **cell}, apply=received)
    if print_.answered_month is not None:

        def answered(row):
            _bump(row.answered_hours, print_.hours, sign)

        _upsert(
            ContactMonthHours, {"month": print_.answered_month, **cell}, apply=answered
        )


def figures_track(before: Footprint | None, contact_request) -> None:
    """Move a request's contribution from `before` (its footprint when the service
    locked it; None for a new request) to what it is now. No query when nothing
    counted changed."""
    after = footprint(contact_request)
    if before == after:
        return
    if before is not None:
        _apply(before, -1)
    if after is not None:
        _apply(after, +1)


def _lock_tables() -> None:
    # A service that changes a request while the tables are rebuilt waits for the
    # rebuild and then applies its change on top of it (PostgreSQL; SQLite writes
    # one at a time anyway).
    if connection.vendor == "postgresql":
        from .models import ContactMonthFigure, ContactMonthHours

        with connection.cursor() as cursor:
            for model in (ContactMonthFigure, ContactMonthHours):
                cursor.execute(
                    f"LOCK TABLE {connection.ops.quote_name(model._meta.db_table)} "
                    "IN EXCLUSIVE MODE"
                )


@transaction.atomic
def figures_rebuild(*, batch_size: int = 5000) -> dict:
    """Recompute both tables from the requests (idempotent: a second run changes
    nothing). Returns how many requests were read and rows written."""
    from .models import ContactMonthFigure, ContactMonthHours, ContactRequest

    _lock_tables()
    return rebuild_with(
        ContactRequest, ContactMonthFigure, ContactMonthHours, batch_size=batch_size
    )


def rebuild_with(
    ContactRequest, ContactMonthFigure, ContactMonthHours, *, batch_size: int = 5000
) -> dict:
    """The rebuild itself, given the models (the migration passes its own)."""
    cells: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    received_hours: dict[tuple, Counter] = defaultdict(Counter)
    answered_hours: dict[tuple, Counter] = defaultdict(Counter)
    read = 0
    rows = (
        ContactRequest.objects.order_by()
        .values_list(*FOOTPRINT_FIELDS)
        .iterator(chunk_size=batch_size)
    )
    for values in rows:
        read += 1
        p = _footprint_of(*values)
        cell = cells[(p.month, p.office_id, p.topic_id, p.kind, p.confidential)]
        cell[0] += 1
        cell[1] += p.answered
        cell[2] += p.rated
        cell[3] += p.satisfied
        if p.hours is not None:
            received_hours[(p.month, p.office_id, p.confidential)][p.hours] += 1
            if p.answered_month is not None:
                key = (p.answered_month, p.office_id, p.confidential)
                answered_hours[key][p.hours] += 1
    ContactMonthFigure.objects.all().delete()
    ContactMonthHours.objects.all().delete()
    ContactMonthFigure.objects.bulk_create(
        (
            ContactMonthFigure(
                month=month,
                office_id=office_id,
                topic_id=topic_id,
                kind=kind,
                confidential=confidential,
                received=n[0],
                answered=n[1],
                rated=n[2],
                satisfied=n[3],
            )
            for (month, office_id, topic_id, kind, confidential), n in cells.items()
        ),
        batch_size=1000,
    )
    hour_keys = set(received_hours) | set(answered_hours)
    ContactMonthHours.objects.bulk_create(
        (
            ContactMonthHours(
                month=month,
                office_id=office_id,
                confidential=confidential,
                received_hours={
                    str(h): n
                    for h, n in received_hours.get(
                        (month, office_id, confidential), {}
                    ).items()
                },
                answered_hours={
                    str(h): n
                    for h, n in answered_hours.get(
                        (month, office_id, confidential), {}
                    ).items()
                },
            )
            for (month, office_id, confidential) in hour_keys
        ),
        batch_size=1000,
    )
    return {"requests": read, "cells": len(cells), "hour_cells": len(hour_keys)}
