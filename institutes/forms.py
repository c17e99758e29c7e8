"""Admin forms of the base app."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminModelForm

from .access import scope_for
from .models import Hospital, Institute, Ward
from .services import (
    INSTITUTE_CONTACT_FIELDS,
    ROLE_SCOPE_FIELD,
    AssignableRole,
    institute_save,
)


class InstituteForm(WagtailAdminModelForm):
    """The institute form: the whole record for authority staff, only the contacts for
    the institute's own administrators (the other fields are absent, so their panels
    are not shown). Saved through `institute_save`, which refuses the same."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not scope_for(self.for_user).is_authority:
            for name in list(self.fields):
                if name not in INSTITUTE_CONTACT_FIELDS:
                    del self.fields[name]

    def save(self, commit=True):
        values = {
            name: self.cleaned_data[name]
            for name in self.fields
            if name in self.cleaned_data and name != "partner_hospitals"
        }
        partners = (
            self.cleaned_data.get("partner_hospitals")
            if "partner_hospitals" in self.fields
            else None
        )
        self.instance = institute_save(
            institute=self.instance,
            by=self.for_user,
            partner_hospitals=partners,
            **values,
        )
        return self.instance


class _PersonChoiceField(forms.ModelChoiceField):
    """Accounts listed by full name (the username after it, for homonyms)."""

    def label_from_instance(self, obj):
        full_name = obj.get_full_name().strip()
        return f"{full_name} ({obj.username})" if full_name else obj.username


class RoleSetupForm(forms.Form):
    """The people-and-roles screen: an existing person or a new account, a role and
    the one scope that role needs. Only parses; `institutes.services.role_setup`
    decides."""

    user = _PersonChoiceField(
        label=_("Person, by name"),
        queryset=None,
        required=False,
        empty_label=_("— a new account (fill in below) —"),
        help_text=_("Type part of the name in the box above the list to narrow it."),
    )
    new_username = forms.CharField(
        label=_("Username of the new account"), max_length=150, required=False
    )
    new_full_name = forms.CharField(
        label=_("Full name"), max_length=300, required=False
    )
    new_email = forms.EmailField(label=_("E-mail"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=AssignableRole.choices)
    institute = forms.ModelChoiceField(
        label=_("Institute"),
        queryset=Institute.objects.all(),
        required=False,
        empty_label="—",
        help_text=_("For institute administrators."),
    )
    hospital = forms.ModelChoiceField(
        label=_("Hospital"),
        queryset=Hospital.objects.all(),
        required=False,
        empty_label="—",
        help_text=_("For trainers."),
    )
    ward = forms.ModelChoiceField(
        label=_("Ward"),
        queryset=Ward.objects.select_related("hospital").filter(is_active=True),
        required=False,
        empty_label="—",
        help_text=_("For clinical supervisors."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(is_active=True)
            .order_by("first_name", "last_name", "username")
        )

    def clean(self):
        data = super().clean()
        new_fields = ("new_username", "new_full_name", "new_email")
        typed_new = any(data.get(name) for name in new_fields)
        if data.get("user") is not None and typed_new:
            raise forms.ValidationError(
                _(
                    "Choose an existing person or fill in a new account, not both "
                    "(empty the new account's fields or pick “a new account”)."
                )
            )
        if data.get("user") is None and not typed_new:
            raise forms.ValidationError(
                _("Choose the person, or fill in the new account's fields.")
            )
        # Only the scope the role needs is read; the others may hold what the
        # person chose before changing the role.
        needed = ROLE_SCOPE_FIELD.get(data.get("role"))
        for name in ("institute", "hospital", "ward"):
            if name != needed:
                data[name] = None
        return data
