"""The placement screens: what each role sees and may do, and cross-scope doors.

Custom views are not covered by the automatic viewset test, so each door is tried
here with a foreign id (404) and a foreign POST (refused, nothing changed).
"""

import datetime

import pytest

from django.urls import reverse

from institutes.access import forget_scope
from training.models import (
    ClinicalHours,
    CompetencySignOff,
    HoursStatus,
    Placement,
    PlacementStatus,
)
from training.placements.services import (
    hours_record,
    placement_book,
    placement_transition,
)

from .fixtures import make_site, student_of

D = datetime.date


@pytest.fixture
def two(db):
    p, q = make_site("p"), make_site("q")
    for s in (p, q):
        s.placement = placement_book(
            block=s.block,
            student=student_of(s, person__name_ar=f"طالبة {s.institute.code}"),
            ward=s.ward,
            start_date=s.block.start_date,
            end_date=s.block.end_date,
            supervisor=s.supervisor,
        )
        placement_transition(placement=s.placement, to_status="confirmed")
        placement_transition(placement=s.placement, to_status="in_progress")
        s.placement.refresh_from_db()
    return p, q


def _get(client, user, url, **params):
    forget_scope(user)
    client.force_login(user)
    return client.get(url, params)


def test_admin_sees_own_block_and_placement_not_the_others(two, client):
    p, q = two
    ok = _get(client, p.admin, reverse("training_block_detail", args=[p.block.pk]))
    assert ok.status_code == 200
    assert "طالبة i-p" in ok.content.decode()
    for url in (
        reverse("training_block_detail", args=[q.block.pk]),
        reverse("training_placement_detail", args=[q.placement.pk]),
        reverse("training_student_clinical_record", args=[q.placement.student_id]),
        reverse("training_ward_schedule_pdf", args=[q.foreign_ward.pk]),
    ):
        assert _get(client, p.admin, url).status_code == 404, url


def test_foreign_posts_are_refused_and_change_nothing(two, client):
    p, q = two
    client.force_login(p.admin)
    for name, data in (
        ("training_placement_status", {"to_status": "cancelled", "reason": "x"}),
        ("training_placement_adjust", {"ward": q.ward.pk}),
    ):
        response = client.post(reverse(name, args=[q.placement.pk]), data)
        assert response.status_code == 404
    assert (
        client.post(reverse("training_block_propose", args=[q.block.pk])).status_code
        == 404
    )
    assert (
        client.post(
            reverse("training_block_place", args=[q.block.pk]),
            {"student": q.placement.student_id, "ward": q.ward.pk},
        ).status_code
        == 404
    )
    q.placement.refresh_from_db()
    assert q.placement.status == PlacementStatus.IN_PROGRESS
    # The supervisor of P cannot sign off or evaluate Q's student.
    client.force_login(p.supervisor)
    response = client.post(
        reverse("training_placement_signoff", args=[q.placement.pk]),
        {
            "competency": q.competencies[0].pk,
            "level": "independent",
            "assessed_on": "2026-10-05",
        },
    )
    assert response.status_code == 404
    assert not CompetencySignOff.objects.exists()


def test_admin_opens_own_placement_record_and_ward_schedule(two, client):
    """Twin of the 404s above: the same admin through the same doors, own rows."""
    p, _q = two
    detail = _get(
        client, p.admin, reverse("training_placement_detail", args=[p.placement.pk])
    )
    assert detail.status_code == 200
    assert "طالبة i-p" in detail.content.decode()
    record = _get(
        client,
        p.admin,
        reverse("training_student_clinical_record", args=[p.placement.student_id]),
    )
    assert record.status_code == 200
    assert "طالبة i-p" in record.content.decode()
    pdf = _get(client, p.admin, reverse("training_ward_schedule_pdf", args=[p.ward.pk]))
    assert pdf.status_code == 200
    assert pdf.content[:4] == b"%PDF"


def test_own_posts_through_the_same_doors_change_the_placement(two, client):
    """Twin of the foreign posts: each door, posted with P's own rows, writes."""
    p, _q = two
    client.force_login(p.admin)
    placement = p.placement
    adjust = client.post(
        reverse("training_placement_adjust", args=[placement.pk]),
        {
            "ward": p.ward.pk,
            "start_date": placement.start_date.isoformat(),
            "end_date": placement.end_date.isoformat(),
            "supervisor": p.instructor.pk,
        },
    )
    assert adjust.status_code == 302
    placement.refresh_from_db()
    assert placement.supervisor == p.instructor

    newcomer = student_of(p, person__name_ar="طالبة جديدة")
    place = client.post(
        reverse("training_block_place", args=[p.block.pk]),
        {
            "student": newcomer.pk,
            "ward": p.ward.pk,
            "start_date": p.block.start_date.isoformat(),
            "end_date": p.block.end_date.isoformat(),
        },
    )
    assert place.status_code == 302
    assert Placement.objects.filter(student=newcomer, ward=p.ward).exists()

    # The supervisor of P signs off P's own student.
    client.force_login(p.supervisor)
    signoff = client.post(
        reverse("training_placement_signoff", args=[p.placement.pk]),
        {
            "competency": p.competencies[0].pk,
            "level": "independent",
            "assessed_on": "2026-10-05",
        },
    )
    assert signoff.status_code == 302
    signed = CompetencySignOff.objects.get()
    assert signed.placement == p.placement and signed.signed_by == p.supervisor

    client.force_login(p.admin)
    status = client.post(
        reverse("training_placement_status", args=[placement.pk]),
        {"to_status": "cancelled", "reason": "انتقال"},
    )
    assert status.status_code == 302
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.CANCELLED


