"""django-tables2 tables of the student screens."""

import django_tables2 as tables

from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from institutes.tables import IdentifierColumn

from .models import Student


class CohortRosterTable(tables.Table):
    """A cohort's students (the roster), linked to their pages."""

    name = tables.Column(
        accessor="person__name_ar", verbose_name=_("Name"), order_by="person__name_ar"
    )
    name_en = tables.Column(accessor="person__name_en", verbose_name=_("Latin name"))
    student_number = IdentifierColumn(verbose_name=_("Student number"))
    national_id = IdentifierColumn(
        accessor="person__national_id", verbose_name=_("National ID")
    )
    sex = tables.Column(accessor="person__sex", verbose_name=_("Sex"))
    year_of_study = tables.Column(verbose_name=_("Year"))
    status = tables.Column(verbose_name=_("Status"))

    class Meta:
        model = Student
        fields = ()
        sequence = (
            "name",
            "name_en",
            "student_number",
            "national_id",
            "sex",
            "year_of_study",
            "status",
        )
        template_name = "django_tables2/table.html"
        attrs = {"class": "listing st-table"}
        orderable = False

    def render_name(self, value, record):
        return format_html(
            '<a href="{}">{}</a>', reverse("students:inspect", args=[record.pk]), value
        )

    def render_sex(self, record):
        return record.person.get_sex_display()

    def render_status(self, record):
        return record.get_status_display()
