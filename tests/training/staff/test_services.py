"""Registration (capacity, waitlist, overlap, cut-off), attendance and corrections."""

import datetime
from decimal import Decimal

import pytest

from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from institutes.factories import HospitalFactory
from training.factories import (
    PersonFactory,
    StaffMemberFactory,
    TopicFactory,
    TrainingSessionFactory,
)
from training.models import (
    Attendance,
    AttendanceChange,
    Registration,
    RegistrationStatus,
    SessionStatus,
    StaffTopicStatus,
)
from training.staff.compliance import status_sync
from training.staff.services import (
    RosterEntry,
    attendance_correct,
    registration_bulk,
    registration_cancel,
    registration_create,
    roster_save,
    session_cancel,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def hospital():
    return HospitalFactory()


def _session(hospital, *, start=None, hours=2, **kw):
    start = start or timezone.now().replace(microsecond=0) + datetime.timedelta(days=3)
    return TrainingSessionFactory(
        hospital=hospital,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=hours),
        **kw,
    )


def test_capacity_then_waitlist_then_promotion(hospital):
    session = _session(hospital, capacity=2)
    people = [StaffMemberFactory(hospital=hospital) for _ in range(4)]
    result = registration_bulk(session=session, staff_members=people)
    assert result.registered == people[:2]
    assert result.waitlisted == people[2:]
    first = Registration.objects.get(session=session, staff=people[0])
    with transaction.atomic():
        promoted = registration_cancel(registration=first)
    assert [r.staff for r in promoted] == [people[2]]
    assert (
        Registration.objects.get(staff=people[3], session=session).status
        == RegistrationStatus.WAITLISTED
    )


def test_registering_twice_creates_nothing(hospital):
    session = _session(hospital)
    staff = StaffMemberFactory(hospital=hospital)
    registration_create(session=session, staff=staff)
    result = registration_bulk(session=session, staff_members=[staff])
    assert result.already == [staff]
    assert Registration.objects.filter(session=session).count() == 1


def test_overlapping_booking_is_refused_naming_the_other_session(hospital):
    staff = StaffMemberFactory(hospital=hospital)
    first = _session(hospital, venue="القاعة الكبرى")
    second = _session(hospital, start=first.starts_at + datetime.timedelta(hours=1))
    registration_create(session=first, staff=staff)
    with pytest.raises(ValidationError) as exc:
        registration_create(session=second, staff=staff)
    assert "القاعة الكبرى" in str(exc.value)
    assert first.topic.title_ar in str(exc.value)


def test_back_to_back_sessions_do_not_overlap(hospital):
    staff = StaffMemberFactory(hospital=hospital)
    first = _session(hospital)
    second = _session(hospital, start=first.ends_at)
    registration_create(session=first, staff=staff)
    registration_create(session=second, staff=staff)
    assert Registration.objects.filter(staff=staff).count() == 2


def test_same_person_in_two_hospitals_cannot_overlap():
    person = PersonFactory()
    a = StaffMemberFactory(person=person)
    b = StaffMemberFactory(person=person)
    first = _session(a.hospital)
    second = _session(b.hospital, start=first.starts_at)
    registration_create(session=first, staff=a)
    with pytest.raises(ValidationError):
        registration_create(session=second, staff=b)


def test_database_refuses_an_overlap_the_service_did_not_see(hospital):
    staff = StaffMemberFactory(hospital=hospital)
    first = _session(hospital)
    second = _session(hospital, start=first.starts_at + datetime.timedelta(minutes=30))
    registration_create(session=first, staff=staff)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(
            session=second,
            staff=staff,
            person_id=staff.person_id,
            starts_at=second.starts_at,
            ends_at=second.ends_at,
        )


def test_registration_closes_at_the_cut_off(hospital):
    session = _session(hospital)
    session.registration_closes_at = session.starts_at - datetime.timedelta(days=1)
    session.save()
    staff = StaffMemberFactory(hospital=hospital)
    with translation.override("en"), pytest.raises(ValidationError, match="closed"):
        registration_create(
            session=session, staff=staff, now=session.registration_closes_at
        )
    registration_create(
        session=session,
        staff=staff,
        now=session.registration_closes_at - datetime.timedelta(seconds=1),
    )


