"""What the printed documents say: numbers in one digit system, identifiers as typed,
totals and grades, labels that read in both directions, one page for one-page kinds.

Text is read back with poppler's `pdftotext` (logical order, as a reader copies it).
"""

import datetime
import io
import re
import shutil
import subprocess
from decimal import Decimal

import pypdf
import pytest

from django.urls import reverse
from django.utils import timezone

from certificates.factories import graduate
from certificates.services import document_issue
from institutes.formatting import format_date
from students.documents import ENROLMENT_LETTER, GRADUATION_CERTIFICATE, TRANSCRIPT
from students.models import CourseResult

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not shutil.which("pdftotext"), reason="needs pdftotext (poppler-utils)"
    ),
]

STUDENT_NUMBER = "KARNAK-2021-0036"
ASCII_POINT_BETWEEN_ARABIC_INDIC = re.compile(r"[٠-٩][.,][٠-٩]")

# The longest names of the reference data (students/demo_data/names-ar.csv) in one
# 17-part name, and a synthetic one of 120 characters.
LONGEST_AR = (
    "عبد الرحمن عبد الله عبد العزيز عبد الرحيم عبد الحميد عبد النبي الإسناوي "
    "الأنصاري الأرمنتي إبراهيم القناوي الصعيدي الحجاجي الأقصري أبو زيد محمد أحمد"
)
LONGEST_EN = (
    "Abdelrahman Abdallah Abdelaziz Abdelrahim Abdelhamid Abdelnaby Elesnawy "
    "Elansary Elarmanty Ibrahim Elqenawy Elsaidy"
)
NAME_120 = ("منة الله " * 20)[:119] + "ه"


def _text(pdf: bytes) -> str:
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"],  # noqa: S607
        input=pdf,
        capture_output=True,
        check=True,
    )
    # pdftotext marks right-to-left runs with embedding controls: not text.
    return re.sub("[\u202a-\u202e\u2066-\u2069]", "", done.stdout.decode("utf-8"))


