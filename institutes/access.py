"""The one place that decides what a user may see and change.

A user's *scope* is read once per request from their role assignments: the institutes
they administer, the hospitals they train in, the wards they supervise. Superusers are
authority staff and see everything.

Every scoped model declares an `access_rule`: for each action, the ORM paths from the
model to an institute, a hospital or a ward. A row is visible when one of the user's
roles meets it through one of those paths. This module knows no model of ours by name,
so apps added later are scoped by declaring their paths, not by editing this file.

    class Student(models.Model):
        access_rule = AccessRule.same(institute=("cohort__institute",))

Anything without a rule is visible to authority staff only.

Apps may add a *membership dimension* of their own (the contact centre's offices):
`register_dimension("office", loader)` where `loader(user)` returns the ids the user
belongs to; a rule then names its paths under `Paths(other={"office": ("office",)})`.
The ids are read only when a rule asks for them, so screens that never do cost no
extra query. A rule may also `restrict` rows for everyone, authority included (e.g.
confidential requests seen only by designated staff).

A path may hold only *while* something is true: `Paths(ward=("placements__ward",),
when={"placements__ward": placed_now})`, where `placed_now()` returns a condition on
the same related rows (a placement running today). It is read at each query, so a
row leaves the scope when the day it stops being true has come, with no job to run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import (
    FieldDoesNotExist,
    ImproperlyConfigured,
    ValidationError,
)
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

ACTIONS = ("view", "add", "change", "delete")
# Wagtail's screens also ask about actions our models don't have (the history view
# asks whether the user may "publish", others "lock" or "unlock"). Scoped roles are
# never granted those; only authority staff, who hold every permission, are.


class Role(models.TextChoices):
    INSTITUTE_ADMIN = "institute_admin", _("Institute administrator")
    TRAINER = "trainer", _("Trainer")
    SUPERVISOR = "supervisor", _("Clinical supervisor")


@dataclass(frozen=True)
class Paths:
    """ORM paths from a model to the Institute, Hospital or Ward a role is held on."""

    institute: tuple[str, ...] = ()
    hospital: tuple[str, ...] = ()
    ward: tuple[str, ...] = ()
    # Registered membership dimensions: {"office": ("office",)}.
    other: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Paths that open rows only while a condition holds: {path: when}, `when()`
    # returning a Q on the model that names the path's own relation (so that the
    # path and its condition are met by the same related row).
    when: Mapping[str, Callable[[], Q]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.institute or self.hospital or self.ward or self.other)

    def items(self) -> list[tuple[str, tuple[str, ...]]]:
        """Every (dimension, paths) pair this rule names."""
        pairs = [
            ("institute", self.institute),
            ("hospital", self.hospital),
            ("ward", self.ward),
        ]
        pairs.extend(self.other.items())
        return [(dimension, paths) for dimension, paths in pairs if paths]


@dataclass(frozen=True)
class AccessRule:
    """Which paths open a model's rows for each action.

    `add` and `delete` default to `change`. `public_view` makes the rows readable by
    every back-office user (reference data such as curricula), never changeable.
    """

    view: Paths = field(default_factory=Paths)
    change: Paths = field(default_factory=Paths)
    add: Paths | None = None
    delete: Paths | None = None
    public_view: bool = False
    # A condition every user's rows must also meet, authority included:
    # `restrict(user) -> Q | None` (None: no restriction for this user).
    restrict: Callable | None = None

    @classmethod
    def same(cls, **paths: tuple[str, ...]) -> AccessRule:
        """The same paths for every action."""
        p = Paths(**paths)
        return cls(view=p, change=p)

    @classmethod
    def reference_data(cls) -> AccessRule:
        """Readable by every back-office user, changed by authority staff only."""
        return cls(public_view=True)

    def paths_for(self, action: str) -> Paths:
        if action not in ACTIONS:
            raise ValueError(f"Unknown action {action!r}; expected one of {ACTIONS}.")
        if action == "add":
            return self.add if self.add is not None else self.change
        if action == "delete":
            return self.delete if self.delete is not None else self.change
        return getattr(self, action)


# Rules for models that are not ours (the user model), registered by this app.
_external_rules: dict[type[models.Model], AccessRule] = {}


def register_access_rule(model: type[models.Model], rule: AccessRule) -> None:
    _external_rules[model] = rule


def rule_for(model: type[models.Model]) -> AccessRule | None:
    rule = getattr(model, "access_rule", None)
    if rule is None:
        for klass in model.__mro__:
            if klass in _external_rules:
                return _external_rules[klass]
    return rule


def require_rule(model: type[models.Model]) -> AccessRule:
    rule = rule_for(model)
    if rule is None:
        raise ImproperlyConfigured(
            f"{model._meta.label} has no access_rule. Declare one on the model, e.g. "
            "access_rule = AccessRule.same(institute=('cohort__institute',)), so that "
            "institutes.access can scope it."
        )
    return rule


BASE_DIMENSIONS = ("institute", "hospital", "ward")

# Membership dimensions added by other apps: name -> loader(user) -> iterable of ids.
_dimensions: dict[str, Callable] = {}


def register_dimension(name: str, loader: Callable) -> None:
    """Add a membership dimension (called from an app's `ready()`)."""
    if name in BASE_DIMENSIONS:
        raise ImproperlyConfigured(f"{name!r} is a built-in scope dimension.")
    _dimensions[name] = loader


@dataclass(frozen=True)
class UserScope:
    """What one user holds: authority, or ids of institutes, hospitals and wards.

    Ids of registered dimensions are loaded on first use and kept here.
    """

    is_authority: bool = False
    institute_ids: frozenset[int] = frozenset()
    hospital_ids: frozenset[int] = frozenset()
    ward_ids: frozenset[int] = frozenset()
    user: object = field(default=None, compare=False, repr=False)
    _other: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def has_role(self) -> bool:
        return bool(
            self.is_authority
            or self.institute_ids
            or self.hospital_ids
            or self.ward_ids
            or any(self.ids_for(name) for name in _dimensions)
        )

    def ids_for(self, dimension: str) -> frozenset[int]:
        if dimension in BASE_DIMENSIONS:
            return getattr(self, f"{dimension}_ids")
        if dimension not in self._other:
            loader = _dimensions.get(dimension)
            ids = frozenset(loader(self.user)) if loader and self.user else frozenset()
            self._other[dimension] = ids
        return self._other[dimension]


_EMPTY = UserScope()
_CACHE_ATTR = "_institutes_access_scope"


def scope_for(user) -> UserScope:
    """The user's scope, read with one query and kept on the user object."""
    if (
        user is None
        or not getattr(user, "is_authenticated", False)
        or not user.is_active
    ):
        return _EMPTY
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    if user.is_superuser:
        scope = UserScope(is_authority=True)
    else:
        from .models import RoleAssignment

        institutes, hospitals, wards = set(), set(), set()
        for role, institute_id, hospital_id, ward_id in RoleAssignment.objects.filter(
            user=user
        ).values_list("role", "institute_id", "hospital_id", "ward_id"):
            if role == Role.INSTITUTE_ADMIN and institute_id:
                institutes.add(institute_id)
            elif role == Role.TRAINER and hospital_id:
                hospitals.add(hospital_id)
            elif role == Role.SUPERVISOR and ward_id:
                wards.add(ward_id)
        scope = UserScope(
            institute_ids=frozenset(institutes),
            hospital_ids=frozenset(hospitals),
            ward_ids=frozenset(wards),
            user=user,
        )
    setattr(user, _CACHE_ATTR, scope)
    return scope


def forget_scope(user) -> None:
    """Drop the cached scope (after roles change within one request or test)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def _is_multivalued(model: type[models.Model], path: str) -> bool:
    """Whether following `path` can yield several rows per object (needs de-duplication)."""
    current = model
    for part in path.split("__"):
        if part == "pk":
            return False
        try:
            f = current._meta.get_field(part)
        except FieldDoesNotExist as exc:
            raise ImproperlyConfigured(
                f"Access path {path!r} on {model._meta.label}: {part!r} is not a field."
            ) from exc
        if f.many_to_many or f.one_to_many:
            return True
        if not f.is_relation:
            return False
        current = f.related_model
    return False


def _condition(rule_paths: Paths, scope: UserScope) -> Q | None:
    """The OR of every path the user's roles meet (None when none does)."""
    condition: Q | None = None
    for dimension, paths in rule_paths.items():
        ids = scope.ids_for(dimension)
        if not ids:
            continue
        for path in paths:
            lookup = "pk__in" if path == "pk" else f"{path}__in"
            q = Q(**{lookup: sorted(ids)})
            while_true = rule_paths.when.get(path)
            if while_true is not None:
                # One filter() call: a many-valued relation is joined once, so the
                # row that meets the path is the row that meets the condition.
                q &= while_true()
            condition = q if condition is None else condition | q
    return condition


def filter_for(queryset: QuerySet, user, action: str = "view") -> QuerySet:
    """The rows of `queryset` that `user` may perform `action` on.

    Paths through many-valued relations are turned into a `pk IN (subquery)` so that
    rows are never duplicated and the queryset stays sliceable and countable.
    """
    scope = scope_for(user)
    model = queryset.model
    if scope.is_authority:
        return _restricted(queryset, user)
    if not scope.has_role or action not in ACTIONS:
        return queryset.none()
    rule = require_rule(model)
    queryset = _restricted(queryset, user)
    if action == "view" and rule.public_view:
        return queryset
    paths = rule.paths_for(action)
    condition = _condition(paths, scope)
    if condition is None:
        return queryset.none()
    fans_out = any(
        _is_multivalued(model, path)
        for dimension, dimension_paths in paths.items()
        if scope.ids_for(dimension)
        for path in dimension_paths
    )
    if fans_out:
        return queryset.filter(
            pk__in=model._default_manager.filter(condition).values("pk")
        )
    return queryset.filter(condition)


def log_entries_for(queryset: QuerySet, user) -> QuerySet:
    """The log entries (Wagtail `ModelLogEntry` rows) about objects `user` may see.

    Wagtail opens a model's whole history to anyone with a permission on the model;
    for models with an access rule only entries about rows in the user's scope
    remain (entries about deleted rows stay with authority staff). Models without a
    rule keep Wagtail's own decision.
    """
    scope = scope_for(user)
    if scope.is_authority:
        return queryset
    from django.contrib.contenttypes.models import ContentType
    from django.db.models.functions import Cast

    keep = Q(pk__in=[])
    for ct_id in set(queryset.values_list("content_type_id", flat=True).distinct()):
        model = ContentType.objects.get_for_id(ct_id).model_class()
        if model is None:
            continue
        if rule_for(model) is None:
            keep |= Q(content_type_id=ct_id)
            continue
        visible = (
            filter_for(model._default_manager.all(), user, "view")
            .annotate(_object_id=Cast("pk", output_field=models.CharField()))
            .values("_object_id")
        )
        keep |= Q(content_type_id=ct_id, object_id__in=visible)
    return queryset.filter(keep)


def _restricted(queryset: QuerySet, user) -> QuerySet:
    rule = rule_for(queryset.model)
    if rule is None or rule.restrict is None:
        return queryset
    condition = rule.restrict(user)
    return queryset if condition is None else queryset.filter(condition)


def can(user, action: str, obj: models.Model) -> bool:
    """Whether `user` may perform `action` on this one object."""
    scope = scope_for(user)
    if scope.is_authority:
        rule = rule_for(type(obj)) if obj is not None else None
        if rule is None or rule.restrict is None or obj.pk is None:
            return True
        return filter_for(type(obj)._default_manager.filter(pk=obj.pk), user).exists()
    if action not in ACTIONS:
        return False
    if obj is None or obj.pk is None:
        return user_may(user, action, type(obj))
    model = type(obj)
    return filter_for(model._default_manager.filter(pk=obj.pk), user, action).exists()


def rows_with_records_outside(
    queryset: QuerySet, user, action: str = "change", *, parts: Iterable[str] = ()
) -> set:
    """Primary keys of the rows of `queryset` that some record outside `user`'s scope
    points to (a row of any model with a foreign key to them that `user` may not
    `action`). `parts` names reverse relations that are pieces of the row itself
    (not records of a scope) and are skipped. Authority staff: always empty.

    This is how shared rows (a person with a student record in one institute and a
    staff record in another hospital) are protected from being changed from one
    scope. One query per model that points to `queryset`'s model.
    """
    scope = scope_for(user)
    if scope.is_authority:
        return set()
    model = queryset.model
    skip = set(parts)
    outside: set = set()
    for relation in model._meta.related_objects:
        if relation.many_to_many or relation.get_accessor_name() in skip:
            continue
        related = relation.related_model
        fk = relation.field.name
        rows = related._default_manager.filter(**{f"{fk}__in": queryset.values("pk")})
        if rule_for(related) is not None:
            allowed = filter_for(related._default_manager.all(), user, action)
            rows = rows.exclude(pk__in=allowed.values("pk"))
        # A model without a rule belongs to authority staff: all of it is outside.
        outside.update(rows.values_list(fk, flat=True).distinct())
    return outside


def user_may(user, action: str, model: type[models.Model]) -> bool:
    """Whether `user` may perform `action` on some rows of `model` (menus, add buttons)."""
    scope = scope_for(user)
    if scope.is_authority:
        return True
    if not scope.has_role or action not in ACTIONS:
        return False
    rule = rule_for(model)
    if rule is None:
        return False
    if action == "view" and rule.public_view:
        return True
    paths = rule.paths_for(action)
    return any(scope.ids_for(dimension) for dimension, _paths in paths.items())


def institutes_for(user, action: str = "view") -> QuerySet:
    from .models import Institute

    return filter_for(Institute.objects.all(), user, action)


def hospitals_for(user, action: str = "view") -> QuerySet:
    from .models import Hospital

    return filter_for(Hospital.objects.all(), user, action)


def wards_for(user, action: str = "view") -> QuerySet:
    from .models import Ward

    return filter_for(Ward.objects.all(), user, action)


def stored_key(model: type[models.Model], value, field_name: str = "pk"):
    """`value` converted as `model` stores its key, or None when no row can have it.

    Letters for a number, a NUL byte, or a number beyond the column's range (25
    digits) are turned away here, before a query: the databases answer those with
    a server error, not with "no such row".
    """
    key_field = (
        model._meta.pk if field_name == "pk" else model._meta.get_field(field_name)
    )
    try:
        converted = key_field.to_python(value)
        if isinstance(converted, str) and "\x00" in converted:
            return None
        key_field.run_validators(converted)
    except (ValidationError, TypeError, ValueError, OverflowError):
        return None
    return converted


def object_or_404(queryset: QuerySet, pk):
    """The row of `queryset` (already scoped) whose key is `pk`, else 404 — also for
    a key no row can have (letters, 25 digits) typed in a URL or a query string."""
    from django.shortcuts import get_object_or_404

    key = stored_key(queryset.model, pk)
    if key is None:
        from django.http import Http404

        raise Http404(_("No such record in your institutes and hospitals."))
    return get_object_or_404(queryset, pk=key)


def limit_choices(fields: Iterable, user) -> None:
    """Narrow every model-choice field to the rows the user may see.

    A POST naming a row outside the narrowed queryset fails validation with the
    field's `invalid_choice` message, which is replaced by one that says why.
    """
    for form_field in fields:
        queryset = getattr(form_field, "queryset", None)
        if queryset is None or not hasattr(queryset, "model"):
            continue
        if rule_for(queryset.model) is None:
            continue
        form_field.queryset = filter_for(queryset, user, "view")
        form_field.error_messages["invalid_choice"] = _(
            "That choice is not available to you: it belongs to another institute or "
            "hospital, or it no longer exists."
        )
        if "invalid_pk_value" in form_field.error_messages:
            form_field.error_messages["invalid_pk_value"] = form_field.error_messages[
                "invalid_choice"
            ]
        form_field.error_messages.setdefault(
            "invalid_list", _("Enter a list of values.")
        )


class RoleBackend:
    """Grants admin access to anyone holding a role, and model permissions by role.

    Django model permissions are derived from the access rules, so groups never have
    to be kept in step with role assignments.
    """

    def authenticate(self, request, **credentials):
        return None

    def has_perm(self, user_obj, perm: str, obj=None) -> bool:
        if not user_obj.is_active or user_obj.is_anonymous:
            return False
        scope = scope_for(user_obj)
        if not scope.has_role or scope.is_authority:
            return False
        if perm == "wagtailadmin.access_admin":
            return True
        app_label, _dot, codename = perm.partition(".")
        action, _sep, model_name = codename.partition("_")
        if action not in ACTIONS:
            return False
        from django.apps import apps

        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            return False
        # Only our own models: Wagtail's screens for users, groups, images and the
        # like are not scoped by institute, so roles must not open them.
        if getattr(model, "access_rule", None) is None:
            return False
        if obj is not None:
            return can(user_obj, action, obj)
        return user_may(user_obj, action, model)

    def has_module_perms(self, user_obj, app_label: str) -> bool:
        return False
