"""The monthly figures roll-up: the dashboard read from it equals the figures counted
from the requests, for every scope, after intake, answers, re-routing, reopening,
ratings and merges over several months; the rebuild is idempotent; the dashboard's
query count does not depend on the number of requests."""

import datetime
import random

import pytest
from freezegun import freeze_time

from django.core.management import call_command
from django.utils import timezone

from contact import services
from contact.factories import OfficeFactory, OfficeMemberFactory, TopicFactory
from contact.figures import figures_rebuild
from contact.models import (
    ContactMonthFigure,
    ContactMonthHours,
    ContactRequest,
    ContactStatus,
    OfficeKind,
)
from contact.selectors import (
    contact_figures_by_month,
    contact_figures_public,
    dashboard_figures,
    dashboard_figures_live,
)
from institutes.factories import UserFactory

pytestmark = pytest.mark.django_db


def _tables() -> dict:
    """The roll-up without its empty cells (deltas may leave zeros behind)."""
    cells = {
        (f.month, f.office_id, f.topic_id, f.kind, f.confidential): (
            f.received,
            f.answered,
            f.rated,
            f.satisfied,
        )
        for f in ContactMonthFigure.objects.all()
        if f.received
    }
    hours = {}
    for row in ContactMonthHours.objects.all():
        for basis, histogram in (
            ("received", row.received_hours),
            ("answered", row.answered_hours),
        ):
            for h, n in histogram.items():
                if n:
                    hours[(row.month, row.office_id, row.confidential, basis, h)] = n
    return {"cells": cells, "hours": hours}


@pytest.fixture
def confidential(desk):
    office = OfficeFactory(
        kind=OfficeKind.DEPARTMENT,
        parent=desk.authority,
        handles_confidential=True,
        name_ar="شؤون العاملين",
    )
    member = UserFactory(username="staff-affairs")
    OfficeMemberFactory(office=office, user=member)
    return member


def _living_history(world, desk, seed: int, count: int = 35) -> None:
    """Requests received over fourteen months, then handled through the services
    at later moments: answered, re-routed, reopened, rated, closed, merged."""
    rng = random.Random(seed)
    second_topic = TopicFactory(code="billing", name_ar="الفواتير", target_days=3)
    topics = [None, desk.topic, second_topic]
    employee = UserFactory(username="employee", email="employee@health.example")
    start = timezone.now() - datetime.timedelta(days=420)
    moments = sorted(
        start + datetime.timedelta(hours=rng.randint(0, 400 * 24))
        for _i in range(count)
    )
    made = []
    for moment in moments:
        with freeze_time(moment):
            if rng.random() < 0.1:
                made.append(
                    services.contact_request_submit(
                        kind="complaint",
                        subject="مسألة سرية",
                        message="نص",
                        channel="staff",
                        raised_by=employee,
                        confidential=True,
                        name="موظف",
                    )
                )
                continue
            place = rng.choice(
                [{}, {"institute": world.a.institute}, {"institute": world.b.institute}]
            )
            made.append(
                services.contact_request_submit(
                    kind=rng.choice(["complaint", "report", "inquiry", "suggestion"]),
                    topic=rng.choice(topics),
                    subject="طلب",
                    message="نص الطلب",
                    phone="01001234567",
                    **place,
                )
            )
    offices = [desk.authority, desk.office_a, desk.office_b]
    for request in made:
        when = request.created_at
        for _step in range(rng.randint(0, 4)):
            when = when + datetime.timedelta(hours=rng.randint(1, 24 * 40))
            if when > timezone.now():
                break
            request.refresh_from_db()
            action = rng.choice(["answer", "route", "status", "reopen", "rate"])
            with freeze_time(when):
                try:
                    if action == "answer":
                        services.contact_request_answer(
                            contact_request=request, answer="تم الرد", actor=None
                        )
                    elif action == "route" and not request.confidential:
                        services.contact_request_route(
                            contact_request=request,
                            office=rng.choice(offices),
                            reason="اختصاص",
                            actor=None,
                        )
                    elif action == "status":
                        services.contact_request_set_status(
                            contact_request=request,
                            status=rng.choice(
                                [ContactStatus.IN_PROGRESS, ContactStatus.CLOSED]
                            ),
                            note="ملاحظة",
                            actor=None,
                        )
                    elif action == "reopen":
                        services.contact_request_reopen(
                            contact_request=request, reason="لم تحل"
                        )
                    elif action == "rate":
                        services.contact_request_rate(
                            contact_request=request,
                            resolution=rng.choice(["yes", "partly", "no"]),
                        )
                except Exception as exc:  # noqa: BLE001 - refused moves are part of it
                    from django.core.exceptions import ValidationError

                    assert isinstance(exc, ValidationError), exc
    open_ones = [r for r in made if not r.confidential]
    rng.shuffle(open_ones)
    if len(open_ones) >= 2:
        duplicate, original = open_ones[0], open_ones[1]
        duplicate.refresh_from_db()
        if duplicate.status != ContactStatus.CLOSED and not original.merged_into_id:
            services.contact_request_merge(
                duplicate=duplicate, original=original, actor=None
            )


