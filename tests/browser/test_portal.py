"""The portal on a 390 px phone in Arabic, in a real Chromium, with axe-core.

A student signs in with the code read from the message sent, enters hours for a
placement day; a staff member signs in and books a session. Each page is checked
with axe-core (no serious or critical violation) and captured at 390 px and
1280 px in Arabic and English under test-artifacts/portal/.
"""

import re
from pathlib import Path

import pytest

from django.conf import settings

from notifications.models import Notification
from training.models import ClinicalHours, HoursStatus, Registration

from ..portal.conftest import make_portal, number_of
from .test_public_site import ARGS, AXE, CHROMIUM, _axe

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "portal"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def browser(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium")
    if not AXE.exists():
        pytest.skip("node_modules/axe-core is missing (npm install)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=ARGS
        )
        yield chromium
        chromium.close()


def _code_for(person) -> str:
    addresses = [person.phone, "nurse@hospital.example"]
    body = (
        Notification.objects.filter(
            template="portal/sign_in_code", address__in=addresses
        )
        .order_by("-pk")
        .first()
        .body
    )
    return re.search(r"\d{6}", body).group(0)


def _sign_in(page, base, person, db) -> None:
    page.goto(base + "/ar/my/sign-in/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert not _axe(page), _axe(page)
    with db:
        number = number_of(person)
    page.fill("#id_number", number)
    # The code door; the password door is the page's second form.
    page.locator("main form[action='/ar/my/sign-in/'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/ar/my/sign-in/code/$"))
    assert not _axe(page), _axe(page)
    with db:
        code = _code_for(person)
    page.fill("#id_code", code)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/ar/my/$"))


def _no_horizontal_overflow(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], width


def _shots(browser, base, storage, names, tag) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width in (390, 1280):
        context = browser.new_context(
            viewport={"width": width, "height": 900}, storage_state=storage
        )
        page = context.new_page()
        for lang in ("ar", "en"):
            for name in names:
                page.goto(f"{base}/{lang}/my/{name}")
                page.screenshot(
                    path=str(
                        ARTIFACTS
                        / f"{tag}-{name.strip('/') or 'home'}-{lang}-{width}.png"
                    ),
                    full_page=True,
                )
                _no_horizontal_overflow(page)
        context.close()


def test_student_enters_hours_and_staff_books_on_a_phone(browser, live_server, db_turn):
    portal = make_portal("b")
    base = live_server.url

    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        locale="ar",
        bypass_csp=True,  # axe is injected as a script
    )
    context.set_default_timeout(10000)
    page = context.new_page()
    _sign_in(page, base, portal.student.person, db_turn)
    assert portal.student.person.name_ar in page.locator("h1").inner_text()
    assert not _axe(page), _axe(page)
    page.goto(base + "/ar/my/hours/")
    assert not _axe(page), _axe(page)
    _no_horizontal_overflow(page)
    page.locator("input[name=hours]").first.fill("٦")
    page.locator(".portal-inline-form button").first.click()
    page.wait_for_url(re.compile(r"/ar/my/hours/"))
    assert "بانتظار اعتماد مشرفك" in page.locator(".notice").first.inner_text()
    with db_turn:
        entry = ClinicalHours.objects.get(placement=portal.placement)
        assert (entry.hours, entry.status) == (6, HoursStatus.PENDING)
    for name in ("placements/", "record/", "documents/", "activity/", "calendar/"):
        page.goto(f"{base}/ar/my/{name}")
        assert not _axe(page), (name, _axe(page))
        _no_horizontal_overflow(page)
    student_state = context.storage_state()
    context.close()

    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        locale="ar",
        bypass_csp=True,  # axe is injected as a script
    )
    context.set_default_timeout(10000)
    page = context.new_page()
    _sign_in(page, base, portal.staff.person, db_turn)
    page.goto(base + "/ar/my/training/")
    assert not _axe(page), _axe(page)
    _no_horizontal_overflow(page)
    page.get_by_role("button", name="حجز هذه الجلسة").first.click()
    page.wait_for_url(re.compile(r"/ar/my/training/$"))
    assert "تم حجزك في هذه الجلسة" in page.locator(".notice").first.inner_text()
    with db_turn:
        assert Registration.objects.filter(
            session=portal.session, person=portal.staff.person
        ).exists()
    staff_state = context.storage_state()
    context.close()

    _shots(
        browser,
        base,
        student_state,
        ["", "placements/", "hours/", "record/", "documents/", "calendar/"],
        "student",
    )
    _shots(browser, base, staff_state, ["", "training/", "activity/"], "staff")
