"""Factories for the message log, and its scoping sample."""

import factory

from institutes.factories import scope_sample

from .models import Channel, DeliveryStatus, Notification


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    template = "contact/received"
    language = "ar"
    channel = Channel.SMS
    address = "01001234567"
    body = "تم استلام طلبك"
    status = DeliveryStatus.QUEUED


@scope_sample(Notification, marker="recipient_name")
def _notification_sample(side):
    return NotificationFactory(
        institute=side.institute, recipient_name=f"زائر {side.institute.code}"
    )
