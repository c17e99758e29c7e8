"""The person part of the students' and staff forms: identity document and nationality.

Both forms ask for the document type (the deployment's default first), issuing country
(for passports and residence cards), number and expiry, check them by the document
type's rules, and say before saving when the document belongs to a person recorded
outside the user's scope (linked only when the user ticks "Link to the existing
person"). Saving goes through `institutes.services.person_upsert`.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel

from .identity import (
    HAS_EXPIRY,
    DocumentInput,
    country_choices,
    default_country,
    default_document_type,
    document_type_choices,
)


def _country_choices_with_blank():
    return [("", "—"), *country_choices()]


PERSON_FIELDS = (
    "document_type",
    "document_country",
    "document_number",
    "document_expires_on",
    "nationality",
    "confirm_link",
)

PERSON_DOCUMENT_PANELS = [
    FieldRowPanel([FieldPanel("document_type"), FieldPanel("document_number")]),
    FieldRowPanel([FieldPanel("document_country"), FieldPanel("document_expires_on")]),
    FieldPanel("nationality"),
    FieldPanel("confirm_link"),
]


class PersonFieldsMixin:
    """Declares the document fields on a (model) form and checks them in `clean_person`.

    Declared through `declared_fields` so Django's form metaclass picks them up from
    this plain mixin.
    """

    declared_fields = {
        "document_type": forms.ChoiceField(
            label=_("Identity document"),
            choices=document_type_choices,
            initial=default_document_type,
        ),
        "document_number": forms.CharField(label=_("Document number"), max_length=30),
        "document_country": forms.ChoiceField(
            label=_("Issuing country"),
            choices=_country_choices_with_blank,
            required=False,
            help_text=_(
                "For a passport or residence card; national documents have their own."
            ),
        ),
        "document_expires_on": forms.DateField(
            label=_("Document expires on"),
            required=False,
            widget=forms.DateInput(attrs={"type": "date"}),
        ),
        "nationality": forms.ChoiceField(
            label=_("Nationality"),
            choices=_country_choices_with_blank,
            initial=default_country,
            required=False,
        ),
        "confirm_link": forms.BooleanField(
            label=_("Link to the existing person"),
            required=False,
            help_text=_(
                "Tick only when told that this document is already recorded elsewhere."
            ),
        ),
    }

    def initial_person(self, person) -> None:
        """Fill the document fields of an edit form from the person's first document."""
        document = person.documents.order_by("pk").first()
        if document is not None:
            self.initial.setdefault("document_type", document.document_type)
            self.initial.setdefault("document_number", document.number)
            self.initial.setdefault("document_country", document.country)
            self.initial.setdefault("document_expires_on", document.expires_on)
        self.initial.setdefault("nationality", person.nationality)

    def document_input(self) -> DocumentInput:
        data = self.cleaned_data
        kind = data.get("document_type") or default_document_type()
        return DocumentInput(
            kind,
            data.get("document_number") or "",
            data.get("document_country") or "",
            data.get("document_expires_on") if kind in HAS_EXPIRY else None,
        )

    def person_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "document": self.document_input(),
            "name_ar": data.get("name_ar") or "",
            "name_en": data.get("name_en") or "",
            "birth_date": data.get("birth_date"),
            "sex": data.get("sex") or None,
            "nationality": data.get("nationality") or "",
            "confirm_link": bool(data.get("confirm_link")),
        }

    def clean_person(self, *, user, current=None):
        """Check the typed person; return the person already holding the document
        (None when nobody does or a field is wrong). Errors are added to the fields."""
        from .models import Person
        from .services import PersonLinkNeedsConfirmation, person_identity_editable
        from .services import person_input as check_person

        person_field_names = (*PERSON_FIELDS, "name_ar", "name_en", "birth_date", "sex")
        if not self.cleaned_data.get("document_number") or any(
            name in self.errors for name in person_field_names
        ):
            return None
        fields = self.person_fields()
        fields.pop("confirm_link")
        try:
            typed = check_person(**fields)
        except ValidationError as exc:
            self._add_person_errors(exc)
            return None
        key = typed.document.key
        person = Person.objects.filter(
            documents__document_type=key[0],
            documents__country=key[1],
            documents__number=key[2],
        ).first()
        if (
            person is not None
            and not (current is not None and current.pk == person.pk)
            and not self.cleaned_data.get("confirm_link")
            and not person_identity_editable(person, by=user)
        ):
            from .identity import DocumentType
            from .services import _needs_confirmation

            error: PersonLinkNeedsConfirmation = _needs_confirmation(
                DocumentType(key[0]).label
            )
            self._add_person_errors(error)
        return person

    def _add_person_errors(self, exc: ValidationError) -> None:
        if not hasattr(exc, "error_dict"):
            self.add_error("document_number", exc)
            return
        for name, errors in exc.error_dict.items():
            target = name if name in self.fields else "document_number"
            if name == "document_expires_on" and name not in self.fields:
                target = "document_number"
            self.add_error(target, errors)


class IdentityRequestMessageMixin:
    """For create/edit views of records with a person: says in the success message
    when the identity changes typed were sent to the authority instead of applied."""

    def get_success_message(self, *args):
        message = super().get_success_message(*args)
        form = getattr(self, "form", None)
        if getattr(form, "identity_change_request", None) is None:
            return message
        note = _(
            "This person is also recorded elsewhere: the changes to their identity "
            "were sent to the authority for approval."
        )
        return f"{message} {note}" if message else str(note)
