"""Public views that are not Wagtail pages: search and the contact centre."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from wagtail.models import Locale

from contact.models import ContactRequest
from contact.selectors import contact_figures_public, public_events
from contact.services import (
    contact_request_rate,
    contact_request_reopen,
    contact_request_submit,
    may_reopen,
)

from .forms import (
    ContactRequestForm,
    FollowRequestForm,
    RateAnswerForm,
    ReopenForm,
    SearchForm,
)
from .ratelimit import over_limit
from .selectors import contact_request_for_visitor, site_search

SESSION_REFERENCE = "cms_contact_reference"
# The request a visitor proved theirs (reference + contact) on the follow page.
SESSION_FOLLOWED = "cms_contact_followed"


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
                topic=data.get("topic"),
                notify_email=data["notify_email"],
                notify_sms=data["notify_sms"],
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


def _followed(request) -> ContactRequest | None:
    pk = request.session.get(SESSION_FOLLOWED)
    if not pk:
        return None
    return (
        ContactRequest.objects.filter(pk=pk, anonymised_at__isnull=True)
        .select_related("institute", "hospital")
        .first()
    )


def _follow_context(found) -> dict:
    if found is None:
        return {"found": None, "events": []}
    return {
        "found": found,
        "events": public_events(found),
        "may_reopen": may_reopen(found),
        "may_rate": bool(found.answered_at and not found.resolution),
        "rate_form": RateAnswerForm(),
        "reopen_form": ReopenForm(),
    }


@require_http_methods(["GET", "POST"])
def contact_follow(request):
    initial = {"reference": request.GET.get("reference", "")[:20]}
    form = FollowRequestForm(request.POST or None, initial=initial)
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
            if found is not None:
                request.session[SESSION_FOLLOWED] = found.pk
    elif request.method == "GET" and request.GET.get("shown"):
        found = _followed(request)
    context = {"form": form, "not_found": not_found, **_follow_context(found)}
    return render(request, "cms/contact_follow.html", context, status=status)


def _back_to_follow(request):
    from django.urls import reverse

    return redirect(reverse("cms_contact_follow") + "?shown=1")


@require_POST
def contact_rate(request):
    """The requester's one answer about the reply (on the request they followed)."""
    found = _followed(request)
    if found is None:
        return redirect("cms_contact_follow")
    form = RateAnswerForm(request.POST)
    if form.is_valid():
        try:
            contact_request_rate(
                contact_request=found, resolution=form.cleaned_data["resolution"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Thank you for telling us."))
    else:
        messages.error(request, _("Choose one of the answers."))
    return _back_to_follow(request)


@require_POST
def contact_reopen(request):
    """The requester reopens an answered request within the allowed period."""
    found = _followed(request)
    if found is None:
        return redirect("cms_contact_follow")
    form = ReopenForm(request.POST)
    if not form.is_valid():
        context = {"form": FollowRequestForm(), "not_found": False}
        context.update(_follow_context(found))
        context["reopen_form"] = form
        return render(request, "cms/contact_follow.html", context, status=400)
    try:
        contact_request_reopen(
            contact_request=found, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Your request is reopened; the office will answer again.")
        )
    return _back_to_follow(request)


def contact_figures(request):
    """Public monthly figures of the contact centre (received, answered, median time)."""
    return render(
        request,
        "cms/contact_figures.html",
        {"months": contact_figures_public(months=12)},
    )
