"""Writes that belong to the base app: people (by national ID) and role assignments."""

import datetime
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from .access import Role, forget_scope, scope_for
from .models import Hospital, Institute, Person, RoleAssignment
from .national_id import clean_national_id_input, parse_national_id
from .plain_text import validate_visible_text


@transaction.atomic
def person_upsert(
    *,
    national_id: str,
    name_ar: str,
    name_en: str = "",
    birth_date: datetime.date | None = None,
    sex: str | None = None,
    phone: str = "",
    email: str = "",
) -> Person:
    """Find the person with this national ID, or create them; update their details.

    The number is validated, and must agree with `birth_date` and `sex` when they are
    given (both are taken from the number when they are not).
    """
    parsed = parse_national_id(national_id, birth_date=birth_date, sex=sex)
    if not (name_ar or "").strip():
        raise ValidationError({"name_ar": "The Arabic full name is required."})
    person = (
        Person.objects.select_for_update().filter(national_id=parsed.number).first()
    )
    values = {
        "name_ar": " ".join(name_ar.split()),
        "name_en": " ".join((name_en or "").split()),
        "birth_date": parsed.birth_date,
        "sex": parsed.sex,
    }
    if phone:
        values["phone"] = phone
    if email:
        values["email"] = email
    if person is None:
        person = Person(national_id=parsed.number, **values)
    else:
        for key, value in values.items():
            setattr(person, key, value)
    person.full_clean()
    person.save()
    return person


def person_find(national_id: str) -> Person | None:
    return Person.objects.filter(
        national_id=clean_national_id_input(national_id)
    ).first()


class AssignableRole(models.TextChoices):
    """The roles the people-and-roles screen gives: the three scoped roles of
    `institutes.access.Role`, and the two editorial roles, which are Wagtail groups."""

    INSTITUTE_ADMIN = Role.INSTITUTE_ADMIN.value, Role.INSTITUTE_ADMIN.label
    TRAINER = Role.TRAINER.value, Role.TRAINER.label
    SUPERVISOR = Role.SUPERVISOR.value, Role.SUPERVISOR.label
    EDITOR = "editor", pgettext_lazy("role", "Content editor")
    MODERATOR = "moderator", pgettext_lazy("role", "Moderator")


# The one scope field each scoped role needs (the database's role_scope_matches_role).
ROLE_SCOPE_FIELD = {
    Role.INSTITUTE_ADMIN: "institute",
    Role.TRAINER: "hospital",
    Role.SUPERVISOR: "ward",
}
# Editorial roles are memberships of these Wagtail groups (made by Wagtail's own
# migrations; their page permissions and the moderation workflow are Wagtail's).
EDITORIAL_GROUPS = {
    AssignableRole.EDITOR: "Editors",
    AssignableRole.MODERATOR: "Moderators",
}


def _require_authority(by) -> None:
    if not scope_for(by).is_authority:
        raise PermissionDenied(
            _("Only health authority staff give roles and create accounts.")
        )


@transaction.atomic
def role_assign(*, user, role: str, institute=None, hospital=None, ward=None, by):
    """Give `user` one role: an institute administrator over an institute, a trainer
    over a hospital, a clinical supervisor over a ward, or an editorial role (a
    Wagtail group). Only authority staff (`by`) give roles.

    Exactly the scope the role needs must be given; a role the user already holds is
    refused with a message that says so. Returns the `RoleAssignment`, or the `Group`
    for an editorial role.
    """
    _require_authority(by)
    if not user.is_active:
        raise ValidationError(
            _("%(user)s's account is deactivated; reactivate it before giving a role.")
            % {"user": user_display_name(user)}
        )
    given = {"institute": institute, "hospital": hospital, "ward": ward}
    if role in EDITORIAL_GROUPS:
        extra = [name for name, value in given.items() if value is not None]
        if extra:
            raise ValidationError(
                {
                    name: _("Leave this empty for the role “%(role)s”.")
                    % {"role": AssignableRole(role).label}
                    for name in extra
                }
            )
        group = Group.objects.filter(name=EDITORIAL_GROUPS[role]).first()
        if group is None:
            raise ValidationError(
                _("The group “%(group)s” does not exist; run the migrations first.")
                % {"group": EDITORIAL_GROUPS[role]}
            )
        if user.groups.filter(pk=group.pk).exists():
            raise ValidationError(
                _("%(user)s is already a %(role)s.")
                % {"user": user_display_name(user), "role": AssignableRole(role).label}
            )
        user.groups.add(group)
        return group
    if role not in ROLE_SCOPE_FIELD:
        raise ValidationError({"role": _("Choose one of the roles in the list.")})
    needed = ROLE_SCOPE_FIELD[role]
    errors = {}
    for name, value in given.items():
        if name == needed and value is None:
            errors[name] = _("Choose the %(scope)s this role is held over.") % {
                "scope": RoleAssignment._meta.get_field(name).verbose_name
            }
        elif name != needed and value is not None:
            errors[name] = _("Leave this empty for the role “%(role)s”.") % {
                "role": Role(role).label
            }
    if errors:
        raise ValidationError(errors)
    target = given[needed]
    duplicate = _("%(user)s is already %(role)s of %(scope)s.") % {
        "user": user_display_name(user),
        "role": Role(role).label,
        "scope": target,
    }
    if RoleAssignment.objects.filter(user=user, role=role, **{needed: target}).exists():
        raise ValidationError(duplicate)
    assignment = RoleAssignment(user=user, role=role, granted_by=by, **given)
    assignment.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            assignment.save()
    except IntegrityError as exc:  # the same role given twice at the same moment
        raise ValidationError(duplicate) from exc
    forget_scope(user)
    return assignment


