"""Editors: blocks validate what a health page needs, moderation and scheduled publishing."""

import datetime

import pytest

from django.core.management import call_command
from django.utils import timezone

from wagtail import blocks
from wagtail.models import Workflow

from cms.blocks import CallToActionBlock, FigureBlock, PlaceBlock, VideoBlock
from cms.models import CampaignPage
from cms.selectors import campaigns_past_review
from institutes.services import EDITORIAL_GROUPS

from .conftest import add_campaign

pytestmark = pytest.mark.django_db


def test_video_accepts_youtube_and_vimeo_only():
    block = VideoBlock()
    value = block.clean(
        block.to_python(
            {"title": "Hand washing", "url": "https://youtu.be/dQw4w9WgXcQ"}
        )
    )
    assert block.get_context(value)["embed_url"] == (
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    )
    with pytest.raises(blocks.StructBlockValidationError):
        block.clean(
            block.to_python({"title": "x", "url": "https://evil.example/video"})
        )


def test_call_to_action_needs_a_safe_target():
    block = CallToActionBlock()
    with pytest.raises(blocks.StructBlockValidationError):
        block.clean(block.to_python({"text": "t", "button_label": "b", "url": ""}))
    with pytest.raises(blocks.StructBlockValidationError):
        block.clean(
            block.to_python(
                {"text": "t", "button_label": "b", "url": "javascript:alert(1)"}
            )
        )
    block.clean(block.to_python({"text": "t", "button_label": "b", "url": "tel:15335"}))


@pytest.mark.parametrize(
    "url",
    [
        "//other-host.example/",
        "/\\other-host.example/",
        "/\t/other-host.example/",
        "http://other-host.example/",
        "https:///no-host",
        "https:other-host.example",
        "tel:15335;phishing",
        "mailto:",
    ],
)
def test_call_to_action_refuses_links_to_other_sites_in_disguise(url):
    block = CallToActionBlock()
    with pytest.raises(blocks.StructBlockValidationError):
        block.clean(block.to_python({"text": "t", "button_label": "b", "url": url}))


@pytest.mark.parametrize(
    "url",
    [
        "/ar/campaigns/breast-screening/",
        "/en/contact/?kind=inquiry#form",
        "https://www.mohp.gov.eg/",
        "tel:15335",
        "tel:+20-100-123-4567",
        "mailto:info@nursing.example",
    ],
)
def test_call_to_action_takes_same_site_paths_and_https(url):
    block = CallToActionBlock()
    block.clean(block.to_python({"text": "t", "button_label": "b", "url": url}))


def test_place_ward_must_belong_to_the_hospital(world):
    block = PlaceBlock()
    value = block.to_python(
        {"hospital": world.a.hospital.pk, "ward": world.b.ward.pk, "hours": "9–14"}
    )
    with pytest.raises(blocks.StructBlockValidationError):
        block.clean(value)
    ok = block.to_python(
        {"hospital": world.a.hospital.pk, "ward": world.a.ward.pk, "hours": "9–14"}
    )
    assert block.clean(ok)["ward"] == world.a.ward


def test_image_block_requires_alt_text(tree):
    block = FigureBlock()
    with pytest.raises(Exception):  # noqa: B017 - Wagtail raises a ValidationError
        block.clean(
            block.to_python(
                {"image": tree.image.pk, "decorative": False, "alt_text": ""}
            )
        )


def test_hero_alt_text_is_required(tree):
    from django.core.exceptions import ValidationError

    tree.campaign.hero_alt = ""
    with pytest.raises(ValidationError) as error:
        tree.campaign.full_clean()
    assert "hero_alt" in error.value.message_dict


def test_moderation_workflow_covers_the_site(tree):
    workflow = tree.campaign.get_workflow()
    assert isinstance(workflow, Workflow) and workflow.active
    assert tree.campaign_en.get_workflow() == workflow
    task = workflow.tasks.first().specific
    assert task.groups.filter(name=EDITORIAL_GROUPS["moderator"]).exists()


def test_scheduled_campaign_goes_live_with_publish_scheduled(tree):
    page = add_campaign(tree.campaigns, slug="soon", title="حملة قادمة")
    page.unpublish()
    page.go_live_at = timezone.now() + datetime.timedelta(seconds=1)
    revision = page.save_revision()
    revision.publish()
    page.refresh_from_db()
    assert not page.live
    # The start date arrives: move the scheduled time into the past.
    revision.refresh_from_db()
    past = timezone.now() - datetime.timedelta(seconds=1)
    revision.approved_go_live_at = past
    revision.content["go_live_at"] = past.isoformat()
    revision.save()
    call_command("publish_scheduled")
    assert CampaignPage.objects.get(pk=page.pk).live


def test_campaign_past_review_is_flagged_to_editors(client, tree, world):
    today = timezone.localdate()
    CampaignPage.objects.filter(pk=tree.campaign.pk).update(
        last_reviewed=today - datetime.timedelta(days=400),
        next_review=today - datetime.timedelta(days=1),
    )
    assert tree.campaign.pk in {p.pk for p in campaigns_past_review()}
    client.force_login(world.authority)
    html = client.get("/admin/").content.decode()
    assert 'id="past-review-heading"' in html and tree.campaign.title in html


def test_campaign_dates_are_checked(tree):
    from django.core.exceptions import ValidationError

    tree.campaign.end_date = tree.campaign.start_date - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        tree.campaign.full_clean()
    assert "end_date" in error.value.message_dict
