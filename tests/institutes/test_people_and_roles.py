"""One screen gives a role: find or create the person, the role, only its scope."""

import pytest

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from institutes import access
from institutes.access import Role
from institutes.factories import RoleAssignmentFactory, UserFactory
from institutes.models import RoleAssignment
from institutes.services import EDITORIAL_GROUPS, role_assign, role_setup

pytestmark = pytest.mark.django_db
URL = "institutes_people_and_roles"


def test_authority_gives_a_trainer_role_with_only_a_hospital(world):
    user = UserFactory(username="nurse.huda", first_name="هدى", last_name="سالم")
    assignment = role_assign(
        user=user, role=Role.TRAINER, hospital=world.a.hospital, by=world.authority
    )
    assert assignment.granted_by == world.authority
    assert access.scope_for(user).hospital_ids == {world.a.hospital.pk}


def test_institute_admin_may_not_give_roles(world):
    user = UserFactory()
    with pytest.raises(PermissionDenied):
        role_assign(
            user=user, role=Role.TRAINER, hospital=world.a.hospital, by=world.a.admin
        )
    assert not RoleAssignment.objects.filter(user=user).exists()


def test_a_role_needs_its_own_scope_and_no_other(world):
    user = UserFactory()
    with pytest.raises(ValidationError) as missing:
        role_assign(
            user=user,
            role=Role.SUPERVISOR,
            hospital=world.a.hospital,
            by=world.authority,
        )
    assert set(missing.value.error_dict) == {"ward", "hospital"}


def test_the_same_role_twice_is_refused_in_plain_words(world):
    with pytest.raises(ValidationError) as refused:
        role_assign(
            user=world.a.trainer,
            role=Role.TRAINER,
            hospital=world.a.hospital,
            by=world.authority,
        )
    assert "role_unique" not in " ".join(refused.value.messages)
    assert world.a.hospital.name in " ".join(refused.value.messages)


def test_editor_is_a_wagtail_group(world):
    user = UserFactory()
    group = role_assign(user=user, role="editor", by=world.authority)
    assert group.name == EDITORIAL_GROUPS["editor"]
    assert user.groups.filter(name=EDITORIAL_GROUPS["editor"]).exists()


def test_new_account_and_role_are_one_write(world):
    with pytest.raises(ValidationError):
        role_setup(
            by=world.authority,
            role=Role.SUPERVISOR,
            new_user={"username": "new.one", "full_name": "منى علي", "email": ""},
            ward=None,
        )
    assert not get_user_model().objects.filter(username="new.one").exists()


def test_authority_creates_an_account_and_its_role_on_one_screen(world, client):
    client.force_login(world.authority)
    response = client.post(
        reverse(URL),
        {
            "new_full_name": "منى علي حسن",
            "new_username": "mona.ali",
            "new_email": "mona@example.org",
            "role": Role.INSTITUTE_ADMIN,
            "institute": world.a.institute.pk,
            # Left over from an earlier choice of role: ignored, not an error.
            "hospital": world.b.hospital.pk,
        },
    )
    assert response.status_code == 200
    user = get_user_model().objects.get(username="mona.ali")
    assert user.get_full_name() == "منى علي حسن"
    password = response.context["created"]["password"]
    assert user.check_password(password)
    assert password in response.content.decode()
    assert access.scope_for(user).institute_ids == {world.a.institute.pk}
    # The temporary password is not shown again.
    assert password not in client.get(reverse(URL)).content.decode()


def test_institute_admin_is_refused_the_same_screen(world, client):
    client.force_login(world.a.admin)
    # Wagtail turns the refusal into a redirect to the dashboard with a message.
    refused = client.get(reverse(URL))
    assert (refused.status_code, refused.url) == (302, reverse("wagtailadmin_home"))
    response = client.post(
        reverse(URL),
        {
            "user": world.nobody.pk,
            "role": Role.INSTITUTE_ADMIN,
            "institute": world.a.institute.pk,
        },
    )
    assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home"))
    assert not RoleAssignment.objects.filter(user=world.nobody).exists()


def test_authority_gives_an_existing_person_a_ward(world, client):
    client.force_login(world.authority)
    response = client.post(
        reverse(URL),
        {"user": world.nobody.pk, "role": Role.SUPERVISOR, "ward": world.b.ward.pk},
    )
    assert response.status_code == 302
    assert access.scope_for(world.nobody).ward_ids == {world.b.ward.pk}


def test_missing_scope_is_shown_beside_its_field(world, client):
    client.force_login(world.authority)
    response = client.post(
        reverse(URL), {"user": world.nobody.pk, "role": Role.TRAINER}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["hospital"]
    assert not RoleAssignment.objects.filter(user=world.nobody).exists()


def test_people_are_chosen_by_full_name(world, client):
    UserFactory(username="u123", first_name="سارة", last_name="محمود")
    client.force_login(world.authority)
    html = client.get(reverse(URL)).content.decode()
    assert "سارة محمود (u123)" in html


def test_the_list_shows_roles_and_scopes_in_constant_queries(
    world, client, django_assert_max_num_queries
):
    client.force_login(world.authority)
    client.get(reverse(URL))  # warm up session and caches
    with django_assert_max_num_queries(20) as few:
        client.get(reverse(URL))
    for i in range(25):
        user = UserFactory(username=f"many-{i}")
        RoleAssignmentFactory(
            user=user, role=Role.SUPERVISOR, institute=None, ward=world.a.ward
        )
        user.groups.add(Group.objects.get(name=EDITORIAL_GROUPS["moderator"]))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse(URL))
    html = response.content.decode()
    assert html.count(str(world.a.ward)) >= 25
    row = next(p for p in response.context["people"] if p["user"].username == "many-0")
    assert [r["scope"] for r in row["roles"]] == [str(world.a.ward), ""]


def test_the_roles_list_add_button_leads_to_the_one_screen(world, client):
    client.force_login(world.authority)
    response = client.get(reverse("roles:add"))
    assert (response.status_code, response.url) == (302, reverse(URL))


def test_arabic_help_names_each_role_as_the_role_list_does():
    """Each scope field's help and the missing-scope message say the role in the
    words of the role list («مسؤول المعهد», «مشرف إكلينيكي»); they said «مديري
    المعاهد» and «المشرفين السريريين», which read as other roles."""
    from django.utils import translation

    from institutes.forms import RoleSetupForm
    from institutes.models import RoleAssignment as Assignment
    from institutes.services import ROLE_SCOPE_FIELD

    with translation.override("ar"):
        form = RoleSetupForm()
        message = str(
            next(
                c.violation_error_message
                for c in Assignment._meta.constraints
                if c.name == "role_scope_matches_role"
            )
        )
        for role, field in ROLE_SCOPE_FIELD.items():
            help_text = str(form.fields[field].help_text)
            for word in str(Role(role).label).split():
                stem = word.removeprefix("ال")
                assert stem in help_text, (role, help_text)
                assert stem in message, (role, message)
