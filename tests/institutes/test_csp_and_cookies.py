"""CSP reports reach a log, admin templates need no inline script, cookies are locked."""

import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from django.contrib.staticfiles import finders
from django.test import Client, override_settings
from django.urls import reverse

from institutes.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
REPORT_URL = "/csp-report/"


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _report(**overrides):
    body = {
        "document-uri": "https://nursing.example/admin/students/",
        "violated-directive": "script-src-elem",
        "effective-directive": "script-src-elem",
        "blocked-uri": "inline",
        "line-number": 12,
    }
    body.update(overrides)
    return json.dumps({"csp-report": body})


def _post(client, data, content_type="application/csp-report", **extra):
    return client.post(REPORT_URL, data=data, content_type=content_type, **extra)


@pytest.mark.django_db
def test_the_admin_policy_names_the_report_endpoint(client):
    client.force_login(UserFactory(is_superuser=True))
    admin = client.get(reverse("wagtailadmin_home"))
    assert "report-uri /csp-report/" in admin["Content-Security-Policy-Report-Only"]
    assert (
        "report-uri /csp-report/" in client.get("/healthz")["Content-Security-Policy"]
    )


def test_a_report_is_logged_without_a_csrf_token(caplog):
    caplog.set_level(logging.WARNING, logger="security.csp")
    response = _post(
        Client(enforce_csrf_checks=True), _report(), REMOTE_ADDR="10.0.0.5"
    )
    assert response.status_code == 204
    line = next(r.getMessage() for r in caplog.records if r.name == "security.csp")
    assert line.startswith("csp violation address=10.0.0.5 ")
    assert "directive=script-src-elem" in line and "blocked=inline" in line


def test_reporting_api_format_is_logged_too(client, caplog):
    caplog.set_level(logging.WARNING, logger="security.csp")
    body = [
        {
            "type": "csp-violation",
            "body": {
                "documentURL": "https://nursing.example/ar/",
                "blockedURL": "eval",
            },
        }
    ]
    response = _post(client, json.dumps(body), "application/reports+json")
    assert response.status_code == 204
    assert "blocked=eval" in caplog.text


def test_report_values_cannot_forge_log_lines(client, caplog):
    caplog.set_level(logging.WARNING, logger="security.csp")
    _post(client, _report(**{"blocked-uri": "x\nERROR forged line"}))
    lines = [r.getMessage() for r in caplog.records if r.name == "security.csp"]
    assert len(lines) == 1 and "\n" not in lines[0]


def test_only_post_and_bounded_bodies_are_taken(client, caplog):
    caplog.set_level(logging.WARNING, logger="security.csp")
    assert client.get(REPORT_URL).status_code == 405
    huge = _report(**{"blocked-uri": "x" * 20_000})
    assert _post(client, huge).status_code == 413
    assert _post(client, "not json").status_code == 400
    assert not [r for r in caplog.records if r.name == "security.csp"]


@override_settings(CSP_REPORT_RATE=(2, 600))
def test_reports_are_rate_limited_per_client(client, caplog):
    caplog.set_level(logging.WARNING, logger="security.csp")
    for _ in range(2):
        assert _post(client, _report(), REMOTE_ADDR="10.0.0.5").status_code == 204
    assert _post(client, _report(), REMOTE_ADDR="10.0.0.5").status_code == 429
    assert _post(client, _report(), REMOTE_ADDR="10.0.0.6").status_code == 204
    assert len([r for r in caplog.records if r.name == "security.csp"]) == 3


_INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)


def test_no_template_of_ours_uses_inline_event_handlers():
    offenders = []
    for app in (
        "institutes",
        "students",
        "curriculum",
        "training",
        "certificates",
        "cms",
    ):
        for path in (ROOT / app / "templates").rglob("*.html"):
            if _INLINE_HANDLER.search(path.read_text(encoding="utf-8")):
                offenders.append(str(path.relative_to(ROOT)))
    for path in (ROOT / "templates").rglob("*.html"):
        if _INLINE_HANDLER.search(path.read_text(encoding="utf-8")):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
    assert finders.find("institutes/autosubmit.js")


def test_production_language_cookie_is_secure_http_only_and_same_site():
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DATABASE_URL", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="x" * 20 + "a-long-random-production-secret-key-0123456789",
        ALLOWED_HOSTS="nursing.example",
        DATABASE_URL="sqlite:///:memory:",
    )
    script = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "r = Client(HTTP_HOST='nursing.example').post("
        "'/i18n/setlang/', {'language': 'en', 'next': '/en/'}, secure=True)\n"
        "c = r.cookies['django_language']\n"
        "print(r.status_code, bool(c['secure']), bool(c['httponly']), c['samesite'])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["302", "True", "True", "Lax"]
