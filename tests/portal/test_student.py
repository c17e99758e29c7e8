"""A student's pages: hours entered for approval (and approved by the supervisor
through the back office's screen), placements, record, and nobody else's rows."""

from decimal import Decimal

from django.urls import reverse

from portal.models import EventKind, PortalEvent
from training.models import ClinicalHours, HoursStatus, PlacementDay

from .conftest import a_day, enter, make_portal


def _day(portal, offset=1):
    return PlacementDay.objects.get(
        placement=portal.placement, date=a_day(portal, offset)
    )


def test_a_student_enters_hours_and_the_supervisor_approves_them(client, portal):
    person = portal.student.person
    enter(client, person)
    day = _day(portal)
    hours_page = reverse("portal:hours")
    response = client.post(
        reverse("portal:hours_enter", args=[day.pk]), {"hours": "٦٫٥"}
    )
    assert response.status_code == 302
    entry = ClinicalHours.objects.get(day=day)
    assert (entry.hours, entry.status) == (Decimal("6.5"), HoursStatus.PENDING)
    assert entry.entered_by.username == f"portal.{person.pk}"
    assert PortalEvent.objects.filter(
        person=person, kind=EventKind.HOURS_ENTERED
    ).exists()
    # The supervisor approves through the back office's own screen.
    supervisor = client.__class__()
    supervisor.force_login(portal.site.supervisor)
    supervisor.post(
        reverse("training_hours_decide", args=[entry.pk]), {"decision": "approve"}
    )
    entry.refresh_from_db()
    assert (entry.status, entry.decided_by) == (
        HoursStatus.APPROVED,
        portal.site.supervisor,
    )
    page = client.get(hours_page).content.decode()
    assert "Approved" in page


def test_approved_hours_cannot_be_changed_from_the_portal(client, portal):
    from training.placements.services import hours_decide

    enter(client, portal.student.person)
    day = _day(portal)
    client.post(reverse("portal:hours_enter", args=[day.pk]), {"hours": "6"})
    entry = ClinicalHours.objects.get(day=day)
    hours_decide(entry=entry, approve=True, by=portal.site.supervisor)
    response = client.post(
        reverse("portal:hours_enter", args=[day.pk]), {"hours": "7"}, follow=True
    )
    assert "approved" in response.content.decode()
    assert ClinicalHours.objects.get(day=day).hours == 6
    # Its twin: another day of the same placement is entered through the same door.
    other = _day(portal, 2)
    client.post(reverse("portal:hours_enter", args=[other.pk]), {"hours": "7"})
    assert ClinicalHours.objects.get(day=other).status == HoursStatus.PENDING


def test_bad_hours_get_a_clear_message(client, portal):
    enter(client, portal.student.person)
    day = _day(portal)
    for bad in ("abc", "13", "0", "", "9" * 20):
        response = client.post(
            reverse("portal:hours_enter", args=[day.pk]), {"hours": bad}, follow=True
        )
        assert response.status_code == 200
        assert 'class="error"' in response.content.decode()
    assert not ClinicalHours.objects.filter(day=day).exists()


def test_someone_elses_day_is_not_found(client, portal, django_assert_max_num_queries):
    other = make_portal("q")
    enter(client, portal.student.person)
    theirs = PlacementDay.objects.filter(placement=other.placement).first()
    for day_id in (theirs.pk, "abc", "9" * 25):
        response = client.post(
            reverse("portal:hours_enter", args=[day_id]), {"hours": "5"}
        )
        assert response.status_code == 404
    assert not ClinicalHours.objects.filter(day=theirs).exists()
    # Its twin: the other student enters it through the same door.
    enter(client, other.student.person)
    response = client.post(
        reverse("portal:hours_enter", args=[theirs.pk]), {"hours": "5"}
    )
    assert response.status_code == 302
    assert ClinicalHours.objects.filter(day=theirs).exists()


def test_the_placements_page_names_the_supervisor_and_no_other_student(client, portal):
    from training.placements.services import placement_book

    from ..training.placements.fixtures import student_of

    classmate = student_of(portal.site)
    placement_book(
        block=portal.site.block,
        student=classmate,
        ward=portal.site.ward,
        start_date=portal.site.block.start_date,
        end_date=portal.site.block.end_date,
    )
    type(portal.site.supervisor).objects.filter(pk=portal.site.supervisor.pk).update(
        first_name="Mona", last_name="Supervisor"
    )
    enter(client, portal.student.person)
    for name in ("placements", "hours", "record", "home"):
        page = client.get(reverse(f"portal:{name}")).content.decode()
        assert classmate.person.name not in page
        assert classmate.person.name_en not in page
    page = client.get(reverse("portal:placements")).content.decode()
    assert "Mona Supervisor" in page
    assert portal.site.ward.name_en in page or portal.site.ward.name_ar in page


def test_a_student_has_no_training_page(client, portal):
    enter(client, portal.student.person)
    assert client.get(reverse("portal:training")).status_code == 404
    # Its twin: a staff member opens it.
    enter(client, portal.staff.person)
    assert client.get(reverse("portal:training")).status_code == 200
