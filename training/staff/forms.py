"""Forms of the staff training screens. They parse input; services do the work."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminModelForm

from institutes.formatting import TypedDecimalField
from institutes.models import Specialty
from institutes.national_id import Sex
from institutes.person_forms import PersonFieldsMixin
from institutes.plain_text import validate_visible_text

from .models import JobCategory, StaffMember, Topic
from .services import staff_member_save, topic_rules_changed

STAFF_FIELDS = (
    "hospital",
    "ward",
    "employee_number",
    "job_category",
    "job_title",
    "hire_date",
    "manager",
    "email",
    "phone",
    "is_active",
    "employment_type",
)


class StaffMemberForm(PersonFieldsMixin, WagtailAdminModelForm):
    """A staff member with the person's identity: saved through `staff_member_save`,
    which applies the person-identity rule as the signed-in user."""

    birth_date = forms.DateField(
        label=_("date of birth"),
        required=False,
        help_text=_("Taken from an Egyptian national ID when left empty."),
    )
    sex = forms.ChoiceField(
        label=_("sex"),
        choices=[("", "—"), *Sex.choices],
        required=False,
        help_text=_("Taken from an Egyptian national ID when left empty."),
    )
    name_ar = forms.CharField(label=_("full name (Arabic)"), max_length=200)
    name_en = forms.CharField(
        label=_("full name (Latin)"), max_length=200, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Printed on certificates and sign-in sheets: no bidi or invisible characters.
        for name in ("name_ar", "name_en", "job_title", "phone"):
            if name in self.fields:
                self.fields[name].validators.append(validate_visible_text)
        person = self.instance.person if self.instance.person_id else None
        if person is not None and not self.is_bound:
            self.initial_person(person)
            self.initial.update(
                birth_date=person.birth_date,
                sex=person.sex,
                name_ar=person.name_ar,
                name_en=person.name_en,
            )

    def clean(self):
        cleaned = super().clean()
        self.clean_person(
            user=getattr(self, "for_user", None),
            current=self.instance.person if self.instance.person_id else None,
        )
        return cleaned

    def save(self, commit=True):
        data = self.cleaned_data
        staff = staff_member_save(
            staff=self.instance,
            by=getattr(self, "for_user", None),
            **self.person_fields(),
            **{name: data[name] for name in STAFF_FIELDS if name in data},
        )
        self.identity_change_request = staff.person.identity_change_request
        return staff


class TopicForm(WagtailAdminModelForm):
    """A topic with its job categories and departments as checkboxes; a change of
    rules is recorded and recomputed on save."""

    job_categories = forms.MultipleChoiceField(
        label=_("job categories"),
        choices=JobCategory.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    specialties = forms.MultipleChoiceField(
        label=_("departments"),
        choices=Specialty.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Leave empty for every department."),
    )

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.for_user = for_user
        self._rules_before = (
            self.instance.rules_snapshot() if self.instance.pk else None
        )

    def save(self, commit=True):
        topic = super().save(commit=commit)
        if self._rules_before is not None:
            topic_rules_changed(
                topic=topic, before=self._rules_before, changed_by=self.for_user
            )
        else:
            from .compliance import status_sync, topic_affected_staff_ids

            status_sync(topic_affected_staff_ids(topic), topics=[topic])
        return topic


class InductionTopicForm(WagtailAdminModelForm):
    """A line of the induction plan; the due dates of the staff of the job categories
    it touched are recomputed on save."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._category_before = self.instance.job_category if self.instance.pk else ""
        if "topic" in self.fields:
            self.fields["topic"].queryset = Topic.objects.filter(
                is_active=True
            ).order_by("code")

    def save(self, commit=True):
        from .services import induction_plan_changed

        entry = super().save(commit=commit)
        for category in {self._category_before, entry.job_category} - {""}:
            induction_plan_changed(job_category=category)
        return entry


