"""The base of every operational table (django-tables2) in the back office."""

import django_tables2 as tables

from django.utils.translation import gettext_lazy as _

from .formatting import identifier_html


class OperationalTable(tables.Table):
    """Admin-styled table; below 600 px each row becomes a card whose cells carry
    their column's header as a label (`institutes/tables/cards.html`)."""

    class Meta:
        template_name = "institutes/tables/cards.html"
        attrs = {"class": "listing op-table"}
        empty_text = _("Nothing to show.")


class IdentifierColumn(tables.Column):
    """A student or employee number, serial or code: isolated left-to-right and kept
    on one line (`identifier_html`, class "ident"); exported as typed."""

    def render(self, value):
        return identifier_html(value)

    def value(self, value):
        return value
