"""Every page type renders in Arabic (RTL) and English (LTR), with the right links."""

import re

import pytest

pytestmark = pytest.mark.django_db


def _html(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


PAGES = [
    ("/ar/", "ar", "rtl"),
    ("/en/", "en", "ltr"),
    ("/ar/campaigns/", "ar", "rtl"),
    ("/en/campaigns/", "en", "ltr"),
    ("/ar/campaigns/womens-health/", "ar", "rtl"),
    ("/en/campaigns/womens-health/", "en", "ltr"),
    ("/ar/institutes/", "ar", "rtl"),
    ("/en/institutes/", "en", "ltr"),
    ("/ar/institutes/inst-a/", "ar", "rtl"),
    ("/en/institutes/inst-a/", "en", "ltr"),
    ("/ar/about/", "ar", "rtl"),
    ("/en/about/", "en", "ltr"),
    ("/ar/search/?q=صحة", "ar", "rtl"),
    ("/en/contact/", "en", "ltr"),
    ("/ar/contact/follow/", "ar", "rtl"),
]


def test_every_page_type_renders_with_language_and_direction(client, tree):
    for url, lang, direction in PAGES:
        html = _html(client, url)
        assert f'<html lang="{lang}" dir="{direction}">' in html, url
        assert '<main id="main"' in html, url
        assert html.count("<h1") == 1, f"one h1 per page: {url}"
        # The public site runs under script-src/style-src 'self': nothing inline.
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), url
        assert " style=" not in html and "<style" not in html, url


def test_campaign_page_shows_review_signoff_and_where_to_go(client, tree, world):
    html = _html(client, "/ar/campaigns/womens-health/")
    assert "د. هالة عبد الرحيم" in html
    assert world.a.hospital.name_ar in html
    assert 'alt="شريط التوعية"' in html


def test_language_switcher_links_to_the_translation_of_the_same_page(client, tree):
    html = _html(client, "/ar/campaigns/womens-health/")
    assert 'href="/en/campaigns/womens-health/" lang="en"' in html
    html = _html(client, "/en/institutes/inst-a/")
    assert 'href="/ar/institutes/inst-a/" lang="ar"' in html


def test_open_graph_meta_on_a_campaign(client, tree):
    html = _html(client, "/en/campaigns/womens-health/")
    assert '<meta property="og:title" content="Women&#x27;s health">' in html
    assert 'property="og:image" content="http://testserver/' in html
    assert '<meta property="og:locale" content="en_GB">' in html
    assert 'hreflang="ar" href="http://testserver/ar/campaigns/womens-health/"' in html


def test_institute_pages_come_from_institute_rows(client, tree, world):
    world.a.institute.phone = "0952370000"
    world.a.institute.save()
    html = _html(client, "/en/institutes/inst-a/")
    assert "Institute a" in html and "0952370000" in html
    _html(client, "/en/institutes/no-such-institute/", status=404)


def test_not_found_is_friendly_in_both_languages(client, tree):
    html = _html(client, "/ar/no-such-page/", status=404)
    assert "لم نعثر" in html or "We could not find" in html
    assert 'dir="rtl"' in html
    html = _html(client, "/en/no-such-page/", status=404)
    assert "We could not find that page" in html
    assert 'dir="ltr"' in html


def test_server_error_page_needs_no_database():
    from django.template.loader import get_template

    html = get_template("500.html").render({})
    assert "24441999" in html and 'lang="en"' in html


def test_sitemap_lists_both_languages_and_institutes(client, tree):
    xml = _html(client, "/sitemap.xml")
    assert "/ar/campaigns/womens-health/" in xml
    assert "/en/campaigns/womens-health/" in xml
    assert "/en/institutes/inst-a/" in xml


def test_sitemap_uses_the_configured_address_and_lists_alternates(
    client, tree, settings
):
    settings.SITE_BASE_URL = "https://nursing.example.eg"
    xml = _html(client, "/sitemap.xml")
    assert "localhost" not in xml
    assert "<loc>https://nursing.example.eg/ar/campaigns/womens-health/</loc>" in xml
    assert (
        'hreflang="en" href="https://nursing.example.eg/en/campaigns/womens-health/"'
        in xml
    )
    assert 'hreflang="x-default"' in xml


def test_robots_txt_points_to_the_sitemap(client, db):
    text = _html(client, "/robots.txt")
    assert "Disallow: /admin/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_feeds_list_campaigns_of_the_language(client, tree):
    rss = _html(client, "/ar/feeds/campaigns.rss")
    assert "مبادرة صحة المرأة" in rss and "Women's health" not in rss
    atom = _html(client, "/en/feeds/campaigns.atom")
    assert "<feed" in atom and "Women" in atom and "مبادرة" not in atom


def test_past_campaign_is_listed_as_past(client, tree):
    import datetime

    from django.utils import timezone

    from .conftest import add_campaign

    today = timezone.localdate()
    add_campaign(
        tree.campaigns,
        slug="old",
        title="حملة منتهية",
        start_date=today - datetime.timedelta(days=100),
        end_date=today - datetime.timedelta(days=5),
        image=tree.image,
    )
    html = _html(client, "/ar/campaigns/")
    assert html.index('id="group-running"') < html.index('id="group-past"')
    assert html.index("حملة منتهية") > html.index('id="group-past"')


def test_arabic_pages_use_the_site_catalogue(client, tree):
    """Template strings come from locale/ar (a catalogue overwritten by mistake shows)."""
    html = _html(client, "/ar/about/")
    assert "انتقل إلى المحتوى الرئيسي" in html  # skip link
    assert "مركز الاتصال: 24441999" in html  # footer
    assert "Skip to main content" not in html
