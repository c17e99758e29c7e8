"""Back-office screens of the contact centre that are not plain viewset views: the
handling screen (the request's edit view), agent intake, the staff channel and the
dashboard. Views parse input, call one service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from institutes import access
from institutes.spreadsheets import spreadsheet_response
from notifications.services import notifications_about

from . import services
from .forms import (
    AnswerForm,
    AssignForm,
    IntakeForm,
    MergeForm,
    NoteForm,
    RouteForm,
    StaffRequestForm,
    StatusForm,
)
from .models import ContactChannel, ContactRequest
from .selectors import (
    CONTACT_FIELDS,
    dashboard_figures,
    earlier_requests_of_caller,
    mask,
    may_see_contacts,
    requests_for,
)


def _request_or_404(user, pk) -> ContactRequest:
    found = (
        requests_for(user, "view")
        .select_related("taken_by", "raised_by", "merged_into")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404(_("No such request in your office."))
    return found


def _handle_context(request, contact_request, forms=None) -> dict:
    forms = forms or {}
    allowed = services.STAFF_TRANSITIONS.get(contact_request.status, set())
    events = list(
        contact_request.events.select_related("actor", "assigned_to", "office")
    )
    may_change = access.can(request.user, "change", contact_request)
    visible = may_see_contacts(request.user, contact_request)
    contact = {
        field: getattr(contact_request, field)
        if visible
        else mask(getattr(contact_request, field))
        for field in CONTACT_FIELDS
    }
    return {
        "contact": contact,
        "contacts_visible": visible,
        "page_title": str(contact_request),
        "header_title": contact_request.reference,
        "object": contact_request,
        "may_change": may_change,
        "events": events,
        "sent": list(notifications_about(contact_request)),
        "earlier": [
            r
            for r in earlier_requests_of_caller(
                user=request.user, phone=contact_request.phone
            )
            if r.pk != contact_request.pk
        ],
        "answer_form": forms.get("answer")
        or AnswerForm(initial={"answer": contact_request.answer}),
        "status_form": forms.get("status") or StatusForm(allowed=allowed),
        "route_form": forms.get("route")
        or RouteForm(exclude=contact_request.office_id, user=request.user),
        "assign_form": forms.get("assign")
        or AssignForm(
            office=contact_request.office,
            initial={"assigned_to": contact_request.assigned_to_id},
        ),
        "note_form": forms.get("note") or NoteForm(),
        "merge_form": forms.get("merge") or MergeForm(),
        "index_url": reverse("contact_requests:index"),
    }


ACTIONS = ("answer", "status", "route", "assign", "note", "merge")


@require_http_methods(["GET", "POST"])
def handle_request(request, pk):
    """One screen to read a request (message, requester, history, messages sent) and
    act on it: answer, change status, route, assign, note, merge."""
    contact_request = _request_or_404(request.user, pk)
    if request.method == "GET":
        return render(
            request,
            "contact/admin/handle.html",
            _handle_context(request, contact_request),
        )
    if not access.can(request.user, "change", contact_request):
        raise PermissionDenied
    action = request.POST.get("action")
    if action not in ACTIONS:
        messages.error(request, _("Choose what to do with the request."))
        return redirect("contact_requests:edit", quote(contact_request.pk))
    allowed = services.STAFF_TRANSITIONS.get(contact_request.status, set())
    form = {
        "answer": lambda: AnswerForm(request.POST),
        "status": lambda: StatusForm(request.POST, allowed=allowed),
        "route": lambda: RouteForm(
            request.POST, exclude=contact_request.office_id, user=request.user
        ),
        "assign": lambda: AssignForm(request.POST, office=contact_request.office),
        "note": lambda: NoteForm(request.POST),
        "merge": lambda: MergeForm(request.POST),
    }[action]()
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == "answer":
                services.contact_request_answer(
                    contact_request=contact_request,
                    answer=data["answer"],
                    actor=request.user,
                )
                done = _("Answer sent to the requester.")
            elif action == "status":
                services.contact_request_set_status(
                    contact_request=contact_request,
                    status=data["status"],
                    note=data["note"],
                    actor=request.user,
                )
                done = _("Status changed.")
            elif action == "route":
                services.contact_request_route(
                    contact_request=contact_request,
                    office=data["office"],
                    reason=data["reason"],
                    actor=request.user,
                )
                done = _("Request sent to %(office)s.") % {"office": data["office"]}
            elif action == "assign":
                services.contact_request_assign(
                    contact_request=contact_request,
                    assignee=data["assigned_to"],
                    actor=request.user,
                )
                done = _("Assignment saved.")
            elif action == "note":
                services.contact_request_note(
                    contact_request=contact_request,
                    note=data["note"],
                    actor=request.user,
                )
                done = _("Note added.")
            else:
                original = (
                    requests_for(request.user, "change")
                    .filter(reference=data["original"].strip().upper())
                    .first()
                )
                if original is None:
                    raise ValidationError(
                        {"original": _("No request of your office has this reference.")}
                    )
                services.contact_request_merge(
                    duplicate=contact_request, original=original, actor=request.user
                )
                done = _("Merged as a duplicate.")
        except ValidationError as exc:
            _attach(form, exc)
        else:
            messages.success(request, done)
            if access.can(request.user, "view", contact_request):
                return redirect("contact_requests:edit", quote(contact_request.pk))
            return redirect("contact_requests:index")
    contact_request.refresh_from_db()
    return render(
        request,
        "contact/admin/handle.html",
        _handle_context(request, contact_request, {action: form}),
        status=400,
    )


def _attach(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def _require_contact_role(user) -> None:
    if not access.user_may(user, "change", ContactRequest):
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
def intake(request):
    """The agent's screen for a call, a walk-in or an e-mail."""
    _require_contact_role(request.user)
    form = IntakeForm(request.POST or None, user=request.user)
    earlier = []
    phone = request.POST.get("phone") or request.GET.get("phone", "")
    if phone:
        earlier = earlier_requests_of_caller(user=request.user, phone=phone)
    if request.method == "POST" and "lookup" not in request.POST and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.contact_request_submit(
                kind=data["kind"],
                subject=data["subject"],
                message=data["message"],
                institute=data["institute"],
                hospital=data["hospital"],
                name=data["name"],
                phone=data["phone"],
                email=data["email"],
                language=data["language"],
                topic=data["topic"],
                channel=data["channel"],
                taken_by=request.user,
            )
        except ValidationError as exc:
            _attach(form, exc)
        else:
            messages.success(
                request,
                _("Request %(reference)s logged and sent to %(office)s.")
                % {"reference": created.reference, "office": created.office},
            )
            if access.can(request.user, "view", created):
                return redirect("contact_requests:edit", quote(created.pk))
            return redirect("contact_intake")
    return render(
        request,
        "contact/admin/intake.html",
        {
            "page_title": _("Log a call"),
            "header_title": _("Log a call"),
            "form": form,
            "earlier": earlier,
            "looked_up": bool(phone),
        },
        status=400 if request.method == "POST" and form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def staff_request(request):
    """A signed-in employee raises a work matter, optionally confidential."""
    form = StaffRequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.contact_request_submit(
                kind=data["kind"],
                subject=data["subject"],
                message=data["message"],
                institute=None if data["confidential"] else data["institute"],
                hospital=None if data["confidential"] else data["hospital"],
                name=request.user.get_full_name() or request.user.get_username(),
                phone=data["phone"],
                email=request.user.email,
                language=(request.LANGUAGE_CODE or "ar")[:2],
                topic=data["topic"],
                channel=ContactChannel.STAFF,
                raised_by=request.user,
                confidential=data["confidential"],
            )
        except ValidationError as exc:
            _attach(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Your matter is recorded as %(reference)s. You will be told of "
                    "its answer."
                )
                % {"reference": created.reference},
            )
            return redirect("contact_staff_request")
    mine = ContactRequest.objects.filter(raised_by=request.user).order_by(
        "-created_at"
    )[:20]
    return render(
        request,
        "contact/admin/staff_request.html",
        {
            "page_title": _("Raise a work matter"),
            "header_title": _("Raise a work matter"),
            "form": form,
            "mine": mine,
        },
    )


