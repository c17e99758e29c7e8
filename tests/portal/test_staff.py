"""A staff member's training: compliance, booking through the back office's
registration service (capacity, waitlist, overlap, cut-off), cancelling."""

import datetime

import pytest

from django.urls import reverse
from django.utils import timezone

from training.models import Registration, RegistrationStatus
from training.staff.factories import StaffMemberFactory, TrainingSessionFactory

from .conftest import enter, make_portal


def test_a_staff_member_sees_compliance_and_books_a_session(client, portal):
    person = portal.staff.person
    enter(client, person)
    page = client.get(reverse("portal:training")).content.decode()
    assert "Infection control" in page
    assert "Never taken" in page or "grace" in page
    response = client.post(
        reverse("portal:book", args=[portal.session.pk]), follow=True
    )
    assert "You are booked on this session." in response.content.decode()
    reg = Registration.objects.get(session=portal.session, person=person)
    assert reg.status == RegistrationStatus.REGISTERED
    assert reg.registered_by.username == f"portal.{person.pk}"


def test_a_full_session_puts_the_person_on_the_waitlist(client, portal):
    for _ in range(portal.session.capacity):
        other = StaffMemberFactory(hospital=portal.site.hospital)
        from training.staff.services import registration_create

        registration_create(session=portal.session, staff=other)
    enter(client, portal.staff.person)
    response = client.post(
        reverse("portal:book", args=[portal.session.pk]), follow=True
    )
    assert "waiting list" in response.content.decode()
    reg = Registration.objects.get(session=portal.session, person=portal.staff.person)
    assert reg.status == RegistrationStatus.WAITLISTED


def test_closed_registration_and_overlaps_are_refused_with_the_reason(client, portal):
    now = timezone.now()
    closed = TrainingSessionFactory(
        topic=portal.topic,
        hospital=portal.site.hospital,
        registration_closes_at=now - datetime.timedelta(hours=1),
        starts_at=now + datetime.timedelta(days=1),
        ends_at=now + datetime.timedelta(days=1, hours=2),
    )
    enter(client, portal.staff.person)
    response = client.post(reverse("portal:book", args=[closed.pk]), follow=True)
    assert "Registration for this session closed" in response.content.decode()
    assert not Registration.objects.filter(session=closed).exists()
    client.post(reverse("portal:book", args=[portal.session.pk]))
    clash = TrainingSessionFactory(
        topic=portal.topic,
        hospital=portal.site.hospital,
        starts_at=portal.session.starts_at,
        ends_at=portal.session.ends_at,
    )
    response = client.post(reverse("portal:book", args=[clash.pk]), follow=True)
    assert "overlapping time" in response.content.decode()
    # Its twin: a session at another time is booked through the same door.
    later = TrainingSessionFactory(
        topic=portal.topic,
        hospital=portal.site.hospital,
        starts_at=portal.session.starts_at + datetime.timedelta(days=2),
        ends_at=portal.session.ends_at + datetime.timedelta(days=2),
    )
    client.post(reverse("portal:book", args=[later.pk]))
    assert Registration.objects.filter(session=later).exists()


def test_cancelling_frees_the_place_for_the_waitlist(client, portal):
    from training.staff.services import registration_create

    enter(client, portal.staff.person)
    client.post(reverse("portal:book", args=[portal.session.pk]))
    first = StaffMemberFactory(hospital=portal.site.hospital)
    waiting = StaffMemberFactory(hospital=portal.site.hospital)
    registration_create(session=portal.session, staff=first)
    registration_create(session=portal.session, staff=waiting)
    mine = Registration.objects.get(session=portal.session, person=portal.staff.person)
    response = client.post(reverse("portal:cancel", args=[mine.pk]), follow=True)
    assert "Your booking is cancelled." in response.content.decode()
    mine.refresh_from_db()
    assert mine.status == RegistrationStatus.CANCELLED
    assert (
        Registration.objects.get(session=portal.session, staff=waiting).status
        == RegistrationStatus.REGISTERED
    )


def test_someone_elses_booking_and_another_hospitals_session_are_not_found(
    client, portal
):
    other = make_portal("q")
    from training.staff.services import registration_create

    theirs = registration_create(session=other.session, staff=other.staff)
    enter(client, portal.staff.person)
    for reg_id in (theirs.pk, "x1", "9" * 25):
        assert client.post(reverse("portal:cancel", args=[reg_id])).status_code == 404
    assert (
        client.post(reverse("portal:book", args=[other.session.pk])).status_code == 404
    )
    theirs.refresh_from_db()
    assert theirs.status == RegistrationStatus.REGISTERED
    assert not Registration.objects.filter(
        session=other.session, person=portal.staff.person
    ).exists()
    # Its twin: the owner cancels their booking through the same door.
    enter(client, other.staff.person)
    assert client.post(reverse("portal:cancel", args=[theirs.pk])).status_code == 302
    theirs.refresh_from_db()
    assert theirs.status == RegistrationStatus.CANCELLED


def test_the_trainer_is_named_and_no_other_participant(
    client, portal, django_user_model
):
    from training.staff.services import registration_create

    trainer = django_user_model.objects.create(
        username="trainer-x", first_name="Hala", last_name="Trainer"
    )
    portal.session.trainers.add(trainer)
    colleague = StaffMemberFactory(hospital=portal.site.hospital)
    registration_create(session=portal.session, staff=colleague)
    enter(client, portal.staff.person)
    client.post(reverse("portal:book", args=[portal.session.pk]))
    page = client.get(reverse("portal:training")).content.decode()
    assert "Hala Trainer" in page
    assert colleague.person.name_en not in page and colleague.person.name_ar not in page


@pytest.mark.django_db
def test_the_staff_calendar_feed_lists_booked_sessions(client, portal):
    from portal.services import portal_account_for

    enter(client, portal.staff.person)
    client.post(reverse("portal:book", args=[portal.session.pk]))
    token = portal_account_for(portal.staff.person).feed_token
    response = client.get(reverse("portal:feed", args=[token]))
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert "SUMMARY:Training: Infection control" in body
    assert f"UID:training-session-{portal.session.pk}@portal" in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    # Resetting the token closes the old address; the new one works.
    client.post(reverse("portal:calendar"))
    assert client.get(reverse("portal:feed", args=[token])).status_code == 404
    new = portal_account_for(portal.staff.person).feed_token
    assert client.get(reverse("portal:feed", args=[new])).status_code == 200
    assert client.get(reverse("portal:feed", args=["nope"])).status_code == 404
