"""What every browser test shares: the live server answers one request at a time,
and the test's own database calls wait their turn.

The live server answers the browser in threads, and on the test's in-memory SQLite
Django hands every one of those threads the test's *one* connection object. Two
requests at once (a page and the favicon the browser asks for after it, say), or a
request and the test's own ORM call between two page actions, then interleave on that
connection: one's atomic block commits or rolls back the other's, and one of them
answers a server error. That failed CI once (a 500 page on a trainer's saved roster)
and passed on the next run. A lock held around each request, and around the test's
database calls (``with db_turn:``), removes the race instead of retrying it.
"""

from __future__ import annotations

import threading

import pytest

from django.db import connection


class _OneAtATime:
    """A WSGI application that lets one request in at a time, body included."""

    def __init__(self, application, lock):
        self.application, self.lock = application, lock

    def __call__(self, environ, start_response):
        with self.lock:
            result = self.application(environ, start_response)
            try:
                return [b"".join(result)]
            finally:
                if hasattr(result, "close"):
                    result.close()


@pytest.fixture
def db_turn(live_server):
    """The lock the live server holds per request; hold it for the test's own ORM
    calls. A no-op wrapper on PostgreSQL, where each thread has its own connection."""
    lock = threading.RLock()
    httpd = getattr(live_server.thread, "httpd", None)
    shared = connection.vendor == "sqlite" and connection.is_in_memory_db()
    if httpd is None or not shared:
        yield lock
        return
    application = httpd.get_app()
    httpd.set_app(_OneAtATime(application, lock))
    try:
        yield lock
    finally:
        httpd.set_app(application)
