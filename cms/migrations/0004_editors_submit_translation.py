"""Editors and moderators may submit a page for translation (the English version of
a campaign): `simple_translation.submit_translation`, which Wagtail's own groups do
not have. The editor then writes the English text and submits it for moderation;
moderators publish it."""

from django.db import migrations

GROUPS = ("Editors", "Moderators")


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="simple_translation", model="simpletranslation"
    )
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="submit_translation",
        defaults={"name": "Can submit translations"},
    )
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for permission in Permission.objects.filter(
        content_type__app_label="simple_translation", codename="submit_translation"
    ):
        for group in Group.objects.filter(name__in=GROUPS):
            group.permissions.remove(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0003_contact_requests_move_to_contact"),
        ("simple_translation", "0001_initial"),
        ("wagtailcore", "0002_initial_data"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
