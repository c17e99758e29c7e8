"""Writes that belong to the base app: people (by national ID) and role assignments."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .access import forget_scope, scope_for
from .models import Hospital, Institute, Person, RoleAssignment
from .national_id import clean_national_id_input, parse_national_id


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


@transaction.atomic
def role_assign(
    *, user, role: str, granted_by=None, institute=None, hospital=None, ward=None
):
    """Give `user` a role over one institute, hospital or ward (idempotent)."""
    assignment, _created = RoleAssignment.objects.get_or_create(
        user=user,
        role=role,
        institute=institute,
        hospital=hospital,
        ward=ward,
        defaults={"granted_by": granted_by},
    )
    assignment.full_clean()
    forget_scope(user)
    return assignment


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
