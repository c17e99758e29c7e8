"""Every database constraint of our apps speaks to people: a plain message, in
Arabic and English, instead of Django's "Constraint “…” is violated"."""

import pytest

from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils import translation

from institutes.access import Role
from institutes.factories import InstituteFactory, RoleAssignmentFactory, UserFactory
from institutes.models import RoleAssignment

OUR_APPS = ("institutes", "curriculum", "students", "training", "certificates", "cms")


def our_constraints():
    for label in OUR_APPS:
        for model in apps.get_app_config(label).get_models():
            for constraint in model._meta.constraints:
                yield model, constraint


def test_every_constraint_has_its_own_message():
    constraints = list(our_constraints())
    assert len(constraints) > 40  # the enumeration found them
    generic = [
        f"{model.__name__}.{c.name}"
        for model, c in constraints
        if c.violation_error_message == c.default_violation_error_message
        or "%(name)s" in str(c.violation_error_message)
    ]
    assert not generic, generic


def test_every_constraint_message_is_translated_into_arabic():
    untranslated = []
    for model, c in our_constraints():
        with translation.override("en"):
            english = str(c.violation_error_message)
        with translation.override("ar"):
            arabic = str(c.violation_error_message)
        if arabic == english:
            untranslated.append(f"{model.__name__}.{c.name}: {english}")
    assert not untranslated, untranslated


@pytest.mark.django_db
def test_a_duplicate_role_is_refused_in_plain_arabic():
    user, institute = UserFactory(), InstituteFactory()
    RoleAssignmentFactory(user=user, role=Role.INSTITUTE_ADMIN, institute=institute)
    twin = RoleAssignment(user=user, role=Role.INSTITUTE_ADMIN, institute=institute)
    with translation.override("ar"), pytest.raises(ValidationError) as caught:
        twin.validate_constraints()
    message = " ".join(caught.value.messages)
    assert message == "هذا الشخص من مسؤولي هذا المعهد بالفعل."
    assert "role_unique_institute_admin" not in message
