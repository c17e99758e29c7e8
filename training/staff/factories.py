"""Factories and scope samples for mandatory staff training."""

import datetime
import itertools

import factory

from django.utils import timezone

from institutes.factories import (
    HospitalFactory,
    egyptian_national_id_document,
    scope_sample,
)
from institutes.models import Person

from .models import (
    AssessmentKind,
    InductionTopic,
    JobCategory,
    ReminderLog,
    StaffMember,
    Topic,
    TopicRuleChange,
    TrainingSession,
)

_sequence = itertools.count(1)


def make_national_id(
    birth_date: datetime.date = datetime.date(1990, 1, 1),
    sex: str = "f",
    governorate: str = "29",
    serial: int | None = None,
) -> str:
    """A well-formed Egyptian national ID for this birth date and sex."""
    serial = next(_sequence) if serial is None else serial
    century = "2" if birth_date.year < 2000 else "3"
    body = f"{serial % 1000:03d}"
    sex_digit = (serial % 5) * 2 + (1 if sex == "m" else 0)
    return f"{century}{birth_date:%y%m%d}{governorate}{body}{sex_digit}{serial % 10}"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        django_get_or_create = ("national_id",)

    sex = "f"
    national_id = factory.LazyAttributeSequence(
        lambda p, n: make_national_id(
            datetime.date(1970 + n % 30, 1 + n % 12, 1 + n % 28), p.sex, serial=n
        )
    )
    name_ar = factory.Sequence(lambda n: f"موظفة رقم {n}")
    name_en = factory.Sequence(lambda n: f"Employee {n}")
    document = factory.PostGeneration(egyptian_national_id_document)

    @factory.lazy_attribute
    def birth_date(self):
        from institutes.national_id import parse_national_id

        return parse_national_id(self.national_id).birth_date


class StaffMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMember

    person = factory.SubFactory(PersonFactory)
    hospital = factory.SubFactory(HospitalFactory)
    employee_number = factory.Sequence(lambda n: f"E{n:05d}")
    job_category = JobCategory.NURSE
    hire_date = datetime.date(2015, 1, 1)
    email = factory.Sequence(lambda n: f"staff{n}@hospital.example")


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"topic-{n}")
    title_ar = factory.Sequence(lambda n: f"موضوع تدريبي {n}")
    title_en = factory.Sequence(lambda n: f"Training topic {n}")
    job_categories = factory.LazyFunction(lambda: list(JobCategory.values))
    validity_months = 12
    assessment = AssessmentKind.ATTENDANCE
    pass_mark = None
    grace_days = 90


class TrainingSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingSession

    topic = factory.SubFactory(TopicFactory)
    hospital = factory.SubFactory(HospitalFactory)
    venue = factory.Sequence(lambda n: f"قاعة {n}")
    starts_at = factory.LazyFunction(
        lambda: timezone.now().replace(microsecond=0) + datetime.timedelta(days=7)
    )
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + datetime.timedelta(hours=2))
    capacity = 20


def staff_sample(side, **kwargs):
    person = PersonFactory(name_ar=f"موظف {side.hospital.code}")
    return StaffMemberFactory(
        person=person,
        hospital=side.hospital,
        employee_number=f"EMP-{side.hospital.code}",
        **kwargs,
    )


@scope_sample(StaffMember, marker="name_ar")
def _staff_sample(side):
    return staff_sample(side)


@scope_sample(TrainingSession, marker="venue")
def _session_sample(side):
    return TrainingSessionFactory(
        hospital=side.hospital, venue=f"قاعة {side.hospital.code}"
    )


@scope_sample(Topic, marker="title_ar")
def _topic_sample(side):
    # Topics are national: the topic screens are authority-only, and a retired
    # topic (like this one) is offered to nobody when scheduling a session.
    return TopicFactory(
        code=f"t-{side.hospital.code}",
        title_ar=f"موضوع {side.hospital.code}",
        is_active=False,
    )


@scope_sample(TopicRuleChange, marker="topic")
def _rule_change_sample(side):
    # Authority-only records: no role of either side sees them.
    topic = TopicFactory(
        code=f"c-{side.hospital.code}", title_ar=f"قواعد {side.hospital.code}"
    )
    return TopicRuleChange.objects.create(topic=topic, before={}, after={})


@scope_sample(ReminderLog, marker="staff")
def _reminder_sample(side):
    staff = staff_sample(side)
    return ReminderLog.objects.create(
        staff=staff,
        topic=TopicFactory(code=f"r-{side.hospital.code}"),
        due_date=datetime.date(2030, 1, 1),
        recipients=f"{side.hospital.code}@reminded.example",
    )


__all__ = [
    "PersonFactory",
    "StaffMemberFactory",
    "TopicFactory",
    "TrainingSessionFactory",
    "make_national_id",
    "staff_sample",
]


@scope_sample(InductionTopic, marker="topic")
def _induction_sample(side):
    # National reference data, screens for authority staff only: no role of either
    # side opens them.
    topic = TopicFactory(
        code=f"i-{side.hospital.code}", title_ar=f"تهيئة {side.hospital.code}"
    )
    return InductionTopic.objects.create(
        job_category=JobCategory.NURSE, topic=topic, months_to_complete=3
    )
