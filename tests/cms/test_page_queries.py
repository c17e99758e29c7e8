"""Uncached public pages cost at most 10 queries, whatever the amount of content.

Each page type is rendered (a query string bypasses the page cache) on the small test
tree, then again after adding campaigns with blocks, images and places to go, and
more institutes: the count must not grow and must stay within the ceiling.
"""

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import _side

from .conftest import add_campaign, make_image

pytestmark = pytest.mark.django_db

PAGE_QUERY_CEILING = 10

PAGES = {
    "home": "/ar/?q=",
    "campaign index": "/ar/campaigns/?q=",
    "campaign page": "/ar/campaigns/womens-health/?q=",
    "search": "/ar/search/?q=%D8%B5%D8%AD%D8%A9",  # صحة
    "home (en)": "/en/?q=",
    "campaign page (en)": "/en/campaigns/womens-health/?q=",
}


def _counts(client) -> dict[str, tuple[int, list[str]]]:
    counts = {}
    for name, url in PAGES.items():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        assert "X-Page-Cache" not in response, f"{name} came from the page cache"
        counts[name] = (
            len(captured),
            [q["sql"][:300] for q in captured.captured_queries],
        )
    return counts


def _add_places(campaign, sides):
    campaign.body.append(
        (
            "where_to_go",
            {
                "heading": "",
                "places": [
                    {
                        "hospital": side.hospital,
                        "ward": side.ward,
                        "hours": "9–14",
                        "hotline": "",
                        "notes": "",
                    }
                    for side in sides
                ],
            },
        )
    )
    campaign.save_revision().publish()


def _more_content(tree):
    sides = [_side(tag) for tag in ("c", "d", "e", "f")]
    for n, side in enumerate(sides):
        page = add_campaign(
            tree.campaigns,
            slug=f"more-{n}",
            title=f"حملة صحة إضافية {n}",
            hospital=side.hospital,
            image=make_image(f"image {n}"),
        )
        page.body.append(("rich_text", "<p>فقرة أخرى</p>"))
        page.save_revision().publish()
    # The campaign everyone lands on grows too: more places to go.
    _add_places(tree.campaign, sides)


def test_uncached_pages_take_few_queries_whatever_the_content(client, tree, world):
    _add_places(tree.campaign, [world.a])  # a hospital and a ward to begin with
    # The first render after a publish also makes new images' renditions and fills
    # what is remembered until the next publish (menus, language links, children's
    # slugs): a few queries more, once; every later render is what is counted.
    _counts(client)
    few = _counts(client)
    _more_content(tree)
    _counts(client)
    many = _counts(client)
    for name in PAGES:
        n_few, _ = few[name]
        n_many, queries = many[name]
        detail = f"{name}: {n_few} then {n_many} queries:\n" + "\n".join(queries)
        assert n_many == n_few, detail
        assert n_many <= PAGE_QUERY_CEILING, detail


def test_a_restricted_campaign_stays_private_after_its_restriction_is_remembered(
    client, tree
):
    from wagtail.models import PageViewRestriction

    url = "/ar/campaigns/womens-health/?q="
    assert client.get(url).status_code == 200  # "no restriction" is now remembered
    PageViewRestriction.objects.create(
        page=tree.campaign, restriction_type="password", password="s3cret-pass"
    )
    response = client.get(url)
    assert tree.campaign.summary not in response.content.decode()
    assert "password" in response.content.decode().lower()
    index = client.get("/ar/campaigns/?q=").content.decode()
    assert tree.campaign.title not in index
    search = client.get("/ar/search/", {"q": "صحة المرأة"}).content.decode()
    assert tree.campaign.url not in search
    # The twin: the English translation has no restriction and is served.
    english = client.get("/en/campaigns/womens-health/?q=").content.decode()
    assert tree.campaign_en.summary in english
