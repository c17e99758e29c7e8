"""The admin home fits the role: a trainer's work, an editor's pages, no dead ends."""

import datetime

import pytest

from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from institutes.factories import UserFactory
from institutes.services import EDITORIAL_GROUPS
from training.factories import StaffMemberFactory, TopicFactory, TrainingSessionFactory
from training.models import StaffTopicStatus
from training.staff.selectors import trainer_home
from training.staff.services import RosterEntry, roster_save

pytestmark = pytest.mark.django_db
HOME = "wagtailadmin_home"


def _session(hospital, trainer, *, days=0, hours=0, topic=None):
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(
        days=days, hours=hours
    )
    session = TrainingSessionFactory(
        hospital=hospital,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        **({"topic": topic} if topic else {}),
    )
    session.trainers.add(trainer)
    return session


def _today_at(hour):
    local = timezone.localtime().replace(hour=hour, minute=0, second=0, microsecond=0)
    return local


def test_trainer_home_lists_today_unmarked_rosters_and_expiring(world):
    trainer = world.a.trainer
    start = _today_at(12)
    today = TrainingSessionFactory(
        hospital=world.a.hospital,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
    )
    today.trainers.add(trainer)
    unmarked = _session(world.a.hospital, trainer, days=-3)
    marked = _session(world.a.hospital, trainer, days=-2)
    staff = StaffMemberFactory(hospital=world.a.hospital)
    roster_save(session=marked, entries=[RosterEntry(staff.pk, "present")])
    # Today's session is marked too: once it has ended (after 13:00) an unmarked one
    # would rightly be listed as unmarked as well.
    roster_save(session=today, entries=[RosterEntry(staff.pk, "present")])
    _session(world.b.hospital, world.b.trainer, days=-3)  # another hospital's
    StaffTopicStatus.objects.filter(staff=staff).update(
        valid_until=timezone.localdate() + datetime.timedelta(days=10)
    )
    home = trainer_home(user=trainer)
    assert today in home["today_sessions"]
    assert home["unmarked"] == [unmarked]
    assert staff in [row.staff for row in home["expiring"]]


def test_trainer_home_page_links_rosters_and_shows_no_student_counts(
    world, client, django_assert_max_num_queries
):
    trainer = world.a.trainer
    client.force_login(trainer)
    client.get(reverse(HOME))
    with django_assert_max_num_queries(60) as few:
        client.get(reverse(HOME))
    topic = TopicFactory()
    sessions = [
        _session(world.a.hospital, trainer, days=-(i + 1), topic=topic)
        for i in range(12)
    ]
    for i in range(12):
        staff = StaffMemberFactory(hospital=world.a.hospital)
        StaffTopicStatus.objects.update_or_create(
            staff=staff,
            topic=topic,
            defaults={
                "hospital": world.a.hospital,
                "completed_on": timezone.localdate() - datetime.timedelta(days=700),
                "valid_until": timezone.localdate() + datetime.timedelta(days=i + 1),
                "grace_until": timezone.localdate(),
            },
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse(HOME))
    html = response.content.decode()
    assert reverse("training_session_detail", args=[sessions[0].pk]) in html
    assert 'id="trainer-home-heading"' in html
    assert "students-overview-title" not in html


def test_institute_admin_keeps_student_counts_and_no_trainer_panel(world, client):
    client.force_login(world.a.admin)
    html = client.get(reverse(HOME)).content.decode()
    assert "students-overview-title" in html
    assert 'id="trainer-home-heading"' not in html


def test_editor_sees_their_pages_not_a_request_for_a_role(
    world, client, django_assert_max_num_queries
):
    from wagtail.models import Page

    editor = UserFactory(username="editor-x")
    editor.groups.add(Group.objects.get(name=EDITORIAL_GROUPS["editor"]))
    Page.get_first_root_node().add_child(
        instance=Page(
            title="مسودة حملة السكري",
            slug="draft-diabetes",
            live=False,
            has_unpublished_changes=True,
            owner=editor,
        )
    )
    client.force_login(editor)
    with django_assert_max_num_queries(60):
        html = client.get(reverse(HOME)).content.decode()
    assert "اطلب من موظفي الهيئة" not in html
    assert "مسودة حملة السكري" in html


def test_a_trainer_without_pages_keeps_the_access_panel(world, client):
    client.force_login(world.a.trainer)
    html = client.get(reverse(HOME)).content.decode()
    assert 'id="my-access-heading"' in html
    assert str(world.a.hospital) in html
