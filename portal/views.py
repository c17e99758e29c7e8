"""The self-service portal at /ar/my/ and /en/my/ (see docs/portal.md).

A portal sign-in is not a Django login: the session holds the person's id under
`portal.person` and the time of their last request, so a portal session never
carries back-office rights, whatever roles the person's own user may hold. Every
view below reads the person from that key through `portal_required`; rows are
looked up *within the person's own rows* (`portal.selectors`), so another person's
id answers 404.
"""

from __future__ import annotations

import functools
import time

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.http.response import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from institutes.client_address import client_address
from institutes.formatting import format_number
from institutes.ratelimit import over_limit

from . import ical, selectors, services
from .forms import (
    CodeForm,
    CorrectionForm,
    HoursForm,
    PasswordSetForm,
    PasswordSignInForm,
    SignInForm,
)
from .models import EventKind

PERSON_KEY = "portal.person"
SEEN_KEY = "portal.seen"
PENDING_KEY = "portal.pending"


def idle_seconds() -> int:
    return 60 * int(getattr(settings, "PORTAL_IDLE_MINUTES", 30))


def _digit_mode() -> str:
    return "arab" if translation.get_language() == "ar" else "latn"


def _render(request, template: str, context: dict | None = None, **kwargs):
    context = dict(context or {})
    context.setdefault("dm", _digit_mode())
    return render(request, template, context, **kwargs)


def _forget(request) -> None:
    for key in (PERSON_KEY, SEEN_KEY, PENDING_KEY):
        request.session.pop(key, None)


def _as_id(value) -> int:
    """A path id as an int, or 404 (letters, huge numbers)."""
    text = str(value)
    if not text.isdigit() or len(text) > 18:
        raise Http404
    return int(text)


def portal_required(view):
    """Open `view` to the signed-in portal person (as `viewer`), else send them to
    the sign-in page. After `PORTAL_IDLE_MINUTES` without a request the session is
    forgotten."""

    @functools.wraps(view)
    @never_cache
    def wrapper(request, *args, **kwargs):
        person_id = request.session.get(PERSON_KEY)
        now = int(time.time())
        viewer = None
        if person_id:
            if now - int(request.session.get(SEEN_KEY) or 0) > idle_seconds():
                _forget(request)
                messages.info(
                    request, _("You were signed out after a while without activity.")
                )
            else:
                viewer = selectors.viewer_for(person_id)
        if viewer is None:
            _forget(request)
            return redirect("portal:sign_in")
        request.session[SEEN_KEY] = now
        return view(request, viewer, *args, **kwargs)

    return wrapper


# --- The door --------------------------------------------------------------------


def _sent_message() -> str:
    """What the code page says was sent; its lifetime is counted in the language's
    plural forms («صالح لمدة ١٠ دقائق», «… ١٥ دقيقة»)."""
    minutes = services.code_minutes()
    return ngettext(
        "If this number belongs to a student or staff member, we have sent a code to "
        "the phone or e-mail we hold for them. It is valid for %(minutes)s minute.",
        "If this number belongs to a student or staff member, we have sent a code to "
        "the phone or e-mail we hold for them. It is valid for %(minutes)s minutes.",
        minutes,
    ) % {"minutes": format_number(minutes, _digit_mode())}


def _sign_in_limits() -> tuple[int, int]:
    return tuple(getattr(settings, "PORTAL_SIGN_IN_RATE", (10, 15 * 60)))


@never_cache
def sign_in(request):
    """Type an identity document number; a code is sent (same answer either way)."""
    if request.session.get(PERSON_KEY):
        return redirect("portal:home")
    form = SignInForm(request.POST or None)
    limit, window = _sign_in_limits()
    if request.method == "POST":
        client = client_address(request)
        if over_limit(request, scope="portal-code", limit=limit, window=window):
            services.event_record(kind=EventKind.RATE_LIMITED, client=client)
            form.add_error(
                None,
                _(
                    "Too many requests from this device. Wait a few minutes and try "
                    "again."
                ),
            )
            return _door(request, form=form, status=429)
        if form.is_valid():
            data = form.cleaned_data
            code = services.sign_in_code_send(
                document_type=data["document_type"],
                country=data["country"],
                number=data["number"],
                client=client,
                language=translation.get_language(),
            )
            request.session[PENDING_KEY] = {
                "code": code.pk if code else None,
                "at": int(time.time()),
                "tries": 0,
            }
            return redirect("portal:sign_in_code")
    return _door(request, form=form)


