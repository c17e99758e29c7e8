"""Portal fixtures: a running placement of a student with a phone, a staff member
with an e-mail at a hospital with a session to book, and helpers to sign in through
the real door (the code is read from the notification sent)."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

import pytest

from django.urls import reverse
from django.utils import timezone, translation

from notifications.models import Notification
from training.placements.services import placement_book, placement_transition
from training.staff.compliance import status_sync
from training.staff.factories import (
    StaffMemberFactory,
    TopicFactory,
    TrainingSessionFactory,
)

from ..training.placements.fixtures import make_site, student_of


@dataclass
class Portal:
    site: object
    student: object
    placement: object
    staff: object
    topic: object
    session: object


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def make_portal(tag: str = "p") -> Portal:
    site = make_site(tag)
    student = student_of(site)
    type(student.person).objects.filter(pk=student.person.pk).update(
        phone="01012345678"
    )
    student.person.refresh_from_db()
    placement = placement_book(
        block=site.block,
        student=student,
        ward=site.ward,
        start_date=site.block.start_date,
        end_date=site.block.end_date,
        supervisor=site.supervisor,
    )
    placement_transition(placement=placement, to_status="confirmed")
    placement = placement_transition(placement=placement, to_status="in_progress")
    staff = StaffMemberFactory(hospital=site.hospital, email="nurse@hospital.example")
    topic = TopicFactory(code=f"ic-{tag}", title_en="Infection control")
    status_sync(staff_ids=[staff.pk])
    session = TrainingSessionFactory(topic=topic, hospital=site.hospital, capacity=2)
    return Portal(site, student, placement, staff, topic, session)


@pytest.fixture
def portal(db) -> Portal:
    return make_portal()


def number_of(person) -> str:
    return person.documents.first().number


def last_code(person=None) -> str:
    """The code in the last message sent (to `person` when given)."""
    rows = Notification.objects.filter(template="portal/sign_in_code")
    if person is not None:
        rows = rows.filter(
            address__in=[person.phone, person.email] + _staff_emails(person)
        )
    body = rows.order_by("-pk").first().body
    return re.search(r"\d{6}", body).group(0)


def _staff_emails(person) -> list[str]:
    from training.models import StaffMember

    return list(
        StaffMember.objects.filter(person=person).values_list("email", flat=True)
    )


def request_code(client, person_or_number):
    number = (
        person_or_number
        if isinstance(person_or_number, str)
        else number_of(person_or_number)
    )
    return client.post(
        reverse("portal:sign_in"),
        {"number": number, "document_type": "eg_national_id", "country": "EG"},
    )


def sign_in(client, person) -> None:
    response = request_code(client, person)
    assert response.status_code == 302
    response = client.post(reverse("portal:sign_in_code"), {"code": last_code(person)})
    assert response.status_code == 302 and response.url == reverse("portal:home")


def a_day(portal, offset: int = 1) -> datetime.date:
    return portal.site.block.start_date + datetime.timedelta(days=offset)


def now():
    return timezone.now()


def enter(client, person) -> None:
    """Open a portal session for `person` without the code round trip (the door
    itself is tested in test_sign_in.py)."""
    import time

    from portal.services import portal_account_for

    portal_account_for(person)
    session = client.session
    session["portal.person"] = person.pk
    session["portal.seen"] = int(time.time())
    session.save()
