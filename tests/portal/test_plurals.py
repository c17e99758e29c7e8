"""A count before a unit takes the language's plural form: Arabic has six (٠ ساعة,
ساعة واحدة, ساعتان, ٣ ساعات, ١١ ساعة, ١٠٠ ساعة), English two. «١٢ ساعات» was on the
hours page; the digits stay those of the portal (Arabic-Indic in Arabic)."""

from decimal import Decimal

import pytest

from django.urls import reverse
from django.utils import translation

from notifications.services import render_message
from portal import selectors
from training.models import ClinicalHours, PlacementDay

from .conftest import a_day, enter

ARABIC_HOURS = {
    1: "ساعة واحدة — ",
    2: "ساعتان — ",
    3: "٣ ساعات — ",
    11: "١١ ساعة — ",
}


def _hours_page(client, portal, hours, language: str) -> str:
    enter(client, portal.student.person)
    day = PlacementDay.objects.get(placement=portal.placement, date=a_day(portal))
    client.post(reverse("portal:hours_enter", args=[day.pk]), {"hours": "6"})
    ClinicalHours.objects.filter(day=day).update(hours=hours)
    with translation.override(language):
        url = reverse("portal:hours")
    return client.get(url).content.decode()


@pytest.mark.parametrize(("hours", "text"), sorted(ARABIC_HOURS.items()))
def test_the_hours_page_counts_hours_in_arabic(client, portal, hours, text):
    page = _hours_page(client, portal, hours, "ar")
    assert text in page
    for other in set(ARABIC_HOURS.values()) - {text}:
        assert other not in page


def test_a_hundred_hours_read_in_the_general_form():
    """A day holds at most a shift's hours (a database constraint), so the page
    cannot show 100; the same sentence is asked for it directly."""
    from django.utils.translation import ngettext

    with translation.override("ar"):
        text = ngettext(
            "%(hours)s hour — %(status)s", "%(hours)s hours — %(status)s", 100
        ) % {"hours": "١٠٠", "status": "x"}
    assert text == "١٠٠ ساعة — x"


def test_a_fraction_of_an_hour_takes_the_general_form(client, portal):
    page = _hours_page(client, portal, Decimal("7.5"), "ar")
    assert "٧٫٥ ساعة — " in page
    assert "ساعات — " not in page


@pytest.mark.parametrize(("hours", "text"), [(1, "1 hour — "), (2, "2 hours — ")])
def test_the_hours_page_counts_hours_in_english(client, portal, hours, text):
    page = _hours_page(client, portal, hours, "en")
    assert text in page
    assert "1 hours" not in page


def test_the_days_shown_are_counted(client, portal):
    assert selectors.HOURS_DAYS_SHOWN == 60  # 11 to 99: the singular accusative
    page = _hours_page(client, portal, 6, "ar")
    assert "تظهر آخر ٦٠ يومًا." in page
    page = _hours_page(client, portal, 6, "en")
    assert "The last 60 days are shown." in page


@pytest.mark.parametrize(
    ("capacity", "text"),
    [
        (1, "محجوز ٠ من مقعد واحد"),
        (2, "محجوز ٠ من مقعدين"),
        (3, "محجوز ٠ من ٣ مقاعد"),
        (11, "محجوز ٠ من ١١ مقعدًا"),
        (100, "محجوز ٠ من ١٠٠ مقعد"),
    ],
)
def test_the_training_page_counts_places(client, portal, capacity, text):
    type(portal.session).objects.filter(pk=portal.session.pk).update(capacity=capacity)
    enter(client, portal.staff.person)
    with translation.override("ar"):
        url = reverse("portal:training")
    page = client.get(url).content.decode()
    assert text in page


@pytest.mark.parametrize(
    ("minutes", "arabic", "english"),
    [
        (1, "صالح لمدة دقيقة واحدة.", "Valid for 1 minute."),
        (2, "صالح لمدة دقيقتين.", "Valid for 2 minutes."),
        (10, "صالح لمدة 10 دقائق.", "Valid for 10 minutes."),
        (15, "صالح لمدة 15 دقيقة.", "Valid for 15 minutes."),
        (100, "صالح لمدة 100 دقيقة.", "Valid for 100 minutes."),
    ],
)
def test_the_sign_in_code_message_counts_its_minutes(minutes, arabic, english):
    context = {"code": "123456", "minutes": minutes}
    for language, text in (("ar", arabic), ("en", english)):
        for channel in ("sms", "email"):
            _subject, body = render_message(
                template="portal/sign_in_code",
                channel=channel,
                language=language,
                context=context,
            )
            assert text.casefold() in body.casefold(), (language, channel, body)


def test_the_code_page_counts_the_code_lifetime(client, portal, settings):
    from .conftest import request_code

    settings.PORTAL_CODE_MINUTES = 15
    with translation.override("ar"):
        request_code(client, portal.student.person)
        page = client.get(reverse("portal:sign_in_code")).content.decode()
    assert "الرمز صالح لمدة ١٥ دقيقة." in page
