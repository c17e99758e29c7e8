"""The "Students" menu: students, cohorts, curricula, and the student chooser.

The student list is built for national scale: filters and sort keys hit indexed
columns, search uses the normalised `search_text`, and the paginator never counts
more than `LIST_COUNT_CAP` rows (no unfiltered COUNT(*) over a million-row table).
"""

from __future__ import annotations

import django_filters

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.widgets.button import HeaderButton

from curriculum.models import YEARS_OF_STUDY, CurriculumVersion
from curriculum.services import curriculum_version_freeze
from institutes import access
from institutes.models import Institute
from institutes.national_id import Governorate, Sex
from institutes.person_forms import (
    PERSON_DOCUMENT_PANELS,
    IdentityRequestMessageMixin,
    PersonFieldsMixin,
)
from institutes.plain_text import validate_visible_text
from institutes.scoped_admin import (
    ScopedChooserViewSet,
    ScopedCreateView,
    ScopedEditView,
    ScopedFilterSet,
    ScopedIndexView,
    ScopedInspectView,
    ScopedModelViewSet,
)
from institutes.services import person_upsert

from .models import Cohort, Student, StudentStatus, WithdrawalReason

LIST_COUNT_CAP = 10_000


class CappedPaginator(WagtailPaginator):
    """Counts at most `LIST_COUNT_CAP + 1` rows (a bounded sub-query, not COUNT(*)).

    Beyond the cap the listing says "more than 10,000" and offers the pages up to
    the cap; filters or search narrow the rest.
    """

    @cached_property
    def count(self):
        counted = self.object_list[: LIST_COUNT_CAP + 1].count()
        self.capped = counted > LIST_COUNT_CAP
        return min(counted, LIST_COUNT_CAP)

    @cached_property
    def items_count_label(self):
        if self.count >= LIST_COUNT_CAP and getattr(self, "capped", False):
            return ngettext(
                "more than %(n)s student — filter or search to narrow",
                "more than %(n)s students — filter or search to narrow",
                LIST_COUNT_CAP,
            ) % {"n": LIST_COUNT_CAP}
        return super().items_count_label


