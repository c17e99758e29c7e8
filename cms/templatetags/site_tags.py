"""Template tags of the public site: navigation, language switcher, Open Graph."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils.translation import get_language, get_language_info

from wagtail.models import Locale, Page

from ..cache import remembered
from ..models import HomePage

register = template.Library()


def _home_for_active_language():
    return (
        HomePage.objects.live()
        .filter(locale__language_code=get_language())
        .only("id", "path", "depth", "url_path", "title", "locale_id")
        .first()
    )


@register.simple_tag(takes_context=True)
def site_navigation(context) -> dict:
    """The home page of the active language and its menu children (two queries)."""
    request = context.get("request")
    cache_attr = "_cms_site_navigation"
    if request is not None and hasattr(request, cache_attr):
        return getattr(request, cache_attr)
    language = get_language()
    host = request.get_host() if request is not None else ""
    nav = remembered(f"nav:{language}:{host}", _navigation)
    if request is not None:
        setattr(request, cache_attr, nav)
    return nav


def _navigation() -> dict:
    home = _home_for_active_language()
    items = []
    if home is not None:
        items = [
            {"title": child.title, "url": child.url}
            for child in home.get_children().live().in_menu()
        ]
    return {"home_url": home.url if home else f"/{get_language()}/", "items": items}


@register.simple_tag
def verify_url() -> str:
    """Where the certificates app verifies a code (its view, or its prefix)."""
    for name in (
        "certificates:verify_form",
        "certificates:verify",
        "certificate_verify",
    ):
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return f"/{get_language()}/verify/"


def _page_translation_urls(page: Page, request) -> dict[str, str]:
    urls = {}
    path = request.path if request else ""
    own_url = page.url or ""
    # Routable pages (an institute under the institutes index) keep their sub-path.
    suffix = path[len(own_url) :] if own_url and path.startswith(own_url) else ""
    for translation in (
        Page.objects.filter(translation_key=page.translation_key)
        .live()
        .select_related("locale")
    ):
        url = translation.url
        if url:
            urls[translation.locale.language_code] = url + suffix
    return urls


def _home_urls() -> dict[str, str]:
    """Each language's home page URL (where a page without translation links to)."""
    return {
        f"home:{home.locale.language_code}": home.url
        for home in HomePage.objects.live().select_related("locale")
        if home.url
    }


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """One link per language to the same page (its translation), current one marked."""
    request = context.get("request")
    page = context.get("page")
    current = get_language()
    memo = f"_cms_language_links_{current}_{getattr(page, 'pk', '')}"
    if request is not None and hasattr(request, memo):
        return getattr(request, memo)
    if page is not None:
        # The page's translations and each language's home change only on publish.
        path = request.path if request is not None else ""
        page_urls = remembered(
            f"languages:{page.pk}:{request.get_host() if request else ''}:{path}",
            lambda: {
                **_home_urls(),
                **_page_translation_urls(page, request),
            },
        )
    links = []
    for code, _name in settings.LANGUAGES:
        if page is not None:
            url = page_urls.get(code) or page_urls.get(f"home:{code}") or f"/{code}/"
        else:
            url = translate_url(request.get_full_path() if request else "/", code)
        info = get_language_info(code)
        links.append(
            {
                "code": code,
                "name": info["name_local"],
                "url": url,
                "current": code == current,
            }
        )
    if request is not None:
        setattr(request, memo, links)
    return links


@register.simple_tag(takes_context=True)
def absolute(context, url: str) -> str:
    request = context.get("request")
    if not url:
        return ""
    if url.startswith("http"):
        return url
    if request is not None:
        return request.build_absolute_uri(url)
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url


@register.filter
def og_locale(code: str) -> str:
    return {"ar": "ar_EG", "en": "en_GB"}.get(code, code)


@register.simple_tag
def active_locale():
    return Locale.get_active()


@register.filter(name="localized")
def localized_filter(obj, field: str) -> str:
    """`{{ hospital|localized:"address" }}`: the field in the active language."""
    from institutes.bilingual import localized

    return localized(obj, field)


@register.simple_tag(takes_context=True)
def page_description(context) -> str:
    """search_description, else summary, else intro, else the view's og_description."""
    page = context.get("page")
    for value in (
        getattr(page, "search_description", ""),
        getattr(page, "summary", ""),
        getattr(page, "intro", ""),
        context.get("og_description", ""),
    ):
        if value:
            return str(value)
    from django.utils.translation import gettext

    return gettext(
        "Health-awareness campaigns, nursing institutes and the contact centre of "
        "the health authority."
    )


@register.simple_tag(takes_context=True)
def page_title(context) -> str:
    page = context.get("page")
    title = context.get("og_title") or (
        getattr(page, "seo_title", "") or getattr(page, "title", "") if page else ""
    )
    if title:
        return str(title)
    from django.utils.translation import gettext

    return gettext("Technical Nursing Institutes")
