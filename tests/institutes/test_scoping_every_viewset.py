"""Every registered admin viewset, every door: a user of side A never reaches side B.

Viewsets are found by enumerating Wagtail's registry, so a viewset added later is
covered without touching this file; one whose model has no scope sample fails here.
"""

import importlib

import pytest

from django.contrib.admin.utils import quote
from django.db.models import Model
from django.urls import NoReverseMatch, get_resolver, reverse

from wagtail.admin.viewsets import viewsets as viewset_registry
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.models import ModelLogEntry

from institutes import access
from institutes.factories import SCOPE_SAMPLES
from institutes.scoped_admin import ScopedChooserViewSet, ScopedModelViewSet

for _app in (
    "institutes",
    "curriculum",
    "students",
    "training",
    "certificates",
    "notifications",
    "contact",
    "cms",
):
    try:
        importlib.import_module(f"{_app}.factories")
    except ModuleNotFoundError as exc:
        if exc.name != f"{_app}.factories":
            raise

OBJECT_DOORS = ("edit", "delete", "inspect", "history", "usage", "copy")
ROLES = ("admin", "trainer", "supervisor")
# Allowed twins that fail: a role refused what it may do. Strict, so each entry must
# be removed when the application is fixed.
KNOWN_REFUSED_TWINS: dict = {}


def _flatten(items):
    for item in items:
        if isinstance(item, ViewSetGroup):
            yield from _flatten(item.registerables)
        else:
            yield item


def registered_viewsets():
    # Loading the URLconf populates Wagtail's registry once (populating it again here
    # would register every viewset twice).
    get_resolver().url_patterns  # noqa: B018
    return list(_flatten(viewset_registry.viewsets))


def our_model_viewsets():
    found = [
        vs
        for vs in registered_viewsets()
        if isinstance(getattr(vs, "model", None), type)
        and vs.model._meta.app_label
        in {
            "institutes",
            "curriculum",
            "students",
            "training",
            "certificates",
            "notifications",
            "contact",
            "cms",
        }
        and hasattr(vs, "edit_view_class")
    ]
    return found


def our_chooser_viewsets():
    return [vs for vs in registered_viewsets() if isinstance(vs, ScopedChooserViewSet)]


def _id(vs):
    return f"{vs.model._meta.label}:{vs.name}"


def test_every_viewset_of_ours_is_scoped():
    for vs in our_model_viewsets():
        assert isinstance(vs, ScopedModelViewSet), (
            f"{type(vs).__name__} must subclass institutes.scoped_admin.ScopedModelViewSet"
        )


def test_every_scoped_model_has_a_sample():
    missing = [
        vs.model._meta.label
        for vs in our_model_viewsets() + our_chooser_viewsets()
        if vs.model not in SCOPE_SAMPLES
    ]
    assert not missing, (
        f"register a scope_sample in the app's factories.py for: {missing}"
    )


def _url(vs, view, *args):
    try:
        return reverse(vs.get_url_name(view), args=args)
    except NoReverseMatch:
        return None


def _body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def _text(response) -> str:
    return _body(response).decode("utf-8-sig", errors="replace")


def _marker(vs, obj):
    return SCOPE_SAMPLES[type(obj)].marker_text(obj)


@pytest.mark.parametrize("vs", our_model_viewsets(), ids=_id)
@pytest.mark.parametrize("role", ROLES)
def test_side_a_cannot_reach_side_b(vs, role, world, client):
    sample = SCOPE_SAMPLES[vs.model]
    foreign = sample.make(world.b)
    marker = _marker(vs, foreign)
    index = _url(vs, "index")

    # Control: authority staff see the row through the same doors.
    client.force_login(world.authority)
    assert marker in client.get(index).content.decode(), (
        "control: authority sees B's row"
    )
    export = client.get(index, {"export": "csv"})
    assert marker in _text(export), "control: B's row is exported"
    assert client.get(_url(vs, "edit", quote(foreign.pk))).status_code == 200

    user = getattr(world.a, role)
    client.force_login(user)
    if access.require_rule(vs.model).public_view:
        # Reference data (e.g. curricula, training topics) is readable by everyone in
        # the back office, but only authority staff change it.
        _assert_read_only(vs, foreign, client)
        return
    listing = client.get(index)
    assert listing.status_code in (200, 302, 403)
    assert marker not in listing.content.decode()
    object_url = _url(vs, "edit", quote(foreign.pk))
    assert object_url not in listing.content.decode()
    # Nor does B's institute, hospital or ward appear anywhere, filter choices included.
    for name in (
        world.b.institute.name_ar,
        world.b.hospital.name_ar,
        world.b.ward.name_ar,
    ):
        assert name not in listing.content.decode(), f"{name} leaks into the listing"
    searched = client.get(_url(vs, "index_results"), {"q": marker})
    assert marker not in searched.content.decode()
    assert object_url not in searched.content.decode()
    exported = client.get(index, {"export": "csv"})
    assert marker not in _text(exported)
    exported = client.get(index, {"export": "xlsx"})
    assert marker.encode() not in _body(exported)

    for door in OBJECT_DOORS:
        url = _url(vs, door, quote(foreign.pk))
        if url is None:
            continue
        response = client.get(url)
        assert response.status_code in (302, 403, 404), (
            f"{door} answered {response.status_code}"
        )
        if response.status_code == 302:
            assert marker not in response.content.decode()

    before = _snapshot(foreign)
    for door in ("edit", "delete"):
        url = _url(vs, door, quote(foreign.pk))
        response = client.post(url, {"name_ar": "changed", "name_en": "changed"})
        assert response.status_code in (302, 403, 404)
        assert vs.model._default_manager.filter(pk=foreign.pk).exists(), (
            f"{door} deleted B's row"
        )
        assert _snapshot(vs.model._default_manager.get(pk=foreign.pk)) == before


