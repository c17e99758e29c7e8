"""Demo data of the public site: home, campaigns, institutes, standard pages.

Arabic pages are the originals; English pages are created from them with
`copy_for_translation` and then given their English text, except the campaigns
awaiting translation: they stay in Arabic so editors have English versions to make
(the "Translate" action). Images are drawn here with Pillow (no downloaded stock) and
the leaflet PDF is rendered with WeasyPrint.
Idempotent: pages are found by slug, images and documents by title.
"""

from __future__ import annotations

import datetime
import io
import math

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.utils import timezone

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site

from institutes.models import Hospital, Ward

from .demo_content import (
    CAMPAIGNS,
    CAMPAIGNS_AWAITING_TRANSLATION,
    HOME,
    STANDARD_PAGES,
    TAG_NAMES,
)
from .models import (
    CampaignIndexPage,
    CampaignPage,
    HomePage,
    InstituteIndexPage,
    StandardPage,
)

IMAGE_ALT = {
    "ribbon": (
        "رسم توضيحي: شريط التوعية بسرطان الثدي",
        "Illustration: an awareness ribbon",
    ),
    "circles": (
        "رسم توضيحي: دوائر متداخلة ترمز إلى الأم وطفلها",
        "Illustration: overlapping circles for mother and child",
    ),
    "waves": ("رسم توضيحي: موجات صوت", "Illustration: sound waves"),
    "drops": ("رسم توضيحي: قطرات دم وماء", "Illustration: drops of blood and water"),
    "steps": ("رسم توضيحي: درجات صاعدة", "Illustration: rising steps"),
}


def draw_image(colours, shape: str, size=(1600, 800)):
    """A simple illustrative picture: soft background, bold geometric motif, no text."""
    from PIL import Image, ImageDraw

    strong, soft = colours
    img = Image.new("RGB", size, soft)
    draw = ImageDraw.Draw(img)
    w, h = size
    for i in range(0, h, 8):  # gentle vertical gradient
        t = i / h
        colour = tuple(int(soft[c] * (1 - 0.25 * t) + 255 * 0.25 * t) for c in range(3))
        draw.rectangle([0, i, w, i + 8], fill=colour)
    if shape == "ribbon":
        draw.ellipse([w * 0.35, h * 0.12, w * 0.65, h * 0.62], outline=strong, width=60)
        draw.polygon(
            [
                (w * 0.42, h * 0.5),
                (w * 0.5, h * 0.62),
                (w * 0.36, h * 0.95),
                (w * 0.3, h * 0.88),
            ],
            fill=strong,
        )
        draw.polygon(
            [
                (w * 0.58, h * 0.5),
                (w * 0.5, h * 0.62),
                (w * 0.64, h * 0.95),
                (w * 0.7, h * 0.88),
            ],
            fill=strong,
        )
    elif shape == "circles":
        for i, r in enumerate((260, 190, 120)):
            cx, cy = w * (0.35 + 0.15 * i), h * 0.5
            draw.ellipse([cx - r, cy - r, cx + r, cy + r], outline=strong, width=24)
        draw.ellipse(
            [w * 0.62 - 70, h * 0.5 - 70, w * 0.62 + 70, h * 0.5 + 70], fill=strong
        )
    elif shape == "waves":
        for k in range(5):
            points = [
                (x, h * 0.3 + k * 70 + 50 * math.sin(x / 90 + k))
                for x in range(0, w + 20, 20)
            ]
            draw.line(points, fill=strong, width=22 - k * 3)
    elif shape == "drops":
        for i, (cx, cy, r) in enumerate(
            ((0.3, 0.55, 150), (0.52, 0.45, 200), (0.74, 0.6, 120))
        ):
            x, y = w * cx, h * cy
            draw.ellipse(
                [x - r, y - r, x + r, y + r],
                fill=strong if i != 1 else None,
                outline=strong,
                width=30,
            )
            draw.polygon(
                [
                    (x - r * 0.7, y - r * 0.7),
                    (x, y - r * 2),
                    (x + r * 0.7, y - r * 0.7),
                ],
                fill=strong,
            )
    else:  # steps
        for i in range(6):
            draw.rectangle(
                [
                    w * 0.15 + i * 200,
                    h * (0.85 - i * 0.1),
                    w * 0.15 + i * 200 + 180,
                    h * 0.9,
                ],
                fill=strong,
            )
    buffer = io.BytesIO()
    img.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _image(title: str, colours, shape: str):
    Image = get_image_model()
    existing = Image.objects.filter(title=title).first()
    if existing:
        return existing
    data = draw_image(colours, shape)
    image = Image(title=title)
    image.file = ImageFile(
        io.BytesIO(data), name=f"{title.lower().replace(' ', '-')}.png"
    )
    image.save()
    return image


