"""The security baseline: sign-in throttling and logging, passwords, sessions, headers."""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from institutes.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
LOGIN = "/admin/login/"


@pytest.fixture
def staff_user(db):
    return UserFactory(username="registrar", is_superuser=True)


def _fail(client, username="registrar", ip="10.0.0.1"):
    return client.post(
        LOGIN, {"username": username, "password": "wrong-password-123"}, REMOTE_ADDR=ip
    )


def test_repeated_failures_lock_the_login_with_a_clear_message(client, staff_user):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _fail(client).status_code == 200
    locked = _fail(client)
    assert locked.status_code == 429
    assert "too many failed sign-in attempts" in locked.content.decode().lower() or (
        "محاولات" in locked.content.decode()
    )
    # Even the right password is refused while the lock lasts.
    right = client.post(
        LOGIN,
        {"username": "registrar", "password": "correct-horse-battery"},
        REMOTE_ADDR="10.0.0.1",
    )
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lock_applies_per_username_from_any_address(client, staff_user):
    for i in range(settings.AXES_FAILURE_LIMIT):
        _fail(client, ip=f"10.0.1.{i}")
    assert _fail(client, ip="10.0.9.9").status_code == 429


def test_success_and_failure_are_logged_without_the_password(
    client, staff_user, caplog
):
    caplog.set_level(logging.INFO, logger="security.auth")
    _fail(client, ip="10.0.0.7")
    client.post(
        LOGIN,
        {"username": "registrar", "password": "correct-horse-battery"},
        REMOTE_ADDR="10.0.0.7",
    )
    text = caplog.text
    assert "login failure user=registrar address=10.0.0.7" in text
    assert "login success user=registrar address=10.0.0.7" in text
    assert "wrong-password-123" not in text
    assert "correct-horse-battery" not in text


def test_passwords_need_twelve_characters():
    with pytest.raises(ValidationError):
        validate_password("Sh0rt-pass!")
    validate_password("long enough pass 2026")


def test_sessions_end_after_a_working_day_of_inactivity():
    assert settings.SESSION_COOKIE_AGE <= 10 * 60 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_signed_in_pages_are_never_stored(client, staff_user):
    client.force_login(staff_user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_public_site_enforces_csp_and_admin_reports_only(client, staff_user):
    public = client.get("/healthz")
    assert "script-src 'self'" in public["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in public["Content-Security-Policy"]
    client.force_login(staff_user)
    admin = client.get(reverse("wagtailadmin_home"))
    assert "Content-Security-Policy" not in admin
    assert "Content-Security-Policy-Report-Only" in admin


def test_security_headers(client):
    response = client.get("/healthz")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"


def _run_production(command, **env):
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DATABASE_URL", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(DJANGO_SETTINGS_MODULE="config.settings.production", **env)
    return subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_a_missing_secret_key():
    result = _run_production(["check"])
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_the_development_key():
    result = _run_production(
        ["check"], SECRET_KEY="dev-only-insecure-key-not-for-production"
    )
    assert result.returncode != 0


def test_production_deploy_check_is_clean():
    result = _run_production(
        ["check", "--deploy", "--fail-level", "WARNING"],
        SECRET_KEY="x" * 20 + "a-long-random-production-secret-key-0123456789",
        ALLOWED_HOSTS="nursing.example",
        CSRF_TRUSTED_ORIGINS="https://nursing.example",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_demo_data():
    result = _run_production(
        ["load_demo_data", "--only", "institutes"],
        SECRET_KEY="x" * 20 + "a-long-random-production-secret-key-0123456789",
        ALLOWED_HOSTS="nursing.example",
        DATABASE_URL="sqlite:///:memory:",
    )
    assert result.returncode != 0
    assert "disabled in production" in result.stderr
