"""Public views that are not Wagtail pages: search and the contact centre."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wagtail.models import Locale

from .forms import ContactRequestForm, FollowRequestForm, SearchForm
from .ratelimit import over_limit
from .selectors import contact_request_for_visitor, site_search
from .services import contact_request_submit

SESSION_REFERENCE = "cms_contact_reference"


def _limits(name: str, default: tuple[int, int]) -> tuple[int, int]:
    return getattr(settings, "CMS_RATE_LIMITS", {}).get(name, default)


def search(request):
    form = SearchForm(request.GET or None)
    results = {"pages": [], "institutes": [], "count": 0}
    query = ""
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
        if query:
            results = site_search(query=query, locale=Locale.get_active())
    return render(
        request,
        "cms/search.html",
        {"form": form, "query": query, "results": results},
    )


@require_http_methods(["GET", "POST"])
def contact(request):
    form = ContactRequestForm(request.POST or None)
    if request.method == "POST":
        limit, window = _limits("contact", (5, 3600))
        if over_limit(
            request, scope="contact", limit=limit, window=window, count=False
        ):
            form.is_valid()
            form.add_error(
                None,
                _(
                    "Too many requests were sent from your connection in the last "
                    "hour. Your text is kept below: please try again later or call "
                    "the hotline."
                ),
            )
            return render(request, "cms/contact_form.html", {"form": form}, status=429)
        if form.is_valid():
            over_limit(request, scope="contact", limit=limit, window=window)
            data = form.cleaned_data
            contact_request = contact_request_submit(
                kind=data["kind"],
                subject=data["subject"],
                message=data["message"],
                institute=data["institute"],
                hospital=data["hospital"],
                name=data["name"],
                phone=data["phone"],
                email=data["email"],
                language=get_language() or "ar",
            )
            request.session[SESSION_REFERENCE] = contact_request.reference
            return redirect("cms_contact_sent")
    return render(request, "cms/contact_form.html", {"form": form})


def contact_sent(request):
    reference = request.session.get(SESSION_REFERENCE)
    if not reference:
        return redirect("cms_contact")
    return render(request, "cms/contact_sent.html", {"reference": reference})


@require_http_methods(["GET", "POST"])
def contact_follow(request):
    form = FollowRequestForm(request.POST or None)
    found = None
    not_found = False
    status = 200
    if request.method == "POST" and form.is_valid():
        limit, window = _limits("follow", (20, 3600))
        if over_limit(request, scope="follow", limit=limit, window=window):
            form.add_error(
                None,
                _("Too many attempts from your connection. Please try again later."),
            )
            status = 429
        else:
            found = contact_request_for_visitor(
                reference=form.cleaned_data["reference"],
                contact=form.cleaned_data["contact"],
            )
            not_found = found is None
    events = []
    if found is not None:
        events = list(found.events.all())
    return render(
        request,
        "cms/contact_follow.html",
        {"form": form, "found": found, "events": events, "not_found": not_found},
        status=status,
    )