def test_staff_of_another_hospital_is_refused(hospital):
    session = _session(hospital)
    other = StaffMemberFactory()
    result = registration_bulk(session=session, staff_members=[other])
    assert result.refused and not Registration.objects.exists()


def test_cancelling_a_session_notifies_the_registered(
    hospital, django_capture_on_commit_callbacks
):
    session = _session(hospital, capacity=1)
    people = [StaffMemberFactory(hospital=hospital) for _ in range(2)]
    registration_bulk(session=session, staff_members=people)
    with django_capture_on_commit_callbacks(execute=True):
        count = session_cancel(session=session, reason="عطل في القاعة")
    assert count == 2
    assert {m.to[0] for m in mail.outbox} == {p.email for p in people}
    assert all("عطل في القاعة" in m.body for m in mail.outbox)
    assert not Registration.objects.filter(
        session=session, status__in=["registered", "waitlisted"]
    ).exists()


def _past_session(hospital, **kw):
    start = timezone.now().replace(microsecond=0) - datetime.timedelta(hours=3)
    return TrainingSessionFactory(
        hospital=hospital,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        **kw,
    )


def test_roster_resubmit_creates_nothing_twice(hospital):
    session = _past_session(hospital)
    people = [StaffMemberFactory(hospital=hospital) for _ in range(3)]
    entries = [RosterEntry(p.pk, "present") for p in people]
    first = roster_save(session=session, entries=entries)
    again = roster_save(session=session, entries=entries)
    assert (first.created, again.created, again.changed, again.unchanged) == (
        3,
        0,
        0,
        3,
    )
    assert Attendance.objects.filter(session=session).count() == 3
    assert not AttendanceChange.objects.exists()
    session.refresh_from_db()
    assert session.status == SessionStatus.HELD


def test_correction_keeps_the_old_value_and_updates_compliance(hospital):
    topic = TopicFactory(assessment="exam", pass_mark=60)
    session = _past_session(hospital, topic=topic)
    staff = StaffMemberFactory(hospital=hospital, hire_date=datetime.date(2010, 1, 1))
    status_sync([staff.pk])
    roster_save(session=session, entries=[RosterEntry(staff.pk, "absent")])
    row = StaffTopicStatus.objects.get(staff=staff, topic=topic)
    assert row.completed_on is None
    attendance = Attendance.objects.get(session=session, staff=staff)
    with pytest.raises(ValidationError):
        attendance_correct(
            attendance=attendance, status="present", score=Decimal(75), reason=" "
        )
    attendance_correct(
        attendance=attendance, status="present", score=Decimal(75), reason="ورقة الحضور"
    )
    change = AttendanceChange.objects.get()
    assert (change.old_status, change.new_status, change.new_score) == (
        "absent",
        "present",
        Decimal(75),
    )
    row.refresh_from_db()
    assert row.completed_on == timezone.localdate(session.starts_at)


def test_roster_refuses_staff_of_another_hospital(hospital):
    session = _past_session(hospital)
    other = StaffMemberFactory()
    with pytest.raises(ValidationError):
        roster_save(session=session, entries=[RosterEntry(other.pk, "present")])
    assert not Attendance.objects.exists()


def test_attendance_cannot_be_marked_before_the_day(hospital):
    session = _session(hospital)
    staff = StaffMemberFactory(hospital=hospital)
    with pytest.raises(ValidationError):
        roster_save(session=session, entries=[RosterEntry(staff.pk, "present")])


def test_roster_query_count_does_not_grow(hospital, django_assert_max_num_queries):
    topic = TopicFactory()
    small = _past_session(hospital, topic=topic)
    big = _past_session(hospital, topic=topic, venue="big")
    people = [StaffMemberFactory(hospital=hospital) for _ in range(60)]
    status_sync([p.pk for p in people])
    with django_assert_max_num_queries(20):
        roster_save(
            session=small, entries=[RosterEntry(p.pk, "present") for p in people[:3]]
        )
    with django_assert_max_num_queries(20):
        roster_save(session=big, entries=[RosterEntry(p.pk, "present") for p in people])