def _leaflet():
    Document = get_document_model()
    title = "Leaflet: early detection saves lives"
    existing = Document.objects.filter(title=title).first()
    if existing:
        return existing
    from weasyprint import HTML

    html = """<html lang="ar" dir="rtl"><head><style>
    @page { size: A5; margin: 15mm }
    body { font-family: 'Noto Sans Arabic', sans-serif; color: #1a2026 }
    h1 { color: #0a5e48 } .en { direction: ltr; text-align: left }
    </style></head><body>
    <h1>الكشف المبكر ينقذ الحياة</h1>
    <p>افحص مجانًا في أقرب وحدة صحية. احضر بطاقة الرقم القومي. الخط الساخن 15335.</p>
    <div class="en"><h1>Early detection saves lives</h1>
    <p>Get checked for free at the nearest health unit. Bring your national ID card.
    Hotline 15335.</p></div></body></html>"""
    pdf = HTML(string=html).write_pdf()
    document = Document(title=title)
    document.file.save("leaflet-early-detection.pdf", ContentFile(pdf), save=False)
    document.save()
    return document


def _publish(page, *, user=None, go_live_at=None):
    if go_live_at is not None:
        page.go_live_at = go_live_at
    revision = page.save_revision(user=user, log_action=True)
    revision.publish(user=user, skip_permission_checks=True)
    page.refresh_from_db()
    return page


def _child(parent, model, slug, **fields):
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is not None:
        return page, False
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    return page, True


def _translate(page, locale, **fields):
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific, False
    translated = page.copy_for_translation(locale, copy_parents=False)
    translated = translated.specific
    for key, value in fields.items():
        setattr(translated, key, value)
    translated.save()
    return translated, True


def _part(text: str, lang: str) -> str:
    """The Arabic or English half of a bilingual "عربي | English" demo string."""
    for separator in (" | ", " — "):
        if separator in text:
            ar, en = text.split(separator, 1)
            return ar if lang == "ar" else en
    return text


def _body(
    content: dict,
    lang: str,
    places,
    ward_lookup,
    leaflet,
    hotline: str | None,
    contact_page_url: str,
):
    lang_body = [
        ("rich_text", content["intro"]),
        (
            "key_figures",
            {
                "heading": "",
                "figures": [
                    {"value": v, "label": lbl} for v, lbl in content["figures"]
                ],
            },
        ),
        ("who_should_come", {"who": content["who"], "bring": content["bring"]}),
        (
            "where_to_go",
            {
                "heading": "",
                "places": [
                    {
                        "hospital": hospital,
                        "ward": ward_lookup.get((hospital.code, ward_name)),
                        "hours": _part(hours, lang),
                        "hotline": hotline or "",
                        "notes": "",
                    }
                    for hospital, ward_name, hours in places
                ],
            },
        ),
        ("do_dont", {"do": content["do"], "dont": content["dont"]}),
        (
            "faq",
            {
                "heading": "",
                "items": [{"question": q, "answer": a} for q, a in content["faq"]],
            },
        ),
    ]
    if leaflet is not None:
        lang_body.append(
            (
                "leaflets",
                {
                    "heading": "",
                    "leaflets": [{"title": content["title"], "document": leaflet}],
                },
            )
        )
    text, label = content["cta"]
    lang_body.append(
        (
            "call_to_action",
            {
                "text": text,
                "button_label": label,
                "page": None,
                "url": f"tel:{hotline}" if hotline else contact_page_url,
            },
        )
    )
    return lang_body


def _submit_for_moderation(campaign_index, editor) -> None:
    """One edit waiting for a moderator, so the workflow has something to show."""
    page = (
        CampaignPage.objects.child_of(campaign_index)
        .filter(slug="diabetes-control")
        .first()
    )
    if page is None or editor is None or page.workflow_in_progress:
        return
    workflow = page.get_workflow()
    if workflow is None:
        return
    page.summary += " يُنصح بقياس السكر التراكمي كل ثلاثة أشهر لمرضى السكري."
    page.save_revision(user=editor, log_action=True)
    workflow.start(page, editor)


