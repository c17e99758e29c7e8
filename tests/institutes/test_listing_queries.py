"""Every registered admin listing costs the same number of queries for 2 rows or 7.

Viewsets are enumerated from Wagtail's registry (as in test_scoping_every_viewset), so
a listing added later is covered without touching this file. Rows are made with each
model's scope sample on fresh sides (an institute, its hospital, a ward, one user per
role), so every listing grows, and each listing is rendered as authority staff, who
see every row.
"""

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from institutes.factories import SCOPE_SAMPLES
from tests.conftest import _side
from tests.institutes.test_scoping_every_viewset import (
    _id,
    _url,
    our_model_viewsets,
)

# Wagtail's own chrome (menu, user, site, locale, permission checks) plus the page's
# rows, count and filter choices: a listing above this is doing per-row work.
LISTING_QUERY_CEILING = 20


def _listing_queries(client, url) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), [q["sql"] for q in captured.captured_queries]


@pytest.mark.parametrize("vs", our_model_viewsets(), ids=_id)
def test_listing_query_count_does_not_grow_with_rows(vs, world, client):
    sample = SCOPE_SAMPLES[vs.model]
    for side in (world.a, world.b):
        sample.make(side)
    url = _url(vs, "index")
    client.force_login(world.authority)
    client.get(url)  # warm per-process caches (content types, site, menus)
    few, _ = _listing_queries(client, url)
    rows_before = vs.model._default_manager.count()

    for tag in ("c", "d", "e", "f", "g"):
        sample.make(_side(tag))
    assert vs.model._default_manager.count() >= rows_before + 5
    many, queries = _listing_queries(client, url)

    assert many == few, (
        f"{vs.name}: {few} queries for {rows_before} rows, {many} with 5 more:\n"
        + "\n".join(queries)
    )
    assert many <= LISTING_QUERY_CEILING, "\n".join(queries)