@pytest.mark.parametrize("vs", our_model_viewsets(), ids=_id)
@pytest.mark.parametrize("role", ROLES)
def test_side_a_reaches_its_own_rows(vs, role, world, client, request):
    """Twin of the refusal above: the same role, the same doors, side A's own row.

    What the role may see is listed, found, exported and opened; what it may change
    is saved again through the edit form (an audit entry is written).
    """
    if access.require_rule(vs.model).public_view:
        pytest.skip("reference data: its screens are authority staff's only")
    known = KNOWN_REFUSED_TWINS.get((role, vs.model._meta.label))
    if known:
        request.applymarker(pytest.mark.xfail(strict=True, reason=known))
    sample = SCOPE_SAMPLES[vs.model]
    own = sample.make(world.a)
    marker = _marker(vs, own)
    user = getattr(world.a, role)
    if not access.can(user, "view", own):
        pytest.skip(f"{role} has no view of {vs.model._meta.label}: nothing to allow")
    client.force_login(user)
    index = _url(vs, "index")
    listing = client.get(index)
    assert listing.status_code == 200
    assert marker in listing.content.decode()
    if not isinstance(getattr(own, sample.marker), Model):
        # A marker naming a related row is its label, which no search field holds.
        searched = client.get(_url(vs, "index_results"), {"q": marker})
        assert marker in searched.content.decode()
    assert marker in _text(client.get(index, {"export": "csv"}))

    edit = _url(vs, "edit", quote(own.pk))
    if not access.can(user, "change", own):
        return
    response = client.get(edit)
    assert response.status_code == 200
    if _custom(vs, "edit_view"):
        return  # a screen of its own (e.g. the handling of a request): tested there
    before = ModelLogEntry.objects.filter(
        content_type__model=vs.model._meta.model_name, object_id=str(own.pk)
    ).count()
    saved = client.post(edit, _form_as_it_stands(response.context["form"]))
    assert saved.status_code == 302, (
        saved.context and saved.context["form"].errors,
        getattr(saved.context and saved.context["form"], "formsets", None),
    )
    assert vs.model._default_manager.filter(pk=own.pk).exists()
    after = ModelLogEntry.objects.filter(
        content_type__model=vs.model._meta.model_name, object_id=str(own.pk)
    )
    assert after.count() == before + 1
    assert after.latest("timestamp").user == user


def _custom(vs, view: str) -> bool:
    """Whether the viewset replaces Wagtail's view by a screen of its own."""
    return getattr(type(vs), view) is not getattr(ModelViewSet, view)


def _form_as_it_stands(form) -> dict:
    """The POST data of a bound-to-its-instance admin form, formsets included."""
    data = {}

    def add(f):
        for name in f.fields:
            bound = f[name]
            value = bound.field.prepare_value(bound.value())
            if value is None:
                continue
            if isinstance(value, bool):
                if value:
                    data[bound.html_name] = "on"
            elif isinstance(value, (list, tuple, set)):
                data[bound.html_name] = [str(v) for v in value]
            else:
                data[bound.html_name] = str(value)

    add(form)
    for formset in getattr(form, "formsets", {}).values():
        add(formset.management_form)
        for sub in formset.forms:
            add(sub)
    return data


def _assert_read_only(vs, obj, client):
    before = _snapshot(obj)
    for door in ("edit", "delete"):
        url = _url(vs, door, quote(obj.pk))
        assert client.get(url).status_code in (302, 403, 404), f"{door} is open"
        assert client.post(url, {}).status_code in (302, 403, 404)
    assert _snapshot(vs.model._default_manager.get(pk=obj.pk)) == before
    add = _url(vs, "add")
    if add:
        assert client.get(add).status_code in (302, 403)


def _snapshot(obj):
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


