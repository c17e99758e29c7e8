"""A visitor's journey through the public site in a real Chromium, with axe-core.

Arabic home → campaign → the same campaign in English → search → a contact request →
following it by reference → verifying a certificate. Every page type is captured at
390 px and 1280 px in both languages under test-artifacts/ and checked with axe-core
(no serious or critical violation). Skipped, with the reason, when Chromium or
node_modules/axe-core is missing.
"""

import io
import json
import re
from pathlib import Path

import pytest

from django.conf import settings
from django.core.management import call_command

from contact.models import ContactRequest

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "public-site"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PAGE_TYPES = {
    "home": "/{lang}/",
    "campaign-index": "/{lang}/campaigns/",
    "campaign": "/{lang}/campaigns/newborn-hearing/",
    "institute-index": "/{lang}/institutes/",
    "institute": "/{lang}/institutes/karnak-nursing/",
    "standard": "/{lang}/accessibility/",
    "search": "/{lang}/search/?q=%D8%B3%D9%83%D8%B1%D9%8A",
    "contact": "/{lang}/contact/",
    "follow": "/{lang}/contact/follow/",
    "not-found": "/{lang}/no-such-page/",
}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def browser(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by
    # the test itself (between page actions) are still plain synchronous code. Only
    # for this test: the variable must not leak into other tests' subprocesses.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    if not CHROMIUM.exists():
        pytest.skip(
            "Chromium is not installed at /usr/bin/chromium (apt-get install chromium)"
        )
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def demo_site(live_server):
    call_command("load_demo_data", only=["institutes", "cms"], stdout=io.StringIO())
    return live_server.url


def _axe(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"""
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "nodes": [n["target"] for n in v["nodes"]][:3],
        }
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_visitor_journey_and_every_page_type(browser, demo_site, db_turn):
    """One test so the demo data is loaded once (the browser suite stays short)."""
    # Overwrite, never delete: several checkouts' suites may run at the same time.
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    _journey(browser, demo_site, db_turn)
    _layout_does_not_shift(browser, demo_site)
    _every_page_type(browser, demo_site)


def _journey(browser, demo_site, db) -> None:
    """The visitor's path, ending with a certificate verified by its code."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ar")
    context.set_default_timeout(5000)
    page = context.new_page()

    # Arabic home → a campaign.
    page.goto(demo_site + "/ar/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.get_by_role("link", name=re.compile("الكشف المبكر عن ضعف السمع")).first.click()
    assert page.url.endswith("/ar/campaigns/newborn-hearing/")
    page.locator("summary").first.click()  # an FAQ opens with a click (or Enter)
    assert page.locator("details").first.get_attribute("open") is not None

    # The same campaign in English.
    page.locator('.lang-switch a[hreflang="en"]').click()
    assert page.url.endswith("/en/campaigns/newborn-hearing/")
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert "Newborn hearing screening" in page.locator("h1").inner_text()

    # Search in Arabic with diacritics and a variant spelling.
    page.goto(demo_site + "/ar/search/")
    page.fill("#id_q", "السُّكَّرى")
    page.locator("form[role=search] button").click()
    assert page.get_by_role("link", name=re.compile("برنامج مكافحة مرض السكري")).count()

    # A contact request, keyboard-friendly labels included.
    page.goto(demo_site + "/ar/contact/")
    page.check("input[name=kind][value=inquiry]")
    page.select_option(
        "#id_concerns", label="المعهد الفني للتمريض بمستشفى الكرنك الدولي"
    )
    page.fill("#id_subject", "مواعيد الدراسة")
    page.fill("#id_message", "ما مواعيد بدء الدراسة في العام الجديد؟")
    page.fill("#id_phone", "01012345678")
    page.check("#id_consent")
    page.locator("main form button[type=submit]").click()
    reference = page.locator("#reference").inner_text().strip()
    with db:
        assert ContactRequest.objects.filter(reference=reference).exists()

    # Follow it by reference and phone.
    page.goto(demo_site + "/ar/contact/follow/")
    page.fill("#id_reference", reference.lower())
    page.fill("#id_contact", "010 1234 5678")
    page.locator("main form button[type=submit]").click()
    assert page.locator("#request-status").inner_text().strip()

    # Verify a certificate code (the certificates app's public page).
    from certificates.factories import issued_document
    from institutes.models import Institute

    with db:
        document = issued_document(Institute.objects.get(code="karnak-nursing"))
    page.goto(demo_site + "/ar/")
    page.locator("nav.site-nav a", has_text="التحقق").first.click()
    assert "/ar/verify/" in page.url
    response = page.goto(demo_site + f"/ar/verify/{document.code}/")
    assert response.status == 200
    assert document.holder_name_ar in page.content()
    page.screenshot(path=str(ARTIFACTS / "verify-ar-390.png"), full_page=True)
    context.close()


CLS_OBSERVER = """
window.__cls = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) window.__cls += entry.value;
  }
}).observe({type: "layout-shift", buffered: true});
"""


def _layout_does_not_shift(browser, demo_site) -> None:
    """Arabic home and a campaign page on a phone: the web font is preloaded and small,
    the largest image is not lazy, and the layout does not move (CLS < 0.05)."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ar")
    context.add_init_script(CLS_OBSERVER)
    page = context.new_page()
    for path in ("/ar/", "/ar/campaigns/newborn-hearing/"):
        page.goto(demo_site + path)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(300)
        shift = page.evaluate("window.__cls")
        assert shift < 0.05, (path, shift)
        preload = page.locator("link[rel=preload][as=font]")
        assert preload.count() == 1, path
        font = page.request.get(demo_site + preload.get_attribute("href"))
        assert font.ok and len(font.body()) < 80_000, path
        first_image = page.locator("main img").first
        assert first_image.get_attribute("loading") != "lazy", path
        assert first_image.get_attribute("width") and first_image.get_attribute(
            "height"
        )
    context.close()


def _every_page_type(browser, demo_site) -> None:
    """Screenshots at 390 and 1280 px in both languages, axe-core on each page."""
    if not AXE.exists():
        pytest.skip("node_modules/axe-core is missing: run `npm install` first")
    context = browser.new_context(bypass_csp=True)  # axe is injected as a script
    page = context.new_page()
    problems = {}
    for lang in ("ar", "en"):
        for name, pattern in PAGE_TYPES.items():
            url = demo_site + pattern.format(lang=lang)
            for width in (390, 1280):
                page.set_viewport_size({"width": width, "height": 900})
                page.goto(url)
                # Lazy images load once scrolled into view.
                page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
                page.wait_for_load_state("networkidle")
                page.screenshot(
                    path=str(ARTIFACTS / f"{name}-{lang}-{width}.png"), full_page=True
                )
            violations = _axe(page)
            if violations:
                problems[f"{lang} {name}"] = violations
    context.close()
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)
