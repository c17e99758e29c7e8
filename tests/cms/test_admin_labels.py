"""Editors see no Wagtail placeholders: the tree's root is named, empty counts are bare."""

import importlib
import re

import pytest

from django.apps import apps
from django.contrib.auth.models import Group
from django.urls import reverse

from wagtail.models import Page
from wagtail.users.models import UserProfile

from institutes.factories import UserFactory
from institutes.services import EDITORIAL_GROUPS

pytestmark = pytest.mark.django_db

SITE_LABEL = "الموقع / Website"
ROOT_TITLE = importlib.import_module("cms.migrations.0007_root_page_title")


@pytest.fixture(params=["ar", "en"])
def editor(request):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=EDITORIAL_GROUPS["editor"]))
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = request.param
    profile.save()
    return user


def _visible(html: str) -> str:
    """The page's text outside tags, attributes and scripts."""
    html = re.sub(r"<(script|template)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<[^>]*\bhidden\b[^>]*>[^<]*", " ", html)
    return re.sub(r"<[^>]+>", " ", html)


def test_the_root_page_is_named_for_the_website_in_both_languages(db):
    root = Page.get_first_root_node()
    assert root.title == root.draft_title == SITE_LABEL


def test_the_explorer_root_shows_the_website_label_not_root(client, tree, editor):
    client.force_login(editor)
    text = _visible(client.get(reverse("wagtailadmin_explore_root")).content.decode())
    assert SITE_LABEL in text
    assert not re.search(r"\bRoot\b", text)

    # The breadcrumbs of a page deep in the tree start with the same label.
    url = reverse("wagtailadmin_pages:edit", args=[tree.campaign.pk])
    text = _visible(client.get(url).content.decode())
    assert SITE_LABEL in text
    assert not re.search(r"\bRoot\b", text)


def _search(client, user, query):
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_pages:search"), {"q": query})
    assert response.status_code == 200
    return response.content.decode()


def test_page_search_names_the_website_as_a_home_pages_parent(client, tree, editor):
    html = _search(client, editor, "Home")
    # The English home page is found; its parent column names the website.
    assert tree.home_en.title in html
    text = _visible(html)
    assert SITE_LABEL in text
    assert not re.search(r"\bRoot\b", text)


def test_page_search_counts_its_results_without_none(client, tree, editor):
    text = _visible(_search(client, editor, "Home"))
    assert re.search(r"1-\d+ (of|من) \d+", text)
    assert not re.search(r"\bNone\b", text)


def test_a_root_title_someone_chose_is_kept(db):
    root = Page.get_first_root_node()
    Page.objects.filter(pk=root.pk).update(title="Our tree", draft_title="Our tree")
    ROOT_TITLE.to_site_label(apps, None)
    root.refresh_from_db()
    assert root.title == "Our tree"

    Page.objects.filter(pk=root.pk).update(title="Root", draft_title="Root")
    ROOT_TITLE.to_site_label(apps, None)
    root.refresh_from_db()
    assert root.title == SITE_LABEL
