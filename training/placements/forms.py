"""Forms of the placement screens. They parse input; the rules are in the services.
Every model choice is narrowed to the user's scope (`access.limit_choices`)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from institutes import access
from institutes.access import Role
from institutes.models import Ward

from .models import (
    RUBRIC,
    EvaluationKind,
    PlacementStatus,
    SignOffLevel,
)

DATE = forms.DateInput(attrs={"type": "date"})


def _supervisors(wards):
    return (
        get_user_model()
        .objects.filter(
            role_assignments__role=Role.SUPERVISOR, role_assignments__ward__in=wards
        )
        .distinct()
        .order_by("first_name", "username")
    )


class SupervisorChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class BlockWardForm(forms.Form):
    ward = forms.ModelChoiceField(queryset=Ward.objects.none(), label=_("Ward"))
    places = forms.IntegerField(min_value=1, max_value=50, label=_("Places per shift"))

    def __init__(self, *args, block, user, **kwargs):
        super().__init__(*args, **kwargs)
        hospitals = block.cohort.institute.training_hospital_ids()
        self.fields["ward"].queryset = Ward.objects.filter(
            hospital__in=hospitals, is_active=True
        ).select_related("hospital")
        access.limit_choices(self.fields.values(), user)


class PlaceStudentForm(forms.Form):
    student = forms.ModelChoiceField(queryset=None, label=_("Student"))
    ward = forms.ModelChoiceField(queryset=Ward.objects.none(), label=_("Ward"))
    start_date = forms.DateField(label=_("First day"), widget=DATE)
    end_date = forms.DateField(label=_("Last day"), widget=DATE)
    supervisor = SupervisorChoice(
        queryset=get_user_model().objects.none(),
        label=_("Supervisor"),
        required=False,
    )

    def __init__(self, *args, block, user, **kwargs):
        from students.models import Student

        super().__init__(*args, **kwargs)
        wards = Ward.objects.filter(block_wards__block=block).select_related("hospital")
        self.fields["student"].queryset = Student.objects.filter(
            cohort=block.cohort_id
        ).select_related("person")
        self.fields["ward"].queryset = wards
        self.fields["supervisor"].queryset = _supervisors(wards)
        self.fields["start_date"].initial = block.start_date
        self.fields["end_date"].initial = block.end_date
        access.limit_choices([self.fields["student"], self.fields["ward"]], user)


class AdjustPlacementForm(forms.Form):
    ward = forms.ModelChoiceField(queryset=Ward.objects.none(), label=_("Ward"))
    start_date = forms.DateField(label=_("First day"), widget=DATE)
    end_date = forms.DateField(label=_("Last day"), widget=DATE)
    supervisor = SupervisorChoice(
        queryset=get_user_model().objects.none(),
        label=_("Supervisor"),
        required=False,
    )

    def __init__(self, *args, placement, user, **kwargs):
        super().__init__(*args, **kwargs)
        wards = Ward.objects.filter(block_wards__block=placement.block_id)
        self.fields["ward"].queryset = wards.select_related("hospital")
        self.fields["supervisor"].queryset = _supervisors(wards)
        self.fields["ward"].initial = placement.ward_id
        self.fields["start_date"].initial = placement.start_date
        self.fields["end_date"].initial = placement.end_date
        self.fields["supervisor"].initial = placement.supervisor_id
        access.limit_choices([self.fields["ward"]], user)


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(
        choices=PlacementStatus.choices, label=_("New status")
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300)


class SignOffForm(forms.Form):
    competency = forms.ModelChoiceField(queryset=None, label=_("Competency"))
    level = forms.ChoiceField(choices=SignOffLevel.choices, label=_("Assessment"))
    assessed_on = forms.DateField(label=_("Date"), widget=DATE)
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    corrects = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, placement, **kwargs):
        from curriculum.models import Competency

        super().__init__(*args, **kwargs)
        self.fields["competency"].queryset = Competency.objects.filter(
            version=placement.student.cohort.curriculum_version_id,
            year=placement.block.year,
        ).order_by("code")


SCORE_CHOICES = [(i, str(i)) for i in range(1, 6)]


class EvaluationForm(forms.Form):
    kind = forms.ChoiceField(choices=EvaluationKind.choices, label=_("Evaluation"))
    comments = forms.CharField(
        label=_("Comments"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in RUBRIC:
            self.fields[name] = forms.TypedChoiceField(
                choices=SCORE_CHOICES,
                coerce=int,
                label=label,
                widget=forms.RadioSelect,
            )

    def scores(self) -> dict[str, int]:
        return {name: self.cleaned_data[name] for name, _label in RUBRIC}


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[
            ("approve", _("Approve")),
            ("reject", _("Reject")),
            ("return", _("Return: needs information")),
        ]
    )
    comment = forms.CharField(required=False, max_length=300, label=_("Comment"))


class CompetencyChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} — {obj.title}"


class PastYearForm(forms.Form):
    """A past year's clinical training from the paper register (the registrar)."""

    hours = forms.CharField(
        label=_("Approved clinical hours"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "dir": "ltr"}),
    )
    competencies = CompetencyChoices(
        queryset=None,
        label=_("Competencies signed off"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    evidence = forms.CharField(
        label=_("Evidence"),
        help_text=_("Where the figures come from, e.g. the register and its page."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, student, year, **kwargs):
        from curriculum.models import Competency

        super().__init__(*args, **kwargs)
        self.fields["competencies"].queryset = Competency.objects.filter(
            version=student.cohort.curriculum_version_id, year=year
        ).order_by("code")
