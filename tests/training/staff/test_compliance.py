"""Compliance rules at their boundaries, and the status table that keeps them."""

import datetime
from decimal import Decimal

import pytest

from django.utils import timezone

from institutes.factories import HospitalFactory, WardFactory
from institutes.models import Specialty
from training.factories import StaffMemberFactory, TopicFactory, TrainingSessionFactory
from training.models import (
    AssessmentKind,
    JobCategory,
    RenewalRule,
    StaffTopicStatus,
    TopicRuleChange,
)
from training.staff.compliance import (
    State,
    add_months,
    state_of,
    status_sync,
    validity_from_passes,
)
from training.staff.selectors import compliance_counts
from training.staff.services import (
    RosterEntry,
    roster_save,
    staff_member_save,
    topic_rules_changed,
)

D = datetime.date


def test_add_months_clamps_to_month_end():
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert add_months(D(2024, 2, 29), 12) == D(2025, 2, 28)
    assert add_months(D(2026, 11, 15), 3) == D(2027, 2, 15)


def _topic(**kw):
    defaults = dict(validity_months=12)
    defaults.update(kw)
    return TopicFactory.build(**defaults)


def test_validity_ends_the_day_before_the_anniversary():
    topic = _topic()
    assert validity_from_passes(topic, [D(2026, 3, 15)]) == (
        D(2026, 3, 15),
        D(2027, 3, 14),
    )


def test_expiry_day_is_still_valid_and_the_next_day_is_expired():
    until = D(2027, 3, 14)
    on_day = state_of(
        completed_on=D(2026, 3, 15), valid_until=until, grace_until=None, today=until
    )
    after = state_of(
        completed_on=D(2026, 3, 15),
        valid_until=until,
        grace_until=None,
        today=until + datetime.timedelta(days=1),
    )
    assert on_day.state == State.DUE
    assert after.state == State.EXPIRED
    assert after.expired_since == D(2027, 3, 15)


def test_due_window_is_thirty_days():
    until = D(2027, 3, 14)
    assert (
        state_of(
            completed_on=D(2026, 3, 15),
            valid_until=until,
            grace_until=None,
            today=until - datetime.timedelta(days=30),
        ).state
        == State.DUE
    )
    assert (
        state_of(
            completed_on=D(2026, 3, 15),
            valid_until=until,
            grace_until=None,
            today=until - datetime.timedelta(days=31),
        ).state
        == State.COMPLIANT
    )


def test_validity_zero_never_expires():
    topic = _topic(validity_months=0)
    completed, until = validity_from_passes(topic, [D(2001, 1, 1)])
    assert until is None
    state = state_of(
        completed_on=completed, valid_until=until, grace_until=None, today=D(2060, 1, 1)
    )
    assert state.state == State.COMPLIANT


def test_renewal_inside_window_extends_from_previous_expiry():
    topic = _topic(
        renewal_rule=RenewalRule.FROM_PREVIOUS_EXPIRY, renewal_window_days=60
    )
    # First pass valid until 2027-03-14; renewed 30 days early.
    _, until = validity_from_passes(topic, [D(2026, 3, 15), D(2027, 2, 12)])
    assert until == D(2028, 3, 14)


def test_renewal_on_the_first_day_of_the_window_still_extends():
    topic = _topic(
        renewal_rule=RenewalRule.FROM_PREVIOUS_EXPIRY, renewal_window_days=60
    )
    first_day = D(2027, 3, 14) - datetime.timedelta(days=60)
    _, until = validity_from_passes(topic, [D(2026, 3, 15), first_day])
    assert until == D(2028, 3, 14)


def test_renewal_before_the_window_counts_from_completion():
    topic = _topic(
        renewal_rule=RenewalRule.FROM_PREVIOUS_EXPIRY, renewal_window_days=60
    )
    early = D(2027, 3, 14) - datetime.timedelta(days=61)
    _, until = validity_from_passes(topic, [D(2026, 3, 15), early])
    assert until == add_months(early, 12) - datetime.timedelta(days=1)


def test_renewal_after_expiry_counts_from_completion():
    topic = _topic(
        renewal_rule=RenewalRule.FROM_PREVIOUS_EXPIRY, renewal_window_days=60
    )
    _, until = validity_from_passes(topic, [D(2026, 3, 15), D(2027, 4, 1)])
    assert until == D(2028, 3, 31)


def test_from_completion_rule_ignores_the_window():
    topic = _topic(renewal_rule=RenewalRule.FROM_COMPLETION, renewal_window_days=60)
    _, until = validity_from_passes(topic, [D(2026, 3, 15), D(2027, 2, 12)])
    assert until == D(2028, 2, 11)


