"""Figures: the dashboard (scoped, fixed query count, export without personal data), the
office list's overdue flag, and the public monthly page."""

import datetime

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from contact.factories import ContactRequestFactory
from contact.figures import figures_rebuild
from contact.models import ContactRequest, ContactStatus
from contact.selectors import (
    _median_from_histogram,
    contact_figures_by_month,
    dashboard_figures,
)

pytestmark = pytest.mark.django_db


def _answered(side, hours, resolution="", **kw):
    request = ContactRequestFactory(
        institute=side.institute, status=ContactStatus.ANSWERED, answer="تم", **kw
    )
    ContactRequest.objects.filter(pk=request.pk).update(
        answered_at=request.created_at + datetime.timedelta(hours=hours),
        hours_to_answer=hours,
        resolution=resolution,
    )
    figures_rebuild()  # changed behind the services' back
    return request


def _overdue(side, **kw):
    return ContactRequestFactory(
        institute=side.institute,
        status=ContactStatus.ASSIGNED,
        due_at=timezone.now() - datetime.timedelta(days=1),
        **kw,
    )


def test_median_of_a_histogram():
    assert _median_from_histogram({}) is None
    assert _median_from_histogram({5: 1}) == 5
    assert _median_from_histogram({2: 1, 10: 1}) == 6
    assert _median_from_histogram({1: 2, 3: 1, 100: 1}) == 2


def test_dashboard_figures_count_what_the_user_may_see(world, desk):
    _answered(world.a, 24, "yes")
    _answered(world.a, 72, "no")
    _answered(world.a, 48)
    _overdue(world.a)
    _overdue(world.b)
    figures = dashboard_figures(user=world.a.admin)
    totals = figures["totals"]
    assert totals["received"] == 4 and totals["answered"] == 3
    assert totals["overdue"] == 1
    assert totals["median_days"] == 2.0
    assert totals["satisfaction"] == 50
    assert dashboard_figures(user=world.authority)["totals"]["received"] == 5
    this_month = figures["by_month"][-1]
    assert this_month["received"] == 4 and this_month["answered"] == 3
    assert [row["received"] for row in figures["by_office"]] == [4]


def test_the_dashboard_costs_the_same_queries_at_any_volume(client, world, desk):
    client.force_login(world.a.admin)
    url = reverse("contact_dashboard")
    _answered(world.a, 10)
    client.get(url)  # warm caches (content types, scope)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for i in range(20):
        _answered(world.a, i, "yes" if i % 2 else "no", topic=desk.topic)
        _overdue(world.a)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(many) == len(few)
    assert "41" in response.content.decode()


def test_the_dashboard_export_has_no_personal_data(client, world, desk):
    _answered(world.a, 5, phone="01001234567", name="منى")
    client.force_login(world.a.admin)
    body = client.get(reverse("contact_dashboard"), {"export": "csv"})
    text = body.content.decode("utf-8-sig")
    assert "01001234567" not in text and "منى" not in text
    assert desk.office_a.name_ar in text


def test_the_dashboard_is_refused_to_users_without_a_contact_role(client, world):
    client.force_login(world.a.supervisor)
    assert client.get(reverse("contact_dashboard")).status_code in (302, 403)
    client.force_login(world.a.admin)
    assert client.get(reverse("contact_dashboard")).status_code == 200


def test_the_office_list_flags_overdue_requests_with_fixed_queries(client, world, desk):
    _overdue(world.a, subject="متأخر")
    client.force_login(world.a.admin)
    url = reverse("contact_requests:index")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        html = client.get(url).content.decode()
    assert "متأخر" in html and "cc-overdue" not in html
    from django.utils.translation import gettext

    assert gettext("Overdue") in html
    for _i in range(15):
        _overdue(world.a)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
    only = client.get(url, {"overdue": "true"}).content.decode()
    assert "متأخر" in only


def test_recurring_problems_are_topics_rising_month_on_month(world, desk):
    now = timezone.now()
    today = timezone.localdate(now)

    def month_ago(n):
        year, month = today.year, today.month - n
        while month <= 0:
            month += 12
            year -= 1
        return timezone.make_aware(datetime.datetime(year, month, 2, 10))

    for n, count in ((2, 1), (1, 2), (0, 3)):
        for _i in range(count):
            r = ContactRequestFactory(institute=world.a.institute, topic=desk.topic)
            ContactRequest.objects.filter(pk=r.pk).update(created_at=month_ago(n))
    figures_rebuild()
    rising = dashboard_figures(user=world.authority, now=now)["rising"]
    assert {"dimension": "topic", "label": "أوقات الانتظار", "counts": [1, 2, 3]} in (
        rising
    )


def test_public_figures_page_in_both_languages(client, world, desk):
    _answered(world.a, 48)
    ContactRequestFactory(institute=world.a.institute)
    months = contact_figures_by_month(months=12)
    assert months[-1]["received"] == 2 and months[-1]["answered"] == 1
    for lang in ("ar", "en"):
        response = client.get(f"/{lang}/contact/figures/")
        assert response.status_code == 200
    # The median (2.0 days) is counted: «يومان», "2 days", no ".0".
    assert "2 days" in client.get("/en/contact/figures/").content.decode()
    arabic = client.get("/ar/contact/figures/").content.decode()
    assert "يومان" in arabic
    assert "2.0" not in arabic