def _door(request, *, form=None, password_form=None, status: int = 200):
    """The sign-in page: number + one-time code, and beside it number + password."""
    return _render(
        request,
        "portal/sign_in.html",
        {
            "form": form or SignInForm(),
            "password_form": password_form or PasswordSignInForm(prefix="pw"),
        },
        status=status,
    )


def _checks_over_limit(request, client: str) -> bool:
    """Codes and passwords typed from one client share one budget of checks."""
    if over_limit(request, scope="portal-check", limit=30, window=15 * 60):
        services.event_record(kind=EventKind.RATE_LIMITED, client=client)
        return True
    return False


def _signed_in(request, person) -> None:
    request.session.cycle_key()
    _forget(request)
    request.session[PERSON_KEY] = person.pk
    request.session[SEEN_KEY] = int(time.time())


@never_cache
def sign_in_password(request):
    """Number + portal password, for those who set one. Every refusal reads the
    same (unknown number, no password, wrong password); the tries count per number
    and lock as a code does (`services.sign_in_password_check`)."""
    if request.session.get(PERSON_KEY):
        return redirect("portal:home")
    if request.method != "POST":
        return redirect("portal:sign_in")
    form = PasswordSignInForm(request.POST, prefix="pw")
    client = client_address(request)
    if _checks_over_limit(request, client):
        form.add_error(
            None,
            _("Too many tries from this device. Wait a few minutes and try again."),
        )
        return _door(request, password_form=form, status=429)
    if form.is_valid():
        data = form.cleaned_data
        outcome = services.sign_in_password_check(
            document_type=data["document_type"],
            country=data["country"],
            number=data["number"],
            password=data["password"],
            client=client,
        )
        if outcome.person is not None:
            _signed_in(request, outcome.person)
            return redirect("portal:home")
        if outcome.reason == "locked":
            form.add_error(
                None,
                _(
                    "Too many wrong passwords for this number. Wait %(minutes)s "
                    "minutes, or sign in with a code."
                )
                % {"minutes": services.code_minutes()},
            )
        else:
            form.add_error(
                None,
                _(
                    "The number or the password is not right, or no password is "
                    "set for this number. You can sign in with a code."
                ),
            )
    return _door(request, password_form=form)


@never_cache
def sign_in_code(request):
    """Type the code received; right: signed in; wrong: tries left; then locked."""
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict):
        return redirect("portal:sign_in")
    form = CodeForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        client = client_address(request)
        if _checks_over_limit(request, client):
            error = _(
                "Too many tries from this device. Wait a few minutes and try again."
            )
        else:
            if pending.get("code"):
                outcome = services.sign_in_code_check(
                    code_id=pending["code"],
                    typed=form.cleaned_data["code"],
                    client=client,
                )
            else:
                outcome = _decoy_check(request, pending, client)
            if outcome.person is not None:
                _signed_in(request, outcome.person)
                return redirect("portal:home")
            error = _refusal(outcome)
            if outcome.reason in ("expired", "locked"):
                request.session.pop(PENDING_KEY, None)
                messages.error(request, error)
                return redirect("portal:sign_in")
    return _render(
        request,
        "portal/sign_in_code.html",
        {
            "form": form,
            "error": error,
            "sent": _sent_message(),
        },
    )


def _decoy_check(request, pending: dict, client: str) -> services.SignInOutcome:
    """The same answers as for a real code when the number matched nobody: wrong,
    then locked after the same number of tries, expired after the same time."""
    limit = services.code_max_attempts()
    if time.time() - pending.get("at", 0) > 60 * services.code_minutes():
        return services.SignInOutcome(reason="expired")
    pending["tries"] = int(pending.get("tries", 0)) + 1
    request.session[PENDING_KEY] = pending
    locked = pending["tries"] >= limit
    services.event_record(
        kind=EventKind.LOCKED if locked else EventKind.WRONG_CODE, client=client
    )
    return services.SignInOutcome(
        reason="locked" if locked else "wrong", tries_left=limit - pending["tries"]
    )


def _refusal(outcome: services.SignInOutcome) -> str:
    if outcome.reason == "locked":
        return _("Too many wrong codes. Ask for a new code.")
    if outcome.reason == "expired":
        return _("This code has expired or was replaced. Ask for a new code.")
    return _("This code is not right. Tries left: %(left)s.") % {
        "left": outcome.tries_left
    }


