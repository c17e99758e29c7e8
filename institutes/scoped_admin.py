"""Wagtail viewsets whose every door goes through `institutes.access`.

Overriding `get_queryset` on a Wagtail viewset only scopes the listing and export:
edit, delete, inspect, copy, history and usage load their object their own way, and
the chooser has its own views. `ScopedModelViewSet` and `ScopedChooserViewSet` swap
in view classes that scope the object look-up, check the object after loading it,
narrow every foreign-key choice in forms and filters, re-check a saved object inside
the transaction, and register a permission policy so that Wagtail's own checks (menu,
buttons, `user_has_permission_for_instance`) give the same answers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

import django_filters

from django import forms
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models, router, transaction
from django.db.models import QuerySet
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.db.models.functions import Cast
from django.http import Http404
from django.utils.dateparse import parse_date
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.views.generic import history, usage
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.models import ReferenceIndex
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import policy_registry, register_permission_policy

from . import access
from .arabic import search_variants
from .spreadsheets import CSV_BOM, neutralize_formula


class ScopedPermissionPolicy(BasePermissionPolicy):
    """Wagtail's permission questions answered by the access rules."""

    def user_has_permission(self, user, action):
        return access.user_may(user, action, self.model)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, a) for a in actions)

    def users_with_any_permission(self, actions):
        from django.contrib.auth import get_user_model

        User = get_user_model()
        return (
            User.objects.filter(is_active=True)
            .filter(
                models.Q(is_superuser=True) | models.Q(role_assignments__isnull=False)
            )
            .distinct()
        )

    def user_has_permission_for_instance(self, user, action, instance):
        return access.can(user, action, instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(access.can(user, a, instance) for a in actions)

    def instances_user_has_any_permission_for(self, user, actions):
        qs = self.model._default_manager.none()
        for action in actions:
            qs = qs | access.filter_for(self.model._default_manager.all(), user, action)
        return qs

    def instances_user_has_permission_for(self, user, action):
        return access.filter_for(self.model._default_manager.all(), user, action)


def register_scoped_policies(models_: list[type[models.Model]]) -> None:
    """Give every model with an access rule the scoped policy (called from ready())."""
    for model in models_:
        if getattr(model, "access_rule", None) is None:
            continue
        if policy_registry.get_by_type(model, fallback=False) is None:
            register_permission_policy(
                model, ScopedPermissionPolicy(model), exact_class=True
            )


# Dates a person can mean. Beyond them the databases (or the "day after" a range
# filter adds) overflow; 0001-01-01 and 9999-12-31 are typed by testers, not users.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2199, 12, 31)


def _check_date(value) -> None:
    day = value.date() if isinstance(value, datetime) else value
    if isinstance(day, date) and not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValidationError(
            _("Enter a date between %(first)s and %(last)s."),
            code="date_out_of_range",
            params={"first": EARLIEST_DATE.year, "last": LATEST_DATE.year},
        )


def bound_dates(fields: Iterable) -> None:
    """Make every date field (and each half of a date range) refuse impossible years.

    An out-of-range date then fails the form with its own message instead of
    overflowing in the query.
    """
    for form_field in fields:
        parts = [form_field, *getattr(form_field, "fields", ())]
        for part in parts:
            if isinstance(part, forms.DateField | forms.DateTimeField) and (
                _check_date not in part.validators
            ):
                part.validators = [*part.validators, _check_date]


def date_param(request, raw: str | None, default: date) -> date:
    """A date typed in a query string or form, or `default` (with a message saying
    so) when it is no real date or lies outside the years a person can mean."""
    if not raw:
        return default
    try:
        day = parse_date(raw)
        if day is None:
            raise ValueError(raw)
        _check_date(day)
    except (ValueError, ValidationError):
        messages.warning(
            request,
            _(
                "“%(value)s” is not a date between %(first)s and %(last)s; showing %(day)s."
            )
            % {
                "value": raw[:20],
                "first": EARLIEST_DATE.year,
                "last": LATEST_DATE.year,
                "day": default.isoformat(),
            },
        )
        return default
    return day


class BoundedDatesFilterSetMixin:
    """A filter set whose date filters refuse impossible years (see bound_dates)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bound_dates(self.form.fields.values())


_MODEL_FILTERS = (
    django_filters.ModelChoiceFilter,
    django_filters.ModelMultipleChoiceFilter,
)


class ScopedFilterSet(BoundedDatesFilterSetMixin, WagtailFilterSet):
    """A filter set whose model choices are narrowed to the requesting user's scope."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        for flt in self.filters.values():
            queryset = getattr(flt, "queryset", None)
            if (
                isinstance(flt, _MODEL_FILTERS)
                and queryset is not None
                and not callable(queryset)
                and access.rule_for(queryset.model) is not None
            ):
                flt.queryset = access.filter_for(queryset, user, "view")
        access.limit_choices(self.form.fields.values(), user)


class ScopedListingMixin:
    """Scopes a listing (and its export) before filters and search apply.

    `queryset` may be the viewset's `get_queryset(request)` (see ScopedModelViewSet),
    which carries the joins the listing's columns need.
    """

    def get_base_queryset(self):
        if callable(self.queryset):
            self.queryset = self.queryset(self.request)
        return access.filter_for(super().get_base_queryset(), self.request.user, "view")


class ScopedObjectMixin:
    """Scopes how an object view finds its object, and checks the object it found."""

    scope_action = "view"

    def scope(self, queryset):
        return access.filter_for(queryset, self.request.user, self.scope_action)

    def get_base_object_queryset(self):  # inspect, history, usage
        return self.scope(super().get_base_object_queryset())

    def get_queryset(self):  # Django's SingleObjectMixin: edit, delete
        return self.scope(super().get_queryset())

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if obj is not None and not access.can(
            self.request.user, self.scope_action, obj
        ):
            raise Http404(_("No such record in your institutes and hospitals."))
        return obj


class ScopedFormMixin:
    """Narrows form choices to the user's scope and re-checks the saved object."""

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        access.limit_choices(form.fields.values(), self.request.user)
        return form

    def save_instance(self):
        with transaction.atomic():
            instance = super().save_instance()
            if not access.can(self.request.user, "change", instance):
                raise PermissionDenied(
                    _("You can only save records of your own institutes and hospitals.")
                )
        return instance


class ScopedSearchMixin:
    """Search that ignores Arabic diacritics and spelling variants (uses `search_text`)."""

    search_backend_name = None

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        model = queryset.model
        if any(f.name == "search_text" for f in model._meta.get_fields()):
            condition = models.Q()
            for variant in search_variants(self.search_query):
                condition |= models.Q(search_text__contains=variant)
            return queryset.filter(condition)
        return super().search_queryset(queryset)


class SafeExportMixin:
    """Exports whose cells can't run as spreadsheet formulas, CSV with a BOM for Excel."""

    def preprocess_field_value(self, field, value, export_format):
        from django.contrib.auth import get_user_model

        from .services import user_display_name

        if isinstance(value, get_user_model()):
            # An account is the person's name in a file too, not the username.
            value = user_display_name(value)
        return neutralize_formula(
            super().preprocess_field_value(field, value, export_format)
        )

    def stream_csv(self, queryset):
        yield CSV_BOM
        yield from super().stream_csv(queryset)


#: Fields holding identifiers (numbers, serials, codes): their listing cells carry the
#: class "ident" (institutes/admin.css), so that they never break at a hyphen.
IDENTIFIER_FIELDS = frozenset(
    {"student_number", "employee_number", "serial", "code", "code_display", "reference"}
)


def _is_account(field) -> bool:
    from django.contrib.auth import get_user_model

    return field is not None and field.related_model is get_user_model()


class ScopedIndexView(
    SafeExportMixin, ScopedSearchMixin, ScopedListingMixin, generic.IndexView
):
    def _get_custom_column(self, field_name, column_class=Column, **kwargs):
        try:
            field = self.model._meta.get_field(field_name)
        except FieldDoesNotExist:
            field = None
        if _is_account(field):
            # An account named in `list_display` (also as the title column) is
            # shown by the person's name, never the username Wagtail prints.
            column_class = type(
                column_class.__name__, (UserValueMixin, column_class), {}
            )
        elif isinstance(field, models.BooleanField) and column_class is Column:
            # An icon titled in the admin language, not "True"/"False".
            column_class = BooleanColumn
        if field_name in IDENTIFIER_FIELDS:
            kwargs.setdefault("classname", "ident")
        return super()._get_custom_column(field_name, column_class, **kwargs)


class ScopedCreateView(ScopedFormMixin, generic.CreateView):
    pass


class ScopedEditView(ScopedFormMixin, ScopedObjectMixin, generic.EditView):
    scope_action = "change"


class ScopedCopyView(ScopedCreateView):
    def get_object(self, queryset=None):
        obj = generic.CopyView.get_object(self, queryset)
        if not access.can(self.request.user, "view", obj):
            raise Http404
        return obj

    def get_initial_form_instance(self):
        return self.get_object()


@dataclass(frozen=True)
class DeleteProtection:
    """Why a record can't be deleted: the kinds of records that depend on it.

    Only kinds and counts are shown, never the dependent rows themselves: they may
    belong to other scopes (a staff member's attendance at another hospital).
    """

    counts: tuple[tuple[str, int], ...]
    hint: str


DEFAULT_DELETE_HINT = _(
    "Records that others depend on are kept so that history stays complete. Remove "
    "or change the records that depend on it first, or keep this one."
)


def delete_protection(obj: models.Model, hint: str | None = None):
    """The protection that stops `obj` being deleted, or None when it can go.

    Asks Django's deletion collector, which follows every PROTECT and RESTRICT
    foreign key (deletes nothing). The hint comes from the viewset or from the
    model's `delete_protected_hint`: what to do instead (withdraw, deactivate, ...).
    """
    collector = Collector(using=router.db_for_write(type(obj)), origin=obj)
    try:
        collector.collect([obj])
    except ProtectedError as exc:
        blocking = exc.protected_objects
    except RestrictedError as exc:
        blocking = exc.restricted_objects
    else:
        return None
    return _protection_from(obj, blocking, hint)


def _protection_from(obj, blocking, hint: str | None) -> DeleteProtection:
    counts = Counter(type(o)._meta.verbose_name_plural for o in blocking)
    return DeleteProtection(
        counts=tuple((str(name), n) for name, n in sorted(counts.items())),
        hint=str(hint or getattr(type(obj), "delete_protected_hint", None) or "")
        or str(DEFAULT_DELETE_HINT),
    )


class ScopedDeleteView(ScopedObjectMixin, generic.DeleteView):
    """Delete with a clear refusal when other records protect the object.

    A viewset (or the model) declares `delete_protected_hint`, saying what to do
    instead; the page names the kinds of records that protect it, in the user's
    language, and the POST deletes nothing.
    """

    scope_action = "delete"
    template_name = "institutes/admin/confirm_delete.html"
    delete_protected_hint = None

    @cached_property
    def protection(self) -> DeleteProtection | None:
        return delete_protection(self.object, self.delete_protected_hint)

    def form_valid(self, form):
        if self.protection is not None:
            return self._refuse()
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except (ProtectedError, RestrictedError) as exc:
            # Something came to depend on it between the page and the POST.
            blocking = getattr(exc, "protected_objects", None) or getattr(
                exc, "restricted_objects", ()
            )
            self.protection = _protection_from(
                self.object, blocking, self.delete_protected_hint
            )
            return self._refuse()

    def _refuse(self):
        messages.error(
            self.request,
            _("Nothing was deleted: other records depend on this one."),
        )
        return self.render_to_response(self.get_context_data(), status=409)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["protection"] = self.protection
        return context


class UserValueMixin:
    """A listing column of an account (`changed_by`, `supervisor`...) shows the
    person's name, not the username Wagtail prints for a user."""

    def get_value(self, instance):
        from .formatting import EMPTY_VALUE
        from .services import user_display_name

        user = super().get_value(instance)
        return user_display_name(user) if user is not None else EMPTY_VALUE


class UserColumn(UserValueMixin, Column):
    """A `Column` of an account, by the person's name (for explicit columns; fields
    named in `list_display` get this from `ScopedIndexView`)."""


class ScopedInspectView(ScopedObjectMixin, generic.InspectView):
    scope_action = "view"

    def get_field_display_value(self, field_name, field):
        """Wagtail prints a value as it is: "None" for an empty one and the
        username for an account. Here an empty value is one "—" and an account is
        the person's name (`user_display_name`)."""
        from django.contrib.auth import get_user_model

        from .formatting import or_dash
        from .services import user_display_name

        value = super().get_field_display_value(field_name, field)
        if isinstance(value, get_user_model()):
            return user_display_name(value)
        return or_dash(value)


class ScopedHistoryFilterSet(BoundedDatesFilterSetMixin, history.HistoryFilterSet):
    pass


class ScopedHistoryView(ScopedObjectMixin, history.HistoryView):
    scope_action = "view"
    filterset_class = ScopedHistoryFilterSet

    def get_queryset(self):
        # The listing is of the object's log entries, not of the model: the object
        # itself is scoped by the mixin, its own entries need no rule of their own.
        return history.HistoryView.get_queryset(self)


def visible_references(references: QuerySet, user) -> QuerySet:
    """The reference-index rows whose source object the user may see.

    A record's usage lists the objects that point to it, and those can belong to other
    scopes (another institute's placement in a shared ward): each source model is
    narrowed by its own access rule; a model without one is shown to authority only.
    """
    if access.scope_for(user).is_authority:
        return references
    keep = models.Q(pk__in=[])
    type_ids = references.values_list("base_content_type_id", flat=True).distinct()
    for type_id in type_ids.order_by():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None or access.rule_for(model) is None:
            continue
        visible = access.filter_for(model._default_manager.all(), user, "view")
        keep |= models.Q(
            base_content_type_id=type_id,
            object_id__in=visible.values_list(
                Cast("pk", output_field=models.CharField()), flat=True
            ),
        )
    return references.filter(keep)


class ScopedUsageView(ScopedObjectMixin, usage.UsageView):
    scope_action = "view"

    def get_queryset(self):
        # Wagtail's usage listing is of references, not of the model: it is narrowed
        # to the sources the user may see (the object itself is scoped by the mixin).
        references = ReferenceIndex.get_references_to(self.object)
        return visible_references(
            references, self.request.user
        ).group_by_source_object()


class ScopedModelViewSet(ModelViewSet):
    """A ModelViewSet whose listing, forms, object views and policy are all scoped.

    The model must declare an `access_rule` (see `institutes.access`); its permission
    policy is registered for it when the project starts.
    """

    index_view_class = ScopedIndexView
    add_view_class = ScopedCreateView
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    inspect_view_class = ScopedInspectView
    copy_view_class = ScopedCopyView
    history_view_class = ScopedHistoryView
    usage_view_class = ScopedUsageView
    inspect_view_enabled = True
    copy_view_enabled = False
    export_formats = ["csv", "xlsx"]
    list_export = None
    #: What to do instead of deleting a record that others depend on (shown by the
    #: delete view); when unset the model's `delete_protected_hint` is used.
    delete_protected_hint = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        access.require_rule(self.model)
        if not isinstance(self.permission_policy, ScopedPermissionPolicy):
            raise TypeError(
                f"{type(self).__name__}: {self.model._meta.label} must use "
                "ScopedPermissionPolicy (declare access_rule on the model)."
            )

    def get_queryset(self, request):
        """The listing's (and export's) rows before scoping, filters and search.

        Override to add the `select_related`/`prefetch_related` the columns need;
        `None` means the model's default manager. Wagtail's ModelViewSet has no such
        hook (only SnippetViewSet does), so it is handed to the index view here.
        """
        return None

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(queryset=self.get_queryset, **kwargs)

    def get_delete_view_kwargs(self, **kwargs):
        return super().get_delete_view_kwargs(
            delete_protected_hint=self.delete_protected_hint, **kwargs
        )

    def get_filterset_class(self):
        filterset_class = super().get_filterset_class()
        if filterset_class is not None and not issubclass(
            filterset_class, ScopedFilterSet
        ):
            raise TypeError(
                f"{type(self).__name__}: filterset_class must subclass "
                "institutes.scoped_admin.ScopedFilterSet so its choices are scoped."
            )
        return filterset_class


class ScopedChooseViewMixin:
    """Scopes the chooser's rows after the object list is built.

    A ChooserViewSet may define `get_object_list` (e.g. to add joins); Wagtail injects it
    into the view, replacing any override there. Scoping therefore happens in
    `filter_object_list`, which every listing passes through.
    """

    def filter_object_list(self, objects):
        objects = access.filter_for(objects, self.request.user, "view")
        if not self._url_filters_are_possible(objects.model):
            # ?cohort=abc names no row: an empty choice, not a server error.
            return objects.none()
        return super().filter_object_list(objects)

    def _url_filters_are_possible(self, model) -> bool:
        for name in self.url_filter_parameters:
            if name not in self.request.GET:
                continue
            try:
                model_field = model._meta.get_field(name.split("__")[0])
            except FieldDoesNotExist:
                continue
            target = model_field.related_model if model_field.is_relation else None
            if (
                target is not None
                and "__" not in name
                and access.stored_key(target, self.request.GET[name]) is None
            ):
                return False
        return True


class ScopedChooseView(ScopedChooseViewMixin, chooser_views.ChooseView):
    pass


class ScopedChooseResultsView(ScopedChooseViewMixin, chooser_views.ChooseResultsView):
    pass


class ScopedChosenView(chooser_views.ChosenView):
    def get_object(self, pk):
        key = access.stored_key(self.model_class, pk)
        if key is None:
            raise Http404(_("No such record in your institutes and hospitals."))
        return access.filter_for(
            self.model_class.objects.all(), self.request.user, "view"
        ).get(pk=key)


class ScopedChosenMultipleView(chooser_views.ChosenMultipleView):
    def get_objects(self, pks):
        keys = [access.stored_key(self.model_class, pk) for pk in pks]
        return access.filter_for(
            self.model_class.objects.filter(pk__in=[k for k in keys if k is not None]),
            self.request.user,
            "view",
        )


class ScopedChooserViewSet(ChooserViewSet):
    """A chooser (modal) that lists and returns only rows the user may see."""

    choose_view_class = ScopedChooseView
    choose_results_view_class = ScopedChooseResultsView
    chosen_view_class = ScopedChosenView
    chosen_multiple_view_class = ScopedChosenMultipleView
    create_action_label = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        access.require_rule(self.model)


class AuthorityOnlyViewMixin:
    """Every screen of the view refused (403) to all but authority staff."""

    def dispatch(self, request, *args, **kwargs):
        if not access.scope_for(request.user).is_authority:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def authority_only(view_class):
    return type(view_class.__name__, (AuthorityOnlyViewMixin, view_class), {})


class AuthorityOnlyViewSet(ScopedModelViewSet):
    """A scoped viewset that only authority staff may open (menu item included):
    national reference data the other roles read inside their own screens."""

    index_view_class = authority_only(ScopedIndexView)
    add_view_class = authority_only(ScopedCreateView)
    edit_view_class = authority_only(ScopedEditView)
    delete_view_class = authority_only(ScopedDeleteView)
    inspect_view_class = authority_only(ScopedInspectView)
    history_view_class = authority_only(ScopedHistoryView)
    usage_view_class = authority_only(ScopedUsageView)

    @property
    def menu_item_class(self):
        from .menu import AuthorityMenuItem

        return AuthorityMenuItem
