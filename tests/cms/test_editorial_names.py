"""Wagtail's default editorial groups and moderation workflow carry Arabic names
(cms 0005): Wagtail prints them as stored on Arabic screens."""

from django.contrib.auth.models import Group

from wagtail.models import Task, Workflow

from institutes.services import EDITORIAL_GROUPS


def test_editorial_groups_are_named_in_arabic(db):
    names = set(Group.objects.values_list("name", flat=True))
    assert set(EDITORIAL_GROUPS.values()) <= names
    assert not names & {"Editors", "Moderators"}


def test_moderation_workflow_and_task_are_named_in_arabic(db):
    assert Workflow.objects.filter(name="اعتماد مراجعي المحتوى").exists()
    assert Task.objects.filter(name="اعتماد مراجعي المحتوى").exists()
    assert not Workflow.objects.filter(name__icontains="approval").exists()
    assert not Task.objects.filter(name__icontains="approval").exists()


def test_list_blocks_of_the_page_editor_are_labelled_in_the_admin_language():
    """Without a label Wagtail titles a list by its field name ("Figures")."""
    from django.utils import translation

    from cms.blocks import FaqBlock, KeyFiguresBlock, WhereToGoBlock

    with translation.override("ar"):
        labels = [
            str(block().child_blocks[name].label)
            for block, name in (
                (KeyFiguresBlock, "figures"),
                (WhereToGoBlock, "places"),
                (FaqBlock, "items"),
            )
        ]
    assert labels == ["الأرقام", "الأماكن", "الأسئلة"]