@require_POST
def sign_out(request):
    person_id = request.session.get(PERSON_KEY)
    if person_id:
        from institutes.models import Person

        person = Person.objects.filter(pk=person_id).first()
        if person is not None:
            services.event_record(
                kind=EventKind.SIGNED_OUT, person=person, client=client_address(request)
            )
    _forget(request)
    request.session.cycle_key()
    messages.info(request, _("You are signed out."))
    return redirect("portal:sign_in")


# --- Pages -----------------------------------------------------------------------


@portal_required
def home(request, viewer):
    context = {"viewer": viewer, "section": "home"}
    if viewer.is_student:
        context["upcoming_days"] = list(
            selectors.student_upcoming_days(viewer.student, limit=5)
        )
        context["hours_totals"] = selectors.student_hours_totals(viewer.student)
    if viewer.is_staff:
        compliance = selectors.staff_compliance(viewer.staff)
        context["compliance"] = compliance
        context["not_compliant"] = sum(
            1 for _row, state in compliance if state.state != "compliant"
        )
    return _render(request, "portal/home.html", context)


def _student_or_404(viewer):
    if not viewer.is_student:
        raise Http404
    return viewer.student


def _staff_or_404(viewer):
    if not viewer.is_staff:
        raise Http404
    return viewer.staff


@portal_required
def placements(request, viewer):
    student = _student_or_404(viewer)
    return _render(
        request,
        "portal/placements.html",
        {
            "viewer": viewer,
            "section": "placements",
            "placements": list(selectors.student_placements(student)),
            "upcoming_days": list(selectors.student_upcoming_days(student)),
        },
    )


@portal_required
def hours(request, viewer):
    student = _student_or_404(viewer)
    return _render(
        request,
        "portal/hours.html",
        {
            "viewer": viewer,
            "section": "hours",
            "days": selectors.student_hours_days(student),
            "totals": selectors.student_hours_totals(student),
            "shown": selectors.HOURS_DAYS_SHOWN,
            "form": HoursForm(),
        },
    )


@require_POST
@portal_required
def hours_enter(request, viewer, day_id):
    student = _student_or_404(viewer)
    day = selectors.student_day(student, _as_id(day_id))
    if day is None:
        raise Http404
    form = HoursForm(request.POST)
    if form.is_valid():
        try:
            services.student_hours_enter(
                account=viewer.account,
                day=day,
                hours=form.cleaned_data["hours"],
                client=client_address(request),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("Your hours are recorded and await your supervisor's approval."),
            )
    else:
        messages.error(request, _("Enter the hours attended (more than 0)."))
    return redirect(f"{reverse('portal:hours')}#day-{day.pk}")


@portal_required
def record(request, viewer):
    student = _student_or_404(viewer)
    return _render(
        request,
        "portal/record.html",
        {
            "viewer": viewer,
            "section": "record",
            "signoffs": list(selectors.student_signoffs(student)),
            "results": list(selectors.student_results(student)),
        },
    )


def _verify_url(document) -> str:
    base = str(getattr(settings, "SITE_BASE_URL", "")).rstrip("/")
    return base + reverse("certificates:verify", args=[document.code])


@portal_required
def documents(request, viewer):
    docs = list(selectors.person_documents(viewer.person))
    for doc in docs:
        doc.verify_url = _verify_url(doc)
    return _render(
        request,
        "portal/documents.html",
        {"viewer": viewer, "section": "documents", "documents": docs},
    )


@portal_required
def document_download(request, viewer, document_id):
    doc = selectors.person_document(viewer.person, _as_id(document_id))
    if doc is None or not doc.pdf:
        raise Http404
    try:
        handle = doc.pdf.open("rb")
    except (FileNotFoundError, OSError):
        messages.error(
            request,
            _("This document's file cannot be found. Ask the office that issued it."),
        )
        return redirect("portal:documents")
    services.event_record(
        kind=EventKind.DOCUMENT_DOWNLOADED,
        person=viewer.person,
        client=client_address(request),
        detail=doc.serial,
    )
    return FileResponse(
        handle,
        content_type="application/pdf",
        as_attachment=True,
        filename=f"{doc.serial}.pdf",
    )


@portal_required
def training(request, viewer):
    staff = _staff_or_404(viewer)
    return _render(
        request,
        "portal/training.html",
        {
            "viewer": viewer,
            "section": "training",
            "compliance": selectors.staff_compliance(staff),
            "bookings": list(selectors.staff_bookings(viewer.person)),
            "sessions": list(selectors.staff_bookable_sessions(staff, viewer.person)),
        },
    )


