"""The zero-set-up cache is shared by processes: a publish in one reaches the others.

The test settings use a local-memory cache (fast, one per test worker); this file
switches to the cache the base settings configure when there is no Redis, and runs a
second Python process (the development settings, the same cache directory) beside
the test process, as a second gunicorn worker or the task worker would run.
"""

import os
import subprocess
import sys
import textwrap

import pytest

from django.conf import settings
from django.core.cache import cache

from config.settings import base

from .conftest import publish

pytestmark = pytest.mark.django_db

URL = "/ar/campaigns/womens-health/"

_OTHER_PROCESS = textwrap.dedent(
    """
    import sys

    import django

    django.setup()
    from django.test import RequestFactory
    from django.utils import translation

    from cms.cache import bump_generation, cache, cache_key

    translation.activate("ar")
    request = RequestFactory().get(sys.argv[2], HTTP_HOST="testserver")
    cached = cache.get(cache_key(request))
    print("absent" if cached is None else cached["content"].decode())
    if sys.argv[1] == "publish":
        bump_generation()  # what publishing does (cms.signals)
    """
)


def _other_process(action: str, location: str) -> str:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "CACHE_DIR": location,
    }
    done = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", _OTHER_PROCESS, action, URL],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout


@pytest.fixture
def shared_cache(settings, tmp_path):
    configured = dict(base.CACHES["default"])
    if not configured["BACKEND"].endswith("RedisCache"):
        configured["LOCATION"] = str(tmp_path / "cache")
    settings.CACHES = {"default": configured}
    yield configured.get("LOCATION", "")
    cache.clear()


def test_a_publish_in_one_process_reaches_another(client, tree, shared_cache):
    first = client.get(URL)
    assert first["X-Page-Cache"] == "miss"
    # Another process sees the page this one cached.
    assert tree.campaign.title in _other_process("read", shared_cache)

    tree.campaign.title = "عنوان جديد بعد النشر"
    publish(tree.campaign)
    # The publish invalidated the other process's view of the cache too, and the other
    # process then publishes itself (as the task worker or scheduled publishing does).
    assert _other_process("publish", shared_cache).strip() == "absent"

    client.get(URL)  # cached again here
    assert client.get(URL)["X-Page-Cache"] == "hit"
    _other_process("publish", shared_cache)
    after = client.get(URL)
    assert after["X-Page-Cache"] == "miss", "a publish in another process went unseen"
    assert "عنوان جديد بعد النشر" in after.content.decode()
