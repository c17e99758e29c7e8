"""SMS backends: how a text message leaves the product.

`settings.NOTIFICATIONS_SMS_BACKEND` names the class. Providers differ by country, so
the production backend is a generic HTTP one configured by environment variables;
development prints to the console, tests keep messages in `outbox`.
"""

from __future__ import annotations

import json
import sys
import urllib.request

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string


class SmsError(Exception):
    """The provider refused or could not be reached (the message is retried)."""


class BaseSmsBackend:
    def send(self, *, to: str, text: str) -> str:
        """Send one message; return the provider's id (or "") or raise `SmsError`."""
        raise NotImplementedError


class ConsoleBackend(BaseSmsBackend):
    """Prints messages (development)."""

    def send(self, *, to: str, text: str) -> str:
        sys.stdout.write(f"SMS to {to}:\n{text}\n{'-' * 40}\n")
        return ""


# Messages sent by `LocmemBackend`, newest last (tests read and clear it).
outbox: list[dict] = []


class LocmemBackend(BaseSmsBackend):
    """Keeps messages in `notifications.sms.outbox` (tests)."""

    def send(self, *, to: str, text: str) -> str:
        outbox.append({"to": to, "text": text})
        return f"locmem-{len(outbox)}"


class HttpBackend(BaseSmsBackend):
    """POSTs `{"to", "text", "sender"}` as JSON to the provider's URL.

    Configured by `SMS_HTTP_URL`, `SMS_HTTP_TOKEN` (sent as a bearer token) and
    `SMS_HTTP_SENDER`; any answer other than 2xx is an error and the message is retried.
    """

    timeout = 10

    def __init__(self):
        self.url = getattr(settings, "SMS_HTTP_URL", "")
        if not self.url.startswith("https://") and not self.url.startswith("http://"):
            raise ImproperlyConfigured(
                "SMS_HTTP_URL must be the provider's http(s) URL to use "
                "notifications.sms.HttpBackend."
            )
        self.token = getattr(settings, "SMS_HTTP_TOKEN", "")
        self.sender = getattr(settings, "SMS_HTTP_SENDER", "")

    def send(self, *, to: str, text: str) -> str:
        payload = json.dumps({"to": to, "text": text, "sender": self.sender}).encode()
        request = urllib.request.Request(  # noqa: S310 - scheme checked above
            self.url,
            data=payload,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {self.token}",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                body = response.read(2000).decode("utf-8", "replace")
                status = response.status
        except OSError as exc:
            raise SmsError(f"SMS provider unreachable: {exc}") from exc
        if not 200 <= status < 300:
            raise SmsError(f"SMS provider answered {status}: {body[:200]}")
        try:
            return str(json.loads(body).get("id", ""))[:100]
        except (ValueError, AttributeError):
            return ""


def get_sms_backend() -> BaseSmsBackend:
    path = getattr(
        settings, "NOTIFICATIONS_SMS_BACKEND", "notifications.sms.ConsoleBackend"
    )
    return import_string(path)()
