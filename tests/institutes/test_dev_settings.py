"""The demo's printed addresses follow the port it serves on."""

import os
import subprocess
import sys

from django.conf import settings

_PRINT = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.SITE_BASE_URL, settings.WAGTAILADMIN_BASE_URL)"
)


def _dev_settings(**env) -> list[str]:
    environ = {
        k: v for k, v in os.environ.items() if k not in ("PORT", "SITE_BASE_URL")
    }
    environ.update(DJANGO_SETTINGS_MODULE="config.settings.dev", **env)
    done = subprocess.run(
        [sys.executable, "-c", _PRINT],
        env=environ,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.split()


def test_site_base_url_follows_port():
    assert _dev_settings(PORT="9123") == ["http://127.0.0.1:9123"] * 2
    assert _dev_settings() == ["http://127.0.0.1:8000"] * 2


def test_an_explicit_site_base_url_wins():
    assert (
        _dev_settings(PORT="9123", SITE_BASE_URL="https://nursing.example")
        == ["https://nursing.example"] * 2
    )
