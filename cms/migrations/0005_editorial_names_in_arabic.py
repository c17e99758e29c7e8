"""Wagtail's default editorial groups and moderation workflow are created by its own
migrations with English names ("Editors", "Moderators", "Moderators approval"), and
Wagtail prints those names as they are on every screen (user and group forms, the
page's workflow status, moderation history). Every user reads Arabic first, so they
are renamed to Arabic; our own screens show the roles through translated labels
(`institutes.services.EDITORIAL_GROUPS`), so English screens still read well there.

Only names still as Wagtail made them are changed (a name someone chose is kept), and
the migration depends on every Wagtail migration that finds these groups by name.
"""

from django.db import migrations

GROUPS = {"Editors": "محررو المحتوى", "Moderators": "مراجعو المحتوى"}
WORKFLOW = {"Moderators approval": "اعتماد مراجعي المحتوى"}


def _rename(model, names):
    for old, new in names.items():
        if not model.objects.filter(name=new).exists():
            model.objects.filter(name=old).update(name=new)


def to_arabic(apps, schema_editor):
    _rename(apps.get_model("auth", "Group"), GROUPS)
    _rename(apps.get_model("wagtailcore", "Task"), WORKFLOW)
    _rename(apps.get_model("wagtailcore", "Workflow"), WORKFLOW)


def to_english(apps, schema_editor):
    _rename(apps.get_model("auth", "Group"), {v: k for k, v in GROUPS.items()})
    reverse = {v: k for k, v in WORKFLOW.items()}
    _rename(apps.get_model("wagtailcore", "Task"), reverse)
    _rename(apps.get_model("wagtailcore", "Workflow"), reverse)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0004_editors_submit_translation"),
        ("wagtailcore", "0048_add_default_workflows"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailimages", "0002_initial_data"),
        ("wagtaildocs", "0002_initial_data"),
    ]

    operations = [migrations.RunPython(to_arabic, to_english)]
