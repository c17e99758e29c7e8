"""Every account a person reads is the person's name, never the username: listings,
titles, history notes and exported files, in Arabic and in English."""

import datetime
import re

import pytest

from django.urls import reverse
from django.utils import timezone

from institutes.factories import RoleAssignmentFactory, UserFactory
from institutes.models import IdentityChangeRequest
from institutes.spreadsheets import spreadsheet_response
from training.factories import (
    StaffMemberFactory,
    TopicFactory,
    TrainingSessionFactory,
)
from training.models import Attendance, TopicRuleChange
from training.staff.services import RosterEntry, attendance_correct, roster_save

USERNAME = "u-1234"

#: The same account read in each language: its name, whatever the language.
NAMES = [("ar", "منى", "حسن"), ("en", "Mona", "Hassan")]


@pytest.fixture(params=NAMES, ids=[n[0] for n in NAMES])
def named(request, db, client):
    """(user, full name) with the screens in the parameter's language."""
    language, first, last = request.param
    user = UserFactory(username=USERNAME, first_name=first, last_name=last)
    client.cookies["django_language"] = language
    return user, f"{first} {last}"


def _text(response) -> str:
    assert response.status_code == 200
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode("utf-8-sig")


def test_role_assignments_list_the_person_by_name(named, world, client):
    user, name = named
    RoleAssignmentFactory(user=user)
    client.force_login(world.authority)
    page = _text(client.get(reverse("roles:index")))
    assert name in page
    assert USERNAME not in page


def test_role_assignment_export_names_the_person(named, world, client):
    user, name = named
    RoleAssignmentFactory(user=user)
    client.force_login(world.authority)
    for fmt in ("csv", "xlsx"):
        response = client.get(reverse("roles:index"), {"export": fmt})
        assert response.status_code == 200
    csv = _text(client.get(reverse("roles:index"), {"export": "csv"}))
    assert name in csv
    assert USERNAME not in csv


def test_role_assignment_title_names_the_person(named, world, client):
    user, name = named
    assignment = RoleAssignmentFactory(user=user)
    assert str(assignment).startswith(name)
    client.force_login(world.authority)
    page = _text(client.get(reverse("roles:inspect", args=[assignment.pk])))
    assert name in page
    assert USERNAME not in page


def test_topic_rule_changes_name_who_changed_them(named, world, client):
    user, name = named
    TopicRuleChange.objects.create(
        topic=TopicFactory(), before={}, after={}, changed_by=user
    )
    client.force_login(world.authority)
    url = reverse("training_rule_changes:index")
    for response in (client.get(url), client.get(url, {"export": "csv"})):
        text = _text(response)
        assert name in text
        assert USERNAME not in text


def test_a_rule_change_by_nobody_reads_as_a_dash(world, client):
    """Twin of the above: a change made by the system shows one dash."""
    TopicRuleChange.objects.create(topic=TopicFactory(), before={}, after={})
    client.force_login(world.authority)
    page = _text(client.get(reverse("training_rule_changes:index")))
    assert re.search(r"<td[^>]*>\s*—\s*</td>", page)


def test_attendance_correction_history_names_who_corrected(named, world, client):
    user, name = named
    start = timezone.now().replace(microsecond=0) - datetime.timedelta(hours=3)
    session = TrainingSessionFactory(
        hospital=world.a.hospital,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )
    staff = StaffMemberFactory(hospital=world.a.hospital)
    roster_save(session=session, entries=[RosterEntry(staff.pk, "absent")])
    attendance = Attendance.objects.get(session=session, staff=staff)
    attendance_correct(
        attendance=attendance,
        status="present",
        score=None,
        reason="ورقة الحضور",
        changed_by=user,
    )
    client.force_login(world.authority)
    page = _text(
        client.get(reverse("training_attendance_correct", args=[attendance.pk]))
    )
    assert name in page
    assert USERNAME not in page


def test_identity_change_requests_name_who_asked(named, world, client):
    from training.staff.factories import PersonFactory

    user, name = named
    IdentityChangeRequest.objects.create(
        person=PersonFactory(),
        changes={"name_en": {"from": "", "to": "X"}},
        requested_by=user,
    )
    client.force_login(world.authority)
    page = _text(client.get(reverse("identity_changes")))
    assert name in page
    assert USERNAME not in page


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_spreadsheet_cells_write_an_account_by_name(db, fmt):
    from io import BytesIO

    from openpyxl import load_workbook

    user = UserFactory(username=USERNAME, first_name="منى", last_name="حسن")
    response = spreadsheet_response(
        filename="t", headers=["by"], rows=[[user]], fmt=fmt
    )
    if fmt == "csv":
        cell = response.content.decode("utf-8-sig").splitlines()[1]
    else:
        sheet = load_workbook(BytesIO(response.content)).active
        cell = sheet.cell(row=2, column=1).value
    assert cell == "منى حسن"


def test_an_account_without_a_name_still_reads_as_its_username(db):
    """Twin: with no name at all, the username is the only way to tell who it was."""
    user = UserFactory(username=USERNAME, first_name="", last_name="")
    response = spreadsheet_response(
        filename="t", headers=["by"], rows=[[user]], fmt="csv"
    )
    assert response.content.decode("utf-8-sig").splitlines()[1] == USERNAME
