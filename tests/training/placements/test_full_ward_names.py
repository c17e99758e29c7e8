"""A full ward's refusal names only the booking institute's own students."""

import pytest

from training.factories import BlockWardFactory
from training.placements.services import BookingRefused, placement_book

from .fixtures import make_site, student_of


def _book(site, student, ward):
    return placement_book(
        block=site.block,
        student=student,
        ward=ward,
        start_date=site.block.start_date,
        end_date=site.block.end_date,
    )


def test_full_ward_names_own_students_and_only_counts_the_others(db):
    a, b = make_site("fa"), make_site("fb")
    b.institute.partner_hospitals.add(a.hospital)
    BlockWardFactory(block=b.block, ward=a.ward, places=2)
    mine = student_of(a)
    theirs = student_of(b)
    _book(a, mine, a.ward)
    _book(b, theirs, a.ward)  # the ward (capacity 2) is now full

    with pytest.raises(BookingRefused) as refused_a:
        _book(a, student_of(a), a.ward)
    message = " ".join(refused_a.value.messages)
    assert mine.person.name in message
    assert theirs.person.name not in message
    assert "1" in message  # one student of another institute, counted

    with pytest.raises(BookingRefused) as refused_b:
        _book(b, student_of(b), a.ward)
    message = " ".join(refused_b.value.messages)
    assert theirs.person.name in message and mine.person.name not in message
