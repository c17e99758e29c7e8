"""Twenty people book the last place of a ward at the same instant: one wins.

Runs on PostgreSQL only: SQLite serialises every write transaction (IMMEDIATE mode)
so there is no race to test; on PostgreSQL each thread has its own connection and
the row lock on the ward's load plus the `booked <= capacity` check decide.
"""

import threading

import pytest

from django.db import connection, connections

from training.models import Placement, PlacementDay, WardShiftLoad
from training.placements.services import BookingRefused, placement_book

from .fixtures import make_site, student_of

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Concurrency is proven on PostgreSQL (DATABASE_URL=postgres://...); "
    "SQLite serialises write transactions, so there is no race to show.",
)

ATTEMPTS = 20


def _race(block, ward, students, start_date, end_date):
    barrier = threading.Barrier(len(students))
    outcomes: list[object] = [None] * len(students)

    def attempt(index, student):
        try:
            barrier.wait()
            placement_book(
                block=block,
                student=student,
                ward=ward,
                start_date=start_date,
                end_date=end_date,
            )
            outcomes[index] = "booked"
        except BookingRefused as exc:
            outcomes[index] = exc
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            outcomes[index] = exc
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=attempt, args=(i, s)) for i, s in enumerate(students)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return outcomes


# serialized_rollback as every transactional test of the suite: a plain flush would
# re-create content types under new ids, and the next serialized test could not
# restore the migrated rows (PostgreSQL; it depended on which tests shared a worker).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_simultaneous_bookings_for_the_last_place_give_one_success():
    site = make_site("race")
    block = site.block
    # The ward takes 2; one place is already held on the day.
    placement_book(
        block=block,
        student=student_of(site),
        ward=site.ward,
        start_date=block.start_date,
        end_date=block.start_date,
    )
    block.block_wards.filter(ward=site.ward).update(places=2)
    students = [student_of(site) for _ in range(ATTEMPTS)]

    outcomes = _race(block, site.ward, students, block.start_date, block.start_date)

    booked = [o for o in outcomes if o == "booked"]
    refused = [o for o in outcomes if isinstance(o, BookingRefused)]
    assert len(booked) == 1, outcomes
    assert len(refused) == ATTEMPTS - 1, outcomes
    assert all(site.ward.name in r.messages[0] for r in refused)
    load = WardShiftLoad.objects.get(ward=site.ward, date=block.start_date)
    assert (load.booked, load.capacity) == (2, 2)
    assert PlacementDay.objects.filter(ward=site.ward).count() == 2
    assert Placement.objects.filter(ward=site.ward).count() == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_multi_day_bookings_never_overbook_any_day():
    site = make_site("race2")
    block = site.block
    block.block_wards.filter(ward=site.partner_ward).update(places=3)
    students = [student_of(site) for _ in range(10)]

    outcomes = _race(
        block, site.partner_ward, students, block.start_date, block.end_date
    )

    assert sum(1 for o in outcomes if o == "booked") == 3, outcomes
    assert not [
        o for o in outcomes if o != "booked" and not isinstance(o, BookingRefused)
    ]
    loads = WardShiftLoad.objects.filter(ward=site.partner_ward)
    assert set(loads.values_list("booked", flat=True)) == {3}