@pytest.mark.parametrize("seed", [1, 2])
def test_the_roll_up_dashboard_equals_the_live_count(world, desk, confidential, seed):
    _living_history(world, desk, seed)
    assert ContactRequest.objects.filter(answered_at__isnull=False).exists()
    now = timezone.now()
    users = [
        world.authority,
        world.a.admin,
        world.b.admin,
        world.a.trainer,
        desk.head_a,
        desk.agent,
        confidential,
        world.nobody,
    ]
    for user in users:
        for months in (12, 3):
            live = dashboard_figures_live(user=user, months=months, now=now)
            assert dashboard_figures(user=user, months=months, now=now) == live, user
    assert contact_figures_public(now=now) == contact_figures_by_month(now=now)
    # The services kept exactly what a rebuild computes.
    kept = _tables()
    figures_rebuild()
    assert _tables() == kept


def test_the_dashboard_is_scoped_like_the_requests(world, desk, confidential):
    _living_history(world, desk, seed=7, count=25)
    figures = dashboard_figures(user=world.authority)
    everyone = figures["totals"]["received"]
    mine = dashboard_figures(user=world.a.admin)["totals"]["received"]
    theirs = dashboard_figures(user=world.b.admin)["totals"]["received"]
    secret = dashboard_figures(user=confidential)["totals"]["received"]
    assert 0 < mine < everyone and 0 < theirs < everyone
    assert dashboard_figures(user=world.nobody)["totals"]["received"] == 0
    since = timezone.make_aware(
        datetime.datetime.combine(figures["since"], datetime.time()),
        timezone.get_default_timezone(),
    )
    in_window = ContactRequest.objects.filter(created_at__gte=since)
    # Authority staff who are not designated never count confidential matters;
    # the designated office counts only them.
    assert everyone == in_window.filter(confidential=False).count()
    assert secret == in_window.filter(confidential=True).count() > 0


def test_rebuilding_twice_changes_nothing(world, desk, confidential):
    _living_history(world, desk, seed=4, count=20)
    call_command("rebuild_contact_figures", verbosity=0)
    first = _tables()
    ids = set(ContactMonthFigure.objects.values_list("pk", flat=True))
    call_command("rebuild_contact_figures", verbosity=0)
    assert _tables() == first
    assert len(ids) == ContactMonthFigure.objects.count()


def test_a_rebuild_repairs_figures_written_behind_the_services(world, desk):
    request = services.contact_request_submit(
        kind="inquiry", subject="طلب", message="نص", phone="01001234567"
    )
    ContactRequest.objects.filter(pk=request.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=40)
    )
    now = timezone.now()
    live = dashboard_figures_live(user=world.authority, now=now)
    assert dashboard_figures(user=world.authority, now=now) != live
    figures_rebuild()
    assert dashboard_figures(user=world.authority, now=now) == live


def test_the_rebuild_task_runs(world, desk):
    from contact.tasks import rebuild_figures

    services.contact_request_submit(
        kind="inquiry", subject="طلب", message="نص", phone="01001234567"
    )
    ContactMonthFigure.objects.all().delete()
    rebuild_figures.call()
    assert ContactMonthFigure.objects.get().received == 1


DASHBOARD_QUERIES = 12


def test_the_dashboard_takes_a_fixed_number_of_queries(
    world, desk, django_assert_num_queries
):
    def submit(n):
        for i in range(n):
            services.contact_request_submit(
                kind=["complaint", "inquiry"][i % 2],
                topic=desk.topic if i % 3 else None,
                subject="طلب",
                message="نص",
                phone="01001234567",
                institute=world.a.institute if i % 2 else None,
            )

    submit(2)
    dashboard_figures(user=world.a.admin)  # the user's scope, read once per user
    dashboard_figures(user=world.authority)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        small = dashboard_figures(user=world.authority)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        dashboard_figures(user=world.a.admin)
    submit(30)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        large = dashboard_figures(user=world.authority)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        dashboard_figures(user=world.a.admin)
    assert large["totals"]["received"] == small["totals"]["received"] + 30
