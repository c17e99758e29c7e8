"""Writes that belong to the base app: people (by identity document) and role
assignments.

The person-identity rule lives here, so no caller (form, import, demo) can bypass it:
a user changes a person's identity (names, date of birth, sex, nationality, document
expiry, contacts) only when every record of that person is inside their scope —
authority staff always. Otherwise the typed document is linked to the existing person
only after an explicit confirmation, nothing of the person changes, and the
differences become an `IdentityChangeRequest` for authority staff to decide.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from . import access
from .access import Role, forget_scope, scope_for
from .identity import (
    FIXED_COUNTRY,
    CheckedDocument,
    DocumentInput,
    DocumentType,
    check_document,
    document_key,
)
from .models import (
    Hospital,
    IdentityChangeRequest,
    IdentityChangeStatus,
    IdentityDocument,
    Institute,
    Person,
    RoleAssignment,
)
from .plain_text import validate_visible_text

# Reverse relations of Person that are parts of the person, not records of a scope.
PERSON_PARTS = ("documents", "identity_change_requests")
IDENTITY_FIELDS = ("name_ar", "name_en", "birth_date", "sex", "nationality")
CONTACT_FIELDS = ("phone", "email")


class PersonLinkNeedsConfirmation(ValidationError):
    """The document belongs to a person with records outside the user's scope."""


def _needs_confirmation(document_label: str) -> PersonLinkNeedsConfirmation:
    return PersonLinkNeedsConfirmation(
        {
            "document_number": _(
                "A person with this %(document)s is already recorded elsewhere. "
                "Confirm that this record is theirs to link it to them: their "
                "recorded identity stays as it is, and any difference from what you "
                "typed is sent to the authority as a change request."
            )
            % {"document": document_label}
        },
        code="person_exists_elsewhere",
    )


@dataclass
class PersonInput:
    """One person as typed (form, import row): a checked document and the details."""

    document: CheckedDocument
    name_ar: str
    name_en: str = ""
    birth_date: datetime.date | None = None
    sex: str | None = None
    nationality: str = ""
    phone: str = ""
    email: str = ""
    extra: dict = field(default_factory=dict)

    def values(self) -> dict:
        values = {
            "name_ar": " ".join((self.name_ar or "").split()),
            "name_en": " ".join((self.name_en or "").split()),
            "birth_date": self.document.birth_date or self.birth_date,
            "sex": self.document.sex or self.sex,
            "nationality": self.nationality
            or str(FIXED_COUNTRY.get(self.document.document_type, "")),
        }
        for key in CONTACT_FIELDS:
            if getattr(self, key):
                values[key] = getattr(self, key)
        return values


def person_input(
    *,
    document: DocumentInput | None = None,
    national_id: str = "",
    name_ar: str,
    name_en: str = "",
    birth_date: datetime.date | None = None,
    sex: str | None = None,
    nationality: str = "",
    phone: str = "",
    email: str = "",
) -> PersonInput:
    """Check what was typed about a person; raise a ValidationError keyed by field.

    `national_id` is shorthand for an Egyptian national ID document.
    """
    if document is None:
        if not (national_id or "").strip():
            raise ValidationError(
                {"document_number": _("Enter the identity document number.")},
                code="document_number",
            )
        document = DocumentInput(DocumentType.EGYPTIAN_NATIONAL_ID, national_id, "EG")
    checked = check_document(document, birth_date=birth_date, sex=sex)
    typed = PersonInput(
        document=checked,
        name_ar=name_ar,
        name_en=name_en,
        birth_date=birth_date,
        sex=sex,
        nationality=(nationality or "").upper(),
        phone=phone or "",
        email=email or "",
    )
    values = typed.values()
    errors = {}
    if not values["name_ar"]:
        errors["name_ar"] = _("The Arabic full name is required.")
    if values["birth_date"] is None:
        errors["birth_date"] = _(
            "Enter the date of birth (a %(type)s does not give it)."
        ) % {"type": DocumentType(checked.document_type).label}
    if not values["sex"]:
        errors["sex"] = _("Choose the sex (a %(type)s does not give it).") % {
            "type": DocumentType(checked.document_type).label
        }
    if errors:
        raise ValidationError(errors)
    return typed


def person_identity_editable(person: Person, *, by) -> bool:
    """Whether `by` may change this person's identity: every record of the person
    (student, staff, issued documents, ...) is inside their scope."""
    return not access.rows_with_records_outside(
        Person.objects.filter(pk=person.pk), by, parts=PERSON_PARTS
    )


