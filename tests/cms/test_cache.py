"""Anonymous campaign pages: a fixed small number of queries, cached, invalidated on publish."""

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from .conftest import add_campaign, publish

pytestmark = pytest.mark.django_db

URL = "/ar/campaigns/womens-health/"


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def test_anonymous_campaign_page_is_cached(client, tree):
    _n, first = _queries(client, URL)
    assert first["X-Page-Cache"] == "miss"
    n, second = _queries(client, URL)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    # Routing only (site, page tree): the page body is not rebuilt.
    assert n <= 1, f"a cached page took {n} queries"
    assert "public" in second["Cache-Control"]


def test_uncached_campaign_page_query_count_does_not_grow_with_content(
    client, tree, world
):
    n_small, _ = _queries(client, URL)
    # A page with several places to go (hospitals): the blocks load in bulk.
    big = add_campaign(
        tree.campaigns,
        slug="big",
        title="حملة كبيرة",
        image=tree.image,
        body=[("rich_text", "<p>نص</p>")] * 5
        + [
            (
                "where_to_go",
                {
                    "heading": "",
                    "places": [
                        {
                            "hospital": h,
                            "ward": w,
                            "hours": "9–14",
                            "hotline": "",
                            "notes": "",
                        }
                        for h, w in (
                            (world.a.hospital, world.a.ward),
                            (world.b.hospital, world.b.ward),
                        )
                    ]
                    * 3,
                },
            )
        ],
    )
    n_big, response = _queries(client, big.url)
    assert response["X-Page-Cache"] == "miss"
    assert n_small <= 30, f"campaign page took {n_small} queries"
    assert n_big <= n_small + 2, f"{n_big} queries for the big page vs {n_small}"


def test_publishing_invalidates_the_cache(client, tree):
    client.get(URL)
    tree.campaign.title = "عنوان جديد للحملة"
    tree.campaign.save()  # a draft edit: visitors still see the published page
    assert "عنوان جديد للحملة" not in client.get(URL).content.decode()
    publish(tree.campaign)
    response = client.get(URL)
    assert response["X-Page-Cache"] == "miss"
    assert "عنوان جديد للحملة" in response.content.decode()


def test_changing_an_institute_invalidates_institute_pages(client, tree, world):
    client.get("/ar/institutes/inst-a/")
    world.a.institute.director_name = "أ. سامية فوزي"
    world.a.institute.save()
    assert "أ. سامية فوزي" in client.get("/ar/institutes/inst-a/").content.decode()


def test_signed_in_users_are_never_served_from_the_cache(client, tree, world):
    client.get(URL)  # fills the cache for anonymous visitors
    client.force_login(world.authority)
    response = client.get(URL)
    assert "X-Page-Cache" not in response
    assert "no-store" in response["Cache-Control"]
    client.logout()
    assert client.get(URL)["X-Page-Cache"] == "hit"


SECURITY_HEADERS = (
    "Content-Security-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "Content-Language",
    "Content-Type",
    "Cache-Control",
    "Vary",
)


def test_a_cached_page_keeps_every_header_of_the_rendered_one(client, tree):
    rendered = client.get(URL)
    assert rendered["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as ctx:
        cached = client.get(URL)
    assert cached["X-Page-Cache"] == "hit"
    assert len(ctx.captured_queries) == 0
    for name in SECURITY_HEADERS:
        assert name in rendered, f"the rendered page has no {name}"
        assert cached.get(name) == rendered[name], name
    assert "frame-ancestors 'none'" in cached["Content-Security-Policy"]


def test_a_visitor_with_a_session_still_gets_the_cached_copy_and_its_headers(
    client, tree
):
    rendered = client.get(URL)
    client.cookies["sessionid"] = "not-a-session"
    cached = client.get(URL)
    assert cached["X-Page-Cache"] == "hit"
    for name in SECURITY_HEADERS:
        assert cached.get(name) == rendered[name], name
