"""The contact desk end to end: an agent logs a call, it reaches the right office with
a deadline, the office answers, the requester is told, an overdue request escalates,
the dashboard shows it."""

import datetime

import pytest

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from contact.factories import ContactRequestFactory
from contact.models import ContactChannel, ContactRequest, ContactStatus, EventKind
from contact.services import (
    contact_request_answer,
    contact_request_route,
    contact_request_submit,
    contact_requests_escalate,
)
from contact.working_time import add_working_time
from notifications import sms
from notifications.models import DeliveryStatus, Notification

pytestmark = pytest.mark.django_db


def _call(**overrides):
    data = {
        "channel": "phone",
        "phone": "0100 555 1234",
        "name": "أم أحمد",
        "email": "",
        "kind": "complaint",
        "topic": "",
        "concerns": "",
        "subject": "انتظار طويل في العيادة",
        "message": "انتظرت أربع ساعات في عيادة الأطفال.",
        "language": "ar",
        "consent": "on",
    }
    data.update(overrides)
    return data


def test_agent_logs_a_call_that_reaches_the_office_with_a_deadline(
    client, world, desk, django_capture_on_commit_callbacks
):
    client.force_login(desk.agent)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("contact_intake"),
            _call(concerns=f"i-{world.a.institute.pk}", topic=desk.topic.pk),
        )
    assert response.status_code == 302
    request = ContactRequest.objects.get()
    assert request.channel == ContactChannel.PHONE and request.taken_by == desk.agent
    assert request.office == desk.office_a
    assert request.status == ContactStatus.ASSIGNED
    assert request.due_at == add_working_time(request.created_at, days=5)
    assert request.due_at - request.created_at >= datetime.timedelta(days=5)
    # The caller gets the reference by SMS; the office's head learns of it by e-mail.
    assert [m["to"] for m in sms.outbox] == ["0100 555 1234"]
    assert request.reference in sms.outbox[0]["text"]
    assert any(
        "head.a@health.example" in m.to and request.reference in m.subject
        for m in mail.outbox
    )
    sent = Notification.objects.filter(about_id=request.pk)
    assert set(sent.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    assert sent.filter(template="contact/received", channel="sms").exists()


def test_intake_refuses_a_call_without_any_contact_and_keeps_the_text(
    client, world, desk
):
    client.force_login(desk.agent)
    response = client.post(reverse("contact_intake"), _call(phone="", email=""))
    assert response.status_code == 400
    assert "انتظرت أربع ساعات" in response.content.decode()
    assert ContactRequest.objects.count() == 0


def test_intake_finds_earlier_requests_of_the_same_phone(client, world, desk):
    earlier = ContactRequestFactory(phone="+20 100 555 1234", subject="شكوى سابقة")
    earlier.office = desk.authority
    earlier.save()
    ContactRequestFactory(phone="0100 999 0000", subject="رقم آخر")
    client.force_login(desk.agent)
    response = client.post(
        reverse("contact_intake"), _call(phone="٠١٠٠ ٥٥٥ ١٢٣٤", lookup="1")
    )
    html = response.content.decode()
    assert "شكوى سابقة" in html and "رقم آخر" not in html
    assert ContactRequest.objects.count() == 2  # looking up saves nothing


def test_the_office_answers_and_the_requester_is_told_by_email_and_sms(
    client, world, desk, django_capture_on_commit_callbacks
):
    request = contact_request_submit(
        kind="inquiry",
        subject="موعد التقديم",
        message="متى يبدأ التقديم؟",
        institute=world.a.institute,
        phone="01001234567",
        email="visitor@example.org",
    )
    client.force_login(world.a.admin)
    url = reverse("contact_requests:edit", args=[request.pk])
    page = client.get(url).content.decode()
    # The handling screen shows what the visitor wrote and how to reach them.
    assert "متى يبدأ التقديم؟" in page and "01001234567" in page
    sms.outbox.clear()
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"action": "answer", "answer": "يبدأ التقديم في أول يوليو."}
        )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == ContactStatus.ANSWERED and request.answered_at
    assert request.hours_to_answer == 0
    assert "أول يوليو" in sms.outbox[-1]["text"]
    assert "أول يوليو" in mail.outbox[-1].body and mail.outbox[-1].to == [
        "visitor@example.org"
    ]
    event = request.events.get(kind=EventKind.ANSWER)
    assert event.actor == world.a.admin and not event.internal


