"""Handling rules: statuses, internal notes, the requester's side (follow, rate,
reopen), confidential staff matters, office scoping, retention and masking."""

import datetime

import pytest

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from contact.factories import ContactRequestFactory, OfficeFactory, OfficeMemberFactory
from contact.models import ContactRequest, ContactStatus, EventKind, OfficeKind
from contact.services import (
    contact_request_answer,
    contact_request_note,
    contact_request_rate,
    contact_request_reopen,
    contact_request_set_status,
    contact_request_submit,
    contact_requests_anonymise,
)
from institutes import access
from institutes.factories import UserFactory
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def _submit(world, **kw):
    data = {
        "kind": "complaint",
        "subject": "الانتظار",
        "message": "انتظرت طويلًا",
        "institute": world.a.institute,
        "phone": "01001234567",
        "email": "v@example.org",
        "name": "منى",
    }
    data.update(kw)
    return contact_request_submit(**data)


def test_an_illegal_status_change_is_refused_and_nothing_changes(world, desk):
    request = _submit(world)
    contact_request_answer(contact_request=request, answer="تم", actor=world.a.admin)
    contact_request_set_status(
        contact_request=request, status=ContactStatus.CLOSED, actor=world.a.admin
    )
    with pytest.raises(ValidationError):
        contact_request_set_status(
            contact_request=request,
            status=ContactStatus.IN_PROGRESS,
            actor=world.a.admin,
        )
    request.refresh_from_db()
    assert request.status == ContactStatus.CLOSED and request.closed_at


def test_needs_information_requires_a_note_and_tells_the_requester(world, desk):
    request = _submit(world)
    with pytest.raises(ValidationError):
        contact_request_set_status(
            contact_request=request,
            status=ContactStatus.NEEDS_INFO,
            actor=world.a.admin,
        )
    contact_request_set_status(
        contact_request=request,
        status=ContactStatus.NEEDS_INFO,
        note="ما تاريخ الزيارة؟",
        actor=world.a.admin,
    )
    told = Notification.objects.filter(template="contact/status_needs_info")
    assert told.count() == 2  # e-mail and SMS, as given
    assert all("ما تاريخ الزيارة؟" in n.body for n in told)


def test_internal_notes_and_routing_never_reach_the_follow_page(client, world, desk):
    request = _submit(world)
    contact_request_note(
        contact_request=request, note="المشتكي قريب الموظف", actor=world.a.admin
    )
    contact_request_answer(
        contact_request=request, answer="نعتذر عن التأخير", actor=world.a.admin
    )
    response = client.post(
        "/ar/contact/follow/",
        {"reference": request.reference, "contact": "01001234567"},
    )
    html = response.content.decode()
    assert "نعتذر عن التأخير" in html
    assert "المشتكي قريب الموظف" not in html
    assert desk.office_a.name_ar not in html.split("request-status")[1]
    assert request.events.filter(kind=EventKind.NOTE, internal=True).exists()