def load(ctx) -> None:
    ar = Locale.objects.get(language_code="ar")
    en, _created = Locale.objects.get_or_create(language_code="en")
    today = timezone.localdate()
    accounts = ctx.shared.get("accounts", {})
    editor = accounts.get("editor")

    root = Page.get_first_root_node()
    home = HomePage.objects.filter(locale=ar).first()
    if home is None:
        # Wagtail's "Welcome" placeholder holds the slug "home": replace it.
        for placeholder in Page.objects.filter(depth=2, slug="home"):
            if type(placeholder.specific) is Page and not placeholder.get_children():
                Site.objects.filter(root_page=placeholder).update(root_page=root)
                placeholder.delete()
        text = HOME["ar"]
        home = HomePage(
            title=text["title"],
            slug="home",
            locale=ar,
            intro=text["intro"],
            hotline="24441999",
            hotline_hours=text["hours"],
            news=text["news"],
        )
        root.add_child(instance=home)
        _publish(home, user=editor)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site.objects.create(
            hostname="localhost",
            root_page=home,
            is_default_site=True,
            site_name="Nursing institutes",
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = site.site_name or "Nursing institutes"
        site.save()
    text_en = HOME["en"]
    home_en, created = _translate(
        home,
        en,
        title=text_en["title"],
        intro=text_en["intro"],
        hotline_hours=text_en["hours"],
        news=text_en["news"],
    )
    if created:
        _publish(home_en, user=editor)

    def pair(model, slug, ar_fields, en_fields, parent_ar):
        page, created_ar = _child(parent_ar, model, slug, **ar_fields)
        if created_ar:
            _publish(page, user=editor)
        translated, created_en = _translate(page, en, **en_fields)
        if created_en:
            _publish(translated, user=editor)
        return page, translated

    campaign_index, _ci_en = pair(
        CampaignIndexPage,
        "campaigns",
        {
            "title": HOME["ar"]["campaigns"],
            "intro": HOME["ar"]["campaigns_intro"],
            "show_in_menus": True,
        },
        {"title": HOME["en"]["campaigns"], "intro": HOME["en"]["campaigns_intro"]},
        home,
    )
    pair(
        InstituteIndexPage,
        "institutes",
        {
            "title": HOME["ar"]["institutes"],
            "intro": HOME["ar"]["institutes_intro"],
            "programme": HOME["ar"]["programme"],
            "admission": HOME["ar"]["admission"],
            "show_in_menus": True,
        },
        {
            "title": HOME["en"]["institutes"],
            "intro": HOME["en"]["institutes_intro"],
            "programme": HOME["en"]["programme"],
            "admission": HOME["en"]["admission"],
        },
        home,
    )
    for spec in STANDARD_PAGES:
        pair(
            StandardPage,
            spec["slug"],
            {
                "title": spec["ar"]["title"],
                "intro": spec["ar"]["intro"],
                "body": [("rich_text", spec["ar"]["body"])],
                "show_in_menus": spec["slug"] == "about",
            },
            {
                "title": spec["en"]["title"],
                "intro": spec["en"]["intro"],
                "body": [("rich_text", spec["en"]["body"])],
            },
            home,
        )

    hospitals = {h.code: h for h in Hospital.objects.all()}
    ward_lookup = {
        (w.hospital.code, w.name_en): w for w in Ward.objects.select_related("hospital")
    }
    leaflet = _leaflet()
    made = awaiting = 0
    for spec in (*CAMPAIGNS, *CAMPAIGNS_AWAITING_TRANSLATION):
        existing = (
            CampaignPage.objects.child_of(campaign_index)
            .filter(slug=spec["slug"])
            .first()
        )
        if existing is not None:
            continue
        image = _image(f"Campaign {spec['slug']}", spec["colour"], spec["shape"])
        places = [
            (hospitals[c], w, hrs) for c, w, hrs in spec["places"] if c in hospitals
        ]
        reviewed, next_review = (
            today + datetime.timedelta(days=d) for d in spec["review"]
        )
        common = {
            "start_date": today + datetime.timedelta(days=spec["start"]),
            "end_date": today + datetime.timedelta(days=spec["end"])
            if spec["end"] is not None
            else None,
            "audience": spec["audience"],
            "hero_image": image,
            "last_reviewed": reviewed,
            "next_review": next_review,
        }
        with_leaflet = (
            leaflet if spec["slug"] in ("womens-health", "newborn-hearing") else None
        )
        ar_text, en_text = spec["ar"], spec.get("en")
        page = CampaignPage(
            slug=spec["slug"],
            title=ar_text["title"],
            summary=ar_text["summary"],
            hero_alt=IMAGE_ALT[spec["shape"]][0],
            clinical_signoff=_part(spec["signoff"], "ar"),
            body=_body(
                ar_text,
                "ar",
                places,
                ward_lookup,
                with_leaflet,
                spec.get("hotline"),
                "/ar/contact/",
            ),
            **common,
        )
        campaign_index.add_child(instance=page)
        page.tags.add(*(TAG_NAMES[t][0] for t in spec["tags"]))
        go_live = None
        if spec.get("scheduled"):
            # Scheduled publishing: goes live on its start date (publish_scheduled).
            go_live = timezone.now() + datetime.timedelta(days=spec["start"])
        _publish(page, user=editor, go_live_at=go_live)
        if en_text is None:
            # Left for an editor to translate (simple_translation's "Translate").
            awaiting += 1
            continue
        translated, _c = _translate(
            page,
            en,
            title=en_text["title"],
            summary=en_text["summary"],
            hero_alt=IMAGE_ALT[spec["shape"]][1],
            clinical_signoff=_part(spec["signoff"], "en"),
            body=_body(
                en_text,
                "en",
                places,
                ward_lookup,
                with_leaflet,
                spec.get("hotline"),
                "/en/contact/",
            ),
        )
        translated.tags.set([TAG_NAMES[t][1] for t in spec["tags"]])
        _publish(translated, user=editor, go_live_at=go_live)
        made += 1

    _submit_for_moderation(campaign_index, editor)

    ctx.say(f"  {made} campaigns (Arabic and English)")
    ctx.say(f"  {awaiting} campaigns in Arabic awaiting their English version")
