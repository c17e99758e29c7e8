"""The trainer's screens and dashboards: they work, they are scoped, and their query
counts do not grow with the data."""

import datetime
from decimal import Decimal

import pytest

from django.urls import reverse
from django.utils import timezone

from training.factories import StaffMemberFactory, TopicFactory, TrainingSessionFactory
from training.models import Attendance, AttendanceChange, Registration
from training.staff.compliance import status_sync

pytestmark = pytest.mark.django_db


def _today_session(hospital, trainer=None, **kw):
    start = timezone.now().replace(microsecond=0) - datetime.timedelta(minutes=30)
    session = TrainingSessionFactory(
        hospital=hospital,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        **kw,
    )
    if trainer:
        session.trainers.add(trainer)
    return session


@pytest.fixture
def sides(world):
    topic = TopicFactory(code="ipc", title_ar="مكافحة العدوى")
    a_staff = [StaffMemberFactory(hospital=world.a.hospital) for _ in range(3)]
    b_staff = [StaffMemberFactory(hospital=world.b.hospital) for _ in range(2)]
    status_sync([s.pk for s in a_staff + b_staff])
    a_session = _today_session(world.a.hospital, world.a.trainer, topic=topic)
    b_session = _today_session(
        world.b.hospital, world.b.trainer, topic=topic, venue="B-venue"
    )
    return {
        "topic": topic,
        "a_staff": a_staff,
        "b_staff": b_staff,
        "a": a_session,
        "b": b_session,
    }


def test_trainer_sees_own_sessions_today(world, sides, client):
    client.force_login(world.a.trainer)
    response = client.get(reverse("training_my_sessions"))
    assert response.status_code == 200
    assert sides["a"].venue in response.content.decode()
    assert "B-venue" not in response.content.decode()


def test_roster_marks_everyone_in_one_save_and_resubmit_is_idempotent(
    world, sides, client
):
    client.force_login(world.a.trainer)
    url = reverse("training_session_detail", args=[sides["a"].pk])
    data = {"staff": [s.pk for s in sides["a_staff"]]}
    for s in sides["a_staff"]:
        data[f"s{s.pk}"] = "present"
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert Attendance.objects.filter(session=sides["a"]).count() == 3
    assert not AttendanceChange.objects.exists()
    data[f"s{sides['a_staff'][0].pk}"] = "absent"
    client.post(url, data)
    assert AttendanceChange.objects.get().old_status == "present"


def test_walk_in_is_added_by_employee_number(world, sides, client):
    client.force_login(world.a.trainer)
    walk_in = StaffMemberFactory(hospital=world.a.hospital, employee_number="W-77")
    url = reverse("training_session_detail", args=[sides["a"].pk])
    client.post(url, {"walk_in": "W-77"})
    attendance = Attendance.objects.get(session=sides["a"], staff=walk_in)
    assert attendance.walk_in and attendance.status == "present"


def test_foreign_session_and_staff_answer_404(world, sides, client):
    client.force_login(world.a.trainer)
    for name in (
        "training_session_detail",
        "training_session_paper",
        "training_session_cancel",
    ):
        assert client.get(reverse(name, args=[sides["b"].pk])).status_code == 404
    url = reverse("training_session_detail", args=[sides["b"].pk])
    b = sides["b_staff"][0]
    response = client.post(url, {"staff": [b.pk], f"s{b.pk}": "present"})
    assert response.status_code == 404
    assert not Attendance.objects.exists()
    record = reverse("training_staff_record", args=[b.pk])
    assert client.get(record).status_code == 404
    register = reverse("training_session_register", args=[sides["b"].pk])
    assert client.post(register, {"mode": "one", "staff": b.pk}).status_code == 404
    assert not Registration.objects.exists()


