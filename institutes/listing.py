"""One base view for every list-shaped operational screen of the back office.

A screen declares what it shows; the view composes, in this order:

1. **scope**: `get_queryset()` returns rows already narrowed by the access module
   (a selector that takes the user, or `access.filter_for`);
2. **filter**: a django-filter `FilterSet` (`filterset_class`, normally a
   `ScopedFilterSet`, whose model choices pass through the access module). A value
   that is not valid (`?hospital=abc`, a foreign id, an impossible date) is shown as
   the form's own error and the list is empty — never a server error;
3. **table**: a django-tables2 `Table` (`table_class`, normally an `OperationalTable`)
   with its columns, ordering and localized headers;
4. **paginate**: lazily (`LazyPaginator`: no COUNT over the whole table);
5. **export**: `?export=csv|xlsx` streams the filtered, ordered rows through the
   table's own export values and the project's formula-safe spreadsheet writer.

A new screen is a table, a filter set and a few class attributes::

    class StaffToTrainView(OperationalListView):
        table_class = StaffToTrainTable
        filterset_class = StaffToTrainFilter
        page_title = _("Staff to train")
        export_filename = "training-compliance"

        def get_queryset(self):
            return statuses_for(self.request.user)
"""

from __future__ import annotations

from django_tables2 import RequestConfig
from django_tables2.paginators import LazyPaginator

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from .spreadsheets import spreadsheet_response

EXPORT_FORMATS = ("csv", "xlsx")


class OperationalListView(View):
    """scope → filter → table → paginate → export (see the module's docstring)."""

    table_class = None
    filterset_class = None
    template_name = "institutes/listing.html"
    page_title = ""
    header_icon = "table"
    per_page = 100
    export_filename = "export"
    export_formats = EXPORT_FORMATS
    #: Filter values used when the request does not give them (e.g. a default status).
    filter_defaults: dict = {}

    def check_access(self, request) -> None:
        """Refuse (raise `PermissionDenied`) a user who may not open the screen."""
        if not request.user.is_authenticated:
            raise PermissionDenied

    def get_queryset(self):
        raise ImproperlyConfigured(
            f"{type(self).__name__} must define get_queryset() returning scoped rows."
        )

    def get_filterset(self, queryset):
        if self.filterset_class is None:
            return None
        data = self.request.GET.copy()
        for key, value in self.filter_defaults.items():
            data.setdefault(key, value)
        return self.filterset_class(
            data or None, queryset=queryset, request=self.request
        )

    def get_table(self, rows):
        if self.table_class is None:
            raise ImproperlyConfigured(
                f"{type(self).__name__} must define `table_class`."
            )
        return self.table_class(rows, request=self.request)

    def get_context_data(self, **context) -> dict:
        return context

    def get(self, request, *args, **kwargs):
        self.check_access(request)
        rows = self.get_queryset()
        filterset = self.get_filterset(rows)
        if filterset is not None:
            rows = filterset.qs if filterset.is_valid() else rows.none()
        table = self.get_table(rows)
        export = request.GET.get("export")
        if export in self.export_formats:
            return self.export(table, export)
        RequestConfig(
            request,
            paginate={"paginator_class": LazyPaginator, "per_page": self.per_page},
        ).configure(table)
        query = request.GET.copy()
        for key in ("export", table.prefixed_page_field):
            query.pop(key, None)
        context = {
            "page_title": self.page_title,
            "header_icon": self.header_icon,
            "table": table,
            "filterset": filterset,
            "querystring": query.urlencode(),
            "export_formats": self.export_formats,
        }
        return render(request, self.template_name, self.get_context_data(**context))

    def export(self, table, fmt: str):
        values = iter(table.as_values())
        headers = next(values)
        return spreadsheet_response(
            filename=f"{self.export_filename}-{timezone.localdate():%Y%m%d}",
            headers=headers,
            rows=values,
            fmt=fmt,
            stream=True,
        )
