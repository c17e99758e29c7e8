"""Every admin door, every role: no server error, and no other scope's data.

The doors are not listed here. They are read from Django's URL resolver: every URL
pattern under the admin (Wagtail's viewsets — ours and Wagtail's own — and the
screens each app adds with `register_admin_urls`). A screen added later is walked
without editing this file.

For each role (authority staff, institute administrator, trainer, supervisor, page
editor, moderator) each door is opened with:

- ids of rows of both sides: for a viewset, its model's sample row of each side; for
  any other door of ours (which does not say which model its id names), the ids of
  the sample rows of every scoped model that open the door for authority staff;
- malformed ids (letters, a NUL byte, 25 digits) and, on a page that opened,
  malformed query parameters (letters, impossible and out-of-range dates, 25 digits)
  in every parameter the page's own forms name, plus the usual ones.

It asserts: no answer is a 5xx; a row of a viewset the role may see answers 200,
302, 403 or 404; no answer carries the unique marker of a row of the other side
the role may not see. One data set is built for the whole module and rolled back
at its end.

Rows may also be out of reach for a time: the own side's ward has a student placed
there now and one placed last year, with the real supervision grace (14 days). The
supervisor's doors must never show the one of last year (`time_markers`).
"""

from __future__ import annotations

import datetime
import importlib
import re
from dataclasses import dataclass, field
from importlib import import_module

import pytest

from django.apps import apps
from django.conf import settings
from django.contrib.admin.utils import quote
from django.contrib.auth import login
from django.contrib.auth.models import Group
from django.db import IntegrityError, connection, transaction
from django.db.models import Model
from django.http import HttpRequest
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

from wagtail.admin.viewsets import viewsets as viewset_registry
from wagtail.admin.viewsets.base import ViewSetGroup

from institutes import access
from institutes.factories import SCOPE_SAMPLES, UserFactory
from institutes.services import EDITORIAL_GROUPS

from ..conftest import World, _side

OUR_APPS = (
    "institutes",
    "curriculum",
    "students",
    "training",
    "certificates",
    "notifications",
    "contact",
    "cms",
)
for _app in OUR_APPS:
    try:
        importlib.import_module(f"{_app}.factories")
    except ModuleNotFoundError as exc:
        if exc.name != f"{_app}.factories":
            raise

ROLES = ("authority", "admin", "trainer", "supervisor", "editor", "moderator")
# Malformed input is typed by the roles whose pages parse it (the others are turned
# away before any parameter is read).
MALFORMED_ROLES = ("authority", "admin", "trainer", "supervisor")

# Values that must never cause a server error, wherever they are typed.
BAD_IDS = ("abc", "%00", "9" * 25)
BAD_VALUES = ("abc", "2026-02-30", "9999-12-31", "0001-01-01", "9" * 25)
# Parameters the listings of this project and Wagtail commonly read; the names each
# page's own forms carry are added to them.
COMMON_PARAMS = (
    "id",
    "p",
    "page",
    "q",
    "ordering",
    "date",
    "start",
    "end",
    "cohort",
    "hospital",
    "ward",
    "topic",
    "institute",
    "student",
    "year",
    "block",
    "session",
    "staff",
    "status",
    "next",
)
# Doors that can't be walked with a GET: the catch-all "not found" pattern, signing
# out and the password-reset link sent by e-mail (both need a session of their own),
# and the page that raises a server error on purpose.
SKIP_NAMES = {
    "wagtailadmin_logout",
    "wagtailadmin_password_reset_confirm",
    "wagtailadmin_error_test",  # Wagtail's deliberate 500, to test error pages
}

# Known server errors outside this project's code; each entry is strict, so it
# fails as soon as the door is fixed upstream and must then be removed.
KNOWN_ERRORS: dict[str, tuple[str, tuple[str, ...]]] = {
    # Wagtail 8.0's own image and document choosers look a typed id up without
    # checking it: /admin/images/chooser/abc/ raises ValueError (upstream code).
    "wagtailimages_chooser:chosen": (
        "Wagtail: image chooser 'chosen' with letters",
        ("sqlite", "postgresql"),
    ),
    "wagtaildocs_chooser:chosen": (
        "Wagtail: document chooser 'chosen' with letters",
        ("sqlite", "postgresql"),
    ),
    # Wagtail's "add a task" passes a NUL byte from the URL to PostgreSQL.
    "wagtailadmin_workflows:add_task": (
        "Wagtail: workflow task type with a NUL byte (PostgreSQL only)",
        ("postgresql",),
    ),
}


