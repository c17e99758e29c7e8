"""Editors make the English version of a campaign; moderators publish it."""

import pytest

from django.contrib.auth.models import Group
from django.urls import reverse

from wagtail.models import Locale
from wagtail.users.models import UserProfile

from institutes.factories import UserFactory
from institutes.services import EDITORIAL_GROUPS

from .conftest import add_campaign

pytestmark = pytest.mark.django_db


def _member(group_name):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=group_name))
    return user


def test_an_editor_translates_a_campaign_and_a_moderator_publishes_it(client, tree):
    en = Locale.objects.get(language_code="en")
    page = add_campaign(tree.campaigns, slug="kidney", title="صحة الكلى")
    editor = _member(EDITORIAL_GROUPS["editor"])
    client.force_login(editor)
    url = reverse("simple_translation:submit_page_translation", args=[page.pk])
    assert client.get(url).status_code == 200
    assert (
        url
        in client.get(
            reverse("wagtailadmin_explore", args=[tree.campaigns.pk])
        ).content.decode()
    )
    response = client.post(url, {"locales": [en.pk]})
    assert response.status_code == 302
    page_en = page.get_translation(en).specific
    assert not page_en.live
    assert not page_en.permissions_for_user(editor).can_publish()
    page_en.title = "Kidney health"
    revision = page_en.save_revision(user=editor)
    workflow_state = page_en.get_workflow().start(page_en, editor)
    assert revision.pk

    moderator = _member(EDITORIAL_GROUPS["moderator"])
    client.force_login(moderator)
    task_state = workflow_state.current_task_state
    approve = reverse(
        "wagtailadmin_pages:workflow_action",
        args=[page_en.pk, "approve", task_state.pk],
    )
    assert client.post(approve, {"comment": ""}).status_code in (200, 302)
    page_en.refresh_from_db()
    assert page_en.live
    assert page_en.title == "Kidney health"


def test_a_user_outside_the_editorial_groups_cannot_submit_a_translation(client, tree):
    page = add_campaign(tree.campaigns, slug="kidney", title="صحة الكلى")
    outsider = UserFactory(is_staff=True)
    client.force_login(outsider)
    url = reverse("simple_translation:submit_page_translation", args=[page.pk])
    assert client.get(url).status_code in (302, 403)
    en = Locale.objects.get(language_code="en")
    client.post(url, {"locales": [en.pk]})
    assert page.get_translation_or_none(en) is None


def _in_english(user):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()


def test_a_translated_page_says_so_and_links_to_its_translation(client, tree):
    editor = _member(EDITORIAL_GROUPS["editor"])
    client.force_login(editor)
    url = reverse("simple_translation:submit_page_translation", args=[tree.campaign.pk])
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "هذه الصفحة مترجمة إلى كل اللغات." in html
    assert reverse("wagtailadmin_pages:edit", args=[tree.campaign_en.pk]) in html
    assert "Women&#x27;s health" in html
    assert 'name="locales"' not in html
    assert 'type="submit"' not in html

    _in_english(editor)
    html = client.get(url).content.decode()
    assert "This page is already translated into every language." in html


def test_a_page_still_to_translate_shows_the_form_not_the_message(client, tree):
    page = add_campaign(tree.campaigns, slug="kidney", title="صحة الكلى")
    client.force_login(_member(EDITORIAL_GROUPS["editor"]))
    url = reverse("simple_translation:submit_page_translation", args=[page.pk])
    html = client.get(url).content.decode()
    assert 'name="locales"' in html
    assert "data-translation-complete" not in html


def test_submitting_a_translated_page_again_changes_nothing(client, tree):
    en = Locale.objects.get(language_code="en")
    client.force_login(_member(EDITORIAL_GROUPS["editor"]))
    url = reverse("simple_translation:submit_page_translation", args=[tree.campaign.pk])
    response = client.post(url, {"locales": [en.pk]})
    assert response.status_code == 200
    assert "data-translation-complete" in response.content.decode()
    assert tree.campaign.get_translations().count() == 1
