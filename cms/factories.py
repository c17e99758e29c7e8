"""Factories for contact requests, and the contact centre's scoping sample."""

import factory

from django.utils import timezone

from institutes.factories import scope_sample

from .models import ContactKind, ContactRequest, ContactStatus


class ContactRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactRequest

    reference = factory.Sequence(lambda n: f"CC-T{n:03d}-TEST")
    kind = ContactKind.INQUIRY
    subject = factory.Sequence(lambda n: f"استفسار رقم {n}")
    message = "متى يبدأ التقديم في المعهد الفني للتمريض؟"
    phone = "01001234567"
    consent_at = factory.LazyFunction(timezone.now)
    status = ContactStatus.NEW


@scope_sample(ContactRequest, marker="subject")
def _contact_request_sample(side):
    return ContactRequestFactory(
        institute=side.institute, subject=f"شكوى بخصوص {side.institute.code}"
    )