def dashboard(request):
    """Figures of the requests the user may see, with charts and a table export."""
    if not access.user_may(request.user, "view", ContactRequest):
        raise PermissionDenied
    figures = dashboard_figures(user=request.user)
    fmt = request.GET.get("export")
    if fmt in ("csv", "xlsx"):
        rows = []
        for dimension, key in (
            (_("Topic"), "by_topic"),
            (_("Type"), "by_kind"),
            (_("Office"), "by_office"),
        ):
            for row in figures[key]:
                rows.append(
                    [
                        dimension,
                        row["label"],
                        row["received"],
                        row["answered"],
                        row["overdue"],
                        row["satisfaction"] if row["satisfaction"] is not None else "",
                    ]
                )
        for row in figures["by_month"]:
            rows.append(
                [
                    _("Month"),
                    row["month"].strftime("%Y-%m"),
                    row["received"],
                    row["answered"],
                    "",
                    "",
                ]
            )
        return spreadsheet_response(
            filename="contact-centre-figures",
            headers=[
                _("Grouped by"),
                _("Group"),
                _("Received"),
                _("Answered"),
                _("Overdue"),
                _("Satisfied (%)"),
            ],
            rows=rows,
            fmt=fmt,
        )
    peak = max([m["received"] for m in figures["by_month"]] + [1])
    return render(
        request,
        "contact/admin/dashboard.html",
        {
            "page_title": _("Contact centre figures"),
            "header_title": _("Contact centre figures"),
            "f": figures,
            "peak": peak,
            "chart": _trend_points(figures["by_month"], peak),
            "index_url": reverse("contact_requests:index"),
        },
    )


def _trend_points(months: list[dict], peak: int) -> dict:
    """SVG coordinates of the received/answered trend lines (viewBox 0 0 300 100)."""
    n = max(len(months) - 1, 1)

    def line(key):
        return " ".join(
            f"{round(i * 300 / n, 1)},{round(95 - 90 * m[key] / peak, 1)}"
            for i, m in enumerate(months)
        )

    return {"received": line("received"), "answered": line("answered")}


def urlpatterns():
    return [
        path("intake/", intake, name="contact_intake"),
        path("staff/", staff_request, name="contact_staff_request"),
        path("dashboard/", dashboard, name="contact_dashboard"),
    ]
