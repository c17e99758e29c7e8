"""The ward schedule PDF: one page per week range, no empty pages or columns."""

import datetime
import io
import shutil
import subprocess

import pypdf
import pytest

from training.documents import render_ward_schedule
from training.placements.selectors import ward_schedule, ward_schedule_weeks
from training.placements.services import placement_book

from .fixtures import make_site, student_of

D = datetime.date
LONG_NAME = (
    "عبد الرحمن عبد الله عبد العزيز عبد الرحيم عبد الحميد عبد النبي الإسناوي "
    "الأنصاري الأرمنتي إبراهيم القناوي الصعيدي الحجاجي الأقصري أبو زيد محمد أحمد"
)


@pytest.fixture
def site(db):
    site = make_site("ws")
    for name in (LONG_NAME, "سارة أحمد"):
        placement_book(
            block=site.block,
            student=student_of(site, person__name_ar=name),
            ward=site.ward,
            start_date=site.block.start_date,  # Saturday 3 October 2026
            end_date=site.block.end_date,  # Thursday 15 October 2026
            supervisor=site.supervisor,
        )
    return site


def _pdf(site, start, days):
    end = start + datetime.timedelta(days=days - 1)
    schedule = ward_schedule(ward=site.ward, start=start, end=end, user=site.admin)
    return render_ward_schedule(ward=site.ward, start=start, end=end, days=schedule)


def _pages(pdf: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


def test_fourteen_days_print_as_one_page_per_week(site):
    pdf = _pdf(site, D(2026, 10, 3), 14)
    assert _pages(pdf) == 2
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-", "-"],  # noqa: S607
            input=pdf,
            capture_output=True,
            check=True,
        ).stdout.decode()
        assert "2/2" in text and "3/10" in text and "15/10" in text


def test_a_week_without_bookings_gets_no_page(site):
    # 10–30 October: bookings only in the first week range (10–16).
    assert _pages(_pdf(site, D(2026, 10, 10), 21)) == 1


def test_weeks_have_only_booked_dates_and_shifts(site):
    start, end = D(2026, 10, 3), D(2026, 10, 16)
    weeks = ward_schedule_weeks(
        ward_schedule(ward=site.ward, start=start, end=end, user=site.admin),
        start=start,
        end=end,
    )
    assert [(w.first, w.last) for w in weeks] == [
        (D(2026, 10, 3), D(2026, 10, 9)),
        (D(2026, 10, 10), D(2026, 10, 16)),
    ]
    for week in weeks:
        assert week.dates and all(week.first <= d <= week.last for d in week.dates)
        for _label, cells in week.rows:
            assert len(cells) == len(week.dates)
            assert all(len(cell) == 2 for cell in cells)
    assert weeks[0].supervisors == [
        site.supervisor.get_full_name() or site.supervisor.username
    ]


def test_no_booking_prints_one_page_saying_so(site):
    assert _pages(_pdf(site, D(2027, 1, 2), 14)) == 1