class SearchPaginator(WagtailPaginator):
    """While searching: no count at all, one query of a page plus one row.

    A search is a scan of `search_text`; counting the matches would scan a second
    time. The listing shows "50+" and a next page while more rows exist.
    """

    def get_page(self, number):
        try:
            # Never past the listing's cap: a page number of 25 digits would be an
            # offset no database accepts.
            number = min(max(1, int(number)), LIST_COUNT_CAP // self.per_page + 1)
        except (TypeError, ValueError):
            number = 1
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            number, bottom = 1, 0
            rows = list(self.object_list[: self.per_page + 1])
        self.__dict__["count"] = bottom + len(rows)
        self.has_more = len(rows) > self.per_page
        return self._get_page(rows[: self.per_page], number, self)

    @cached_property
    def items_count_label(self):
        if getattr(self, "has_more", False):
            shown = self.count - 1
            return ngettext(
                "more than %(n)s student", "more than %(n)s students", shown
            ) % {"n": shown}
        return super().items_count_label


YEAR_CHOICES = [(n, str(n)) for n in range(1, YEARS_OF_STUDY + 1)]


class StudentFilterSet(ScopedFilterSet):
    institute = django_filters.ModelChoiceFilter(
        field_name="cohort__institute",
        queryset=Institute.objects.all(),
        label=_("Institute"),
    )
    cohort = django_filters.ModelChoiceFilter(
        queryset=Cohort.objects.select_related("institute"), label=_("Cohort")
    )
    year_of_study = django_filters.ChoiceFilter(
        choices=YEAR_CHOICES, label=_("Year of study")
    )
    status = django_filters.ChoiceFilter(
        choices=StudentStatus.choices, label=_("Status")
    )
    sex = django_filters.ChoiceFilter(
        field_name="person__sex", choices=Sex.choices, label=_("Sex")
    )
    governorate = django_filters.ChoiceFilter(
        choices=Governorate.choices, label=_("Governorate")
    )

    class Meta:
        model = Student
        fields = [
            "institute",
            "cohort",
            "year_of_study",
            "status",
            "sex",
            "governorate",
        ]


STUDENT_DETAIL_FIELDS = (
    "guardian_name",
    "guardian_relation",
    "guardian_phone",
    "governorate",
    "address",
    "prep_certificate_total",
    "prep_certificate_year",
    "photo",
)


PRINTED_TEXT_FIELDS = (
    "name_ar",
    "name_en",
    "phone",
    "guardian_name",
    "guardian_phone",
    "address",
)


class StudentForm(PersonFieldsMixin, WagtailAdminModelForm):
    """The student record with the person's details (written through the services,
    which apply the person-identity rule as the signed-in user)."""

    name_ar = forms.CharField(label=_("Full name (Arabic)"), max_length=200)
    name_en = forms.CharField(
        label=_("Full name (Latin)"), max_length=200, required=False
    )
    birth_date = forms.DateField(
        label=_("Date of birth"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Taken from an Egyptian national ID when left empty."),
    )
    sex = forms.ChoiceField(
        label=_("Sex"), choices=[("", "—"), *Sex.choices], required=False
    )
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)

    class Meta:
        model = Student
        fields = [
            "cohort",
            "guardian_name",
            "guardian_relation",
            "guardian_phone",
            "governorate",
            "address",
            "prep_certificate_total",
            "prep_certificate_year",
            "photo",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "student_number" in self.fields:
            self.fields["student_number"].required = False
            self.fields["student_number"].help_text = _(
                "Leave empty to number the student automatically."
            )
        # Printed on transcripts and certificates: no bidi or invisible characters.
        for name in PRINTED_TEXT_FIELDS:
            if name in self.fields:
                self.fields[name].validators.append(validate_visible_text)
        if self.instance.pk:
            person = self.instance.person
            self.initial_person(person)
            for name in ("name_ar", "name_en", "birth_date", "sex", "phone"):
                self.initial.setdefault(name, getattr(person, name))

    def clean_student_number(self):
        number = (self.cleaned_data.get("student_number") or "").strip()
        if not number and self.instance.pk:
            return self.instance.student_number
        return number

    def clean(self):
        cleaned = super().clean()
        person = self.clean_person(
            user=getattr(self, "for_user", None),
            current=self.instance.person if self.instance.pk else None,
        )
        if person is not None:
            from .services import _student_exists_message

            clash = Student.objects.filter(person=person).exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error(
                    "document_number",
                    _student_exists_message(person, getattr(self, "for_user", None)),
                )
        return cleaned

    @transaction.atomic
    def save(self, commit=True):
        from .services import student_register

        data = self.cleaned_data
        person_fields = self.person_fields()
        person_fields["phone"] = data.get("phone") or ""
        user = getattr(self, "for_user", None)
        if self.instance.pk is None:
            details = {
                k: data.get(k)
                for k in STUDENT_DETAIL_FIELDS
                if data.get(k) not in (None, "")
            }
            details["student_number"] = data.get("student_number") or ""
            self.instance = student_register(
                cohort=data["cohort"], by=user, **person_fields, **details
            )
            self.identity_change_request = self.instance.person.identity_change_request
            return self.instance
        person = person_upsert(by=user, current=self.instance.person, **person_fields)
        self.identity_change_request = person.identity_change_request
        student = super().save(commit=False)
        student.student_number = (
            data.get("student_number") or self.initial.get("student_number") or ""
        )
        student.person = person
        student.save()
        return student


class StudentIndexView(ScopedIndexView):
    paginator_class = CappedPaginator

    def get_paginator(self, *args, **kwargs):
        if self.is_searching:
            return SearchPaginator(*args, **kwargs)
        return super().get_paginator(*args, **kwargs)

    #: What a role that sees students only through placements reads in the list and
    #: its export (see `selectors.sees_full_student_record`).
    MINIMAL_COLUMNS = ("name_ar", "name_en", "student_number", "year_of_study")

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        from .selectors import sees_full_student_record

        self.minimal = not sees_full_student_record(request.user)
        if self.minimal:
            self.list_export = [
                f for f in self.list_export if f in self.MINIMAL_COLUMNS
            ]

    @cached_property
    def columns(self):
        columns = super().columns
        if self.minimal:
            columns = [c for c in columns if c.name in self.MINIMAL_COLUMNS]
        return columns

    def get_base_queryset(self):
        # Documents for the number column of people without an Egyptian national ID.
        return (
            super()
            .get_base_queryset()
            .select_related("person", "cohort__institute")
            .prefetch_related("person__documents")
        )

    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if access.user_may(self.request.user, "add", Student):
            buttons.append(
                HeaderButton(
                    _("Import students"),
                    url=reverse("students_import"),
                    icon_name="upload",
                )
            )
        return buttons


class CohortIndexView(ScopedIndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("institute", "curriculum_version")
        )


class StudentCreateView(IdentityRequestMessageMixin, ScopedCreateView):
    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.for_user = self.request.user
        return form

    def get_success_url(self):
        # Land on the student just added, not on the whole list.
        return reverse("students:inspect", args=[self.object.pk])


class StudentEditView(IdentityRequestMessageMixin, ScopedEditView):
    pass


class StudentPageView(ScopedInspectView):
    """The student page: the record, enrolment history, results, and other apps' panels."""

    template_name = "students/student_page.html"
    page_title = _("Student")

    def get_context_data(self, **kwargs):
        from .panels import student_page_panels
        from .selectors import (
            academic_record,
            sees_full_student_record,
            student_history,
        )
        from .views import lifecycle_actions

        context = super().get_context_data(**kwargs)
        student = self.object
        if not sees_full_student_record(self.request.user, student):
            context.update(
                student=student,
                person=student.person,
                minimal=True,
                panels=student_page_panels(student, self.request),
            )
            return context
        context.update(
            student=student,
            person=student.person,
            record=academic_record(student),
            history=list(student_history(student)),
            can_change=access.can(self.request.user, "change", student),
            actions=lifecycle_actions(student),
            panels=student_page_panels(student, self.request),
            withdrawal_reasons=WithdrawalReason.choices,
        )
        return context


def _student_url(student):
    return reverse("students:inspect", args=[student.pk])


class StudentViewSet(ScopedModelViewSet):
    name = "students"
    model = Student
    icon = "user"
    menu_label = _("Students")
    add_to_admin_menu = False
    filterset_class = StudentFilterSet
    search_fields = ["search_text"]
    index_view_class = StudentIndexView
    add_view_class = StudentCreateView
    edit_view_class = StudentEditView
    inspect_view_class = StudentPageView
    list_per_page = 50
    ordering = ["student_number"]
    list_display = [
        TitleColumn(
            "name_ar",
            label=_("Name"),
            get_url=_student_url,
            sort_key="person__name_ar",
        ),
        Column("name_en", label=_("Latin name")),
        Column(
            "student_number",
            label=_("Student number"),
            sort_key="student_number",
            classname="ident",
        ),
        Column("national_id", label=_("National ID")),
        Column("cohort", label=_("Cohort")),
        Column("year_of_study", label=_("Year"), sort_key="year_of_study"),
        Column("get_status_display", label=_("Status"), sort_key="status"),
    ]
    list_export = [
        "student_number",
        "name_ar",
        "name_en",
        "national_id",
        "person.birth_date",
        "person.get_sex_display",
        "cohort.institute",
        "cohort.intake_label",
        "year_of_study",
        "get_status_display",
        "get_governorate_display",
        "address",
        "guardian_name",
        "get_guardian_relation_display",
        "guardian_phone",
        "prep_certificate_total",
        "prep_certificate_year",
    ]
    export_headings = {
        "student_number": _("Student number"),
        "name_ar": _("Full name (Arabic)"),
        "name_en": _("Full name (Latin)"),
        "national_id": _("National ID"),
        "person.birth_date": _("Date of birth"),
        "person.get_sex_display": _("Sex"),
        "cohort.institute": _("Institute"),
        "cohort.intake_label": _("Intake"),
        "year_of_study": _("Year of study"),
        "get_status_display": _("Status"),
        "get_governorate_display": _("Governorate"),
        "address": _("Address"),
        "guardian_name": _("Guardian's name"),
        "get_guardian_relation_display": _("Guardian's relation"),
        "guardian_phone": _("Guardian's phone"),
        "prep_certificate_total": _("Preparatory certificate total"),
        "prep_certificate_year": _("Preparatory certificate year"),
    }
    export_filename = "students"
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("name_ar"), FieldPanel("name_en")]),
                    *PERSON_DOCUMENT_PANELS,
                    FieldRowPanel([FieldPanel("birth_date"), FieldPanel("sex")]),
                    FieldPanel("phone"),
                ],
                heading=_("Person"),
            ),
            *Student.panels,
        ],
        base_form_class=StudentForm,
    )

    def get_queryset(self, request):
        return Student.objects.select_related("person", "cohort__institute")


