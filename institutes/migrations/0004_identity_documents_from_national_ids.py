"""Every person's Egyptian national ID becomes an identity document (and back).

Forward: one `eg_national_id` document per person with a national ID, nationality
Egyptian where it was unknown. Backward: `Person.national_id` is kept up to date from
those documents and the documents are removed; people identified only by another
document cannot go back to a schema that needs a national ID, so the reverse refuses
to run while any exists (nothing is lost silently).
"""

from django.db import migrations
from django.db.migrations.exceptions import IrreversibleError

BATCH = 2000


def documents_from_national_ids(apps, schema_editor):
    Person = apps.get_model("institutes", "Person")
    IdentityDocument = apps.get_model("institutes", "IdentityDocument")
    people = Person.objects.exclude(national_id__isnull=True).exclude(national_id="")
    have = set(
        IdentityDocument.objects.filter(document_type="eg_national_id").values_list(
            "person_id", flat=True
        )
    )
    batch = []
    for pk, number in people.values_list("pk", "national_id").iterator(
        chunk_size=BATCH
    ):
        if pk in have:
            continue
        batch.append(
            IdentityDocument(
                person_id=pk, document_type="eg_national_id", country="EG", number=number
            )
        )
        if len(batch) >= BATCH:
            IdentityDocument.objects.bulk_create(batch)
            batch = []
    IdentityDocument.objects.bulk_create(batch)
    people.filter(nationality="").update(nationality="EG")


def national_ids_from_documents(apps, schema_editor):
    Person = apps.get_model("institutes", "Person")
    IdentityDocument = apps.get_model("institutes", "IdentityDocument")
    without = Person.objects.filter(national_id__isnull=True).exclude(
        documents__document_type="eg_national_id"
    )
    if without.exists():
        raise IrreversibleError(
            f"{without.count()} people have no Egyptian national ID (only another "
            "identity document); record one for them or remove them before migrating "
            "back."
        )
    for document in IdentityDocument.objects.filter(
        document_type="eg_national_id", person__national_id__isnull=True
    ).iterator(chunk_size=BATCH):
        Person.objects.filter(pk=document.person_id).update(national_id=document.number)
    IdentityDocument.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("institutes", "0003_identity_documents"),
    ]

    operations = [
        migrations.RunPython(documents_from_national_ids, national_ids_from_documents),
    ]
