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

import django_filters

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views import generic
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.views.generic import history, usage
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.viewsets.model import ModelViewSet
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


_MODEL_FILTERS = (
    django_filters.ModelChoiceFilter,
    django_filters.ModelMultipleChoiceFilter,
)


class ScopedFilterSet(WagtailFilterSet):
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
        return neutralize_formula(
            super().preprocess_field_value(field, value, export_format)
        )

    def stream_csv(self, queryset):
        yield CSV_BOM
        yield from super().stream_csv(queryset)


class ScopedIndexView(
    SafeExportMixin, ScopedSearchMixin, ScopedListingMixin, generic.IndexView
):
    pass


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


class ScopedDeleteView(ScopedObjectMixin, generic.DeleteView):
    scope_action = "delete"


class ScopedInspectView(ScopedObjectMixin, generic.InspectView):
    scope_action = "view"


class ScopedHistoryView(ScopedObjectMixin, history.HistoryView):
    scope_action = "view"


class ScopedUsageView(ScopedObjectMixin, usage.UsageView):
    scope_action = "view"


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
        return super().filter_object_list(objects)


class ScopedChooseView(ScopedChooseViewMixin, chooser_views.ChooseView):
    pass


class ScopedChooseResultsView(ScopedChooseViewMixin, chooser_views.ChooseResultsView):
    pass


class ScopedChosenView(chooser_views.ChosenView):
    def get_object(self, pk):
        return access.filter_for(
            self.model_class.objects.all(), self.request.user, "view"
        ).get(pk=pk)


class ScopedChosenMultipleView(chooser_views.ChosenMultipleView):
    def get_objects(self, pks):
        return access.filter_for(
            self.model_class.objects.filter(pk__in=pks), self.request.user, "view"
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