@pytest.mark.parametrize("vs", our_model_viewsets(), ids=_id)
@pytest.mark.parametrize("role", ROLES)
def test_forms_neither_offer_nor_accept_foreign_choices(vs, role, world, client):
    """The add form offers no B row in any choice, and posting one is refused."""
    user = getattr(world.a, role)
    client.force_login(user)
    url = _url(vs, "add")
    response = client.get(url)
    if response.status_code != 200:
        assert response.status_code in (302, 403)
        return
    form = response.context["form"]
    posted = {}
    foreign_fields = []
    for name, field in form.fields.items():
        queryset = getattr(field, "queryset", None)
        if queryset is None or queryset.model not in SCOPE_SAMPLES:
            continue
        if access.require_rule(queryset.model).public_view:
            continue  # reference data is offered to everyone
        foreign = SCOPE_SAMPLES[queryset.model].make(world.b)
        assert foreign.pk not in set(field.queryset.values_list("pk", flat=True)), (
            f"{name} offers B's {foreign}"
        )
        posted[name] = str(foreign.pk)
        foreign_fields.append(name)
    if not foreign_fields:
        return
    count = vs.model._default_manager.count()
    response = client.post(url, posted)
    assert vs.model._default_manager.count() == count
    assert response.status_code == 200
    errors = response.context["form"].errors
    for name in foreign_fields:
        assert name in errors, f"{name}: a foreign id was accepted"


@pytest.mark.parametrize("vs", our_model_viewsets(), ids=_id)
@pytest.mark.parametrize("role", ROLES)
def test_forms_offer_and_accept_own_choices(vs, role, world, client):
    """Twin of the above: the add form offers side A's rows the role may see, and
    posting one raises no "not available to you" error on that field."""
    user = getattr(world.a, role)
    client.force_login(user)
    url = _url(vs, "add")
    response = client.get(url)
    if response.status_code != 200:
        pytest.skip(f"{role} may not add {vs.model._meta.label}: nothing to allow")
    form = response.context["form"]
    posted = {}
    own_fields = {}
    for name, field in form.fields.items():
        queryset = getattr(field, "queryset", None)
        if queryset is None or queryset.model not in SCOPE_SAMPLES:
            continue
        if access.require_rule(queryset.model).public_view:
            continue  # reference data: its samples are retired rows offered to none
        own = SCOPE_SAMPLES[queryset.model].make(world.a)
        if not access.can(user, "view", own):
            continue
        assert own.pk in set(field.queryset.values_list("pk", flat=True)), (
            f"{name} does not offer A's own {own}"
        )
        posted[name] = str(own.pk)
        own_fields[name] = field
    if not own_fields:
        pytest.skip(f"the add form of {vs.model._meta.label} has no scoped choice")
    response = client.post(url, posted)
    errors = response.context["form"].errors if response.status_code == 200 else {}
    for name, field in own_fields.items():
        refused = str(field.error_messages["invalid_choice"])
        assert refused not in " ".join(errors.get(name, [])), (
            f"{name}: A's own row was refused"
        )


@pytest.mark.parametrize("vs", our_chooser_viewsets(), ids=_id)
@pytest.mark.parametrize("role", ROLES)
def test_choosers_offer_own_rows(vs, role, world, client):
    """Twin of the above: the same chooser doors offer and choose side A's row."""
    own = SCOPE_SAMPLES[vs.model].make(world.a)
    marker = _marker(vs, own)
    user = getattr(world.a, role)
    if not access.can(user, "view", own):
        pytest.skip(f"{role} has no view of {vs.model._meta.label}: nothing to allow")
    client.force_login(user)
    assert marker in _modal(client.get(_url(vs, "choose")))
    assert marker in _modal(client.get(_url(vs, "choose_results"), {"q": marker}))
    chosen = client.get(_url(vs, "chosen", quote(own.pk)))
    assert chosen.status_code == 200
    assert marker in _modal(chosen)
    multiple = client.get(_url(vs, "chosen_multiple"), {"id": [own.pk]})
    assert marker in _modal(multiple)


def _modal(response) -> str:
    """A chooser answers with JSON (Wagtail's modal workflow); read its HTML and data."""
    if response.get("Content-Type", "").startswith("application/json"):
        data = response.json()
        return data.get("html", "") + str(data.get("result", ""))
    return response.content.decode()


@pytest.mark.parametrize("vs", our_chooser_viewsets(), ids=_id)
@pytest.mark.parametrize("role", ROLES)
def test_choosers_offer_only_own_rows(vs, role, world, client):
    foreign = SCOPE_SAMPLES[vs.model].make(world.b)
    marker = _marker(vs, foreign)
    client.force_login(world.authority)
    assert marker in _modal(client.get(_url(vs, "choose")))
    assert client.get(_url(vs, "chosen", quote(foreign.pk))).status_code == 200

    client.force_login(getattr(world.a, role))
    assert marker not in _modal(client.get(_url(vs, "choose")))
    assert marker not in _modal(client.get(_url(vs, "choose_results"), {"q": marker}))
    assert client.get(_url(vs, "chosen", quote(foreign.pk))).status_code == 404
    multiple = client.get(_url(vs, "chosen_multiple"), {"id": [foreign.pk]})
    assert marker not in _modal(multiple)
