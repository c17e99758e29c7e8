"""The induction plan: job category → topics with months to complete, read by
compliance as a new hire's due dates."""

from __future__ import annotations

import datetime

import pytest

from django.core.exceptions import ValidationError
from django.urls import reverse

from training.models import InductionTopic, StaffTopicStatus
from training.staff.compliance import grace_until_for, status_sync
from training.staff.factories import StaffMemberFactory, TopicFactory


@pytest.mark.django_db
def test_an_induction_topic_is_due_months_after_hiring_others_after_grace_days(world):
    planned = TopicFactory(code="bls", grace_days=30)
    other = TopicFactory(code="fire", grace_days=30)
    InductionTopic.objects.create(
        job_category="nurse", topic=planned, months_to_complete=2
    )
    staff = StaffMemberFactory(
        hospital=world.a.hospital, hire_date=datetime.date(2027, 1, 31)
    )
    status_sync([staff.pk])
    rows = {r.topic_id: r for r in StaffTopicStatus.objects.filter(staff=staff)}
    # 31 January + 2 months = 31 March (end of February clamps only in between).
    assert rows[planned.pk].grace_until == datetime.date(2027, 3, 30)
    assert rows[other.pk].grace_until == datetime.date(2027, 3, 2)


def test_due_date_boundaries():
    topic = TopicFactory.build(grace_days=90)
    hired = datetime.date(2027, 3, 1)
    assert grace_until_for(topic, hired=hired, induction_months=3) == datetime.date(
        2027, 5, 31
    )
    assert grace_until_for(topic, hired=hired, induction_months=None) == (
        hired + datetime.timedelta(days=90)
    )


@pytest.mark.django_db
def test_a_topic_not_required_of_the_category_is_refused(world):
    topic = TopicFactory(code="rad", job_categories=["technician"])
    entry = InductionTopic(job_category="nurse", topic=topic, months_to_complete=3)
    with pytest.raises(ValidationError) as error:
        entry.full_clean()
    assert "topic" in error.value.message_dict


@pytest.mark.django_db
def test_authority_edits_the_plan_and_due_dates_follow(world, client):
    topic = TopicFactory(code="ps", grace_days=30)
    staff = StaffMemberFactory(
        hospital=world.a.hospital, hire_date=datetime.date(2027, 3, 1)
    )
    status_sync([staff.pk])
    client.force_login(world.authority)
    response = client.post(
        reverse("training_induction:add"),
        {"job_category": "nurse", "topic": topic.pk, "months_to_complete": 6},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    row = StaffTopicStatus.objects.get(staff=staff, topic=topic)
    assert row.grace_until == datetime.date(2027, 8, 31)


@pytest.mark.django_db
def test_trainer_may_not_open_or_change_the_plan(world, client):
    topic = TopicFactory(code="hh")
    client.force_login(world.a.trainer)
    assert client.get(reverse("training_induction:index")).status_code in (302, 403)
    client.post(
        reverse("training_induction:add"),
        {"job_category": "nurse", "topic": topic.pk, "months_to_complete": 6},
    )
    assert not InductionTopic.objects.exists()
    # Twin: authority staff open the same door.
    client.force_login(world.authority)
    assert client.get(reverse("training_induction:index")).status_code == 200
