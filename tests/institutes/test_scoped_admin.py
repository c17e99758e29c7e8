"""The scoped admin's doors: history, usage, delete, choosers and malformed input."""

import pytest

from django import forms
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from institutes import access
from institutes.factories import RoleAssignmentFactory, UserFactory
from institutes.scoped_admin import bound_dates
from students.factories import CohortFactory, StudentFactory, enrolled_student
from students.models import Cohort, Student

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_student(world):
    return StudentFactory(cohort=CohortFactory(institute=world.a.institute))


# --- History and usage -------------------------------------------------------------


def test_wagtail_only_actions_are_refused_to_roles_and_granted_to_authority(world):
    assert not access.user_may(world.a.admin, "publish", Student)
    assert not access.can(world.a.admin, "lock", StudentFactory())
    assert access.user_may(world.authority, "publish", Student)
    # The actions our rules know still answer as before.
    assert access.user_may(world.a.admin, "change", Student)


@pytest.mark.parametrize("door", ["history", "usage"])
def test_history_and_usage_open_for_an_institute_admin(
    door, world, client, own_student
):
    client.force_login(world.a.admin)
    response = client.get(reverse(f"students:{door}", args=[own_student.pk]))
    assert response.status_code == 200


def test_usage_lists_only_the_sources_the_user_may_see(world, client):
    """An institute's usage lists role assignments only to those who see them."""
    from wagtail.models import ReferenceIndex

    colleague = RoleAssignmentFactory(
        user=UserFactory(
            username="colleague-usage", first_name="زميلة", last_name="الاستخدام"
        ),
        institute=world.a.institute,
    )
    # Wagtail indexes references in a task run when the transaction commits, which a
    # test inside a transaction never does: index this one now.
    ReferenceIndex.create_or_update_for_object(colleague)
    url = reverse("institutes:usage", args=[world.a.institute.pk])
    client.force_login(world.authority)
    # The assignment is named by its person, not the username.
    assert "زميلة الاستخدام" in client.get(url).content.decode()
    client.force_login(world.a.admin)
    response = client.get(url)
    assert response.status_code == 200
    assert "زميلة الاستخدام" not in response.content.decode()


def test_history_refuses_an_impossible_date_as_a_filter_error(
    world, client, own_student
):
    client.force_login(world.a.admin)
    url = reverse("students:history", args=[own_student.pk])
    for day in ("9999-12-31", "0001-01-01", "2026-02-30"):
        response = client.get(url, {"timestamp_after": day, "timestamp_before": day})
        assert response.status_code == 200, day
    assert client.get(url, {"timestamp_after": "2026-01-01"}).status_code == 200


def test_bound_dates_adds_a_plain_message():
    field = forms.DateField()
    bound_dates([field])
    with pytest.raises(forms.ValidationError) as caught:
        field.clean("9999-12-31")
    assert "1900" in str(caught.value)
    assert str(field.clean("2026-02-28")) == "2026-02-28"


# --- Delete of a protected record --------------------------------------------------


def test_deleting_a_protected_student_says_why_and_what_to_do(world, client):
    student = enrolled_student(CohortFactory(institute=world.a.institute))
    url = reverse("students:delete", args=[student.pk])
    client.force_login(world.a.admin)
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Withdraw" in text or "انسحاب" in text or "سحب" in text
    assert 'method="POST"' not in text  # no "Yes, delete" button

    response = client.post(url)
    assert response.status_code == 409
    assert Student.objects.filter(pk=student.pk).exists()
    with translation.override("ar"):
        hint = escape(str(Student.delete_protected_hint))
    assert hint in response.content.decode()


def test_deleting_a_protected_student_speaks_english_too(world, client):
    student = enrolled_student(CohortFactory(institute=world.a.institute))
    client.force_login(world.a.admin)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("students:delete", args=[student.pk]))
    assert response.status_code == 409
    assert Student.objects.filter(pk=student.pk).exists()
    text = response.content.decode()
    assert "can't be deleted" in text or "can&#x27;t be deleted" in text
    assert "Withdraw" in text


def test_deleting_an_unprotected_record_still_works(world, client):
    cohort = CohortFactory(institute=world.a.institute, intake_year=2019)
    client.force_login(world.a.admin)
    response = client.post(reverse("cohorts:delete", args=[cohort.pk]))
    assert response.status_code == 302
    assert not Cohort.objects.filter(pk=cohort.pk).exists()


# --- Malformed ids -----------------------------------------------------------------


@pytest.mark.parametrize("bad", ["abc", "9" * 25, "%00"])
def test_choosers_answer_404_to_impossible_ids(bad, world, client, own_student):
    client.force_login(world.a.admin)
    assert client.get(f"/admin/student_chooser/chosen/{bad}/").status_code == 404
    assert client.get(f"/admin/ward_chooser/chosen/{bad}/").status_code == 404
    multiple = client.get("/admin/student_chooser/chosen-multiple/", {"id": [bad]})
    assert multiple.status_code == 200
    assert own_student.person.name_ar not in multiple.content.decode()
    # Twin: a real id of the user's own still chooses.
    chosen = client.get(
        "/admin/student_chooser/chosen-multiple/", {"id": [bad, own_student.pk]}
    )
    assert chosen.status_code == 200
    assert str(own_student.pk) in chosen.content.decode()


def test_a_25_digit_id_in_a_post_is_a_form_error(world, client):
    own = CohortFactory(institute=world.a.institute)
    url = reverse("cohorts:add")
    client.force_login(world.a.admin)
    response = client.post(
        url,
        {
            "institute": "9" * 25,
            "intake_year": "2030",
            "capacity": "40",
            "curriculum_version": str(own.curriculum_version_id),
        },
    )
    assert response.status_code == 200
    assert "institute" in response.context["form"].errors
    # Twin: the user's own institute is accepted by the same field.
    field = response.context["form"].fields["institute"]
    assert field.clean(str(world.a.institute.pk)) == world.a.institute


@pytest.mark.parametrize("bad", ["abc", "%00"])
def test_chooser_filter_by_an_impossible_cohort_lists_nothing(
    bad, world, client, own_student
):
    client.force_login(world.a.admin)
    for door in ("choose", "choose_results"):
        url = reverse(f"student_chooser:{door}")
        response = client.get(url, {"cohort": bad})
        assert response.status_code == 200, door
        assert own_student.person.name_ar not in _modal(response)
        # Twin: the student's own cohort lists them.
        own = client.get(url, {"cohort": own_student.cohort_id})
        assert own_student.person.name_ar in _modal(own)


def _modal(response) -> str:
    if response.get("Content-Type", "").startswith("application/json"):
        return response.json().get("html", "")
    return response.content.decode()
