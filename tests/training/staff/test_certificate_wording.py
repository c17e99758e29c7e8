"""The training certificate's Arabic agrees with its holder and counts hours in Arabic."""

import datetime
import io
from decimal import Decimal

import pypdf
import pytest

from certificates.registry import get_kind
from certificates.rendering import fragment_html
from certificates.services import document_issue, document_prepare
from training.documents import CERTIFICATE
from training.factories import StaffMemberFactory, TopicFactory, TrainingSessionFactory
from training.models import Attendance
from training.staff.services import RosterEntry, roster_save

pytestmark = pytest.mark.django_db


def _attendance(world, *, hours, sex="m"):
    from django.utils import timezone

    topic = TopicFactory(hours=hours)
    start = timezone.now().replace(microsecond=0) - timezone.timedelta(hours=1)
    session = TrainingSessionFactory(
        hospital=world.a.hospital,
        topic=topic,
        starts_at=start,
        ends_at=start + timezone.timedelta(hours=2),
    )
    staff = StaffMemberFactory(hospital=world.a.hospital, person__sex=sex)
    roster_save(session=session, entries=[RosterEntry(staff.pk, "present")])
    return Attendance.objects.get(session=session)


def _certificate_html(attendance, *, language="ar-en", digits="arab") -> str:
    prepared = document_prepare(
        kind=get_kind(CERTIFICATE),
        achievement=attendance,
        language=language,
        digits=digits,
        issued_on=datetime.date(2026, 11, 24),
        serial_number=1,
        logo="",
    )
    return fragment_html(prepared, 0)


@pytest.mark.parametrize(
    ("hours", "digits", "arabic", "english"),
    [
        (1, "arab", "(ساعة واحدة)", "(1 hour)"),
        (Decimal("2.00"), "arab", "(ساعتان)", "(2 hours)"),
        (3, "arab", "(٣ ساعات)", "(3 hours)"),
        (10, "latn", "(10 ساعات)", "(10 hours)"),
        (11, "arab", "(١١ ساعة)", "(11 hours)"),
        (24, "latn", "(24 ساعة)", "(24 hours)"),
        (100, "arab", "(١٠٠ ساعة)", "(100 hours)"),
        (Decimal("1.5"), "arab", "(١٫٥ ساعة)", "(1.5 hours)"),
    ],
)
def test_the_certificate_counts_hours_in_each_language(
    world, hours, digits, arabic, english
):
    html = _certificate_html(_attendance(world, hours=hours), digits=digits)
    assert arabic in html
    assert english in html


def test_the_female_wording_counts_hours_too(world):
    html = _certificate_html(_attendance(world, hours=11, sex="f"))
    assert "أتمت التدريب الإلزامي" in html
    assert "(١١ ساعة)" in html


def _text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize(
    ("sex", "verb", "other"), [("f", "أتمت", "أتم "), ("m", "أتم ", "أتمت")]
)
def test_certificate_agrees_with_the_holder(world, sex, verb, other):
    from django.utils import timezone

    topic = TopicFactory(hours=2)
    start = timezone.now().replace(microsecond=0) - timezone.timedelta(hours=1)
    session = TrainingSessionFactory(
        hospital=world.a.hospital,
        topic=topic,
        starts_at=start,
        ends_at=start + timezone.timedelta(hours=2),
    )
    staff = StaffMemberFactory(hospital=world.a.hospital, person__sex=sex)
    roster_save(session=session, entries=[RosterEntry(staff.pk, "present")])
    attendance = Attendance.objects.get()
    result = document_issue(
        kind=CERTIFICATE, achievement=attendance, issued_by=world.a.trainer
    )
    text = _text(result.document.pdf.read())
    assert verb in text
    assert other not in text
    assert "ساعتان" in text
    assert "ساعات" not in text
