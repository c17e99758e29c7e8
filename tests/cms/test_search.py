"""Public search: Arabic without diacritics or letter variants, per language."""

import pytest

from wagtail.models import Locale

from cms.selectors import site_search

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query", ["مبادرة صحة المرأة", "مُبَادَرَةُ صِحَّةِ", "مبادره صحه", "صحة  المرأة"]
)
def test_arabic_search_ignores_diacritics_and_variants(tree, query):
    results = site_search(query=query, locale=Locale.objects.get(language_code="ar"))
    assert tree.campaign.pk in {p.pk for p in results["pages"]}


def test_search_stays_in_the_language_of_the_page(tree):
    results = site_search(
        query="women's health", locale=Locale.objects.get(language_code="en")
    )
    pages = {p.pk for p in results["pages"]}
    assert tree.campaign_en.pk in pages and tree.campaign.pk not in pages


def test_search_finds_institutes(tree, world):
    results = site_search(query="معهد a", locale=Locale.objects.get(language_code="ar"))
    assert world.a.institute in results["institutes"]


def test_search_page_renders_results(client, tree):
    html = client.get("/ar/search/", {"q": "الْمَرْأَة"}).content.decode()
    assert "مبادرة صحة المرأة" in html


def test_search_page_counts_its_results(client, tree):
    html = client.get("/en/search/", {"q": "women"}).content.decode()
    assert "1 result" in html