def test_own_session_and_staff_open_for_the_trainer(world, sides, client):
    """Twin of the 404s above: the same trainer, the same doors, own rows."""
    client.force_login(world.a.trainer)
    for name in (
        "training_session_detail",
        "training_session_paper",
        "training_session_cancel",
    ):
        response = client.get(reverse(name, args=[sides["a"].pk]))
        assert response.status_code == 200, name
    mine = sides["a_staff"][0]
    url = reverse("training_session_detail", args=[sides["a"].pk])
    response = client.post(url, {"staff": [mine.pk], f"s{mine.pk}": "present"})
    assert response.status_code == 302
    assert Attendance.objects.get(staff=mine).status == "present"
    record = client.get(reverse("training_staff_record", args=[mine.pk]))
    assert record.status_code == 200
    assert mine.employee_number in record.content.decode()
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=7)
    later = TrainingSessionFactory(
        hospital=world.a.hospital,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )
    later.trainers.add(world.a.trainer)
    register = reverse("training_session_register", args=[later.pk])
    assert client.post(register, {"mode": "one", "staff": mine.pk}).status_code == 302
    assert Registration.objects.filter(session=later, staff=mine).exists()
    cancel = reverse("training_session_cancel", args=[later.pk])
    assert client.post(cancel, {"reason": "عطل في القاعة"}).status_code == 302
    later.refresh_from_db()
    assert later.status == "cancelled"


def test_foreign_staff_cannot_be_posted_into_own_roster(world, sides, client):
    client.force_login(world.a.trainer)
    b = sides["b_staff"][0]
    url = reverse("training_session_detail", args=[sides["a"].pk])
    client.post(url, {"staff": [b.pk], f"s{b.pk}": "present"})
    assert not Attendance.objects.exists()
    register = reverse("training_session_register", args=[sides["a"].pk])
    TrainingSessionFactory  # noqa: B018
    client.post(register, {"mode": "one", "staff": b.pk})
    assert not Registration.objects.filter(staff=b).exists()


def test_institute_admin_and_supervisor_see_no_staff(world, sides, client):
    for user in (world.a.admin, world.a.supervisor):
        client.force_login(user)
        assert client.get(reverse("training_compliance")).status_code in (302, 403)
        assert client.get(reverse("training_compliance_people")).status_code in (
            302,
            403,
        )
        assert (
            client.get(
                reverse("training_session_detail", args=[sides["a"].pk])
            ).status_code
            == 404
        )


def test_people_list_and_exports_are_scoped(world, sides, client):
    client.force_login(world.a.trainer)
    url = reverse("training_compliance_people")
    page = client.get(url, {"state": "never"}).content.decode()
    assert sides["a_staff"][0].employee_number in page
    assert sides["b_staff"][0].employee_number not in page
    csv = b"".join(
        client.get(url, {"state": "never", "export": "csv"}).streaming_content
    ).decode("utf-8-sig")
    assert sides["a_staff"][0].employee_number in csv
    assert sides["b_staff"][0].employee_number not in csv
    xlsx = client.get(url, {"state": "never", "export": "xlsx"})
    assert xlsx.status_code == 200
    # Another hospital's id is refused by the filter form (its own message), lists
    # nothing and never shows that hospital's staff.
    foreign = client.get(url, {"state": "never", "hospital": world.b.hospital.pk})
    assert foreign.status_code == 200
    assert foreign.context["filterset"].errors
    assert sides["b_staff"][0].employee_number not in foreign.content.decode()
    assert sides["a_staff"][0].employee_number not in foreign.content.decode()
    # Malformed values are the form's error too, never a server error.
    for bad in ({"hospital": "abc"}, {"topic": "abc", "ward": "abc"}, {"state": "x"}):
        assert client.get(url, bad).status_code == 200


def test_dashboards_render_for_trainer_and_authority(world, sides, client):
    client.force_login(world.a.trainer)
    page = client.get(reverse("training_compliance")).content.decode()
    assert "<svg" in page and world.b.hospital.name_ar not in page
    assert (
        client.get(
            reverse("training_compliance"), {"hospital": world.b.hospital.pk}
        ).status_code
        == 404
    )
    # Twin: the trainer's own hospital through the same parameter.
    own = client.get(reverse("training_compliance"), {"hospital": world.a.hospital.pk})
    assert own.status_code == 200
    assert world.a.hospital.name_ar in own.content.decode()
    national = client.get(reverse("training_compliance_national")).content.decode()
    assert world.b.hospital.name_ar not in national
    client.force_login(world.authority)
    national = client.get(reverse("training_compliance_national")).content.decode()
    assert world.a.hospital.name_ar in national and world.b.hospital.name_ar in national


