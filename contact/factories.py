"""Factories for the contact centre, and its scoping samples."""

import factory

from django.utils import timezone

from institutes.factories import scope_sample

from .models import (
    ContactKind,
    ContactRequest,
    ContactStatus,
    Office,
    OfficeKind,
    OfficeMember,
    PublicHoliday,
    Topic,
)
from .selectors import phone_digits


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office

    name_ar = factory.Sequence(lambda n: f"مكتب {n}")
    name_en = factory.Sequence(lambda n: f"Office {n}")
    kind = OfficeKind.DEPARTMENT


class OfficeMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfficeMember


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"topic-{n}")
    name_ar = factory.Sequence(lambda n: f"موضوع {n}")
    name_en = factory.Sequence(lambda n: f"Topic {n}")
    target_days = 5


class ContactRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactRequest

    reference = factory.Sequence(lambda n: f"CC-T{n:03d}-TEST")
    kind = ContactKind.INQUIRY
    subject = factory.Sequence(lambda n: f"استفسار رقم {n}")
    message = "متى يبدأ التقديم في المعهد الفني للتمريض؟"
    phone = "01001234567"
    phone_digits = factory.LazyAttribute(lambda o: phone_digits(o.phone))
    institute = None
    hospital = None
    consent_at = factory.LazyFunction(timezone.now)
    status = ContactStatus.NEW

    @factory.lazy_attribute
    def office(self):
        from .services import office_for_place

        if self.institute is None and self.hospital is None:
            return None
        return office_for_place(institute=self.institute, hospital=self.hospital)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Counted in the monthly figures as the services would; a test that changes
        # a request with `.update()` afterwards calls `figures_rebuild()`.
        from .figures import figures_track

        created = super()._create(model_class, *args, **kwargs)
        figures_track(None, created)
        return created


def office_of(side):
    from .services import office_for_place

    return office_for_place(institute=side.institute)


@scope_sample(ContactRequest, marker="subject")
def _contact_request_sample(side):
    return ContactRequestFactory(
        institute=side.institute,
        subject=f"شكوى بخصوص {side.institute.code}",
        status=ContactStatus.ASSIGNED,
    )


@scope_sample(Office, marker="name_ar")
def _office_sample(side):
    return OfficeFactory(
        kind=OfficeKind.DEPARTMENT,
        parent=office_of(side),
        institute=side.institute,
        name_ar=f"شؤون الطلاب {side.institute.code}",
    )


@scope_sample(Topic, marker="name_ar")
def _topic_sample(side):
    return TopicFactory(
        code=f"t-{side.institute.code}", name_ar=f"موضوع {side.institute.code}"
    )


class PublicHolidayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PublicHoliday
        django_get_or_create = ("date",)

    name_ar = "عطلة رسمية"
    name_en = "Public holiday"


@scope_sample(PublicHoliday, marker="name_ar")
def _public_holiday_sample(side):
    import datetime

    # One day per side (holidays are one a date).
    day = datetime.date(2031, 1, 1) + datetime.timedelta(days=side.institute.pk)
    return PublicHolidayFactory(date=day, name_ar=f"عطلة {side.institute.code}")


@scope_sample(OfficeMember, marker="user")
def _office_member_sample(side):
    from institutes.factories import UserFactory

    return OfficeMemberFactory(
        office=office_of(side),
        user=UserFactory(
            username=f"موظف-{side.institute.code}",
            last_name=f"موظف-{side.institute.code}",
        ),
    )
