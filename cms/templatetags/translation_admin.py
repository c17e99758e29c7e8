"""Template tags of the admin's translation screens (wagtail.contrib.simple_translation)."""

from __future__ import annotations

from django import template

from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.models import Locale, Page

register = template.Library()


@register.simple_tag(takes_context=True)
def translation_state(context, instance) -> dict:
    """What is left to translate for a page or snippet, and its existing translations.

    `untranslated` is True while a locale has no version of it yet (the condition under
    which simple_translation offers "Translate"); `translations` are the other
    versions, each with its edit URL when the user may edit it.
    """
    translations = list(
        instance.get_translations(inclusive=False).select_related("locale")
    )
    done = {instance.locale_id, *(t.locale_id for t in translations)}
    finder = AdminURLFinder(context["request"].user)
    return {
        "untranslated": Locale.objects.exclude(id__in=done).exists(),
        "is_page": isinstance(instance, Page),
        "translations": [
            {
                "language": t.locale.get_display_name(),
                "title": t.get_admin_display_title() if isinstance(t, Page) else str(t),
                "url": finder.get_edit_url(t),
            }
            for t in sorted(translations, key=lambda t: t.locale.language_code)
        ],
    }
