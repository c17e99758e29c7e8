"""The training certificate's Arabic agrees with its holder and counts hours in Arabic."""

import io
from decimal import Decimal

import pypdf
import pytest

from certificates.services import document_issue
from training.documents import CERTIFICATE
from training.factories import StaffMemberFactory, TopicFactory, TrainingSessionFactory
from training.models import Attendance
from training.staff.documents import hours_in_arabic
from training.staff.services import RosterEntry, roster_save

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("hours", "mode", "text"),
    [
        (1, "latn", "ساعة واحدة"),
        (Decimal("2.00"), "arab", "ساعتان"),
        (3, "arab", "٣ ساعات"),
        (10, "latn", "10 ساعات"),
        (11, "arab", "١١ ساعة"),
        (24, "latn", "24 ساعة"),
        (Decimal("1.5"), "arab", "١٫٥ ساعة"),
    ],
)
def test_hours_are_counted_the_arabic_way(hours, mode, text):
    assert hours_in_arabic(hours, mode) == text


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