def test_grace_period_boundary():
    hire_grace = D(2026, 4, 1)
    assert (
        state_of(
            completed_on=None,
            valid_until=None,
            grace_until=hire_grace,
            today=hire_grace,
        ).state
        == State.GRACE
    )
    assert (
        state_of(
            completed_on=None,
            valid_until=None,
            grace_until=hire_grace,
            today=hire_grace + datetime.timedelta(days=1),
        ).state
        == State.NEVER
    )


# --- The status table, kept by the services --------------------------------------


def _held_session(topic, hospital, days_ago=10):
    start = timezone.now().replace(microsecond=0) - datetime.timedelta(days=days_ago)
    return TrainingSessionFactory(
        topic=topic,
        hospital=hospital,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )


@pytest.mark.django_db
def test_failed_attempt_after_a_pass_keeps_the_pass():
    hospital = HospitalFactory()
    topic = TopicFactory(assessment=AssessmentKind.EXAM, pass_mark=70)
    staff = StaffMemberFactory(hospital=hospital)
    status_sync([staff.pk])
    first = _held_session(topic, hospital, days_ago=100)
    roster_save(session=first, entries=[RosterEntry(staff.pk, "present", Decimal(80))])
    row = StaffTopicStatus.objects.get(staff=staff, topic=topic)
    until = row.valid_until
    assert until is not None
    second = _held_session(topic, hospital, days_ago=5)
    roster_save(session=second, entries=[RosterEntry(staff.pk, "present", Decimal(40))])
    row.refresh_from_db()
    assert row.valid_until == until
    assert (
        row.completed_on == first.starts_at.date()
        or row.completed_on == timezone.localdate(first.starts_at)
    )


@pytest.mark.django_db
def test_score_below_pass_mark_is_not_a_pass():
    hospital = HospitalFactory()
    topic = TopicFactory(assessment=AssessmentKind.EXAM, pass_mark=70)
    staff = StaffMemberFactory(hospital=hospital, hire_date=D(2010, 1, 1))
    status_sync([staff.pk])
    session = _held_session(topic, hospital)
    roster_save(
        session=session, entries=[RosterEntry(staff.pk, "present", Decimal("69.5"))]
    )
    row = StaffTopicStatus.objects.get(staff=staff, topic=topic)
    assert row.completed_on is None
    roster_save(
        session=session, entries=[RosterEntry(staff.pk, "present", Decimal(70))]
    )
    row.refresh_from_db()
    assert row.completed_on is not None


@pytest.mark.django_db
def test_job_category_change_changes_what_is_required():
    hospital = HospitalFactory()
    bls = TopicFactory(code="bls", job_categories=[JobCategory.NURSE])
    staff = StaffMemberFactory(
        hospital=hospital, job_category=JobCategory.ADMINISTRATIVE
    )
    status_sync([staff.pk])
    assert not StaffTopicStatus.objects.filter(staff=staff, topic=bls).exists()
    staff_member_save(
        staff=staff,
        national_id=staff.person.national_id,
        name_ar=staff.person.name_ar,
        job_category=JobCategory.NURSE,
    )
    assert StaffTopicStatus.objects.filter(staff=staff, topic=bls).exists()
    staff_member_save(
        staff=staff,
        national_id=staff.person.national_id,
        name_ar=staff.person.name_ar,
        job_category=JobCategory.SUPPORT,
    )
    assert not StaffTopicStatus.objects.filter(staff=staff, topic=bls).exists()


@pytest.mark.django_db
def test_specialty_limits_a_topic_to_some_wards():
    hospital = HospitalFactory()
    icu = WardFactory(hospital=hospital, specialty=Specialty.ICU)
    medical = WardFactory(hospital=hospital, specialty=Specialty.MEDICAL)
    acls = TopicFactory(
        code="acls", job_categories=[JobCategory.NURSE], specialties=[Specialty.ICU]
    )
    in_icu = StaffMemberFactory(hospital=hospital, ward=icu)
    elsewhere = StaffMemberFactory(hospital=hospital, ward=medical)
    status_sync([in_icu.pk, elsewhere.pk])
    required = set(
        StaffTopicStatus.objects.filter(topic=acls).values_list("staff_id", flat=True)
    )
    assert required == {in_icu.pk}


