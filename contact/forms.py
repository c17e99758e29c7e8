"""Back-office forms of the contact centre: intake, staff channel, handling."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from institutes import access
from institutes.bilingual import localized
from institutes.models import Hospital, Institute

from .models import ContactChannel, ContactKind, ContactStatus, Office, Topic

GENERAL = "general"


def _place_scoped(user) -> bool:
    """Whether the user's places are limited by an institute/hospital/ward role.

    Authority staff and the contact desk (office members without such a role) take
    calls about every place; others choose among their own places.
    """
    if user is None:
        return False
    scope = access.scope_for(user)
    return not scope.is_authority and bool(
        scope.institute_ids or scope.hospital_ids or scope.ward_ids
    )


def concerns_choices(user=None):
    institute_rows = Institute.objects.all()
    hospital_rows = Hospital.objects.all()
    if _place_scoped(user):
        institute_rows = access.institutes_for(user)
        hospital_rows = access.hospitals_for(user)
    elif user is not None and not access.scope_for(user).has_role:
        # No place of one's own (e.g. page editors): the authority in general.
        institute_rows = Institute.objects.none()
        hospital_rows = Hospital.objects.none()
    institutes = [
        (f"i-{i.pk}", localized(i, "name")) for i in institute_rows.order_by("name_ar")
    ]
    hospitals = [
        (f"h-{h.pk}", localized(h, "name")) for h in hospital_rows.order_by("name_ar")
    ]
    return [
        (GENERAL, _("The health authority in general")),
        (_("Institutes"), institutes),
        (_("Hospitals"), hospitals),
    ]


def parse_concerns(value: str) -> tuple[Institute | None, Hospital | None]:
    value = value or ""
    if value.startswith("i-") and value[2:].isdigit():
        return Institute.objects.filter(pk=value[2:]).first(), None
    if value.startswith("h-") and value[2:].isdigit():
        return None, Hospital.objects.filter(pk=value[2:]).first()
    return None, None


def _clean_phone(phone: str) -> str:
    phone = (phone or "").strip()
    digits = [c for c in phone if c.isdigit()]
    if phone and not 7 <= len(digits) <= 15:
        raise forms.ValidationError(
            _("Enter a phone number of 7 to 15 digits, e.g. 0100 123 4567.")
        )
    return phone


class _TopicAndConcernsForm(forms.Form):
    """A request's topic (the user's own topics), what it concerns and a phone."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        topics = Topic.objects.filter(active=True)
        if user is not None:
            topics = access.filter_for(topics, user)
        self.fields["topic"].queryset = topics
        self.fields["concerns"].choices = concerns_choices(user)

    def clean_phone(self):
        return _clean_phone(self.cleaned_data["phone"])

    def _with_concerns(self, data: dict) -> dict:
        data["institute"], data["hospital"] = parse_concerns(data.get("concerns"))
        return data


