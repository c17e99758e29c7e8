"""Small public-site details: phone links a phone can dial, list separators per
language."""

from institutes.formatting import tel_uri


def test_tel_links_hold_only_digits_and_a_leading_plus():
    assert tel_uri("010 1234 5678") == "tel:01012345678"
    assert tel_uri("+968 2460-1234") == "tel:+96824601234"
    assert tel_uri("٠١٠ ١٢٣٤ ٥٦٧٨") == "tel:01012345678"
    assert tel_uri("") == ""


def test_home_page_hotline_link_has_no_spaces(client, tree):
    import re

    from cms.models import HomePage

    from .conftest import publish

    home = HomePage.objects.get(locale__language_code="ar")
    home.hotline = "0800 123 4567"
    publish(home)
    html = client.get("/ar/").content.decode()
    links = re.findall(r'href="(tel:[^"]*)"', html)
    assert "tel:08001234567" in links
    assert all(" " not in link for link in links)
