"""The demo's messages are kept, not printed: loading the demo data writes one
summary line, never a whole e-mail, while every message stays in Settings → Messages
sent with its body."""

import io
import re

import pytest

from django.core.management import call_command

from notifications.models import Channel, DeliveryStatus, Notification
from notifications.services import (
    Recipient,
    notification_send,
    notifications_kept_in_outbox,
)

CONSOLE = {
    "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
    "NOTIFICATIONS_SMS_BACKEND": "notifications.sms.ConsoleBackend",
}


@pytest.fixture
def console(settings):
    """Development's backends, which print every message to the terminal."""
    for name, value in CONSOLE.items():
        setattr(settings, name, value)


def _send():
    return notification_send(
        template="portal/sign_in_code",
        recipient=Recipient(
            name="منى حسن", email="mona@example.org", phone="+201000000000"
        ),
        context={"code": "482913", "minutes": 10},
    )


def test_kept_messages_are_sent_to_nobody_and_stay_readable(
    db, console, capsys, django_capture_on_commit_callbacks
):
    with (
        notifications_kept_in_outbox() as outbox,
        django_capture_on_commit_callbacks(execute=True),
    ):
        made = _send()
    assert "482913" not in capsys.readouterr().out
    assert (outbox.made, outbox.sent) == (2, 2)
    for notification in made:
        notification.refresh_from_db()
        assert notification.status == DeliveryStatus.SENT
        assert "482913" in notification.body


def test_messages_queued_inside_are_delivered_quietly_at_the_end(db, console, capsys):
    """Queued and never run (a task backend with a worker): delivered on leaving."""
    with notifications_kept_in_outbox() as outbox:
        made = _send()  # the test's transaction never commits: nothing ran
        assert {n.status for n in made} == {DeliveryStatus.QUEUED}
    assert "482913" not in capsys.readouterr().out
    assert outbox.sent == 2
    assert set(
        Notification.objects.filter(pk__in=[n.pk for n in made]).values_list(
            "status", flat=True
        )
    ) == {DeliveryStatus.SENT}


def test_outside_the_outbox_the_console_still_prints(
    db, console, capsys, django_capture_on_commit_callbacks
):
    """Twin: development keeps its console backends (sign-in codes are read there)."""
    with django_capture_on_commit_callbacks(execute=True):
        _send()
    assert "482913" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_loading_the_demo_prints_a_summary_not_the_messages(console, capsys):
    out = io.StringIO()
    call_command("load_demo_data", only=["institutes", "contact"], stdout=out)
    printed = capsys.readouterr().out + out.getvalue()
    emails = Notification.objects.filter(channel=Channel.EMAIL)
    assert emails.exists()
    assert "Content-Transfer-Encoding" not in printed
    assert "SMS to" not in printed
    for body in emails.values_list("body", flat=True):
        first_line = body.strip().splitlines()[0]
        assert first_line not in printed
    summary = re.search(r"notifications: (\d+) sent", out.getvalue())
    assert summary
    assert (
        int(summary.group(1))
        == Notification.objects.filter(status=DeliveryStatus.SENT).count()
    )
