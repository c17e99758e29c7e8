"""Scheduled work of the contact centre (django-tasks): escalation, the daily digest,
retention. Each is also a management command for cron (docs/contact-centre.md)."""

from __future__ import annotations

from django_tasks import task


@task()
def escalate_overdue_requests() -> int:
    """Escalate overdue requests (run hourly)."""
    from .services import contact_requests_escalate

    return contact_requests_escalate()


@task()
def send_daily_digest() -> int:
    """Tell each office its open and overdue requests (run each morning)."""
    from .services import contact_digest_send

    return contact_digest_send()


@task()
def anonymise_old_requests() -> int:
    """Remove personal data of requests closed longer than the retention period."""
    from .services import contact_requests_anonymise

    return contact_requests_anonymise()


@task()
def rebuild_figures() -> dict:
    """Recompute the monthly figures from the requests (after bulk writes)."""
    from .figures import figures_rebuild

    return figures_rebuild()