def test_requester_rates_the_answer_once(client, world, desk):
    request = _submit(world)
    contact_request_answer(contact_request=request, answer="تم", actor=world.a.admin)
    client.post(
        "/ar/contact/follow/",
        {"reference": request.reference, "contact": "v@example.org"},
    )
    response = client.post("/ar/contact/follow/rate/", {"resolution": "yes"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.resolution == "yes" and request.rated_at
    client.post("/ar/contact/follow/rate/", {"resolution": "no"})
    request.refresh_from_db()
    assert request.resolution == "yes"


def test_rating_needs_the_request_proven_on_the_follow_page(client, world, desk):
    request = _submit(world)
    contact_request_answer(contact_request=request, answer="تم", actor=world.a.admin)
    client.post("/ar/contact/follow/rate/", {"resolution": "no"})
    request.refresh_from_db()
    assert request.resolution == ""


def test_requester_reopens_within_the_period_only(client, world, desk, settings):
    request = _submit(world)
    contact_request_answer(contact_request=request, answer="تم", actor=world.a.admin)
    client.post(
        "/ar/contact/follow/",
        {"reference": request.reference, "contact": "01001234567"},
    )
    response = client.post("/ar/contact/follow/reopen/", {"reason": "لم يتغير شيء"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == ContactStatus.REOPENED
    assert request.events.filter(kind=EventKind.REOPENED).exists()

    late = _submit(world, subject="قديم")
    contact_request_answer(contact_request=late, answer="تم", actor=world.a.admin)
    ContactRequest.objects.filter(pk=late.pk).update(
        answered_at=timezone.now()
        - datetime.timedelta(days=settings.CONTACT_REOPEN_DAYS + 1)
    )
    late.refresh_from_db()
    with pytest.raises(ValidationError):
        contact_request_reopen(contact_request=late, reason="x")


def test_rating_is_refused_before_an_answer(world, desk):
    request = _submit(world)
    with pytest.raises(ValidationError):
        contact_request_rate(contact_request=request, resolution="yes")


def _designated(desk):
    confidential = OfficeFactory(
        kind=OfficeKind.DEPARTMENT,
        parent=desk.authority,
        name_ar="مكتب شؤون العاملين السري",
        handles_confidential=True,
    )
    member = UserFactory(username="designated")
    OfficeMemberFactory(office=confidential, user=member)
    return confidential, member


def test_a_confidential_staff_matter_is_seen_only_by_designated_staff(
    client, world, desk
):
    confidential, designated = _designated(desk)
    client.force_login(world.a.trainer)
    response = client.post(
        reverse("contact_staff_request"),
        {
            "kind": "complaint",
            "concerns": f"h-{world.a.hospital.pk}",
            "subject": "مضايقة من المشرف",
            "message": "تفاصيل",
            "confidential": "on",
        },
    )
    assert response.status_code == 302
    request = ContactRequest.objects.get()
    assert request.confidential and request.office == confidential
    assert request.hospital is None  # the employee's hospital is not told
    qs = ContactRequest.objects.all()
    # Not the hospital's managers, not even authority staff who are not designated.
    assert list(access.filter_for(qs, world.a.trainer)) == []
    assert list(access.filter_for(qs, world.authority)) == []
    assert not access.can(world.authority, "view", request)
    assert list(access.filter_for(qs, designated)) == [request]
    url = reverse("contact_requests:edit", args=[request.pk])
    client.force_login(world.authority)
    assert client.get(url).status_code == 404
    client.force_login(designated)
    assert client.get(url).status_code == 200


def test_a_staff_matter_that_is_not_confidential_goes_to_the_place(client, world, desk):
    client.force_login(world.a.trainer)
    client.post(
        reverse("contact_staff_request"),
        {
            "kind": "suggestion",
            "concerns": f"h-{world.a.hospital.pk}",
            "subject": "جدول المناوبات",
            "message": "اقتراح",
        },
    )
    request = ContactRequest.objects.get()
    assert request.raised_by == world.a.trainer and not request.confidential
    assert list(access.filter_for(ContactRequest.objects.all(), world.a.trainer)) == [
        request
    ]


def test_confidential_is_refused_outside_the_staff_channel(world, desk):
    _designated(desk)
    with pytest.raises(ValidationError):
        _submit(world, confidential=True)


def test_a_departments_staff_see_only_its_requests(world, desk):
    department = OfficeFactory(
        kind=OfficeKind.DEPARTMENT,
        parent=desk.office_a,
        institute=world.a.institute,
        name_ar="شؤون الطلاب",
    )
    clerk = UserFactory(username="clerk")
    OfficeMemberFactory(office=department, user=clerk)
    mine = ContactRequestFactory(
        subject="للقسم", status=ContactStatus.ASSIGNED, office=department
    )
    _submit(world, subject="للمعهد")
    qs = ContactRequest.objects.all()
    assert list(access.filter_for(qs, clerk)) == [mine]
    # The institute's head office sees its departments' requests too.
    assert mine in access.filter_for(qs, desk.head_a)
    assert mine in access.filter_for(qs, world.a.admin)


def test_closed_requests_are_anonymised_after_the_retention_period(world, desk):
    old = _submit(world, subject="بيانات شخصية")
    contact_request_answer(contact_request=old, answer="تم", actor=world.a.admin)
    contact_request_set_status(
        contact_request=old, status=ContactStatus.CLOSED, actor=world.a.admin
    )
    recent = _submit(world, subject="حديث")
    contact_request_answer(contact_request=recent, answer="تم", actor=world.a.admin)
    contact_request_set_status(
        contact_request=recent, status=ContactStatus.CLOSED, actor=world.a.admin
    )
    open_old = _submit(world, subject="مفتوح")
    long_ago = timezone.now() - datetime.timedelta(days=731)
    ContactRequest.objects.filter(pk__in=[old.pk, open_old.pk]).update(
        closed_at=long_ago, created_at=long_ago
    )
    assert contact_requests_anonymise() == 1
    old.refresh_from_db()
    assert old.anonymised_at and old.phone == "" and old.email == "" and old.name == ""
    assert old.message == "—" and old.subject == "—"
    assert old.kind == "complaint" and old.office == desk.office_a  # figures stay
    assert not Notification.objects.filter(
        about_id=old.pk, body__contains="تم"
    ).exists()
    recent.refresh_from_db()
    assert recent.phone and not recent.anonymised_at
    open_old.refresh_from_db()
    assert open_old.phone  # still open: kept
    assert contact_requests_anonymise() == 0


def test_exports_mask_contacts_the_user_may_not_see(client, world, desk):
    _submit(world, phone="01001234567", email="visitor@example.org")
    url = reverse("contact_requests:index")
    client.force_login(world.a.admin)
    own = client.get(url, {"export": "csv"}).getvalue().decode("utf-8-sig")
    assert "01001234567" in own and "visitor@example.org" in own
    client.force_login(world.authority)
    other = client.get(url, {"export": "csv"}).getvalue().decode("utf-8-sig")
    assert "01001234567" not in other and "visitor@example.org" not in other
    assert "010••••••67" in other and "v•••@example.org" in other


def test_the_public_form_keeps_the_chosen_channel(client, world, desk):
    response = client.post(
        "/ar/contact/",
        {
            "kind": "inquiry",
            "concerns": f"i-{world.a.institute.pk}",
            "topic": desk.topic.pk,
            "subject": "سؤال",
            "message": "نص",
            "phone": "01001234567",
            "email": "v@example.org",
            "notify_by": "email",
            "consent": "on",
        },
    )
    assert response.status_code == 302
    request = ContactRequest.objects.get()
    assert request.notify_email and not request.notify_sms
    assert request.topic == desk.topic
    assert set(
        Notification.objects.filter(
            about_id=request.pk, template="contact/received"
        ).values_list("channel", flat=True)
    ) == {"email"}
    sent = client.get(response["Location"]).content.decode()
    assert f"?reference={request.reference}" in sent