class IntakeForm(_TopicAndConcernsForm):
    """One screen for a call, a walk-in or an e-mail, filled while the caller talks."""

    channel = forms.ChoiceField(
        label=_("Received by"),
        choices=[
            (ContactChannel.PHONE, ContactChannel.PHONE.label),
            (ContactChannel.WALK_IN, ContactChannel.WALK_IN.label),
            (ContactChannel.EMAIL, ContactChannel.EMAIL.label),
        ],
        initial=ContactChannel.PHONE,
        widget=forms.RadioSelect,
    )
    phone = forms.CharField(
        label=_("Caller's phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "dir": "ltr"}),
    )
    name = forms.CharField(label=_("Caller's name"), max_length=200, required=False)
    email = forms.EmailField(
        label=_("Caller's e-mail"),
        required=False,
        widget=forms.EmailInput(attrs={"dir": "ltr"}),
    )
    kind = forms.ChoiceField(
        label=_("Type"), choices=ContactKind.choices, widget=forms.RadioSelect
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"), queryset=Topic.objects.none(), required=False
    )
    concerns = forms.ChoiceField(label=_("Concerns"), choices=())
    subject = forms.CharField(label=_("Subject"), max_length=200)
    message = forms.CharField(
        label=_("What the caller said"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    language = forms.ChoiceField(
        label=_("Caller's language"),
        choices=[("ar", _("Arabic")), ("en", _("English"))],
        initial="ar",
    )
    consent = forms.BooleanField(
        label=_(
            "The caller agrees that we keep the request and their contact details "
            "to answer it."
        )
    )

    def clean(self):
        data = super().clean()
        if not data.get("phone") and not data.get("email"):
            self.add_error(
                "phone",
                _("Take a phone number or an e-mail address so that we can answer."),
            )
        return self._with_concerns(data)


class StaffRequestForm(_TopicAndConcernsForm):
    """An employee's own work matter (staff channel)."""

    kind = forms.ChoiceField(
        label=_("Type"), choices=ContactKind.choices, widget=forms.RadioSelect
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"), queryset=Topic.objects.none(), required=False
    )
    concerns = forms.ChoiceField(label=_("Concerns"), choices=())
    subject = forms.CharField(label=_("Subject"), max_length=200)
    message = forms.CharField(
        label=_("Your message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    phone = forms.CharField(
        label=_("Mobile phone (optional)"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "dir": "ltr"}),
    )
    confidential = forms.BooleanField(
        label=_("Confidential"),
        required=False,
        help_text=_(
            "Seen only by the authority's designated staff, never by the managers of "
            "your hospital or institute."
        ),
    )

    def clean(self):
        data = super().clean()
        return self._with_concerns(data)


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer to the requester"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Sent to the requester and shown on the follow page."),
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=())
    note = forms.CharField(
        label=_("Note"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For “needs information” and “closed” the requester reads this note."
        ),
    )

    def __init__(self, *args, allowed=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (s, ContactStatus(s).label) for s in ContactStatus.values if s in allowed
        ]


class RouteForm(forms.Form):
    office = forms.ModelChoiceField(
        label=_("Send to office"), queryset=Office.objects.none()
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, exclude=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The contact desk and authority staff route anywhere; an institute's or a
        # hospital's staff route within their places or up to the authority's
        # offices, which route it on.
        offices = Office.objects.filter(active=True)
        if _place_scoped(user):
            offices = offices.filter(
                Q(pk__in=access.filter_for(Office.objects.all(), user).values("pk"))
                | Q(institute__isnull=True, hospital__isnull=True)
            )
        if exclude is not None:
            offices = offices.exclude(pk=exclude)
        self.fields["office"].queryset = offices.order_by("kind", "name_ar")


class AssignForm(forms.Form):
    assigned_to = forms.ModelChoiceField(
        label=_("Assign to"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("Nobody (the office)"),
    )

    def __init__(self, *args, office=None, **kwargs):
        super().__init__(*args, **kwargs)
        users = get_user_model().objects.filter(is_active=True)
        if office is not None:
            condition = Q(contact_offices__office=office)
            if office.parent_id:
                condition |= Q(contact_offices__office=office.parent_id)
            if office.institute_id:
                condition |= Q(role_assignments__institute=office.institute_id)
            if office.hospital_id:
                condition |= Q(role_assignments__hospital=office.hospital_id)
            users = users.filter(condition).distinct()
        else:
            users = users.none()
        self.fields["assigned_to"].queryset = users.order_by("first_name", "username")
        self.fields["assigned_to"].label_from_instance = lambda u: (
            u.get_full_name() or u.get_username()
        )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Internal note"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the history; never shown to the requester."),
    )


class MergeForm(forms.Form):
    original = forms.CharField(
        label=_("Reference of the original request"),
        max_length=20,
        widget=forms.TextInput(attrs={"dir": "ltr", "placeholder": "CC-XXXX-XXXX"}),
    )
