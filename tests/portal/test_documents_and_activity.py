"""Documents issued to the person (download, verification link), recent activity,
the student's calendar feed, correction requests."""

from django.urls import reverse

from certificates.factories import issued_document
from portal.models import EventKind, PortalEvent

from .conftest import enter


def test_a_holder_downloads_their_document_and_nobody_else_can(client, portal):
    doc = issued_document(portal.site.institute)
    other_doc = issued_document(portal.site.institute, index=1)
    enter(client, doc.holder)
    page = client.get(reverse("portal:documents")).content.decode()
    assert doc.serial in page
    assert reverse("certificates:verify", args=[doc.code]) in page
    assert other_doc.serial not in page
    response = client.get(reverse("portal:document_download", args=[doc.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert PortalEvent.objects.filter(
        person=doc.holder, kind=EventKind.DOCUMENT_DOWNLOADED, detail=doc.serial
    ).exists()
    for doc_id in (other_doc.pk, "abc", "9" * 25):
        assert (
            client.get(reverse("portal:document_download", args=[doc_id])).status_code
            == 404
        )
    activity = client.get(reverse("portal:activity")).content.decode()
    assert "Document downloaded" in activity
    # Its twin: the other holder downloads theirs through the same door.
    enter(client, other_doc.holder)
    response = client.get(reverse("portal:document_download", args=[other_doc.pk]))
    assert response.status_code == 200


def test_the_student_calendar_feed_lists_placement_days(client, portal, monkeypatch):
    from portal.services import portal_account_for
    from training.models import PlacementDay

    # The fixture's block is in October 2026: read the feed as on its first day.
    first = portal.site.block.start_date
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: first)
    day = PlacementDay.objects.filter(placement=portal.placement).order_by("date")[0]
    token = portal_account_for(portal.student.person).feed_token
    body = client.get(reverse("portal:feed", args=[token])).content.decode()
    assert f"UID:placement-day-{day.pk}@portal" in body
    assert f"DTSTART;VALUE=DATE:{day.date:%Y%m%d}" in body
    assert "SUMMARY:Placement: " in body


def test_a_correction_request_reaches_the_institute_office(client, portal):
    from contact.models import ContactRequest

    enter(client, portal.student.person)
    response = client.post(
        reverse("portal:correction"),
        {
            "about": "student",
            "subject": "Name spelling",
            "message": "Mariam, not Maryam",
        },
        follow=True,
    )
    assert "Your request is sent" in response.content.decode()
    request = ContactRequest.objects.get()
    assert request.institute == portal.site.institute
    assert request.office is not None
    # A staff record is not theirs to name: refused with a clear message.
    response = client.post(
        reverse("portal:correction"),
        {"about": "staff", "subject": "x", "message": "y"},
    )
    assert response.status_code == 200
    assert ContactRequest.objects.count() == 1


def _training_certificate(portal, staff):
    """A real training certificate for `staff`: a held session of the portal's
    topic, a pass on its roster, issued into the register (rendered PDF)."""
    import datetime

    from django.utils import timezone

    from certificates.services import document_issue
    from training.documents import CERTIFICATE
    from training.factories import TrainingSessionFactory
    from training.models import Attendance
    from training.staff.services import RosterEntry, roster_save

    start = timezone.now().replace(microsecond=0) - datetime.timedelta(hours=3)
    session = TrainingSessionFactory(
        topic=portal.topic,
        hospital=portal.site.hospital,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )
    roster_save(session=session, entries=[RosterEntry(staff.pk, "present")])
    attendance = Attendance.objects.get(session=session, staff=staff)
    return document_issue(
        kind=CERTIFICATE, achievement=attendance, issued_by=None
    ).document


def test_a_staff_member_downloads_their_training_certificate(client, portal):
    from training.staff.factories import StaffMemberFactory

    own = _training_certificate(portal, portal.staff)
    colleague = StaffMemberFactory(hospital=portal.site.hospital)
    theirs = _training_certificate(portal, colleague)
    assert own.holder == portal.staff.person
    enter(client, portal.staff.person)
    page = client.get(reverse("portal:documents")).content.decode()
    assert own.serial in page and "Training certificate" in page
    assert reverse("portal:document_download", args=[own.pk]) in page
    assert theirs.serial not in page
    response = client.get(reverse("portal:document_download", args=[own.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert PortalEvent.objects.filter(
        person=portal.staff.person,
        kind=EventKind.DOCUMENT_DOWNLOADED,
        detail=own.serial,
    ).exists()
    assert "Document downloaded" in (
        client.get(reverse("portal:activity")).content.decode()
    )
    # A colleague's certificate is not theirs: 404, and nothing is logged for it.
    response = client.get(reverse("portal:document_download", args=[theirs.pk]))
    assert response.status_code == 404
    assert not PortalEvent.objects.filter(detail=theirs.serial).exists()
    # Its twin: the colleague downloads their own through the same door.
    enter(client, colleague.person)
    response = client.get(reverse("portal:document_download", args=[theirs.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
