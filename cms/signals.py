"""Invalidate the anonymous page cache when published content or institute data changes."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from wagtail.signals import page_published, page_unpublished, post_page_move

from institutes.models import Hospital, Institute, Ward

from .cache import bump_generation


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def _page_changed(sender, **kwargs):
    bump_generation()


@receiver(post_delete)
@receiver(post_save)
def _page_or_restriction_changed(sender, instance, **kwargs):
    from wagtail.models import Page, PageViewRestriction, Site

    if isinstance(instance, PageViewRestriction | Site) or (
        isinstance(instance, Page) and kwargs.get("signal") is post_delete
    ):
        bump_generation()


@receiver(post_save, sender=Institute)
@receiver(post_save, sender=Hospital)
@receiver(post_save, sender=Ward)
@receiver(post_delete, sender=Institute)
@receiver(post_delete, sender=Hospital)
@receiver(post_delete, sender=Ward)
def _institute_data_changed(sender, **kwargs):
    bump_generation()
