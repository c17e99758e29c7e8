"""The staff import preview is an operational table (labelled cards on phones) whose
rendering costs a fixed number of queries whatever the number of rows."""

import pytest

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from training.factories import make_national_id

pytestmark = pytest.mark.django_db

HEADER = "الرقم الوظيفي,الرقم القومي,الاسم,Name (Latin),الفئة الوظيفية,القسم,تاريخ التعيين,رقم المدير\n"


def _preview(client, world, rows: int):
    lines = "".join(
        f"X-{i},{make_national_id()},موظف,,nurse,,2020-01-01,\n" for i in range(rows)
    )
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(
            reverse("training_staff_import"),
            {
                "hospital": world.a.hospital.pk,
                "file": SimpleUploadedFile("s.csv", (HEADER + lines).encode()),
            },
        )
    assert response.status_code == 200
    return response.content.decode(), len(ctx.captured_queries)


def test_preview_table_has_labelled_cells_and_fixed_queries(world, client):
    client.force_login(world.a.trainer)
    body, few = _preview(client, world, 3)
    assert "op-table" in body
    assert body.count('data-label="') == 3 * 4
    body, many = _preview(client, world, 30)
    assert body.count('data-label="') == 30 * 4
    assert many == few
