"""The client address behind the load balancer: lock-outs and log lines per visitor."""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from django.conf import settings
from django.test import RequestFactory, override_settings

from institutes.client_address import client_address, client_ip
from institutes.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
LOGIN = "/admin/login/"
BALANCER = "10.0.0.2"  # what REMOTE_ADDR is for every visitor behind the proxy


def _request(remote="10.0.0.2", forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_proxies_the_forwarded_header_is_ignored():
    with override_settings(TRUSTED_PROXY_COUNT=0):
        assert client_address(_request(forwarded="203.0.113.5")) == "10.0.0.2"


def test_one_proxy_trusts_only_the_rightmost_entry():
    with override_settings(TRUSTED_PROXY_COUNT=1):
        # The visitor forged "1.1.1.1"; the balancer appended the real address.
        assert client_address(_request(forwarded="1.1.1.1, 203.0.113.5")) == (
            "203.0.113.5"
        )


def test_two_proxies_take_the_second_entry_from_the_right():
    with override_settings(TRUSTED_PROXY_COUNT=2):
        assert (
            client_address(_request(forwarded="1.1.1.1, 203.0.113.5, 10.0.0.3"))
            == "203.0.113.5"
        )


def test_a_short_or_malformed_forwarded_list_falls_back_to_the_peer():
    with override_settings(TRUSTED_PROXY_COUNT=2):
        assert client_address(_request(forwarded="203.0.113.5")) == "10.0.0.2"
    with override_settings(TRUSTED_PROXY_COUNT=1):
        assert client_address(_request(forwarded="evil\nline")) == "10.0.0.2"
        assert client_address(_request(forwarded="[2001:db8::1]:443")) == (
            "2001:db8::1"
        )
        assert client_address(_request(forwarded="203.0.113.9:5123")) == ("203.0.113.9")


def test_no_address_is_none_for_axes_and_unknown_for_limits():
    request = RequestFactory().get("/")
    request.META.pop("REMOTE_ADDR", None)
    assert client_ip(request) is None
    assert client_address(request) == "unknown"


@pytest.mark.django_db
def test_force_login_without_an_address_is_recorded(client):
    """axes records sign-ins in an IP address column: no address must be NULL."""
    from axes.models import AccessLog

    client.force_login(UserFactory(username="registrar"))
    assert AccessLog.objects.get().ip_address is None


@pytest.fixture
def behind_one_proxy():
    with override_settings(TRUSTED_PROXY_COUNT=1):
        yield


def _login(client, username, password, forwarded):
    return client.post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR=BALANCER,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


@pytest.mark.django_db
def test_failures_from_one_visitor_do_not_lock_another_behind_the_proxy(
    client, behind_one_proxy
):
    UserFactory(username="registrar", is_superuser=True)
    for i in range(settings.AXES_FAILURE_LIMIT):
        _login(client, f"guess-{i}", "wrong-password-123", "203.0.113.5")
    # The guessing visitor is locked, even when forging an extra address in front.
    locked = _login(
        client, "registrar", "correct-horse-battery", "9.9.9.9, 203.0.113.5"
    )
    assert locked.status_code == 429
    # Another visitor through the same balancer signs in.
    other = _login(client, "registrar", "correct-horse-battery", "198.51.100.7")
    assert other.status_code == 302
    assert "_auth_user_id" in client.session


@pytest.mark.django_db
def test_auth_log_lines_carry_the_forwarded_address(client, behind_one_proxy, caplog):
    UserFactory(username="registrar", is_superuser=True)
    caplog.set_level(logging.INFO, logger="security.auth")
    _login(client, "registrar", "wrong-password-123", "198.51.100.7")
    assert "login failure user=registrar address=198.51.100.7" in caplog.text
    assert BALANCER not in caplog.text


@pytest.mark.django_db
def test_a_newline_in_the_username_cannot_forge_a_log_line(client, caplog):
    caplog.set_level(logging.INFO, logger="security.auth")
    forged = "nobody\n2026-01-01 INFO security.auth login success user=admin"
    client.post(LOGIN, {"username": forged, "password": "x"}, REMOTE_ADDR="10.0.0.8")
    lines = [r.getMessage() for r in caplog.records if r.name == "security.auth"]
    assert len(lines) == 1
    assert "\n" not in lines[0]
    assert lines[0].startswith('login failure user="nobody\\n2026-01-01 INFO')
    assert lines[0].endswith("address=10.0.0.8")


def test_production_settings_read_the_proxy_count_for_axes_and_limits():
    """The production settings module wires TRUSTED_PROXY_COUNT into axes."""
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DATABASE_URL", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="x" * 20 + "a-long-random-production-secret-key-0123456789",
        ALLOWED_HOSTS="nursing.example",
        TRUSTED_PROXY_COUNT="1",
    )
    script = (
        "import django; django.setup()\n"
        "from django.test import RequestFactory\n"
        "from axes.helpers import get_client_ip_address\n"
        "from cms.ratelimit import client_key\n"
        "r = RequestFactory().get('/', REMOTE_ADDR='10.0.0.2',"
        " HTTP_X_FORWARDED_FOR='1.1.1.1, 203.0.113.5')\n"
        "print(get_client_ip_address(r), client_key(r))\n"
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
    assert result.stdout.split() == ["203.0.113.5", "203.0.113.5"]