@require_POST
@portal_required
def session_book(request, viewer, session_id):
    staff = _staff_or_404(viewer)
    session = selectors.staff_session(staff, _as_id(session_id))
    if session is None:
        raise Http404
    try:
        registration = services.staff_session_book(
            account=viewer.account, session=session, client=client_address(request)
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if registration.status == "waitlisted":
            messages.warning(
                request,
                _(
                    "The session is full: you are on its waiting list. You will be "
                    "told if a place frees up."
                ),
            )
        else:
            messages.success(request, _("You are booked on this session."))
    return redirect("portal:training")


@require_POST
@portal_required
def booking_cancel(request, viewer, registration_id):
    _staff_or_404(viewer)
    registration = selectors.person_booking(viewer.person, _as_id(registration_id))
    if registration is None:
        raise Http404
    try:
        services.staff_booking_cancel(
            account=viewer.account,
            registration=registration,
            client=client_address(request),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your booking is cancelled."))
    return redirect("portal:training")


@portal_required
def activity(request, viewer):
    return _render(
        request,
        "portal/activity.html",
        {
            "viewer": viewer,
            "section": "activity",
            "events": list(selectors.recent_activity(viewer.person)),
        },
    )


def _feed_url(request, account) -> str:
    base = str(getattr(settings, "SITE_BASE_URL", "")).rstrip("/")
    return base + reverse("portal:feed", args=[account.feed_token])


@portal_required
def calendar(request, viewer):
    if request.method == "POST":
        services.feed_token_reset(
            account=viewer.account, client=client_address(request)
        )
        messages.success(
            request,
            _(
                "Your calendar link is new. The old link no longer works: add the new "
                "one to your calendar."
            ),
        )
        return redirect("portal:calendar")
    return _render(
        request,
        "portal/calendar.html",
        {
            "viewer": viewer,
            "section": "calendar",
            "feed_url": _feed_url(request, viewer.account),
        },
    )


def feed(request, token):
    """The person's calendar (placement days, booked sessions) at a secret address."""
    account = selectors.feed_account(token)
    if account is None:
        raise Http404
    person = account.person
    today = timezone.localdate()
    events = []
    for day in selectors.feed_placement_days(
        person, since=today - timezone.timedelta(days=30)
    ):
        events.append(
            {
                "uid": f"placement-day-{day.pk}@portal",
                "day": day.date,
                "summary": _("Placement: %(ward)s (%(shift)s)")
                % {"ward": day.ward.name, "shift": day.get_shift_display()},
                "location": day.ward.hospital.name,
            }
        )
    for reg in selectors.feed_bookings(
        person, since=timezone.now() - timezone.timedelta(days=30)
    ):
        session = reg.session
        events.append(
            {
                "uid": f"training-session-{session.pk}@portal",
                "start": session.starts_at,
                "end": session.ends_at,
                "summary": _("Training: %(topic)s") % {"topic": session.topic.title},
                "location": f"{session.venue} — {session.hospital.name}",
            }
        )
    body = ical.calendar(name=_("My placements and training"), events=events)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "no-store, private"
    return response


@portal_required
def account_settings(request, viewer):
    """Set, change or remove the optional portal password."""
    account = viewer.account
    form = PasswordSetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_set(
                account=account,
                password=form.cleaned_data["password1"],
                client=client_address(request),
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("password1", message)
        else:
            messages.success(
                request,
                _(
                    "Your password is saved. You can sign in with your number and "
                    "this password, or with a code as before."
                ),
            )
            return redirect("portal:settings")
    return _render(
        request,
        "portal/settings.html",
        {
            "viewer": viewer,
            "section": "settings",
            "form": form,
            "has_password": bool(account.password),
        },
    )


@require_POST
@portal_required
def password_remove(request, viewer):
    services.password_remove(account=viewer.account, client=client_address(request))
    messages.success(
        request, _("Your password is removed. You sign in with a code only.")
    )
    return redirect("portal:settings")


@portal_required
def correction(request, viewer):
    form = CorrectionForm(request.POST or None, viewer=viewer)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contact_request = services.correction_request(
                account=viewer.account,
                subject=data["subject"],
                message=data["message"],
                about=data["about"],
                language=translation.get_language(),
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _(
                    "Your request is sent with reference %(ref)s. The office will "
                    "answer you."
                )
                % {"ref": contact_request.reference},
            )
            return redirect("portal:home")
    return _render(
        request,
        "portal/correction.html",
        {"viewer": viewer, "section": "correction", "form": form},
    )