# --- Doors --------------------------------------------------------------------------


@dataclass(frozen=True)
class Door:
    """One admin URL pattern: how to build it and which viewset (if any) it serves."""

    name: str
    parts: tuple
    model: type | None = None
    ours: bool = False

    @property
    def param_names(self) -> list[str]:
        return [name for _conv, name in self.params]

    @property
    def params(self) -> list[tuple[str, str]]:
        found = []
        for part in self.parts:
            if isinstance(part, RoutePattern):
                found += re.findall(r"<(?:(\w+):)?(\w+)>", str(part))
            else:
                found += [("str", n) for n in re.findall(r"\(\?P<(\w+)>", str(part))]
        return found

    def url(self, values: dict[str, str]) -> str:
        pieces = []
        for part in self.parts:
            text = str(part)
            if isinstance(part, RoutePattern):
                text = re.sub(
                    r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), text
                )
            else:
                text = re.sub(
                    r"\(\?P<(\w+)>[^)]*\)", lambda m: str(values[m.group(1)]), text
                )
                text = text.replace("^", "").replace("$", "").replace("\\", "")
            pieces.append(text)
        return "/" + "".join(pieces)


def _flatten(items):
    for item in items:
        if isinstance(item, ViewSetGroup):
            yield from _flatten(item.registerables)
        else:
            yield item


def _viewset_models() -> dict[str, type]:
    """URL name -> model, for every URL of every registered viewset with a model."""
    found = {}
    for vs in _flatten(viewset_registry.viewsets):
        model = getattr(vs, "model", None)
        if not isinstance(model, type) or not getattr(vs, "name", None):
            continue
        namespace = vs.url_namespace
        for pattern in vs.get_urlpatterns():
            if isinstance(pattern, URLPattern) and pattern.name:
                found[f"{namespace}:{pattern.name}"] = model
    return found


