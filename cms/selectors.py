"""Reads for the public site and the contact centre, with their joins."""

from __future__ import annotations

import re

from django.db.models import Q, QuerySet
from django.utils import timezone

from wagtail.models import Locale

from contact.models import ContactRequest
from institutes.arabic import search_variants
from institutes.models import Institute

from .cache import restricted_paths
from .models import (
    CampaignIndexPage,
    CampaignPage,
    CampaignStatus,
)


def public(pages: QuerySet) -> QuerySet:
    """Wagtail's `.public()` without its query when no section is restricted.

    Which pages carry a view restriction is remembered until the page tree changes
    (`cms.cache.restricted_paths`), so a public page does not ask on every render.
    """
    paths = restricted_paths()
    if not paths:
        return pages
    private = Q(pk__in=[])
    for path in paths:
        private |= Q(path__startswith=path)
    return pages.exclude(private)


def _campaigns() -> QuerySet[CampaignPage]:
    return public(
        CampaignPage.objects.live()
        .select_related("hero_image")
        .prefetch_related("hero_image__renditions")
    )


def campaigns_current(*, locale: Locale | int, limit: int = 6) -> list[CampaignPage]:
    """Running campaigns first, then the next upcoming ones, in one language."""
    today = timezone.localdate()
    pages = list(
        _campaigns()
        .filter(locale=locale)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .order_by("start_date", "pk")[: limit * 2]
    )
    pages.sort(key=lambda p: (p.status != CampaignStatus.RUNNING, p.start_date))
    return pages[:limit]


def campaigns_by_status(*, index: CampaignIndexPage) -> list[tuple[str, str, list]]:
    """The campaigns under `index`, grouped running / upcoming / past."""
    today = timezone.localdate()
    groups = {status: [] for status in CampaignStatus.values}
    for page in _campaigns().child_of(index).order_by("-start_date", "pk"):
        groups[page.status_on(today)].append(page)
    groups[CampaignStatus.UPCOMING].reverse()
    order = (CampaignStatus.RUNNING, CampaignStatus.UPCOMING, CampaignStatus.PAST)
    return [
        (status, CampaignStatus(status).label, groups[status])
        for status in order
        if groups[status]
    ]


def campaigns_for_feed(*, locale: Locale, limit: int = 30) -> QuerySet[CampaignPage]:
    return public(CampaignPage.objects.live().filter(locale=locale)).order_by(
        "-first_published_at"
    )[:limit]


def campaigns_past_review() -> QuerySet[CampaignPage]:
    """Live campaign pages whose next clinical review date has passed (for editors)."""
    return (
        CampaignPage.objects.live()
        .filter(next_review__lt=timezone.localdate())
        .select_related("locale")
        .order_by("next_review")
    )


def institutes_public() -> QuerySet[Institute]:
    """Institutes shown on the public site, with their hospitals."""
    return Institute.objects.select_related("hospital").prefetch_related(
        "partner_hospitals"
    )


def _search_condition(query: str) -> Q | None:
    condition = None
    for variant in search_variants(query):
        words = [w for w in re.split(r"\s+", variant) if w]
        if not words:
            continue
        all_words = Q()
        for word in words:
            all_words &= Q(search_text__contains=word)
        condition = all_words if condition is None else condition | all_words
    return condition


def site_search(*, query: str, locale: Locale, limit: int = 30) -> dict:
    """Pages of one language and institutes matching every word of `query`.

    Text is compared in the normalised form of `institutes.arabic`, so diacritics,
    alef/ya/ta-marbuta variants and Arabic-Indic digits do not matter.
    """
    condition = _search_condition(query)
    if condition is None:
        return {"pages": [], "institutes": [], "count": 0}
    pages = []
    for model in _searchable_page_models():
        pages.extend(
            public(model.objects.live().filter(locale=locale)).filter(condition)[:limit]
        )
    institutes = list(institutes_public().filter(condition)[:limit])
    pages = pages[:limit]
    return {
        "pages": pages,
        "institutes": institutes,
        "count": len(pages) + len(institutes),
    }


def _searchable_page_models():
    from .models import HomePage, InstituteIndexPage, StandardPage

    return (CampaignPage, StandardPage, InstituteIndexPage, CampaignIndexPage, HomePage)


# --- Contact centre --------------------------------------------------------------

_DIGITS = re.compile(r"\D+")


def _digits(value: str) -> str:
    from institutes.arabic import normalize_for_search

    return _DIGITS.sub("", normalize_for_search(value))


def contact_request_for_visitor(
    *, reference: str, contact: str
) -> ContactRequest | None:
    """The request with this reference, if `contact` is its phone or e-mail.

    Phone numbers match on their digits (spaces, dashes and Arabic-Indic digits are
    ignored); e-mail addresses case-insensitively.
    """
    reference = (reference or "").strip().upper()
    contact = (contact or "").strip()
    if not reference or not contact:
        return None
    found = (
        ContactRequest.objects.filter(reference=reference)
        .select_related("institute", "hospital")
        .first()
    )
    if found is None:
        return None
    if "@" in contact:
        return found if found.email and found.email.lower() == contact.lower() else None
    digits = _digits(contact)
    if found.phone and digits and _digits(found.phone) == digits:
        return found
    return None