def user_display_name(user) -> str:
    """A person's full name, or their username when they have none."""
    return user.get_full_name().strip() or user.get_username()


# Letters and digits that cannot be mistaken for one another when read aloud or
# copied from a screen (no 0/O, 1/l/I).
_UNAMBIGUOUS_CHARACTERS = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@transaction.atomic
def user_create(*, username: str, full_name: str, email: str = "", by):
    """Create a back-office account with a temporary password; returns
    `(user, password)`. The password is shown once to the person who created the
    account and never stored in clear. Only authority staff create accounts.
    """
    _require_authority(by)
    User = get_user_model()
    username = (username or "").strip()
    full_name = " ".join((full_name or "").split())
    email = (email or "").strip()
    errors = {}
    if not username:
        errors["username"] = _("Give the new account a username.")
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = _(
            "The username “%(username)s” is taken; choose the existing person or "
            "another username."
        ) % {"username": username}
    if not full_name:
        errors["full_name"] = _(
            "Give the person's full name: it is what every screen shows."
        )
    if errors:
        raise ValidationError(errors)
    first, _sep, last = full_name.partition(" ")
    password = get_random_string(12, _UNAMBIGUOUS_CHARACTERS)
    user = User(username=username, first_name=first, last_name=last, email=email)
    try:
        validate_visible_text(full_name)
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        fields = getattr(exc, "error_dict", {})
        raise ValidationError(
            {
                ("full_name" if name in ("first_name", "last_name") else name): errs
                for name, errs in fields.items()
            }
            or {"full_name": exc.messages}
        ) from exc
    user.set_password(password)
    user.save()
    return user, password


@transaction.atomic
def role_setup(
    *,
    role: str,
    by,
    user=None,
    new_user: dict | None = None,
    institute=None,
    hospital=None,
    ward=None,
):
    """The people-and-roles screen's one write: create the account when `new_user`
    (username, full_name, email) is given, then give the role — both or neither.
    Returns `(user, temporary_password_or_None, assignment_or_group)`."""
    _require_authority(by)
    password = None
    if user is None:
        user, password = user_create(by=by, **(new_user or {}))
    granted = role_assign(
        user=user,
        role=role,
        institute=institute,
        hospital=hospital,
        ward=ward,
        by=by,
    )
    return user, password, granted


# What an institute's own administrators may change; the rest (code, names, attached
# and partner hospitals, intake capacity, logo) belongs to the health authority.
INSTITUTE_CONTACT_FIELDS = (
    "director_name",
    "phone",
    "email",
    "address_ar",
    "address_en",
)


@transaction.atomic
def institute_save(
    *,
    institute: Institute,
    by,
    partner_hospitals: Iterable[Hospital] | None = None,
    **values,
) -> Institute:
    """Create or change an institute: authority staff change everything, the
    institute's own administrators only its contacts (`INSTITUTE_CONTACT_FIELDS`).

    Anything else that differs from the stored row is refused with the fields named,
    and nothing is written.
    """
    scope = scope_for(by)
    if not scope.is_authority:
        if institute.pk is None or institute.pk not in scope.institute_ids:
            raise PermissionDenied(
                _("Only the health authority adds institutes or changes other ones.")
            )
        stored = Institute.objects.get(pk=institute.pk)
        refused = [
            name
            for name, value in values.items()
            if name not in INSTITUTE_CONTACT_FIELDS and getattr(stored, name) != value
        ]
        if partner_hospitals is not None and {h.pk for h in partner_hospitals} != set(
            stored.partner_hospitals.values_list("pk", flat=True)
        ):
            refused.append("partner_hospitals")
        if refused:
            labels = ", ".join(
                str(Institute._meta.get_field(name).verbose_name) for name in refused
            )
            raise PermissionDenied(
                _(
                    "Only the health authority changes an institute's %(fields)s; "
                    "you may change its contacts."
                )
                % {"fields": labels}
            )
    for name, value in values.items():
        setattr(institute, name, value)
    institute.full_clean()
    institute.save()
    if partner_hospitals is not None:
        institute.partner_hospitals.set(partner_hospitals)
    return institute
