"""Wagtail names the tree's root page "Root", and its admin prints a page's stored title
wherever it shows one: the explorer's breadcrumbs and header, the "Parent" column of
page search results, the page chooser, the move screen. Editors and moderators explore
from the root (their permissions are granted there, over both language trees), so they
met an English technical word on every screen.

Page titles are not translated, so the root gets a neutral bilingual label for the
website (both language trees hang under it), Arabic first. Not the site's name: the
institutes index page is already titled "معاهد التمريض" / "Nursing institutes". Only
the title Wagtail gave it is changed (a title someone chose is kept).
"""

from django.db import migrations

WAGTAIL_TITLE = "Root"
SITE_LABEL = "الموقع / Website"


def _retitle(apps, old, new):
    Page = apps.get_model("wagtailcore", "Page")
    Page.objects.filter(depth=1, title=old).update(title=new, draft_title=new)


def to_site_label(apps, schema_editor):
    _retitle(apps, WAGTAIL_TITLE, SITE_LABEL)


def to_wagtail_title(apps, schema_editor):
    _retitle(apps, SITE_LABEL, WAGTAIL_TITLE)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0006_block_labels"),
        ("wagtailcore", "0002_initial_data"),
    ]

    operations = [migrations.RunPython(to_site_label, to_wagtail_title)]