def _as_json(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


def _differences(person: Person, values: dict, document: CheckedDocument) -> dict:
    changes = {}
    for key, value in values.items():
        if key == "nationality" and not value:
            continue
        current = getattr(person, key)
        if (current or "") != (value or ""):
            changes[key] = {"from": _as_json(current), "to": _as_json(value)}
    if not document.expires_on:
        return changes
    stored = person.documents.filter(
        document_type=document.document_type,
        country=document.country,
        number=document.number,
    ).first()
    if stored and stored.expires_on != document.expires_on:
        changes["document_expires_on"] = {
            "from": _as_json(stored.expires_on),
            "to": _as_json(document.expires_on),
            "document": stored.pk,
        }
    return changes


def _requested(changes: dict) -> dict:
    """The changes worth asking the authority for: leaving a field empty on a form
    or in a file is not a request to erase what another scope recorded."""
    return {k: c for k, c in changes.items() if c["to"] not in (None, "")}


def _new_person(typed: PersonInput) -> Person:
    document = typed.document
    person = Person(
        national_id=document.number
        if document.document_type == DocumentType.EGYPTIAN_NATIONAL_ID
        else None,
        **typed.values(),
    )
    person.full_clean()
    person.save()
    _attach_document(person, document)
    return person


def _attach_document(person: Person, document: CheckedDocument) -> IdentityDocument:
    row = IdentityDocument(
        person=person,
        document_type=document.document_type,
        country=document.country,
        number=document.number,
        expires_on=document.expires_on,
    )
    row.full_clean()
    row.save()
    return row


def _apply(person: Person, changes: dict) -> None:
    for key, change in changes.items():
        value = change["to"]
        if key == "document_expires_on":
            IdentityDocument.objects.filter(
                pk=change["document"], person=person
            ).update(expires_on=datetime.date.fromisoformat(value) if value else None)
            continue
        if key == "birth_date" and value:
            value = datetime.date.fromisoformat(value)
        setattr(person, key, value)
    person.full_clean()
    person.save()


@transaction.atomic
def person_upsert(
    *,
    by,
    document: DocumentInput | None = None,
    national_id: str = "",
    name_ar: str,
    name_en: str = "",
    birth_date: datetime.date | None = None,
    sex: str | None = None,
    nationality: str = "",
    phone: str = "",
    email: str = "",
    current: Person | None = None,
    confirm_link: bool = False,
) -> Person:
    """Find the person holding this identity document, or create them, as `by`.

    The document is checked by its type's rules (an Egyptian national ID must agree
    with `birth_date` and `sex`, which are taken from it when not given). A found
    person's identity is updated only when every record of theirs is inside `by`'s
    scope; otherwise they are linked only with `confirm_link` (or when `current`,
    the person the edited record already points to, is them), nothing of theirs
    changes, and the differences become an `IdentityChangeRequest`, which is put on
    the returned person as `identity_change_request` (None when nothing was queued).
    """
    typed = person_input(
        document=document,
        national_id=national_id,
        name_ar=name_ar,
        name_en=name_en,
        birth_date=birth_date,
        sex=sex,
        nationality=nationality,
        phone=phone,
        email=email,
    )
    checked = typed.document
    found = (
        IdentityDocument.objects.filter(
            document_type=checked.document_type,
            country=checked.country,
            number=checked.number,
        )
        .values_list("person_id", flat=True)
        .first()
    )
    if found is None:
        person = _new_person(typed)
        person.identity_change_request = None
        return person
    person = Person.objects.select_for_update().get(pk=found)
    changes = _differences(person, typed.values(), checked)
    request = None
    if person_identity_editable(person, by=by):
        if changes:
            _apply(person, changes)
    else:
        if not confirm_link and (current is None or current.pk != person.pk):
            raise _needs_confirmation(DocumentType(checked.document_type).label)
        changes = _requested(changes)
        if changes:
            request = IdentityChangeRequest.objects.create(
                person=person,
                changes=changes,
                requested_by=by if getattr(by, "pk", None) else None,
            )
    person.identity_change_request = request
    return person


@transaction.atomic
def people_upsert_bulk(
    *, by, items: list[PersonInput], confirm_link: bool = False
) -> dict[tuple[str, str, str], Person]:
    """`person_upsert` for many checked people at once (imports), by document key.

    New people and their documents are bulk-created; found people follow the same
    rule as `person_upsert` (changed when wholly inside `by`'s scope, otherwise
    linked only with `confirm_link` and their differences queued as requests).
    """
    found: dict[tuple[str, str, str], Person] = {}
    keys = list(dict.fromkeys(item.document.key for item in items))
    numbers = [k[2] for k in keys]
    wanted = set(keys)
    for start in range(0, len(numbers), 500):
        for document in IdentityDocument.objects.filter(
            number__in=numbers[start : start + 500]
        ).select_related("person"):
            key = (document.document_type, document.country, document.number)
            if key in wanted:
                found[key] = document.person
    outside = (
        access.rows_with_records_outside(
            Person.objects.filter(pk__in=[p.pk for p in found.values()]),
            by,
            parts=PERSON_PARTS,
        )
        if found
        else set()
    )
    if outside and not confirm_link:
        raise _needs_confirmation(
            DocumentType(next(k for k, p in found.items() if p.pk in outside)[0]).label
        )
    requests = []
    new_people: list[tuple[Person, CheckedDocument]] = []
    for item in items:
        key = item.document.key
        person = found.get(key)
        if person is None:
            person = Person(
                national_id=item.document.number
                if item.document.document_type == DocumentType.EGYPTIAN_NATIONAL_ID
                else None,
                **item.values(),
            )
            person.refresh_search_text()
            found[key] = person
            new_people.append((person, item.document))
            continue
        if person.pk is None:  # the same new person twice in one batch
            continue
        changes = _differences(person, item.values(), item.document)
        if person.pk in outside:
            changes = _requested(changes)
        if not changes:
            continue
        if person.pk in outside:
            requests.append(
                IdentityChangeRequest(
                    person=person,
                    changes=changes,
                    requested_by=by if getattr(by, "pk", None) else None,
                )
            )
        else:
            _apply(person, changes)
    # SQLite (3.35+) and PostgreSQL both return the new primary keys.
    Person.objects.bulk_create([p for p, _d in new_people], batch_size=500)
    IdentityDocument.objects.bulk_create(
        [
            IdentityDocument(
                person=person,
                document_type=d.document_type,
                country=d.country,
                number=d.number,
                expires_on=d.expires_on,
            )
            for person, d in new_people
        ],
        batch_size=500,
    )
    IdentityChangeRequest.objects.bulk_create(requests)
    return found


def person_find(
    national_id: str = "", *, document_type: str = "", country: str = "", number=""
) -> Person | None:
    """The person holding a document (or an Egyptian national ID), or None."""
    if national_id:
        document_type, country, number = (
            DocumentType.EGYPTIAN_NATIONAL_ID,
            "EG",
            national_id,
        )
    key = document_key(document_type, country, number)
    return Person.objects.filter(
        documents__document_type=key[0],
        documents__country=key[1],
        documents__number=key[2],
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
# migrations as "Editors" and "Moderators", renamed to Arabic by cms 0005 because
# Wagtail prints group names as stored; their page permissions and the moderation
# workflow are Wagtail's). Our screens show the role's translated label instead.
EDITORIAL_GROUPS = {
    AssignableRole.EDITOR: "محررو المحتوى",
    AssignableRole.MODERATOR: "مراجعو المحتوى",
}


def _require_authority(by) -> None:
    if not scope_for(by).is_authority:
        raise PermissionDenied(
            _("Only health authority staff give roles and create accounts.")
        )


@transaction.atomic
def identity_change_decide(
    *, request: IdentityChangeRequest, approve: bool, by, note: str = ""
) -> IdentityChangeRequest:
    """Authority staff approve (apply) or refuse a pending identity change."""
    if not access.scope_for(by).is_authority:
        raise PermissionDenied(_("Only authority staff decide identity changes."))
    request = IdentityChangeRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != IdentityChangeStatus.PENDING:
        raise ValidationError(
            _("This request was already decided (%(status)s).")
            % {"status": request.get_status_display()},
            code="identity_change_decided",
        )
    if approve:
        person = Person.objects.select_for_update().get(pk=request.person_id)
        _apply(person, request.changes)
    request.status = (
        IdentityChangeStatus.APPROVED if approve else IdentityChangeStatus.REFUSED
    )
    request.decided_by = by
    request.decided_at = timezone.now()
    request.decision_note = note[:255]
    request.save()
    return request


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


def national_id_documents_create(*, people: list[Person]) -> int:
    """Record the Egyptian national ID of people bulk-created with one (synthetic
    data generators) as their identity document, so they are found like anyone else.
    Returns the number of documents created."""
    documents = [
        IdentityDocument(
            person_id=person.pk,
            document_type=DocumentType.EGYPTIAN_NATIONAL_ID,
            country="EG",
            number=person.national_id,
        )
        for person in people
        if person.pk and person.national_id
    ]
    IdentityDocument.objects.bulk_create(
        documents, batch_size=1000, ignore_conflicts=True
    )
    return len(documents)