def test_compliance_queries_do_not_grow_with_staff(
    world, client, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    TopicFactory()
    client.force_login(world.a.trainer)

    def counts():
        result = []
        for url, params in (
            (reverse("training_compliance"), {}),
            (reverse("training_compliance_people"), {"state": "never"}),
        ):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url, params).status_code == 200
            result.append(len(ctx.captured_queries))
        return result

    people = [StaffMemberFactory(hospital=world.a.hospital) for _ in range(5)]
    status_sync([p.pk for p in people])
    small = counts()
    people = [StaffMemberFactory(hospital=world.a.hospital) for _ in range(40)]
    status_sync([p.pk for p in people])
    large = counts()
    assert large == small
    assert max(large) <= 25


def test_roster_page_queries_do_not_grow(world, client, django_assert_max_num_queries):
    topic = TopicFactory()
    session = _today_session(world.a.hospital, world.a.trainer, topic=topic)
    for _ in range(30):
        staff = StaffMemberFactory(hospital=world.a.hospital)
        Registration.objects.create(
            session=session,
            staff=staff,
            person_id=staff.person_id,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
        )
    client.force_login(world.a.trainer)
    with django_assert_max_num_queries(20):
        assert (
            client.get(
                reverse("training_session_detail", args=[session.pk])
            ).status_code
            == 200
        )


def test_staff_record_shows_history(world, sides, client):
    client.force_login(world.a.trainer)
    staff = sides["a_staff"][0]
    url = reverse("training_session_detail", args=[sides["a"].pk])
    client.post(url, {"staff": [staff.pk], f"s{staff.pk}": "present"})
    page = client.get(
        reverse("training_staff_record", args=[staff.pk])
    ).content.decode()
    assert "مكافحة العدوى" in page
    attendance = Attendance.objects.get(staff=staff)
    # Both tables are labelled cards on phones; the trainer may correct the row.
    assert page.count('data-label="') >= 5
    assert reverse("training_attendance_correct", args=[attendance.pk]) in page


def test_paper_sheet_entry(world, sides, client):
    client.force_login(world.a.trainer)
    one, two, three = sides["a_staff"]
    for s in (one, two):
        Registration.objects.create(
            session=sides["a"],
            staff=s,
            person_id=s.person_id,
            starts_at=sides["a"].starts_at,
            ends_at=sides["a"].ends_at,
        )
    url = reverse("training_session_paper", args=[sides["a"].pk])
    bad = client.post(url, {"lines": "NOPE-1\n", "absent_if_missing": "on"})
    assert bad.status_code == 200 and not Attendance.objects.exists()
    client.post(
        url,
        {
            "lines": f"{one.employee_number}\n{three.employee_number}\n",
            "absent_if_missing": "on",
        },
    )
    got = dict(Attendance.objects.values_list("staff_id", "status"))
    assert got == {one.pk: "present", two.pk: "absent", three.pk: "present"}
    assert Attendance.objects.get(staff=three).walk_in


def test_paper_sheet_reads_arabic_digits_and_decimal_commas(world, sides, client):
    """Employee numbers and scores typed on an Arabic keyboard, through the one parser."""
    from institutes.formatting import to_digits

    client.force_login(world.a.trainer)
    one, two, _three = sides["a_staff"]
    url = reverse("training_session_paper", args=[sides["a"].pk])
    arabic = to_digits(one.employee_number, "arab")
    lines = f"{arabic} ٨٥٫٥\n{two.employee_number} 71,5\n"
    assert client.post(url, {"lines": lines}).status_code == 302
    scores = dict(Attendance.objects.values_list("staff_id", "score"))
    assert scores == {one.pk: Decimal("85.5"), two.pk: Decimal("71.5")}
    bad = client.post(url, {"lines": f"{one.employee_number} abc\n"})
    assert (
        bad.status_code == 200
        and "Line 1" in bad.content.decode()
        or ("السطر" in bad.content.decode())
    )