@pytest.mark.django_db
def test_new_staff_are_in_grace_then_never_taken():
    hospital = HospitalFactory()
    topic = TopicFactory(grace_days=90)
    today = timezone.localdate()
    new = StaffMemberFactory(
        hospital=hospital, hire_date=today - datetime.timedelta(days=90)
    )
    old = StaffMemberFactory(
        hospital=hospital, hire_date=today - datetime.timedelta(days=91)
    )
    status_sync([new.pk, old.pk])
    figures = compliance_counts(StaffTopicStatus.objects.filter(topic=topic))[0]
    assert (figures.grace, figures.never) == (1, 1)
    assert figures.percent == 0.0


@pytest.mark.django_db
def test_sql_states_agree_with_python_states():
    hospital = HospitalFactory()
    topic = TopicFactory()
    today = timezone.localdate()
    staff = [
        StaffMemberFactory(hospital=hospital, hire_date=D(2010, 1, 1)) for _ in range(5)
    ]
    status_sync([s.pk for s in staff])
    cases = [
        (today - datetime.timedelta(days=300), today + datetime.timedelta(days=65)),
        (today - datetime.timedelta(days=340), today + datetime.timedelta(days=30)),
        (today - datetime.timedelta(days=370), today - datetime.timedelta(days=1)),
        (None, None),
    ]
    for member, (done, until) in zip(staff, cases, strict=False):
        StaffTopicStatus.objects.filter(staff=member).update(
            completed_on=done, valid_until=until
        )
    StaffTopicStatus.objects.filter(staff=staff[4]).update(grace_until=today)
    figures = compliance_counts(StaffTopicStatus.objects.filter(topic=topic))[0]
    python = {}
    for row in StaffTopicStatus.objects.filter(topic=topic):
        state = state_of(
            completed_on=row.completed_on,
            valid_until=row.valid_until,
            grace_until=row.grace_until,
        ).state
        python[state] = python.get(state, 0) + 1
    assert python == {"compliant": 1, "due": 1, "expired": 1, "never": 1, "grace": 1}
    assert {s: getattr(figures, s) for s in State.ORDER} == python


@pytest.mark.django_db
def test_topic_rule_change_recomputes_and_is_recorded(django_user_model):
    hospital = HospitalFactory()
    topic = TopicFactory(validity_months=12)
    staff = StaffMemberFactory(hospital=hospital, hire_date=D(2010, 1, 1))
    status_sync([staff.pk])
    session = _held_session(topic, hospital, days_ago=400)
    roster_save(session=session, entries=[RosterEntry(staff.pk, "present")])
    row = StaffTopicStatus.objects.get(staff=staff, topic=topic)
    assert row.valid_until < timezone.localdate()
    before = topic.rules_snapshot()
    topic.validity_months = 24
    topic.save()
    user = django_user_model.objects.create(username="hq", is_superuser=True)
    change = topic_rules_changed(topic=topic, before=before, changed_by=user)
    row.refresh_from_db()
    assert row.valid_until > timezone.localdate()
    assert change.before["validity_months"] == 12
    assert change.after["validity_months"] == 24
    assert change.status == "done" and change.rows_done == 1
    assert TopicRuleChange.objects.count() == 1
    # Saving again without a rule change records nothing.
    assert topic_rules_changed(topic=topic, before=topic.rules_snapshot()) is None


@pytest.mark.django_db
def test_large_topic_change_runs_in_the_background(
    monkeypatch, django_capture_on_commit_callbacks
):
    from training.staff import services as staff_services

    monkeypatch.setattr(staff_services, "INLINE_RECOMPUTE_LIMIT", 1)
    hospital = HospitalFactory()
    topic = TopicFactory(job_categories=[JobCategory.NURSE])
    staff = [
        StaffMemberFactory(hospital=hospital, job_category=JobCategory.PHARMACIST)
        for _ in range(3)
    ]
    before = topic.rules_snapshot()
    topic.job_categories = [JobCategory.NURSE, JobCategory.PHARMACIST]
    topic.save()
    with django_capture_on_commit_callbacks(execute=True):
        change = topic_rules_changed(topic=topic, before=before)
    change.refresh_from_db()
    assert change.status == "done"
    assert change.rows_done == 3
    assert StaffTopicStatus.objects.filter(topic=topic, staff__in=staff).count() == 3


@pytest.mark.django_db
def test_deactivated_staff_leave_the_figures():
    hospital = HospitalFactory()
    topic = TopicFactory()
    staff = StaffMemberFactory(hospital=hospital)
    status_sync([staff.pk])
    assert StaffTopicStatus.objects.filter(topic=topic).count() == 1
    staff_member_save(
        staff=staff,
        national_id=staff.person.national_id,
        name_ar=staff.person.name_ar,
        is_active=False,
    )
    assert StaffTopicStatus.objects.filter(topic=topic).count() == 0