class SessionForm(WagtailAdminModelForm):
    """A training session; times carried to bookings by `session_after_save`.

    Only active topics can be scheduled (retired ones stay on past sessions)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "topic" in self.fields:
            active = Q(is_active=True)
            if self.instance.pk:
                active |= Q(pk=self.instance.topic_id)
            self.fields["topic"].queryset = Topic.objects.filter(active)

    def save(self, commit=True):
        from .services import session_after_save

        session = super().save(commit=commit)
        session_after_save(session=session)
        return session


class RegisterForm(forms.Form):
    """Register one person, a department, or everyone due for the session's topic."""

    MODE_ONE = "one"
    MODE_WARD = "ward"
    MODE_DUE = "due"

    mode = forms.ChoiceField(
        choices=[
            (MODE_ONE, _("One person")),
            (MODE_WARD, _("A whole department")),
            (MODE_DUE, _("Everyone due for this topic in the hospital")),
        ],
        widget=forms.RadioSelect,
        initial=MODE_ONE,
    )
    staff = forms.ModelChoiceField(
        label=_("Staff member"), queryset=StaffMember.objects.none(), required=False
    )
    ward = forms.ModelChoiceField(
        label=_("Department / ward"), queryset=None, required=False
    )

    def __init__(self, *args, session, staff_queryset, ward_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff_queryset
        self.fields["ward"].queryset = ward_queryset

    def clean(self):
        cleaned = super().clean()
        mode = cleaned.get("mode")
        if mode == self.MODE_ONE and not cleaned.get("staff"):
            self.add_error("staff", _("Choose the staff member to register."))
        if mode == self.MODE_WARD and not cleaned.get("ward"):
            self.add_error("ward", _("Choose the department to register."))
        return cleaned


class CancelSessionForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=255, required=False)


class PaperSheetForm(forms.Form):
    """Quick entry of a paper sign-in sheet: one employee number per line, optionally
    followed by a score. Everyone booked who is not listed is marked absent."""

    lines = forms.CharField(
        label=_("Employee numbers of those who signed"),
        widget=forms.Textarea(attrs={"rows": 12, "dir": "ltr"}),
        help_text=_(
            "One per line: the employee number, then the score if there was an "
            "assessment, e.g. “E00123 85”."
        ),
    )
    absent_if_missing = forms.BooleanField(
        label=_("Mark booked people who are not listed as absent"),
        required=False,
        initial=True,
    )


class CorrectionForm(forms.Form):
    status = forms.ChoiceField(label=_("Attendance"))
    score = TypedDecimalField(
        label=_("Score"), required=False, min_value=0, max_value=100
    )
    reason = forms.CharField(label=_("Reason for the correction"), max_length=255)

    def __init__(self, *args, **kwargs):
        from .models import AttendanceStatus

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = AttendanceStatus.choices


class TopicChoiceForm(forms.Form):
    topic = forms.ModelChoiceField(
        label=_("Topic"), queryset=Topic.objects.all(), required=False
    )


class GraduateHireForm(forms.Form):
    """Hire a graduate from their person page: only the employment is typed; names
    and identity documents come from the person (`graduate_hire`)."""

    hospital = forms.ModelChoiceField(label=_("hospital"), queryset=None)
    ward = forms.ModelChoiceField(
        label=_("department / ward"), queryset=None, required=False
    )
    employee_number = forms.CharField(label=_("employee number"), max_length=30)
    job_category = forms.ChoiceField(
        label=_("job category"), choices=JobCategory.choices, initial=JobCategory.NURSE
    )
    job_title = forms.CharField(label=_("job title"), max_length=120, required=False)
    hire_date = forms.DateField(
        label=_("hire date"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from django.utils import timezone

        from institutes import access

        from .services import hospitals_for_hiring

        hospitals = hospitals_for_hiring(user).order_by("name_ar")
        self.fields["hospital"].queryset = hospitals
        self.fields["ward"].queryset = (
            access.wards_for(user)
            .filter(hospital__in=hospitals)
            .select_related("hospital")
            .order_by("hospital__name_ar", "name_ar")
        )
        self.fields["hospital"].error_messages["invalid_choice"] = _(
            "You may add staff only to your own hospitals."
        )
        self.fields["hire_date"].initial = timezone.localdate()

    def clean_employee_number(self):
        value = self.cleaned_data["employee_number"].strip()
        validate_visible_text(value)
        return value

    def clean_hire_date(self):
        import datetime

        value = self.cleaned_data["hire_date"]
        if not datetime.date(1950, 1, 1) <= value <= datetime.date(2199, 12, 31):
            raise forms.ValidationError(_("Enter a hire date between 1950 and 2199."))
        return value