def admin_doors() -> list[Door]:
    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 (loading the URLconf fills Wagtail's registry)
    models_by_name = _viewset_models()
    doors: dict[str, Door] = {}

    def walk(patterns, prefix, namespaces):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(
                    pattern.url_patterns,
                    prefix + (pattern.pattern,),
                    namespaces + ([pattern.namespace] if pattern.namespace else []),
                )
                continue
            parts = prefix + (pattern.pattern,)
            if not str(parts[0]).startswith("admin/"):
                continue
            if any(
                isinstance(p, RegexPattern) and ".*" in str(p) for p in parts
            ):  # the admin's catch-all "not found"
                continue
            name = ":".join([*namespaces, pattern.name or "".join(map(str, parts))])
            if pattern.name in SKIP_NAMES or name in doors:
                continue
            model = models_by_name.get(name)
            module = getattr(pattern.callback, "__module__", "") or ""
            ours = (
                model._meta.app_label in OUR_APPS
                if model is not None
                else module.split(".")[0] in OUR_APPS
            )
            doors[name] = Door(name, parts, model, ours)

    walk(resolver.url_patterns, (), [])
    return sorted(doors.values(), key=lambda d: d.name)


# --- The data set -------------------------------------------------------------------


@dataclass
class WalkData:
    world: World
    users: dict[str, object]
    own: dict[type, object] = field(default_factory=dict)
    foreign: dict[type, object] = field(default_factory=dict)
    markers: dict[type, str] = field(default_factory=dict)
    #: Own-side rows some roles may see only at other times: (rows that show the
    #: marker, marker); hidden from a user who may see none of those rows.
    time_markers: list[tuple[tuple, str]] = field(default_factory=list)
    ids: dict = field(default_factory=dict)


def _scoped_models():
    return [
        m
        for m in apps.get_models()
        if m._meta.app_label in OUR_APPS and access.rule_for(m) is not None
    ]


def _build() -> WalkData:
    world = World(
        a=_side("walk-own"),
        b=_side("walk-foreign"),
        authority=UserFactory(username="walk-authority", is_superuser=True),
        nobody=UserFactory(username="walk-nobody"),
    )
    users = {
        "authority": world.authority,
        "admin": world.a.admin,
        "trainer": world.a.trainer,
        "supervisor": world.a.supervisor,
    }
    for role in ("editor", "moderator"):
        user = UserFactory(username=f"walk-{role}")
        user.groups.add(Group.objects.get(name=EDITORIAL_GROUPS[role]))
        users[role] = user
    data = WalkData(world=world, users=users)
    for model, sample in SCOPE_SAMPLES.items():
        try:
            with transaction.atomic():
                own, foreign = sample.make(world.a), sample.make(world.b)
        except IntegrityError:
            # A maker that builds a row another maker already built on this side
            # (samples are written for one row per test); its rows are still
            # walked through the first visible and invisible row of each model.
            continue
        data.own[model] = own
        data.foreign[model] = foreign
        data.markers[model] = sample.marker_text(foreign)
    _place_now_and_last_year(data)
    return data


def _place_now_and_last_year(data: WalkData) -> None:
    """A student of the own side placed in its ward now, and one placed there last
    year: the ward's supervisor sees the first and must never see the second."""
    from django.utils import timezone

    from students.factories import CohortFactory, StudentFactory
    from training.placements.factories import (
        BlockWardFactory,
        RotationBlockFactory,
        book,
    )

    side = data.world.a
    today = timezone.localdate()
    block = RotationBlockFactory(
        cohort=CohortFactory(institute=side.institute, intake_year=2019),
        start_date=today - datetime.timedelta(days=400),
        end_date=today + datetime.timedelta(days=30),
        weekdays="5601234",
    )
    BlockWardFactory(block=block, ward=side.ward, places=2)
    for tag, start, end in (("now", -3, 10), ("last-year", -380, -370)):
        student = StudentFactory(
            cohort=block.cohort,
            year_of_study=block.year,
            person__name_ar=f"طالبة الجناح {tag}",
            student_number=f"WALK-{tag}",
        )
        placement = book(
            block=block,
            student=student,
            ward=side.ward,
            start=today + datetime.timedelta(days=start),
            end=today + datetime.timedelta(days=end),
            supervisor=side.supervisor,
        )
        if tag == "last-year":
            # The name shows wherever the student or the placement does (the
            # hospital's trainers see its placements, and so the name).
            data.time_markers.append(((student, placement), student.person.name_ar))


@pytest.fixture(scope="module", autouse=True)
def _real_supervision_grace():
    """The test settings let wards see their fixed-date placements for good; the
    walk checks the rule as it runs in production."""
    with override_settings(PLACEMENT_SUPERVISION_GRACE_DAYS=14):
        yield


@pytest.fixture(scope="module")
def walk(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        data = _build()
        yield data
        transaction.set_rollback(True)


def _candidate_ids(data: WalkData) -> list[str]:
    """Ids to try in a door that does not say which model it names: of every scoped
    model, the sample rows of both sides and the first row of each."""
    if "candidates" not in data.ids:
        found = {obj.pk for obj in [*data.own.values(), *data.foreign.values()]}
        for model in _scoped_models():
            found.update(
                model._default_manager.order_by("pk").values_list("pk", flat=True)[:2]
            )
        data.ids["candidates"] = sorted(quote(pk) for pk in found if pk is not None)
    return data.ids["candidates"]


def _hidden_markers(data: WalkData, user) -> list[str]:
    """Markers of side-B rows the user may not see (a marker naming a related row
    the user may see, such as a shared training topic, is no secret)."""
    key = ("markers", user.pk)
    if key not in data.ids:
        found = []
        for model, marker in data.markers.items():
            obj = data.foreign[model]
            if access.can(user, "view", obj) or len(marker) < 5:
                continue
            related = getattr(obj, SCOPE_SAMPLES[model].marker)
            if (
                isinstance(related, Model)
                and access.rule_for(type(related)) is not None
                and access.can(user, "view", related)
            ):
                continue
            found.append(marker)
        found.extend(
            marker
            for rows, marker in data.time_markers
            if not any(access.can(user, "view", row) for row in rows)
        )
        data.ids[key] = found
    return data.ids[key]


def _text(response) -> str:
    if response.streaming:
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    return body.decode("utf-8-sig", errors="replace")


def _form_names(text: str) -> set[str]:
    return set(re.findall(r'\bname="([\w-]+)"', text)) - {"csrfmiddlewaretoken"}


# --- The walk -----------------------------------------------------------------------


DOORS = admin_doors()


def _door_param(door: Door):
    marks = []
    reason, vendors = KNOWN_ERRORS.get(door.name, ("", ()))
    if connection.vendor in vendors:
        marks.append(pytest.mark.xfail(reason=reason, strict=True))
    return pytest.param(door, id=door.name, marks=marks)


def test_the_walk_finds_the_project_doors():
    """Control: the resolver walk sees viewsets and each app's own screens."""
    names = {d.name for d in DOORS}
    assert "students:edit" in names or any(n.endswith(":edit") for n in names)
    assert "students_import" in names
    assert "certificates_admin:download" in names
    assert any(d.model is not None for d in DOORS)
    assert len(DOORS) > 200


@pytest.mark.django_db
@pytest.mark.parametrize("door", [_door_param(d) for d in DOORS])
def test_every_door_answers_every_role(door, walk):
    """Authority staff first: the ids that open the door for them are the ones every
    other role then tries (for a door of ours that does not say its model)."""
    ids = _door_ids(door, walk)
    for role in ROLES:
        _walk_door(door, walk, role, ids)


def _door_ids(door: Door, data: WalkData) -> list[str] | None:
    """The ids to put in the door: its viewset's sample rows of both sides, or for
    any other door of ours the candidates that open it for authority staff."""
    if not door.params:
        return None
    if door.model is not None and door.model in data.own:
        return [quote(data.own[door.model].pk), quote(data.foreign[door.model].pk)]
    if not door.ours:
        return ["1"]  # Wagtail's own screens (pages, images, ...) know none of ours
    client = _client(data.users["authority"])
    hidden = []
    opened = []
    for pk in _candidate_ids(data):
        response = _get(
            client, "authority", door.url(dict.fromkeys(door.param_names, pk)), hidden
        )
        if response.status_code == 200:
            opened.append(pk)
    return opened or _candidate_ids(data)[:1]


def _client(user) -> Client:
    """A client signed in as `user` through a request that has a client address
    (Client.force_login signs in through a request without one)."""
    access.forget_scope(user)
    client = Client()
    request = HttpRequest()
    request.META["REMOTE_ADDR"] = "127.0.0.1"
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()
    login(request, user, "django.contrib.auth.backends.ModelBackend")
    request.session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = request.session.session_key
    return client


def _get(client, role, url, hidden, query=None):
    response = client.get(url, query or {})
    where = f"{role} GET {url} {query or ''}"
    assert response.status_code < 500, f"{where} answered {response.status_code}"
    if response.status_code == 200:
        text = _text(response)
        response.walk_text = text
        for marker in hidden:
            assert marker not in text, f"{where} shows another scope's {marker!r}"
    return response


def _walk_door(door: Door, data: WalkData, role: str, ids: list[str] | None) -> None:
    user = data.users[role]
    client = _client(user)
    hidden = _hidden_markers(data, user)
    params = door.param_names

    opened = []
    for pk in ids if params else [None]:
        url = door.url(dict.fromkeys(params, pk))
        response = _get(client, role, url, hidden)
        if (
            pk is not None
            and door.model in data.own
            and access.can(user, "view", _row(data, door.model, pk))
        ):
            assert response.status_code in (200, 302, 403, 404), (
                f"{role} GET {url}: {response.status_code} on a row they may see"
            )
        if response.status_code == 200:
            opened.append((url, response.walk_text))
    if params and role in MALFORMED_ROLES and (door.ours or role == "authority"):
        for bad in BAD_IDS:
            _get(client, role, door.url(dict.fromkeys(params, bad)), hidden)
    if not door.ours or role not in MALFORMED_ROLES:
        return
    # Malformed query parameters on the page, if it opened: the names its own forms
    # carry and the usual ones.
    for url, text in opened[:1]:
        names = set(COMMON_PARAMS) | _form_names(text)
        for bad in BAD_VALUES:
            _get(client, role, url, hidden, dict.fromkeys(names, bad))


def _row(data: WalkData, model, pk: str):
    for obj in (data.own[model], data.foreign[model]):
        if quote(obj.pk) == pk:
            return obj
    return None
