"""The notification layer: channels as given and chosen, language templates, queued
delivery after commit, retries, the record, and the HTTP SMS backend."""

import datetime
import json

import pytest

from django.core import mail
from django.test import override_settings
from django.utils import timezone

from notifications import sms
from notifications.models import DeliveryStatus, Notification
from notifications.services import (
    Recipient,
    notification_deliver,
    notification_send,
    notifications_retry_due,
)

pytestmark = pytest.mark.django_db


class _Request:
    """Enough of a contact request for the `contact/received` template."""

    reference = "CC-TEST-0001"
    name = "سارة"
    subject = "موعد"
    office = None

    def get_kind_display(self):
        return "Inquiry"


@pytest.fixture(autouse=True)
def _empty():
    sms.outbox.clear()
    mail.outbox = []


def _send(**recipient):
    defaults = {"name": "سارة", "language": "ar"}
    defaults.update(recipient)
    return notification_send(
        template="contact/received",
        recipient=Recipient(**defaults),
        context={"request": _Request(), "follow_url": "https://x/ar/contact/follow/"},
        about_label="CC-TEST-0001",
    )


def test_a_message_goes_by_each_channel_the_person_gave_and_chose(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        made = _send(email="s@example.org", phone="01001234567")
    assert {n.channel for n in made} == {"email", "sms"}
    assert len(sms.outbox) == 1 and len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        only_sms = _send(email="s@example.org", phone="01001234567", channels=("sms",))
    assert [n.channel for n in only_sms] == ["sms"]
    assert _send(email="", phone="", channels=("sms", "email")) == []


def test_the_template_follows_the_persons_language(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _send(phone="01001234567", language="en")
        _send(phone="01001234567", language="ar")
    english, arabic = [m["text"] for m in sms.outbox]
    assert english.startswith("We received your request")
    assert arabic.startswith("استلمنا طلبك")


def test_nothing_is_delivered_before_the_writing_transaction_commits(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        made = _send(phone="01001234567")
    assert sms.outbox == [] and len(callbacks) == 1
    assert Notification.objects.get(pk=made[0].pk).status == DeliveryStatus.QUEUED


def test_each_delivery_is_recorded_with_what_was_said(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        made = _send(email="s@example.org")
    record = Notification.objects.get(pk=made[0].pk)
    assert record.status == DeliveryStatus.SENT and record.sent_at
    assert record.attempts == 1 and record.template == "contact/received"
    assert record.address == "s@example.org" and "CC-TEST-0001" in record.subject
    assert record.body == mail.outbox[0].body


class _Flaky(sms.BaseSmsBackend):
    failures = 0

    def send(self, *, to, text):
        if _Flaky.failures:
            _Flaky.failures -= 1
            raise sms.SmsError("provider down")
        sms.outbox.append({"to": to, "text": text})
        return "ok"


@override_settings(
    NOTIFICATIONS_SMS_BACKEND="tests.notifications.test_delivery._Flaky",
    NOTIFICATIONS_MAX_ATTEMPTS=3,
)
def test_a_failed_delivery_is_retried_later_then_marked_failed():
    _Flaky.failures = 1
    made = _send(phone="01001234567")
    pk = made[0].pk
    notification_deliver(notification_id=pk)
    record = Notification.objects.get(pk=pk)
    assert record.status == DeliveryStatus.QUEUED and record.attempts == 1
    assert "provider down" in record.last_error
    assert record.next_attempt_at > timezone.now()
    # Not due yet: the sweep leaves it; once due, it is delivered.
    assert notifications_retry_due() == 0
    later = timezone.now() + datetime.timedelta(hours=1)
    assert notifications_retry_due(now=later) == 1
    record.refresh_from_db()
    assert record.status == DeliveryStatus.SENT and record.attempts == 2
    assert len(sms.outbox) == 1

    _Flaky.failures = 5
    other = _send(phone="01009999999")[0]
    for _attempt in range(4):
        notification_deliver(notification_id=other.pk)
    other.refresh_from_db()
    assert other.status == DeliveryStatus.FAILED and other.attempts == 3


def test_a_sent_message_is_not_sent_twice():
    made = _send(phone="01001234567")[0]
    notification_deliver(notification_id=made.pk)
    notification_deliver(notification_id=made.pk)
    assert len(sms.outbox) == 1


@override_settings(
    SMS_HTTP_URL="https://sms.example/send", SMS_HTTP_TOKEN="t0k", SMS_HTTP_SENDER="MOH"
)
def test_the_http_backend_posts_json_with_the_token(monkeypatch):
    seen = {}

    class _Response:
        status = 200

        def read(self, n):
            return b'{"id": "abc"}'

        def __enter__(self):
            return self

        def __exit__(self, *a):
            return False

    def fake_urlopen(request, timeout):
        seen["url"] = request.full_url
        seen["auth"] = request.get_header("Authorization")
        seen["body"] = json.loads(request.data)
        return _Response()

    monkeypatch.setattr(sms.urllib.request, "urlopen", fake_urlopen)
    assert sms.HttpBackend().send(to="0100", text="مرحبا") == "abc"
    assert seen == {
        "url": "https://sms.example/send",
        "auth": "Bearer t0k",
        "body": {"to": "0100", "text": "مرحبا", "sender": "MOH"},
    }


@override_settings(SMS_HTTP_URL="https://sms.example/send")
def test_the_http_backend_reports_a_refusal(monkeypatch):
    class _Response:
        status = 500

        def read(self, n):
            return b"down"

        def __enter__(self):
            return self

        def __exit__(self, *a):
            return False

    monkeypatch.setattr(sms.urllib.request, "urlopen", lambda r, timeout: _Response())
    with pytest.raises(sms.SmsError):
        sms.HttpBackend().send(to="0100", text="x")


def test_the_http_backend_needs_its_url():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        sms.HttpBackend()


def test_tests_never_reach_a_provider(settings):
    assert settings.NOTIFICATIONS_SMS_BACKEND == "notifications.sms.LocmemBackend"
