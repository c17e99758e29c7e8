"""Public forms of the contact centre."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from contact.models import ContactKind, Resolution, Topic
from institutes.bilingual import localized
from institutes.models import Hospital, Institute
from institutes.plain_text import (
    validate_visible_multiline_text,
    validate_visible_text,
)

GENERAL = "general"


def _concerns_choices():
    institutes = [
        (f"i-{i.pk}", localized(i, "name"))
        for i in Institute.objects.order_by("name_ar")
    ]
    hospitals = [
        (f"h-{h.pk}", localized(h, "name"))
        for h in Hospital.objects.order_by("name_ar")
    ]
    return [
        ("", _("Choose…")),
        (GENERAL, _("The health authority in general")),
        (_("Institutes"), institutes),
        (_("Hospitals"), hospitals),
    ]


class ContactRequestForm(forms.Form):
    """Complaint, report, inquiry or suggestion; a phone or an e-mail to follow it up."""

    kind = forms.ChoiceField(
        label=_("What would you like to send?"),
        choices=ContactKind.choices,
        widget=forms.RadioSelect,
    )
    concerns = forms.ChoiceField(
        label=_("Which institute or hospital does it concern?"), choices=()
    )
    topic = forms.ModelChoiceField(
        label=_("Topic (optional)"),
        queryset=Topic.objects.filter(active=True),
        required=False,
        empty_label=_("Not sure"),
    )
    subject = forms.CharField(
        label=_("Subject"), max_length=200, validators=[validate_visible_text]
    )
    message = forms.CharField(
        label=_("Your message"),
        max_length=5000,
        validators=[validate_visible_multiline_text],
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text=_("Up to 5,000 characters. Do not include medical records."),
    )
    name = forms.CharField(
        label=_("Your name (optional)"),
        max_length=200,
        required=False,
        validators=[validate_visible_text],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=30,
        required=False,
        validators=[validate_visible_text],
        widget=forms.TextInput(
            attrs={"autocomplete": "tel", "inputmode": "tel", "dir": "ltr"}
        ),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        validators=[validate_visible_text],
        widget=forms.EmailInput(attrs={"autocomplete": "email", "dir": "ltr"}),
    )
    notify_by = forms.ChoiceField(
        label=_("How should we tell you about your request?"),
        choices=[
            ("both", _("By SMS and e-mail (whichever I gave)")),
            ("sms", _("By SMS only")),
            ("email", _("By e-mail only")),
        ],
        initial="both",
        widget=forms.RadioSelect,
        required=False,
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the health authority keeps this request and my contact "
            "details to answer it, and shares them only with the institute or "
            "hospital concerned."
        ),
        error_messages={
            "required": _("Please tick the box so that we may keep and answer it.")
        },
    )
    # Honeypot: hidden from people (CSS and aria-hidden), filled by naive bots.
    website = forms.CharField(
        required=False,
        label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["concerns"].choices = _concerns_choices()

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        digits = [c for c in phone if c.isdigit()]
        if phone and not 7 <= len(digits) <= 15:
            raise forms.ValidationError(
                _("Enter a phone number of 7 to 15 digits, e.g. 0100 123 4567.")
            )
        return phone

    def clean(self):
        data = super().clean()
        if data.get("website"):
            raise forms.ValidationError(
                _("Your request could not be accepted. Please call the hotline.")
            )
        if not data.get("phone") and not data.get("email"):
            self.add_error(
                "phone",
                _(
                    "Give a phone number or an e-mail address: you need one of them, "
                    "with the reference number, to follow your request."
                ),
            )
        notify_by = data.get("notify_by") or "both"
        data["notify_email"] = notify_by in ("both", "email")
        data["notify_sms"] = notify_by in ("both", "sms")
        concerns = data.get("concerns") or ""
        data["institute"] = data["hospital"] = None
        if concerns.startswith("i-"):
            data["institute"] = Institute.objects.filter(pk=concerns[2:]).first()
        elif concerns.startswith("h-"):
            data["hospital"] = Hospital.objects.filter(pk=concerns[2:]).first()
        return data


class FollowRequestForm(forms.Form):
    reference = forms.CharField(
        label=_("Reference number"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "dir": "ltr", "placeholder": "CC-XXXX-XXXX"}
        ),
    )
    contact = forms.CharField(
        label=_("The phone number or e-mail you gave"),
        max_length=254,
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )


class RateAnswerForm(forms.Form):
    """The one question after an answer."""

    resolution = forms.ChoiceField(
        label=_("Did our answer resolve your issue?"),
        choices=Resolution.choices,
        widget=forms.RadioSelect,
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("What is still not resolved?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the site"), max_length=100, required=False)
