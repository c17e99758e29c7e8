"""Background delivery of messages (django-tasks)."""

from __future__ import annotations

from django_tasks import task


@task()
def deliver_notification(notification_id: int) -> str:
    """Deliver one queued message; returns its status after the attempt."""
    from .services import notification_deliver

    notification = notification_deliver(notification_id=notification_id)
    return notification.status if notification is not None else "skipped"


@task()
def retry_due_notifications() -> int:
    """Deliver queued messages whose next attempt is due (scheduled, e.g. each 5 min)."""
    from .services import notifications_retry_due

    return notifications_retry_due()
