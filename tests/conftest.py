"""Shared fixtures: two institutes on two hospitals, and a user for each role on each side.

`world` is the scoping world every cross-scope test uses: side A and side B, each with
a hospital, an institute, a ward and one user per role. App fixtures extend it by
creating rows on both sides.
"""

from dataclasses import dataclass

import pytest

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import translation

from institutes.access import Role
from institutes.factories import (
    HospitalFactory,
    InstituteFactory,
    RoleAssignmentFactory,
    UserFactory,
    WardFactory,
)


@dataclass
class Side:
    hospital: object
    institute: object
    ward: object
    admin: object
    trainer: object
    supervisor: object


@dataclass
class World:
    a: Side
    b: Side
    authority: object
    nobody: object


def _side(tag: str) -> Side:
    hospital = HospitalFactory(
        code=f"hosp-{tag}", name_ar=f"مستشفى {tag}", name_en=f"Hospital {tag}"
    )
    institute = InstituteFactory(
        code=f"inst-{tag}",
        name_ar=f"معهد {tag}",
        name_en=f"Institute {tag}",
        hospital=hospital,
    )
    ward = WardFactory(hospital=hospital, name_ar=f"قسم {tag}", name_en=f"Ward {tag}")
    admin = UserFactory(username=f"admin-{tag}")
    RoleAssignmentFactory(user=admin, role=Role.INSTITUTE_ADMIN, institute=institute)
    trainer = UserFactory(username=f"trainer-{tag}")
    RoleAssignmentFactory(
        user=trainer, role=Role.TRAINER, institute=None, hospital=hospital
    )
    supervisor = UserFactory(username=f"supervisor-{tag}")
    RoleAssignmentFactory(
        user=supervisor, role=Role.SUPERVISOR, institute=None, ward=ward
    )
    return Side(hospital, institute, ward, admin, trainer, supervisor)


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language (Arabic) whatever ran before it.

    Requests activate a language in the worker's thread and Django never resets it,
    so without this a test's messages would depend on the test that ran before.
    """
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def _transactional(item) -> tuple[bool, bool]:
    marker = item.get_closest_marker("django_db")
    transactional = "transactional_db" in getattr(item, "fixturenames", ()) or bool(
        marker is not None and marker.kwargs.get("transaction")
    )
    serialized = bool(marker is not None and marker.kwargs.get("serialized_rollback"))
    return transactional, serialized


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test, put the migrated data back for the tests after it.

    A transactional test ends with a flush; with serialized rollback Django restores
    the data only when the *next serialized* test starts, so an ordinary test that
    xdist hands the same worker afterwards would find no locales, groups or content
    types (and content types re-created under new ids: on PostgreSQL a deferred
    foreign-key error). The contents serialized when the test database was created are
    loaded again here, outside any test transaction, and the content-type cache is
    forgotten.
    """
    yield
    transactional, serialized = _transactional(item)
    if not transactional or nextitem is None:
        return  # (after the last test the test databases are already gone)
    if _transactional(nextitem) == (True, True):
        return  # the next test loads the serialized data itself when it starts
    from pytest_django.plugin import blocking_manager_key

    from django.contrib.contenttypes.models import ContentType
    from django.db import connections

    with item.config.stash[blocking_manager_key].unblock():
        ContentType.objects.clear_cache()
        for connection in connections.all():
            contents = getattr(connection, "_test_serialized_contents", None)
            # Only after a flush (a skipped test flushed nothing).
            flushed = not ContentType.objects.using(connection.alias).exists()
            if serialized and contents and flushed:
                connection.creation.deserialize_db_from_string(contents)
        ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (the test settings' cache is per process,
    and row ids repeat between tests, so a cached summary would otherwise leak)."""
    cache.clear()
    yield


@pytest.fixture
def world(db) -> World:
    authority = UserFactory(username="authority", is_superuser=True, is_staff=True)
    nobody = UserFactory(username="nobody")
    return World(a=_side("a"), b=_side("b"), authority=authority, nobody=nobody)


@pytest.fixture
def user_model():
    return get_user_model()