def test_institute_admin_cannot_record_hours_or_sign_off(two, client):
    p, _q = two
    client.force_login(p.admin)
    response = client.post(
        reverse("training_placement_signoff", args=[p.placement.pk]),
        {
            "competency": p.competencies[0].pk,
            "level": "observed",
            "assessed_on": "2026-10-05",
        },
    )
    assert response.status_code == 404
    client.post(
        reverse("training_my_students_today") + "?date=2026-10-05",
        {"date": "2026-10-05", f"hours-{p.placement.pk}": "6"},
    )
    assert not ClinicalHours.objects.exists()


def test_supervisor_enters_the_days_hours_in_one_form(two, client):
    p, q = two
    url = reverse("training_my_students_today")
    page = _get(client, p.supervisor, url, date="2026-10-05")
    text = page.content.decode()
    assert "طالبة i-p" in text and "طالبة i-q" not in text
    response = client.post(
        url + "?date=2026-10-05",
        {
            "date": "2026-10-05",
            f"hours-{p.placement.pk}": "٦",
            f"hours-{q.placement.pk}": "6",  # a foreign placement: refused
        },
    )
    assert response.status_code == 200  # shown again with the refused row's message
    entry = ClinicalHours.objects.get()
    assert entry.placement == p.placement and entry.hours == 6
    assert not ClinicalHours.objects.filter(placement=q.placement).exists()


def test_hours_beyond_the_shift_come_back_with_the_message_and_the_typed_value(
    two, client
):
    p, _q = two
    client.force_login(p.supervisor)
    response = client.post(
        reverse("training_my_students_today") + "?date=2026-10-05",
        {"date": "2026-10-05", f"hours-{p.placement.pk}": "9"},
    )
    assert response.status_code == 200
    assert 'value="9"' in response.content.decode()
    assert not ClinicalHours.objects.exists()


def test_approval_and_rejection_from_the_pending_list(two, client):
    p, q = two
    mine = hours_record(
        placement=p.placement, date=D(2026, 10, 5), hours=6, by=p.instructor
    )
    theirs = hours_record(
        placement=q.placement, date=D(2026, 10, 5), hours=6, by=q.supervisor
    )
    client.force_login(p.supervisor)
    decide = "training_hours_decide"
    # Refused with the words said for any id not awaiting this user's decision
    # (decided, another ward's, past the grace): nothing is told about the row.
    refused = client.post(
        reverse(decide, args=[theirs.pk]), {"decision": "approve"}, follow=True
    )
    assert "لم تعد هذه الساعات في انتظار قرارك" in refused.content.decode()
    client.post(reverse(decide, args=[mine.pk]), {"decision": "reject"})
    mine.refresh_from_db()
    assert mine.status == HoursStatus.PENDING  # a rejection needs a comment
    client.post(
        reverse(decide, args=[mine.pk]), {"decision": "reject", "comment": "غياب"}
    )
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.status == HoursStatus.REJECTED
    assert theirs.status == HoursStatus.PENDING


@pytest.mark.parametrize(
    "next_url",
    ["//evil.example/", "https://evil.example/", "/\\evil.example/", "javascript:x"],
)
def test_hours_decision_never_redirects_to_another_site(two, client, next_url):
    p, _q = two
    entry = hours_record(
        placement=p.placement, date=D(2026, 10, 5), hours=6, by=p.supervisor
    )
    client.force_login(p.supervisor)
    response = client.post(
        reverse("training_hours_decide", args=[entry.pk]),
        {"decision": "approve", "next": next_url},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("training_my_students_today")


def test_hours_decision_returns_to_a_same_site_page(two, client):
    p, _q = two
    entry = hours_record(
        placement=p.placement, date=D(2026, 10, 5), hours=6, by=p.supervisor
    )
    client.force_login(p.supervisor)
    back = reverse("training_my_students_today") + "?date=2026-10-05"
    response = client.post(
        reverse("training_hours_decide", args=[entry.pk]),
        {"decision": "approve", "next": back},
    )
    assert response["Location"] == back


def test_supervisor_sees_placed_student_record_but_not_others(two, client):
    p, q = two
    ok = _get(
        client,
        p.supervisor,
        reverse("training_student_clinical_record", args=[p.placement.student_id]),
    )
    assert ok.status_code == 200
    assert (
        _get(
            client,
            p.supervisor,
            reverse("training_student_clinical_record", args=[q.placement.student_id]),
        ).status_code
        == 404
    )


def test_hospital_grid_shows_full_in_words_and_exports(two, client):
    p, _q = two
    placement_book(
        block=p.block,
        student=student_of(p),
        ward=p.ward,
        start_date=p.block.start_date,
        end_date=p.block.end_date,
    )
    url = reverse("training_hospital_schedule")
    page = _get(
        client, p.admin, url, hospital=p.hospital.pk, start="2026-10-03", weeks=3
    )
    text = page.content.decode()
    assert "2/2" in text and "pl-full" in text
    assert _get(client, p.admin, url, hospital=p.partner.pk).status_code == 200
    foreign = _get(client, p.admin, url, hospital=p.foreign.pk)
    assert foreign.status_code == 404
    export = _get(
        client, p.admin, url, hospital=p.hospital.pk, start="2026-10-03", export="csv"
    )
    assert "2/2" in export.content.decode("utf-8-sig")
    xlsx = _get(client, p.admin, url, hospital=p.hospital.pk, export="xlsx")
    assert xlsx.content[:2] == b"PK"


def test_hospital_grid_costs_the_same_for_more_wards(
    two, client, django_assert_max_num_queries
):
    from institutes.factories import WardFactory

    p, _q = two
    url = reverse("training_hospital_schedule")
    client.force_login(p.admin)
    client.get(url, {"hospital": p.hospital.pk})
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url, {"hospital": p.hospital.pk, "weeks": 12})
    for _ in range(5):
        WardFactory(hospital=p.hospital)
    with CaptureQueriesContext(connection) as more:
        client.get(url, {"hospital": p.hospital.pk, "weeks": 12})
    assert len(more) == len(few)


