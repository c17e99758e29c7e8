"""Four eyes on clinical hours: whoever entered hours does not decide on them (the
service and the database); the approver may return them for information; a
supervisor approves many entries in one save."""

import datetime

import pytest

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from training.models import ClinicalHours, HoursStatus
from training.placements.services import (
    hours_approve_many,
    hours_decide,
    hours_record,
    placement_book,
    placement_transition,
)

from .fixtures import site_fixture, student_of  # noqa: F401

D = datetime.date


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _running(site):
    p = placement_book(
        block=site.block,
        student=student_of(site),
        ward=site.ward,
        start_date=site.block.start_date,
        end_date=site.block.end_date,
        supervisor=site.supervisor,
    )
    placement_transition(placement=p, to_status="confirmed")
    return placement_transition(placement=p, to_status="in_progress")


def test_the_person_who_entered_hours_cannot_approve_them(site):
    p = _running(site)
    entry = hours_record(placement=p, date=D(2026, 10, 4), hours=6, by=site.supervisor)
    with pytest.raises(ValidationError, match="another supervisor"):
        hours_decide(entry=entry, approve=True, by=site.supervisor)
    entry.refresh_from_db()
    assert entry.status == HoursStatus.PENDING
    # Its twin: a colleague of the ward approves through the same service.
    hours_decide(entry=entry, approve=True, by=site.instructor)
    entry.refresh_from_db()
    assert (entry.status, entry.decided_by) == (HoursStatus.APPROVED, site.instructor)


def test_the_database_refuses_a_decision_by_the_person_who_entered(site):
    p = _running(site)
    entry = hours_record(placement=p, date=D(2026, 10, 4), hours=6, by=site.supervisor)
    with pytest.raises(IntegrityError), transaction.atomic():
        ClinicalHours.objects.filter(pk=entry.pk).update(
            status=HoursStatus.APPROVED,
            decided_by=site.supervisor,
            decided_at=timezone.now(),
        )


def test_returned_hours_need_a_reason_and_come_back_corrected(site):
    p = _running(site)
    entry = hours_record(placement=p, date=D(2026, 10, 4), hours=6, by=site.instructor)
    with pytest.raises(ValidationError, match="information"):
        hours_decide(entry=entry, decision="return", by=site.supervisor)
    hours_decide(
        entry=entry,
        decision="return",
        by=site.supervisor,
        comment="Which shift? The sign-in book says evening.",
    )
    entry.refresh_from_db()
    assert entry.status == HoursStatus.NEEDS_INFO
    # The instructor enters the day again (same hours): a new entry awaits approval.
    again = hours_record(placement=p, date=D(2026, 10, 4), hours=6, by=site.instructor)
    entry.refresh_from_db()
    assert again.pk != entry.pk and again.corrects == entry
    assert (entry.status, again.status) == (HoursStatus.SUPERSEDED, HoursStatus.PENDING)


def test_select_all_approves_in_one_save_except_what_the_approver_entered(site):
    p = _running(site)
    theirs = [
        hours_record(placement=p, date=day, hours=6, by=site.instructor)
        for day in (D(2026, 10, 3), D(2026, 10, 4), D(2026, 10, 5))
    ]
    mine = hours_record(placement=p, date=D(2026, 10, 6), hours=6, by=site.supervisor)
    approved, errors = hours_approve_many(entries=[*theirs, mine], by=site.supervisor)
    assert approved == 3 and set(errors) == {mine.pk}
    statuses = dict(ClinicalHours.objects.values_list("pk", "status"))
    assert {statuses[e.pk] for e in theirs} == {HoursStatus.APPROVED}
    assert statuses[mine.pk] == HoursStatus.PENDING


def test_the_supervisor_approves_the_selection_from_the_pending_list(client, site):
    p = _running(site)
    entries = [
        hours_record(placement=p, date=day, hours=6, by=site.instructor)
        for day in (D(2026, 10, 3), D(2026, 10, 4))
    ]
    client.force_login(site.supervisor)
    page = client.get(reverse("training_my_students_today")).content.decode()
    assert 'id="approve-all"' in page
    response = client.post(
        reverse("training_hours_approve_many"),
        {"entry": [e.pk for e in entries], "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("training_my_students_today")
    assert set(ClinicalHours.objects.values_list("status", flat=True)) == {
        HoursStatus.APPROVED
    }
    # The instructor who entered them sees no approve control for their own entries.
    client.force_login(site.instructor)
    mine = hours_record(placement=p, date=D(2026, 10, 5), hours=6, by=site.instructor)
    page = client.get(reverse("training_my_students_today")).content.decode()
    assert f'value="{mine.pk}" form="approve-many"' not in page
    assert reverse("training_hours_decide", args=[mine.pk]) not in page


def test_impossible_entry_ids_in_the_selection_are_dropped_not_a_server_error(
    client, site
):
    p = _running(site)
    entry = hours_record(placement=p, date=D(2026, 10, 3), hours=6, by=site.instructor)
    client.force_login(site.supervisor)
    url = reverse("training_hours_approve_many")
    for junk in ("²", "9" * 25, "abc", "\x00"):
        response = client.post(url, {"entry": [junk]})
        assert response.status_code == 302, junk
    assert ClinicalHours.objects.get().status == HoursStatus.PENDING
    # The same door with the entry's own id beside the junk approves it.
    response = client.post(url, {"entry": ["9" * 25, entry.pk]})
    assert response.status_code == 302
    assert ClinicalHours.objects.get().status == HoursStatus.APPROVED
