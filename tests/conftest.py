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
    admin = UserFactory(username=f"admin-{tag}", last_name=f"admin-{tag}")
    RoleAssignmentFactory(user=admin, role=Role.INSTITUTE_ADMIN, institute=institute)
    trainer = UserFactory(username=f"trainer-{tag}", last_name=f"trainer-{tag}")
    RoleAssignmentFactory(
        user=trainer, role=Role.TRAINER, institute=None, hospital=hospital
    )
    supervisor = UserFactory(
        username=f"supervisor-{tag}", last_name=f"supervisor-{tag}"
    )
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


def _transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return "transactional_db" in getattr(item, "fixturenames", ()) or bool(
        marker is not None and marker.kwargs.get("transaction")
    )


def pytest_collection_modifyitems(config, items):
    """Transactional tests are marked ``serial``: they run in a process of their own.

    A transactional test ends with a flush of the whole test database. In the parallel
    run an ordinary test that the same worker ran next would find no locales, groups
    or content types, so the Makefile runs ``-m 'not serial'`` in parallel and
    ``-m serial`` after it, one test at a time. Each transactional test must ask for
    serialized rollback, which loads the migrated data back when it starts.
    """
    for item in items:
        if not _transactional(item):
            continue
        marker = item.get_closest_marker("django_db")
        if marker is None or not marker.kwargs.get("serialized_rollback"):
            raise pytest.UsageError(
                f"{item.nodeid}: a transactional test needs "
                "django_db(transaction=True, serialized_rollback=True)"
            )
        item.add_marker(pytest.mark.serial)


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
