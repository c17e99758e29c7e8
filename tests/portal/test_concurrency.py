"""Twenty staff members book the last seat of a session through the portal at the
same instant: exactly one gets it, the others join the waitlist.

Runs on PostgreSQL only, like tests/training/placements/test_concurrency.py: SQLite
serialises write transactions, so there is no race to show.
"""

import threading

import pytest

from django.db import connection, connections

from portal.services import portal_account_for, staff_session_book
from training.models import Registration, RegistrationStatus
from training.staff.factories import StaffMemberFactory, TrainingSessionFactory
from training.staff.services import registration_create

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Concurrency is proven on PostgreSQL (DATABASE_URL=postgres://...); "
    "SQLite serialises write transactions, so there is no race to show.",
)

ATTEMPTS = 20


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_portal_bookings_of_the_last_seat_give_one_seat():
    session = TrainingSessionFactory(capacity=2)
    registration_create(
        session=session, staff=StaffMemberFactory(hospital=session.hospital)
    )
    accounts = [
        portal_account_for(StaffMemberFactory(hospital=session.hospital).person)
        for _ in range(ATTEMPTS)
    ]
    barrier = threading.Barrier(ATTEMPTS)
    outcomes: list[object] = [None] * ATTEMPTS

    def attempt(index, account):
        try:
            barrier.wait()
            outcomes[index] = staff_session_book(
                account=account, session=session
            ).status
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            outcomes[index] = exc
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=attempt, args=(i, a)) for i, a in enumerate(accounts)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)

    assert outcomes.count(RegistrationStatus.REGISTERED) == 1, outcomes
    assert outcomes.count(RegistrationStatus.WAITLISTED) == ATTEMPTS - 1, outcomes
    assert (
        Registration.objects.filter(
            session=session, status=RegistrationStatus.REGISTERED
        ).count()
        == 2
    )