def test_cohort_grid_and_foreign_cohort(two, client):
    p, q = two
    url = reverse("training_cohort_schedule")
    page = _get(client, p.admin, url, cohort=p.cohort.pk, start="2026-10-03", weeks=2)
    assert page.status_code == 200 and "طالبة i-p" in page.content.decode()
    assert _get(client, p.admin, url, cohort=q.cohort.pk).status_code == 404


def test_ward_schedule_pdf_is_a_real_pdf_with_the_students(two, client):
    import io

    import pdfplumber

    p, _q = two
    response = _get(
        client,
        p.supervisor,
        reverse("training_ward_schedule_pdf", args=[p.ward.pk]),
        start="2026-10-03",
        end="2026-10-10",
    )
    assert response.status_code == 200
    assert response.content[:4] == b"%PDF"
    with pdfplumber.open(io.BytesIO(response.content)) as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages)
    assert "Students' schedule" in text


def test_dashboard_answers_for_each_role(two, client):
    p, _q = two
    for user in (p.admin, p.supervisor):
        assert (
            _get(client, user, reverse("training_placements_dashboard")).status_code
            == 200
        )


def test_users_without_a_role_are_turned_away(two, client):
    from institutes.factories import UserFactory

    p, _q = two
    student_of(p)
    nobody = UserFactory(username="nobody-pl")
    client.force_login(nobody)
    response = client.get(reverse("training_placements_dashboard"))
    assert response.status_code in (302, 403)
    before = Placement.objects.count()
    propose = reverse("training_block_propose", args=[p.block.pk])
    assert client.post(propose).status_code in (302, 403, 404)
    assert Placement.objects.count() == before
    # The twin: the institute's administrator proposing through the same door books.
    client.force_login(p.admin)
    assert client.post(propose).status_code == 302
    assert Placement.objects.count() > before


@pytest.mark.parametrize("bad", ["abc", "9" * 25])
def test_impossible_ids_in_the_query_answer_404(bad, two, client):
    p, _q = two
    cases = [
        (p.admin, "training_cohort_schedule", "cohort", p.cohort.pk),
        (p.admin, "training_hospital_schedule", "hospital", p.hospital.pk),
        (p.supervisor, "training_my_students_today", "ward", p.ward.pk),
    ]
    for user, name, param, own in cases:
        url = reverse(name)
        assert _get(client, user, url, **{param: bad}).status_code == 404, name
        # Twin: the user's own row through the same parameter.
        assert _get(client, user, url, **{param: own}).status_code == 200, name


@pytest.mark.parametrize("bad", ["2026-02-30", "9999-12-31", "0001-01-01", "abc"])
def test_impossible_dates_fall_back_with_a_message(bad, two, client):
    p, _q = two
    client.cookies["django_language"] = "en"
    for user, name, param in (
        (p.admin, "training_hospital_schedule", "start"),
        (p.admin, "training_cohort_schedule", "start"),
        (p.supervisor, "training_my_students_today", "date"),
    ):
        response = _get(client, user, reverse(name), **{param: bad})
        assert response.status_code == 200, name
        assert "is not a date between 1900 and 2199" in response.content.decode()
    pdf = _get(
        client,
        p.supervisor,
        reverse("training_ward_schedule_pdf", args=[p.ward.pk]),
        start=bad,
        end=bad,
    )
    assert pdf.status_code == 200


def test_an_impossible_date_in_the_hours_form_is_not_a_server_error(two, client):
    p, _q = two
    _get(client, p.supervisor, reverse("training_my_students_today"))
    response = client.post(
        reverse("training_my_students_today"),
        {"date": "2026-02-30", f"hours-{p.placement.pk}": ""},
    )
    assert response.status_code in (200, 302)