class CohortForm(WagtailAdminModelForm):
    def clean_curriculum_version(self):
        version = self.cleaned_data["curriculum_version"]
        if (
            self.instance.pk
            and version.pk != self.instance.curriculum_version_id
            and self.instance.students.exists()
        ):
            raise ValidationError(
                _("The cohort already has students: its curriculum cannot change.")
            )
        return version

    def save(self, commit=True):
        cohort = super().save(commit=commit)
        if commit:
            curriculum_version_freeze(version=cohort.curriculum_version)
        return cohort


class CohortFilterSet(ScopedFilterSet):
    institute = django_filters.ModelChoiceFilter(
        queryset=Institute.objects.all(), label=_("Institute")
    )
    intake_year = django_filters.NumberFilter(label=_("Intake year"))
    curriculum_version = django_filters.ModelChoiceFilter(
        queryset=CurriculumVersion.objects.all(), label=_("Curriculum version")
    )

    class Meta:
        model = Cohort
        fields = ["institute", "intake_year", "curriculum_version"]


class CohortRosterView(ScopedInspectView):
    """A cohort's "inspect" page is its roster (with results sheets and rollover)."""

    template_name = "students/cohort_roster.html"
    page_title = _("Roster")

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("export")
        if fmt in ("csv", "xlsx"):
            from .views import roster_export

            return roster_export(self.object, fmt)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        from .views import roster_context

        context = super().get_context_data(**kwargs)
        context.update(roster_context(self.request, self.object))
        return context


