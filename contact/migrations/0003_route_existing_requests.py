"""Give every existing request an office: the office of the place it concerns (made
here), else the authority's; its deadline counts from when it was received."""

import datetime

from django.db import migrations

KIND_DAYS = {"complaint": 7, "report": 3, "inquiry": 3, "suggestion": 14}


def route(apps, schema_editor):
    Office = apps.get_model("contact", "Office")
    ContactRequest = apps.get_model("contact", "ContactRequest")
    if not ContactRequest.objects.exists():
        return
    authority, _created = Office.objects.get_or_create(
        kind="authority",
        defaults={
            "name_ar": "مركز الاتصال — مديرية الصحة",
            "name_en": "Contact centre — Health Authority",
        },
    )
    for request in ContactRequest.objects.select_related("institute", "hospital"):
        if request.institute_id:
            office, _c = Office.objects.get_or_create(
                kind="institute",
                institute=request.institute,
                defaults={
                    "name_ar": request.institute.name_ar,
                    "name_en": request.institute.name_en,
                },
            )
        elif request.hospital_id:
            office, _c = Office.objects.get_or_create(
                kind="hospital",
                hospital=request.hospital,
                defaults={
                    "name_ar": request.hospital.name_ar,
                    "name_en": request.hospital.name_en,
                },
            )
        else:
            office = authority
        request.office = office
        request.due_at = request.created_at + datetime.timedelta(
            days=KIND_DAYS.get(request.kind, 7)
        )
        if request.answered_at:
            request.hours_to_answer = int(
                (request.answered_at - request.created_at).total_seconds() // 3600
            )
        digits = "".join(c for c in request.phone if c.isdigit())
        request.phone_digits = digits
        request.save(
            update_fields=["office", "due_at", "hours_to_answer", "phone_digits"]
        )


class Migration(migrations.Migration):
    dependencies = [("contact", "0002_offices_topics_routing")]

    operations = [migrations.RunPython(route, migrations.RunPython.noop)]
