"""A small bilingual page tree: home, campaigns, institutes and an about page in ar + en."""

import datetime
import io
from dataclasses import dataclass

import pytest

from django.core.cache import cache
from django.core.files.images import ImageFile
from django.utils import timezone

from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site

from cms.models import (
    CampaignIndexPage,
    CampaignPage,
    HomePage,
    InstituteIndexPage,
    StandardPage,
)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def make_image(title="test image"):
    from PIL import Image as PILImage

    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 32), (10, 94, 72)).save(buffer, format="PNG")
    image = get_image_model()(title=title)
    image.file = ImageFile(io.BytesIO(buffer.getvalue()), name="test.png")
    image.save()
    return image


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@dataclass
class Tree:
    home: HomePage
    home_en: HomePage
    campaigns: CampaignIndexPage
    campaigns_en: CampaignIndexPage
    campaign: CampaignPage
    campaign_en: CampaignPage
    institutes: InstituteIndexPage
    about: StandardPage
    about_en: StandardPage
    image: object


def translate(page, locale, **fields):
    copy = page.copy_for_translation(locale).specific
    for key, value in fields.items():
        setattr(copy, key, value)
    copy.save()
    return publish(copy)


def add_campaign(parent, *, slug, title, hospital=None, image=None, **extra):
    today = timezone.localdate()
    body = [("rich_text", "<p>الكشف المبكر ينقذ الحياة.</p>")]
    if hospital is not None:
        body.append(
            (
                "where_to_go",
                {
                    "heading": "",
                    "places": [
                        {
                            "hospital": hospital,
                            "ward": None,
                            "hours": "9:00–14:00",
                            "hotline": "",
                            "notes": "",
                        }
                    ],
                },
            )
        )
    fields = dict(
        slug=slug,
        title=title,
        summary="فحص مجاني لكل سيدة فوق 18 عامًا.",
        start_date=today - datetime.timedelta(days=10),
        audience="women",
        hero_image=image or make_image(),
        hero_alt="شريط التوعية",
        body=body,
        last_reviewed=today - datetime.timedelta(days=10),
        next_review=today + datetime.timedelta(days=170),
        clinical_signoff="د. هالة عبد الرحيم",
    )
    fields.update(extra)
    page = CampaignPage(**fields)
    parent.add_child(instance=page)
    return publish(page)


@pytest.fixture
def tree(db, world) -> Tree:
    ar = Locale.objects.get(language_code="ar")
    en = Locale.objects.get(language_code="en")
    root = Page.get_first_root_node()
    for placeholder in Page.objects.filter(depth=2):
        Site.objects.filter(root_page=placeholder).update(root_page=root)
        placeholder.delete()
    home = HomePage(title="الصفحة الرئيسية", slug="home", locale=ar, intro="مرحبًا")
    root.add_child(instance=home)
    publish(home)
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "root_page": home, "site_name": "test"},
    )
    home_en = translate(home, en, title="Home", intro="Welcome")
    campaigns = CampaignIndexPage(title="الحملات", slug="campaigns", show_in_menus=True)
    home.add_child(instance=campaigns)
    publish(campaigns)
    campaigns_en = translate(campaigns, en, title="Campaigns")
    image = make_image()
    campaign = add_campaign(
        campaigns,
        slug="womens-health",
        title="مبادرة صحة المرأة",
        hospital=world.a.hospital,
        image=image,
    )
    campaign_en = translate(
        campaign,
        en,
        title="Women's health",
        summary="Free screening for every woman over 18.",
        hero_alt="Awareness ribbon",
    )
    institutes = InstituteIndexPage(
        title="المعاهد", slug="institutes", programme="<p>خمس سنوات</p>"
    )
    home.add_child(instance=institutes)
    publish(institutes)
    translate(institutes, en, title="Institutes", programme="<p>Five years</p>")
    about = StandardPage(
        title="من نحن", slug="about", body=[("rich_text", "<p>نحن المديرية.</p>")]
    )
    home.add_child(instance=about)
    publish(about)
    about_en = translate(about, en, title="About us")
    return Tree(
        home=home,
        home_en=home_en,
        campaigns=campaigns,
        campaigns_en=campaigns_en,
        campaign=campaign,
        campaign_en=campaign_en,
        institutes=institutes,
        about=about,
        about_en=about_en,
        image=image,
    )