def _roster_url(cohort):
    return reverse("cohorts:inspect", args=[cohort.pk])


class CohortViewSet(ScopedModelViewSet):
    name = "cohorts"
    model = Cohort
    icon = "group"
    menu_label = _("Cohorts")
    add_to_admin_menu = False
    filterset_class = CohortFilterSet
    inspect_view_class = CohortRosterView
    index_view_class = CohortIndexView
    list_display = [
        TitleColumn(
            "intake_label",
            label=_("Intake"),
            get_url=_roster_url,
            sort_key="intake_year",
        ),
        Column("institute", label=_("Institute")),
        Column("curriculum_version", label=_("Curriculum version")),
        Column("capacity", label=_("Capacity"), sort_key="capacity"),
    ]
    list_export = ["institute", "intake_label", "curriculum_version", "capacity"]
    export_headings = {
        "institute": _("Institute"),
        "intake_label": _("Intake"),
        "curriculum_version": _("Curriculum version"),
        "capacity": _("Capacity"),
    }
    export_filename = "cohorts"
    edit_handler = ObjectList(Cohort.panels, base_form_class=CohortForm)

    def get_queryset(self, request):
        return Cohort.objects.select_related("institute", "curriculum_version")


class StudentChooserViewSet(ScopedChooserViewSet):
    """Choose a student (used by certificates and placements)."""

    model = Student
    icon = "user"
    choose_one_text = _("Choose a student")
    choose_another_text = _("Choose another student")
    url_filter_parameters = ["cohort"]
    preserve_url_parameters = ["cohort"]

    def get_object_list(self):
        return Student.objects.select_related("person", "cohort__institute")


class StudentsGroup(ViewSetGroup):
    menu_label = _("Students")
    menu_icon = "user"
    menu_order = 150
    items = (StudentViewSet, CohortViewSet)


student_chooser_viewset = StudentChooserViewSet("student_chooser")