def test_a_1500_person_roster_saves_through_the_form(world, client):
    """4,500 fields (staff, status, score per person) fit DATA_UPLOAD_MAX_NUMBER_FIELDS."""
    from institutes.models import Person
    from training.factories import make_national_id
    from training.models import StaffMember

    topic = TopicFactory(assessment="exam", pass_mark=60)
    session = _today_session(world.a.hospital, world.a.trainer, topic=topic)
    birth = datetime.date(1980, 1, 1)
    people = Person.objects.bulk_create(
        [
            Person(
                national_id=make_national_id(
                    birth + datetime.timedelta(days=i // 1000), "f", serial=i
                ),
                name_ar=f"موظفة {i}",
                birth_date=birth + datetime.timedelta(days=i // 1000),
                sex="f",
            )
            for i in range(1500)
        ]
    )
    staff = StaffMember.objects.bulk_create(
        [
            StaffMember(
                person=p,
                hospital=world.a.hospital,
                employee_number=f"R{i:05d}",
                job_category="nurse",
                hire_date=datetime.date(2010, 1, 1),
            )
            for i, p in enumerate(people)
        ]
    )
    data = {"staff": [s.pk for s in staff]}
    for s in staff:
        data[f"s{s.pk}"] = "present"
        data[f"c{s.pk}"] = "75"
    client.force_login(world.a.trainer)
    url = reverse("training_session_detail", args=[session.pk])
    assert client.post(url, data).status_code == 302
    assert Attendance.objects.filter(session=session, passed=True).count() == 1500
    assert client.post(url, data).status_code == 302
    assert Attendance.objects.filter(session=session).count() == 1500


def test_register_everyone_due_and_a_whole_department(world, client):
    from institutes.factories import WardFactory
    from training.models import StaffTopicStatus

    topic = TopicFactory()
    ward = WardFactory(hospital=world.a.hospital)
    due = StaffMemberFactory(hospital=world.a.hospital)
    fine = StaffMemberFactory(hospital=world.a.hospital, ward=ward)
    in_ward = StaffMemberFactory(hospital=world.a.hospital, ward=ward)
    status_sync([due.pk, fine.pk, in_ward.pk])
    today = timezone.localdate()
    StaffTopicStatus.objects.filter(staff=fine).update(
        completed_on=today, valid_until=today + datetime.timedelta(days=300)
    )
    StaffTopicStatus.objects.filter(staff=in_ward).update(
        completed_on=today, valid_until=today + datetime.timedelta(days=300)
    )
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=2)
    session = TrainingSessionFactory(
        hospital=world.a.hospital,
        topic=topic,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )
    client.force_login(world.a.trainer)
    url = reverse("training_session_register", args=[session.pk])
    client.post(url, {"mode": "due"})
    assert set(Registration.objects.values_list("staff_id", flat=True)) == {due.pk}
    client.post(url, {"mode": "ward", "ward": ward.pk})
    assert set(Registration.objects.values_list("staff_id", flat=True)) == {
        due.pk,
        fine.pk,
        in_ward.pk,
    }


def test_the_certificates_button_opens_the_bulk_form_with_the_session_chosen(
    world, sides, client
):
    client.force_login(world.a.trainer)
    url = reverse("training_session_detail", args=[sides["a"].pk])
    data = {"staff": [s.pk for s in sides["a_staff"]]}
    for s in sides["a_staff"]:
        data[f"s{s.pk}"] = "present"
    client.post(url, data)
    page = client.get(url).content.decode()
    bulk = reverse("certificates_admin:bulk_new", args=["training.certificate:session"])
    link = f"{bulk}?session={sides['a'].pk}"
    assert f'href="{link}"' in page
    form = client.get(link).content.decode()
    assert f'<option value="{sides["a"].pk}" selected>' in form


def test_a_session_reads_in_the_site_time_zone():
    """A 09:00 Cairo session is stored as 07:00 UTC; people read 09:00."""
    import zoneinfo

    from training.models import TrainingSession

    cairo = zoneinfo.ZoneInfo("Africa/Cairo")
    session = TrainingSession(
        topic=TopicFactory.build(title_ar="مكافحة العدوى"),
        venue="قاعة 1",
        starts_at=datetime.datetime(2026, 12, 5, 9, 0, tzinfo=cairo).astimezone(
            datetime.UTC
        ),
    )
    assert "2026-12-05 09:00" in str(session)


def test_a_new_session_lands_on_its_own_page(world, client):
    from training.models import TrainingSession

    topic = TopicFactory(code="bls", title_ar="الإنعاش القلبي")
    client.force_login(world.a.trainer)
    response = client.post(
        reverse("training_sessions:add"),
        {
            "topic": topic.pk,
            "hospital": world.a.hospital.pk,
            "venue": "قاعة ٢",
            "starts_at": "2026-12-20 09:00",
            "ends_at": "2026-12-20 11:00",
            "capacity": "20",
            "trainers": [world.a.trainer.pk],
            "status": "scheduled",
            "notes": "",
        },
    )
    session = TrainingSession.objects.get(topic=topic)
    assert response.status_code == 302
    assert response["Location"] == reverse("training_session_detail", args=[session.pk])
