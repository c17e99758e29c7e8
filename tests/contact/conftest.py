"""The contact desk around the scoping world: an authority office with an agent, the
offices of side A and B, a topic, and clean outboxes."""

from dataclasses import dataclass

import pytest

from django.core import mail

from contact.factories import OfficeMemberFactory, TopicFactory
from contact.services import authority_office, office_for_place
from institutes.factories import UserFactory
from notifications import sms


@pytest.fixture(autouse=True)
def _empty_outboxes():
    sms.outbox.clear()
    mail.outbox = []
    yield
    sms.outbox.clear()


@dataclass
class Desk:
    authority: object
    office_a: object
    office_b: object
    agent: object
    head_a: object
    topic: object


@pytest.fixture
def desk(world) -> Desk:
    authority = authority_office()
    authority.email = "centre@health.example"
    authority.save()
    office_a = office_for_place(institute=world.a.institute)
    office_b = office_for_place(institute=world.b.institute)
    agent = UserFactory(username="agent", email="agent@health.example")
    OfficeMemberFactory(office=authority, user=agent)
    head_a = UserFactory(username="head-a", email="head.a@health.example")
    OfficeMemberFactory(office=office_a, user=head_a, is_head=True)
    topic = TopicFactory(
        code="waiting", name_ar="أوقات الانتظار", name_en="Waiting times", target_days=5
    )
    return Desk(authority, office_a, office_b, agent, head_a, topic)
