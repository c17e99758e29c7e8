"""The data migration that turns national IDs into identity documents, both ways."""

import datetime

import pytest

from django.db import connection
from django.db.migrations.exceptions import IrreversibleError
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("institutes", "0003_identity_documents")]
AFTER = [("institutes", "0004_identity_documents_from_national_ids")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.migration
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_national_ids_become_documents_and_come_back():
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        apps = _migrate(BEFORE)
        Person = apps.get_model("institutes", "Person")
        numbers = ["29001012900111", "30805172900223"]
        for n, number in enumerate(numbers):
            Person.objects.create(
                national_id=number,
                name_ar=f"شخص {n}",
                birth_date=datetime.date(1990, 1, 1),
                sex="m",
            )

        apps = _migrate(AFTER)
        Person = apps.get_model("institutes", "Person")
        Document = apps.get_model("institutes", "IdentityDocument")
        assert sorted(
            Document.objects.values_list("document_type", "country", "number")
        ) == [("eg_national_id", "EG", number) for number in numbers]
        assert set(Person.objects.values_list("nationality", flat=True)) == {"EG"}
        # Nothing is lost going back: the national IDs are still on the people.
        Person.objects.filter(national_id=numbers[0]).update(national_id=None)
        apps = _migrate(BEFORE)
        Person = apps.get_model("institutes", "Person")
        assert sorted(Person.objects.values_list("national_id", flat=True)) == numbers
        assert not apps.get_model("institutes", "IdentityDocument").objects.exists()

        # A person known only by a passport cannot go back to national IDs only.
        apps = _migrate(AFTER)
        Person = apps.get_model("institutes", "Person")
        Document = apps.get_model("institutes", "IdentityDocument")
        traveller = Person.objects.create(
            name_ar="مسافر", birth_date=datetime.date(1990, 1, 1), sex="f"
        )
        Document.objects.create(
            person=traveller, document_type="passport", country="IN", number="P123456"
        )
        with pytest.raises(IrreversibleError):
            _migrate(BEFORE)
    finally:
        _migrate(leaves)