def test_another_institute_cannot_answer_through_the_same_door(client, world, desk):
    request = contact_request_submit(
        kind="inquiry",
        subject="s",
        message="m",
        institute=world.a.institute,
        phone="01001234567",
    )
    client.force_login(world.b.admin)
    url = reverse("contact_requests:edit", args=[request.pk])
    assert client.get(url).status_code == 404
    response = client.post(url, {"action": "answer", "answer": "تدخل"})
    assert response.status_code == 404
    request.refresh_from_db()
    assert request.answer == "" and request.status == ContactStatus.ASSIGNED


def test_the_list_opens_each_request_on_its_handling_screen(client, world, desk):
    request = ContactRequestFactory(
        institute=world.a.institute, status=ContactStatus.ASSIGNED
    )
    client.force_login(world.a.admin)
    html = client.get(reverse("contact_requests:index")).content.decode()
    assert reverse("contact_requests:edit", args=[request.pk]) in html


def test_an_overdue_request_escalates_to_the_head_then_the_authority(world, desk):
    request = contact_request_submit(
        kind="complaint",
        subject="s",
        message="m",
        institute=world.a.institute,
        phone="01001234567",
        topic=desk.topic,
    )
    mail.outbox = []
    before = request.due_at - datetime.timedelta(hours=1)
    assert contact_requests_escalate(now=before) == 0
    after = request.due_at + datetime.timedelta(hours=1)
    assert contact_requests_escalate(now=after) == 1
    request.refresh_from_db()
    assert request.escalation_level == 1 and request.escalated_at == after
    queued = Notification.objects.filter(template="contact/escalated")
    assert list(queued.values_list("address", flat=True)) == ["head.a@health.example"]
    # Once only per level; the authority after two more days.
    assert contact_requests_escalate(now=after) == 0
    later = add_working_time(request.due_at, days=2) + datetime.timedelta(minutes=1)
    assert contact_requests_escalate(now=later) == 1
    request.refresh_from_db()
    assert request.escalation_level == 2
    assert "centre@health.example" in queued.values_list("address", flat=True)
    assert request.events.filter(kind=EventKind.ESCALATED, internal=True).count() == 2
    assert contact_requests_escalate(now=later) == 0


def test_an_answered_request_does_not_escalate(world, desk):
    request = contact_request_submit(
        kind="complaint",
        subject="s",
        message="m",
        institute=world.a.institute,
        phone="01001234567",
    )
    contact_request_answer(contact_request=request, answer="تم", actor=None)
    later = request.due_at + datetime.timedelta(days=10)
    assert contact_requests_escalate(now=later) == 0


def test_escalation_command_runs_the_same_service(world, desk):
    from django.core.management import call_command

    request = ContactRequestFactory(
        institute=world.a.institute,
        status=ContactStatus.ASSIGNED,
        due_at=timezone.now() - datetime.timedelta(hours=2),
    )
    call_command("escalate_contact_requests")
    request.refresh_from_db()
    assert request.escalation_level == 1


def test_rerouting_keeps_the_reason_and_the_receiving_office_sees_it_at_once(
    client, world, desk
):
    request = contact_request_submit(
        kind="complaint",
        subject="s",
        message="m",
        institute=world.a.institute,
        phone="01001234567",
    )
    client.force_login(world.a.admin)
    url = reverse("contact_requests:edit", args=[request.pk])
    response = client.post(url, {"action": "route", "office": desk.authority.pk})
    assert response.status_code == 400  # a reason is required
    # An institute's staff do not route to another institute; the desk does.
    response = client.post(
        url, {"action": "route", "office": desk.office_b.pk, "reason": "يخص معهد ب"}
    )
    assert response.status_code == 400
    request.refresh_from_db()
    assert request.office == desk.office_a
    response = client.post(
        url,
        {"action": "route", "office": desk.authority.pk, "reason": "يخص المديرية"},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.office == desk.authority
    event = request.events.get(kind=EventKind.ROUTED, actor=world.a.admin)
    assert event.internal and event.note == "يخص المديرية"
    client.force_login(desk.agent)
    assert client.get(url).status_code == 200
    client.force_login(world.a.admin)
    assert client.get(url).status_code == 404


def test_route_refuses_a_request_of_another_office(world, desk):
    from django.core.exceptions import PermissionDenied

    request = contact_request_submit(
        kind="complaint",
        subject="s",
        message="m",
        institute=world.a.institute,
        phone="01001234567",
    )
    with pytest.raises(PermissionDenied):
        contact_request_route(
            contact_request=request,
            office=desk.office_b,
            reason="x",
            actor=world.b.admin,
        )
