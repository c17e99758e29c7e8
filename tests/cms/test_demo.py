"""The demo's public-site step leaves work for the editors: campaigns to translate."""

import io
import random

import pytest

from django.contrib.auth.models import Group
from django.urls import reverse

from wagtail.models import Locale

from cms import demo as cms_demo
from cms.models import CampaignIndexPage, CampaignPage
from institutes.factories import UserFactory
from institutes.management.commands.load_demo_data import DemoContext
from institutes.services import EDITORIAL_GROUPS

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_site():
    cms_demo.load(DemoContext(stdout=io.StringIO(), rng=random.Random(2026)))


def _arabic_campaigns_by_translation():
    en = Locale.objects.get(language_code="en")
    translated, untranslated = [], []
    for page in CampaignPage.objects.filter(locale__language_code="ar"):
        has_english = page.get_translation_or_none(en) is not None
        (translated if has_english else untranslated).append(page)
    return translated, untranslated


def test_the_demo_leaves_campaigns_for_the_editor_to_translate(client, demo_site):
    # One test: loading the demo's pages costs seconds.
    translated, untranslated = _arabic_campaigns_by_translation()
    assert len(untranslated) >= 2
    assert all(page.live for page in untranslated)
    assert translated  # the others are bilingual, as before

    editor = UserFactory()
    editor.groups.add(Group.objects.get(name=EDITORIAL_GROUPS["editor"]))
    client.force_login(editor)
    index = CampaignIndexPage.objects.get(locale__language_code="ar")
    html = client.get(reverse("wagtailadmin_explore", args=[index.pk])).content.decode()
    for page in untranslated:
        url = reverse("simple_translation:submit_page_translation", args=[page.pk])
        assert url in html
        form = client.get(url).content.decode()
        assert 'name="locales"' in form
        assert "data-translation-complete" not in form
    for page in translated:
        url = reverse("simple_translation:submit_page_translation", args=[page.pk])
        assert url not in html
