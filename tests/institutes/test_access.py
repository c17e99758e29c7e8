"""The access module: scopes, paths through many-valued relations, choices, policy."""

import pytest

from django import forms

from institutes import access
from institutes.access import Role
from institutes.factories import (
    HospitalFactory,
    RoleAssignmentFactory,
    UserFactory,
    WardFactory,
)
from institutes.models import Hospital, Institute, RoleAssignment, Ward
from institutes.services import role_assign


def test_authority_sees_everything(world):
    assert access.filter_for(Institute.objects.all(), world.authority).count() == 2


def test_user_without_role_sees_nothing(world):
    assert not access.filter_for(Hospital.objects.all(), world.nobody).exists()
    assert not world.nobody.has_perm("wagtailadmin.access_admin")


def test_institute_admin_sees_own_institute_and_its_training_hospitals(world):
    partner = HospitalFactory(code="partner")
    world.a.institute.partner_hospitals.add(partner)
    visible = set(access.filter_for(Hospital.objects.all(), world.a.admin))
    assert visible == {world.a.hospital, partner}
    assert set(access.filter_for(Institute.objects.all(), world.a.admin)) == {
        world.a.institute
    }


def test_many_valued_paths_do_not_duplicate_rows(world):
    # The hospital meets the admin through two paths (attached and partner).
    world.a.institute.partner_hospitals.add(world.a.hospital)
    qs = access.filter_for(Hospital.objects.all(), world.a.admin)
    assert qs.count() == 1
    assert list(qs[:5]) == [world.a.hospital]


def test_view_is_wider_than_change(world):
    assert access.can(world.a.trainer, "view", world.a.hospital)
    assert not access.can(world.a.trainer, "change", world.a.hospital)
    assert access.can(world.a.admin, "change", world.a.institute)
    assert not access.can(world.a.admin, "delete", world.a.institute)
    assert not access.can(world.a.admin, "change", world.b.institute)


def test_supervisor_sees_only_their_ward(world):
    other = WardFactory(hospital=world.a.hospital)
    assert set(access.filter_for(Ward.objects.all(), world.a.supervisor)) == {
        world.a.ward
    }
    assert not access.can(world.a.supervisor, "view", other)


def test_roles_are_authority_business_only(world):
    assert not access.filter_for(RoleAssignment.objects.all(), world.a.admin).exists()
    assert not access.user_may(world.a.admin, "add", RoleAssignment)


def test_role_backend_grants_admin_access_and_model_permissions(world):
    assert world.a.admin.has_perm("wagtailadmin.access_admin")
    assert world.a.admin.has_perm("institutes.change_institute")
    assert world.a.admin.has_perm("institutes.change_institute", world.a.institute)
    assert not world.a.admin.has_perm("institutes.change_institute", world.b.institute)
    assert not world.a.admin.has_perm("institutes.add_institute")


def test_scope_is_read_once_per_user_object(world, django_assert_num_queries):
    user = UserFactory(username="fresh")
    RoleAssignmentFactory(
        user=user, role=Role.INSTITUTE_ADMIN, institute=world.a.institute
    )
    with django_assert_num_queries(1):
        access.scope_for(user)
        access.scope_for(user)


def test_role_assign_refreshes_the_scope(world):
    user = UserFactory(username="newcomer")
    assert not access.scope_for(user).has_role
    role_assign(
        user=user, role=Role.TRAINER, hospital=world.b.hospital, by=world.authority
    )
    assert access.scope_for(user).hospital_ids == {world.b.hospital.pk}


def test_role_must_match_its_scope(world):
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError, transaction

    bad = RoleAssignment(
        user=world.nobody, role=Role.TRAINER, institute=world.a.institute
    )
    with pytest.raises(ValidationError):
        bad.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        bad.save()


class WardForm(forms.Form):
    ward = forms.ModelChoiceField(queryset=Ward.objects.all())


def test_limit_choices_offers_and_accepts_only_own_rows(world):
    form = WardForm(data={"ward": world.b.ward.pk})
    access.limit_choices(form.fields.values(), world.a.trainer)
    assert list(form.fields["ward"].queryset) == [world.a.ward]
    assert not form.is_valid()
    assert "معهدًا أو مستشفى آخر" in form.errors["ward"][0]


def test_model_without_rule_is_refused_clearly():
    from django.contrib.auth.models import Group
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="access_rule"):
        access.require_rule(Group)


def test_roles_do_not_open_wagtails_own_unscoped_screens(world, client):
    """Users, groups and other Wagtail screens list every row: roles grant none of them."""
    assert not world.a.admin.has_perm("auth.view_user")
    assert not world.a.admin.has_perm("auth.change_user")
    assert not world.a.admin.has_perm("wagtailimages.add_image")
    client.force_login(world.a.admin)
    assert client.get("/admin/users/").status_code in (302, 403)
    assert client.get("/admin/groups/").status_code in (302, 403)
