"""Portal forms: what a person types at the door and on their pages."""

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from institutes.identity import (
    country_choices,
    default_country,
    default_document_type,
    document_type_choices,
)


class SignInForm(forms.Form):
    number = forms.CharField(
        label=_("Identity document number"),
        max_length=30,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "inputmode": "text", "dir": "ltr"}
        ),
    )
    document_type = forms.ChoiceField(label=_("Type of document"), choices=())
    country = forms.ChoiceField(
        label=_("Issuing country"),
        choices=(),
        help_text=_("Only for passports and residence cards."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document_type"].choices = document_type_choices()
        self.fields["document_type"].initial = default_document_type()
        self.fields["country"].choices = country_choices()
        self.fields["country"].initial = default_country()


class PasswordSignInForm(SignInForm):
    """The number and the person's portal password (for those who set one)."""

    password = forms.CharField(
        label=_("Password"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class PasswordSetForm(forms.Form):
    password1 = forms.CharField(
        label=_("New password"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("The new password again"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # What the deployment's validators ask for, in their own (translated) words.
        self.fields["password1"].help_text = " ".join(
            password_validation.password_validators_help_texts()
        )

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords are not the same."))
        return data


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "dir": "ltr",
            }
        ),
    )


class HoursForm(forms.Form):
    hours = forms.CharField(
        label=_("Hours attended"),
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 4}),
    )


class CorrectionForm(forms.Form):
    about = forms.ChoiceField(
        label=_("Which record"),
        choices=(
            ("student", _("My student record")),
            ("staff", _("My staff record")),
        ),
    )
    subject = forms.CharField(label=_("What is wrong"), max_length=150)
    message = forms.CharField(
        label=_("What it should say"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, viewer=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = []
        if viewer is not None and viewer.is_student:
            choices.append(("student", _("My student record")))
        if viewer is not None and viewer.is_staff:
            choices.append(("staff", _("My staff record")))
        self.fields["about"].choices = choices