def _pages(pdf: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def student(world):
    """A graduate whose first course has a decimal total (42.5 + 40 = 82.5)."""
    student = graduate(world.a.institute, index=0)
    student.student_number = STUDENT_NUMBER
    student.save()
    first = CourseResult.objects.filter(enrolment__student=student).order_by("pk")[0]
    first.theory_mark, first.total = Decimal("42.5"), Decimal("82.5")
    first.save()
    return student


def _issue(kind, achievement, **options):
    return document_issue(
        kind=kind, achievement=achievement, issued_by=None, **options
    ).document


def test_arabic_indic_transcript_prints_decimals_with_the_arabic_separator(student):
    text = _text(_issue(TRANSCRIPT, student, digits="arab").pdf.read())
    assert "٨٢٫٥" in text and "١١١٫٥" in text  # 82.5 and 111.5
    assert not ASCII_POINT_BETWEEN_ARABIC_INDIC.search(text)
    assert "١٥٠" in text and "١٥٠٫٠" not in text  # whole maxima without ".0"
    assert STUDENT_NUMBER in text  # as typed, never converted
    # Year 1: 82.5 + 111.5 of 300; overall: 82.5 + 9 × 111.5 of 1,500, 72.4 %, جيد.
    assert "١٩٤" in text and "٣٠٠" in text
    assert "١٠٨٦" in text and "١٥٠٠" in text and "٧٢٫٤" in text and "٪" in text


def test_western_digit_transcript_prints_82_5_and_whole_marks_without_dot_zero(
    student,
):
    text = _text(
        _issue(TRANSCRIPT, student, language="ar-en", digits="latn").pdf.read()
    )
    assert "82.5" in text and "111.5" in text
    assert not re.search(r"[٠-٩]", text)
    assert "150.0" not in text and "40.0" not in text
    assert STUDENT_NUMBER in text
    assert "1086" in text and "1500" in text and "72.4%" in text
    assert "Good" in text


def test_enrolment_letter_prints_the_student_number_as_typed(world):
    student = graduate(world.a.institute, index=1, graduated=False)
    student.student_number = STUDENT_NUMBER
    student.save()
    enrolment = student.enrolments.order_by("-academic_year").first()
    text = _text(_issue(ENROLMENT_LETTER, enrolment, digits="arab").pdf.read())
    assert text.count(STUDENT_NUMBER) >= 2  # the sentence and the table
    # No digit-converted copy of it (the national ID is random and may hold ٠٠٣٦).
    assert not re.search(r"[A-Z]+-[٠-٩]", text)
    assert "-٠٠٣٦" not in text and "٠٠٣٦-" not in text


def test_graduation_certificate_shows_national_id_and_final_grade(student, client):
    doc = _issue(GRADUATION_CERTIFICATE, student, language="ar-en", digits="latn")
    text = _text(doc.pdf.read())
    assert student.person.national_id in text
    assert "Good (72.4%)" in text
    arabic = _text(
        _issue(
            GRADUATION_CERTIFICATE,
            graduate(student.cohort.institute, index=2),
            digits="arab",
        ).pdf.read()
    )
    assert "٪" in arabic and not ASCII_POINT_BETWEEN_ARABIC_INDIC.search(arabic)
    # The public page never shows it.
    page = client.get(reverse("certificates:verify", args=[doc.code_display]))
    assert page.status_code == 200
    assert student.person.national_id not in page.content.decode()


@pytest.mark.parametrize(("digits", "date"), [("arab", "٢٠٢٦"), ("latn", "2026")])
def test_verification_page_writes_dates_in_the_documents_digits(
    student, client, digits, date
):
    doc = _issue(TRANSCRIPT, student, digits=digits)
    body = client.get(
        reverse("certificates:verify", args=[doc.code_display])
    ).content.decode()
    issued_on = timezone.localdate(doc.issued_at)
    assert f"<dd>{format_date(issued_on, digits, language='ar')}</dd>" in body
    assert date in format_date(issued_on, digits, language="ar")
    assert f'<bdi dir="ltr" class="ident">{doc.serial}</bdi>' in body
    english = client.get(f"/en/verify/{doc.code_display}/").content.decode()
    assert f"<dd>{format_date(issued_on, 'latn', language='en')}</dd>" in english


def _attendance(world, *, name_ar, name_en, score=93):
    from training.factories import (
        StaffMemberFactory,
        TopicFactory,
        TrainingSessionFactory,
    )
    from training.models import Attendance
    from training.staff.services import RosterEntry, roster_save

    start = timezone.now().replace(microsecond=0) - datetime.timedelta(hours=3)
    session = TrainingSessionFactory(
        hospital=world.a.hospital,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        topic=TopicFactory(
            title_ar="مكافحة العدوى",
            title_en="Infection control",
            assessment="exam",
            pass_mark=70,
            hours=Decimal("2.0"),
        ),
    )
    staff = StaffMemberFactory(
        hospital=world.a.hospital,
        employee_number="EMP-2021-0036",
        person__name_ar=name_ar,
        person__name_en=name_en,
    )
    roster_save(session=session, entries=[RosterEntry(staff.pk, "present", score)])
    return Attendance.objects.get(staff=staff)


def test_training_certificate_uses_one_digit_system(world):
    from training.documents import CERTIFICATE

    attendance = _attendance(world, name_ar="سارة أحمد", name_en="Sara Ahmed")
    arabic = _text(_issue(CERTIFICATE, attendance, digits="arab").pdf.read())
    sentence = next(line for line in arabic.splitlines() if "بدرجة" in line)
    # (٢ ساعات) … بدرجة ٩٣٪ beside ٢٠٢٦: no Western digit, no ",0" in the sentence.
    assert "٢" in sentence and "٩٣" in sentence and "٪" in sentence
    assert "٢٠٢٦" in sentence
    assert not re.search("[0-9]", sentence), sentence
    western = _text(
        _issue(CERTIFICATE, attendance, language="en", digits="latn").pdf.read()
    )
    assert "(2 hours)" in western and "93%" in western and "93.0" not in western
    assert "EMP-2021-0036" in western


@pytest.mark.parametrize(
    ("name_ar", "name_en"), [(LONGEST_AR, LONGEST_EN), (NAME_120, NAME_120)]
)
def test_one_page_documents_stay_on_one_page_with_long_names(world, name_ar, name_en):
    from training.documents import CERTIFICATE

    attendance = _attendance(world, name_ar=name_ar, name_en=name_en)
    letter_student = graduate(
        world.a.institute, name_ar=name_ar, name_en=name_en, graduated=False, index=3
    )
    enrolment = letter_student.enrolments.order_by("-academic_year").first()
    graduate_ = graduate(world.a.institute, name_ar=name_ar, name_en=name_en, index=4)
    for language in ("ar-en", "ar", "en"):
        for kind, achievement in (
            (CERTIFICATE, attendance),
            (ENROLMENT_LETTER, enrolment),
        ):
            doc = _issue(kind, achievement, language=language)
            assert _pages(doc.pdf.read()) == 1, (kind, language)
            doc.replaced_at = timezone.now()  # let the next language be issued
            doc.save(update_fields=["replaced_at"])
    doc = _issue(GRADUATION_CERTIFICATE, graduate_, language="ar-en")
    assert _pages(doc.pdf.read()) == 1


def test_sign_in_sheet_labels_read_in_order(world):
    from training.documents import sign_in_sheet_pdf
    from training.models import Registration
    from training.staff.selectors import session_roster

    attendance = _attendance(world, name_ar=LONGEST_AR, name_en=LONGEST_EN)
    session = attendance.session
    Registration.objects.get_or_create(
        session=session,
        staff=attendance.staff,
        defaults={
            "person_id": attendance.staff.person_id,
            "starts_at": session.starts_at,
            "ends_at": session.ends_at,
        },
    )
    rows = [r for r in session_roster(session=session) if r["registration"]]
    text = _text(sign_in_sheet_pdf(session=session, rows=rows, url="http://x/"))
    assert "Date:" in text and ":Date" not in text
    assert "Emp. no." in text and ".Emp" not in text
    assert "Page 1 of 1" in text
    assert "EMP-2021-0036" in text


@pytest.mark.parametrize("language", ["ar", "en"])
def test_transcript_tables_stay_inside_the_page(student, language):
    import pdfplumber

    pdf = _issue(TRANSCRIPT, student, language=language, digits="arab").pdf.read()
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            outside = [
                c["text"] for c in page.chars if c["x0"] < 0 or c["x1"] > page.width
            ]
            assert not outside, (page.page_number, "".join(outside))
            edges = [r for r in page.rects + page.lines if r["x0"] < 0]
            assert not edges, page.page_number
