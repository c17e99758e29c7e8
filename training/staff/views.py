"""Operational screens of staff training: the trainer's day, a session's roster,
registration, paper sheets, a person's record and the compliance dashboards.

Each view finds its objects through `training.staff.selectors` (scoped by
`institutes.access`), calls one service and renders; a foreign id answers 404.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from institutes import access
from institutes.spreadsheets import safe_row, spreadsheet_response

from .compliance import State, state_of
from .forms import CancelSessionForm, CorrectionForm, PaperSheetForm, RegisterForm
from .models import (
    Attendance,
    AttendanceStatus,
    Registration,
    RegistrationStatus,
    SessionStatus,
    StaffTopicStatus,
    Topic,
    TrainingSession,
)
from .selectors import (
    hospital_compliance,
    national_overview,
    people_in_states,
    row_state,
    session_roster,
    sessions_for,
    staff_due_for_topic,
    staff_for,
    staff_record,
    trainer_sessions,
)
from .services import (
    RosterEntry,
    attendance_correct,
    registration_bulk,
    registration_cancel,
    roster_save,
    session_cancel,
)


def _require_any_training_role(user) -> None:
    if not access.user_may(user, "view", StaffTopicStatus):
        raise PermissionDenied


def _session_for_change(request, pk) -> TrainingSession:
    session = get_object_or_404(sessions_for(request.user, "change"), pk=pk)
    return session


# --- The trainer's day -------------------------------------------------------------


def my_sessions(request):
    """Today's and this week's sessions of the trainer (or of their hospitals)."""
    _require_any_training_role(request.user)
    today = timezone.localdate()
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    week_end = start + datetime.timedelta(days=7)
    sessions = list(trainer_sessions(user=request.user, start=start, end=week_end))
    tomorrow = start + datetime.timedelta(days=1)
    return render(
        request,
        "training/staff/my_sessions.html",
        {
            "page_title": _("My sessions"),
            "today_sessions": [s for s in sessions if s.starts_at < tomorrow],
            "week_sessions": [s for s in sessions if s.starts_at >= tomorrow],
            "today": today,
        },
    )


# --- A session: roster, registrations ----------------------------------------------


def _bulk_certificates_url(session) -> str:
    """The bulk certificates form with this session already chosen."""
    from .documents import CERTIFICATE

    url = reverse("certificates_admin:bulk_new", args=[f"{CERTIFICATE}:session"])
    return f"{url}?session={session.pk}"


def _parse_score(raw: str) -> Decimal | None:
    raw = (
        (raw or "")
        .strip()
        .replace(",", ".")
        .translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789"))
    )
    if not raw:
        return None
    try:
        return Decimal(raw)
    except InvalidOperation:
        raise ValidationError(
            _("“%(value)s” is not a score.") % {"value": raw}
        ) from None


def session_detail(request, pk):
    """The roster: mark present / absent / excused and scores for everyone, one save."""
    session = get_object_or_404(sessions_for(request.user), pk=pk)
    can_change = access.can(request.user, "change", session)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        return _roster_post(request, session)
    rows = session_roster(session=session)
    staff_qs = staff_for(request.user, "change").filter(
        hospital=session.hospital, is_active=True
    )
    register_form = RegisterForm(
        session=session,
        staff_queryset=staff_qs,
        ward_queryset=session.hospital.wards.filter(is_active=True),
    )
    counts = {
        "registered": sum(
            1
            for r in rows
            if r["registration"]
            and r["registration"].status == RegistrationStatus.REGISTERED
        ),
        "waitlisted": sum(
            1
            for r in rows
            if r["registration"]
            and r["registration"].status == RegistrationStatus.WAITLISTED
        ),
        "present": sum(
            1 for r in rows if r["attendance"] and r["attendance"].status == "present"
        ),
        "passed": sum(1 for r in rows if r["attendance"] and r["attendance"].passed),
    }
    return render(
        request,
        "training/staff/session_detail.html",
        {
            "page_title": session.topic.title,
            "session": session,
            "rows": rows,
            "counts": counts,
            "can_change": can_change,
            "register_form": register_form,
            "statuses": AttendanceStatus.choices,
            "assessed": session.topic.pass_mark is not None,
            "sign_in_sheet_url": reverse(
                "training_session_sign_in_sheet", args=[session.pk]
            ),
            "certificates_url": _bulk_certificates_url(session)
            if counts["passed"]
            else "",
            "can_mark": timezone.localdate(session.starts_at) <= timezone.localdate()
            and session.status != SessionStatus.CANCELLED,
        },
    )


def _roster_post(request, session):
    entries = []
    try:
        for raw_id in request.POST.getlist("staff"):
            staff_id = int(raw_id)
            status = request.POST.get(f"s{staff_id}", "")
            if not status:
                continue
            entries.append(
                RosterEntry(
                    staff_id,
                    status,
                    _parse_score(request.POST.get(f"c{staff_id}", "")),
                    walk_in=request.POST.get(f"w{staff_id}") == "1",
                )
            )
        walk_in_number = request.POST.get("walk_in", "").strip()
        if walk_in_number:
            walk_in = (
                staff_for(request.user, "change")
                .filter(hospital=session.hospital, employee_number=walk_in_number)
                .first()
            )
            if walk_in is None:
                raise ValidationError(
                    _("No staff member of this hospital has the employee number %(n)s.")
                    % {"n": walk_in_number}
                )
            if walk_in.pk not in {e.staff_id for e in entries}:
                entries.append(
                    RosterEntry(
                        walk_in.pk,
                        AttendanceStatus.PRESENT,
                        _parse_score(request.POST.get("walk_in_score", "")),
                        walk_in=True,
                    )
                )
        result = roster_save(
            session=session,
            entries=entries,
            recorded_by=request.user,
            reason=request.POST.get("reason", ""),
        )
    except (ValueError, ValidationError) as exc:
        message = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
        messages.error(request, message)
        return redirect("training_session_detail", pk=session.pk)
    messages.success(
        request,
        _(
            "Attendance saved: %(created)s new, %(changed)s changed, %(unchanged)s unchanged."
        )
        % {
            "created": result.created,
            "changed": result.changed,
            "unchanged": result.unchanged,
        },
    )
    return redirect("training_session_detail", pk=session.pk)


@require_POST
def session_register(request, pk):
    session = _session_for_change(request, pk)
    staff_qs = staff_for(request.user, "change").filter(
        hospital=session.hospital, is_active=True
    )
    form = RegisterForm(
        request.POST,
        session=session,
        staff_queryset=staff_qs,
        ward_queryset=session.hospital.wards.filter(is_active=True),
    )
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("training_session_detail", pk=session.pk)
    mode = form.cleaned_data["mode"]
    if mode == RegisterForm.MODE_ONE:
        people = [form.cleaned_data["staff"]]
    elif mode == RegisterForm.MODE_WARD:
        people = list(staff_qs.filter(ward=form.cleaned_data["ward"]))
    else:
        people = list(staff_due_for_topic(session=session, user=request.user))
    try:
        result = registration_bulk(
            session=session, staff_members=people, registered_by=request.user
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("training_session_detail", pk=session.pk)
    messages.success(
        request,
        _(
            "%(registered)s registered, %(waitlisted)s on the waitlist, "
            "%(already)s already booked."
        )
        % {
            "registered": len(result.registered),
            "waitlisted": len(result.waitlisted),
            "already": len(result.already),
        },
    )
    for _staff, reason in result.refused[:20]:
        messages.warning(request, reason)
    return redirect("training_session_detail", pk=session.pk)


@require_POST
def registration_cancel_view(request, pk):
    registration = get_object_or_404(
        access.filter_for(Registration.objects.all(), request.user, "change"), pk=pk
    )
    promoted = registration_cancel(registration=registration, cancelled_by=request.user)
    messages.success(request, _("Registration cancelled."))
    for reg in promoted:
        messages.info(
            request,
            _("%(name)s moved from the waitlist to the session.")
            % {"name": reg.staff.name},
        )
    return redirect("training_session_detail", pk=registration.session_id)


def session_cancel_view(request, pk):
    session = _session_for_change(request, pk)
    form = CancelSessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            count = session_cancel(
                session=session,
                cancelled_by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(
                request,
                _("Session cancelled; %(count)s people were told by e-mail.")
                % {"count": count},
            )
        return redirect("training_session_detail", pk=session.pk)
    return render(
        request,
        "training/staff/session_cancel.html",
        {"page_title": _("Cancel session"), "session": session, "form": form},
    )


def session_paper_entry(request, pk):
    """Type in a paper sign-in sheet quickly: employee numbers (and scores)."""
    session = _session_for_change(request, pk)
    form = PaperSheetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            entries = _paper_entries(request, session, form.cleaned_data)
            result = roster_save(
                session=session,
                entries=entries,
                recorded_by=request.user,
                reason=_("Entered from the paper sign-in sheet"),
            )
        except ValidationError as exc:
            form.add_error("lines", exc)
        else:
            messages.success(
                request,
                _("Paper sheet entered: %(created)s new, %(changed)s changed.")
                % {"created": result.created, "changed": result.changed},
            )
            return redirect("training_session_detail", pk=session.pk)
    return render(
        request,
        "training/staff/paper_entry.html",
        {
            "page_title": _("Enter a paper sign-in sheet"),
            "session": session,
            "form": form,
        },
    )


def _paper_entries(request, session, data) -> list[RosterEntry]:
    wanted: dict[str, Decimal | None] = {}
    for line_no, line in enumerate(data["lines"].splitlines(), start=1):
        parts = line.replace("\t", " ").split()
        if not parts:
            continue
        number = parts[0].translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789"))
        try:
            wanted[number] = _parse_score(parts[1]) if len(parts) > 1 else None
        except ValidationError:
            raise ValidationError(
                _("Line %(line)s: “%(value)s” is not a score.")
                % {"line": line_no, "value": parts[1]}
            ) from None
    staff = {
        s.employee_number: s
        for s in staff_for(request.user, "change").filter(
            hospital=session.hospital, employee_number__in=list(wanted)
        )
    }
    unknown = [n for n in wanted if n not in staff]
    if unknown:
        raise ValidationError(
            _(
                "Unknown employee numbers at this hospital: %(numbers)s. Nothing was saved."
            )
            % {"numbers": ", ".join(unknown[:20])}
        )
    booked = set(
        Registration.objects.filter(
            session=session, status=RegistrationStatus.REGISTERED
        ).values_list("staff_id", flat=True)
    )
    entries = [
        RosterEntry(
            staff[n].pk,
            AttendanceStatus.PRESENT,
            score,
            walk_in=staff[n].pk not in booked,
        )
        for n, score in wanted.items()
    ]
    if data.get("absent_if_missing"):
        present = {e.staff_id for e in entries}
        entries += [
            RosterEntry(staff_id, AttendanceStatus.ABSENT)
            for staff_id in booked - present
        ]
    return entries


def attendance_correct_view(request, pk):
    attendance = get_object_or_404(
        access.filter_for(
            Attendance.objects.select_related("session__topic", "staff__person"),
            request.user,
            "change",
        ),
        pk=pk,
    )
    form = CorrectionForm(
        request.POST or None,
        initial={"status": attendance.status, "score": attendance.score},
    )
    if request.method == "POST" and form.is_valid():
        try:
            attendance_correct(
                attendance=attendance,
                status=form.cleaned_data["status"],
                score=form.cleaned_data["score"],
                reason=form.cleaned_data["reason"],
                changed_by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Attendance corrected; the old value is kept."))
            return redirect("training_staff_record", pk=attendance.staff_id)
    return render(
        request,
        "training/staff/attendance_correct.html",
        {
            "page_title": _("Correct attendance"),
            "attendance": attendance,
            "changes": attendance.changes.select_related("changed_by"),
            "form": form,
        },
    )


def session_sign_in_sheet(request, pk):
    """The printable bilingual sign-in sheet (PDF through the certificates engine)."""
    from django.conf import settings

    from .documents import sign_in_sheet_pdf

    session = get_object_or_404(
        sessions_for(request.user).prefetch_related("trainers"), pk=pk
    )
    rows = [
        r
        for r in session_roster(session=session)
        if r["registration"] is not None
        and r["registration"].status == RegistrationStatus.REGISTERED
    ]
    url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "training_session_paper", args=[session.pk]
    )
    pdf = sign_in_sheet_pdf(session=session, rows=rows, url=url)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="sign-in-sheet-{session.pk}.pdf"'
    )
    return response


# --- A person's record -------------------------------------------------------------


def staff_record_view(request, pk):
    staff = get_object_or_404(
        staff_for(request.user).select_related("manager__person"), pk=pk
    )
    record = staff_record(staff=staff)
    from certificates.views import issue_url

    from .documents import CERTIFICATE

    record["issue_links"] = {
        a.pk: issue_url(CERTIFICATE, a) for a in record["history"] if a.passed
    }
    return render(
        request,
        "training/staff/staff_record.html",
        {
            "page_title": staff.name,
            "staff": staff,
            "can_change": access.can(request.user, "change", staff),
            **record,
        },
    )


# --- Compliance dashboards ---------------------------------------------------------


def _hospital_choice(request):
    hospitals = list(
        access.hospitals_for(request.user).filter(
            pk__in=access.filter_for(
                StaffTopicStatus.objects.all(), request.user
            ).values("hospital_id")
        )
    )
    if not hospitals:
        hospitals = list(
            access.hospitals_for(request.user).filter(
                pk__in=access.scope_for(request.user).hospital_ids
            )
        )
    selected = None
    raw = request.GET.get("hospital")
    if raw:
        selected = next((h for h in hospitals if str(h.pk) == raw), None)
        if selected is None:
            raise Http404
    elif hospitals:
        selected = hospitals[0]
    return hospitals, selected


def compliance_hospital(request):
    """One hospital's compliance: overall, per department and per topic, with drill-down."""
    _require_any_training_role(request.user)
    hospitals, hospital = _hospital_choice(request)
    context = {
        "page_title": _("Training compliance"),
        "hospitals": hospitals,
        "hospital": hospital,
        "states": State.ORDER,
    }
    if hospital is not None:
        data = hospital_compliance(hospital=hospital, user=request.user)
        people = reverse("training_compliance_people")
        for fig in data["by_ward"]:
            ward = fig.key.get("ward")
            fig.name = ward.name if ward else _("No department")
            fig.people_url = (
                f"{people}?hospital={hospital.pk}&ward={fig.key['ward_id'] or ''}"
            )
            fig.name_url = f"{fig.people_url}&state=overdue" if ward else ""
        for fig in data["by_topic"]:
            fig.name = fig.key["topic"].title if fig.key.get("topic") else "?"
            fig.people_url = (
                f"{people}?hospital={hospital.pk}&topic={fig.key['topic_id']}"
            )
            fig.name_url = f"{fig.people_url}&state=overdue"
        context.update(data)
    return render(request, "training/staff/compliance_hospital.html", context)


def compliance_national(request):
    """Every hospital side by side (authority staff see the whole country)."""
    _require_any_training_role(request.user)
    context = {"page_title": _("National training compliance")}
    data = national_overview(user=request.user)
    people = reverse("training_compliance_people")
    dashboard = reverse("training_compliance")
    for fig in data["by_hospital"]:
        fig.name = fig.key["hospital"].name
        fig.name_url = f"{dashboard}?hospital={fig.key['hospital_id']}"
        fig.people_url = f"{people}?hospital={fig.key['hospital_id']}"
    for fig in data["by_topic"]:
        fig.name = fig.key["topic"].title if fig.key.get("topic") else "?"
        fig.people_url = f"{people}?topic={fig.key['topic_id']}"
        fig.name_url = f"{fig.people_url}&state=overdue"
    context.update(data)
    return render(request, "training/staff/compliance_national.html", context)


PEOPLE_STATES = {
    "expired": [State.EXPIRED],
    "due": [State.DUE],
    "never": [State.NEVER],
    "overdue": [State.EXPIRED, State.NEVER],
    "compliant": [State.COMPLIANT],
    "grace": [State.GRACE],
}


def compliance_people(request):
    """Who is expired, due or never trained: filterable, exportable (CSV, XLSX)."""
    _require_any_training_role(request.user)
    state_key = request.GET.get("state", "overdue")
    states = PEOPLE_STATES.get(state_key, PEOPLE_STATES["overdue"])
    hospital = ward = topic = None
    hospitals = access.hospitals_for(request.user)
    if request.GET.get("hospital"):
        hospital = get_object_or_404(hospitals, pk=request.GET["hospital"])
    if request.GET.get("ward"):
        ward = get_object_or_404(access.wards_for(request.user), pk=request.GET["ward"])
    if request.GET.get("topic"):
        topic = get_object_or_404(Topic.objects.all(), pk=request.GET["topic"])
    rows = people_in_states(
        user=request.user, states=states, hospital=hospital, ward=ward, topic=topic
    )
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        return _export_people(rows, export)
    from django.core.paginator import Paginator

    page = Paginator(rows, 100).get_page(request.GET.get("p"))
    today = timezone.localdate()
    query = request.GET.copy()
    query.pop("p", None)
    return render(
        request,
        "training/staff/compliance_people.html",
        {
            "page_title": _("Staff to train"),
            "page": page,
            "rows": [(row, row_state(row, today)) for row in page.object_list],
            "state_key": state_key,
            "state_choices": [
                ("overdue", _("Expired or never taken")),
                ("expired", _("Expired")),
                ("due", _("Due within 30 days")),
                ("never", _("Never taken")),
                ("grace", _("In grace period")),
                ("compliant", _("Compliant")),
            ],
            "hospitals": hospitals,
            "wards": access.wards_for(request.user).filter(hospital=hospital)
            if hospital
            else [],
            "topics": Topic.objects.filter(is_active=True),
            "hospital": hospital,
            "ward": ward,
            "topic": topic,
            "querystring": query.urlencode(),
        },
    )


def _people_table(rows):
    today = timezone.localdate()
    yield [
        _("Employee number"),
        _("Name"),
        _("Hospital"),
        _("Department / ward"),
        _("Job category"),
        _("Topic"),
        _("Status"),
        _("Last completed"),
        _("Valid until"),
    ]
    for row in rows.iterator(chunk_size=2000):
        state = state_of(
            completed_on=row.completed_on,
            valid_until=row.valid_until,
            grace_until=row.grace_until,
            today=today,
        )
        staff = row.staff
        yield safe_row(
            [
                staff.employee_number,
                staff.person.name_ar,
                staff.hospital.name_ar,
                staff.ward.name_ar if staff.ward_id else "",
                staff.get_job_category_display(),
                row.topic.title_ar,
                str(state.label),
                row.completed_on.isoformat() if row.completed_on else "",
                row.valid_until.isoformat() if row.valid_until else "",
            ]
        )


def _export_people(rows, fmt):
    table = _people_table(rows)
    headers = next(table)
    return spreadsheet_response(
        filename=f"training-compliance-{timezone.localdate():%Y%m%d}",
        headers=headers,
        rows=table,
        fmt=fmt,
        stream=True,
    )


def _staff_hospitals(user):
    """Hospitals whose staff the user may change (trainers' hospitals, or all)."""
    scope = access.scope_for(user)
    hospitals = access.hospitals_for(user)
    if scope.is_authority:
        return hospitals
    return hospitals.filter(pk__in=sorted(scope.hospital_ids))


def staff_import(request):
    """Upload → preview with every problem by line → confirm (all or nothing)."""
    from django import forms

    from institutes.tabular_import import stash, unstash

    from .importing import COLUMNS, staff_import_commit, staff_import_preview

    if not access.user_may(request.user, "add", StaffTopicStatus):
        raise PermissionDenied

    class UploadForm(forms.Form):
        hospital = forms.ModelChoiceField(
            label=_("Hospital"), queryset=_staff_hospitals(request.user)
        )
        file = forms.FileField(label=_("File (CSV or Excel .xlsx)"), required=False)
        token = forms.CharField(widget=forms.HiddenInput, required=False)

    form = UploadForm(request.POST or None, request.FILES or None)
    context = {"page_title": _("Import staff"), "form": form, "columns": COLUMNS}
    if request.method == "POST" and form.is_valid():
        hospital = form.cleaned_data["hospital"]
        try:
            if form.cleaned_data["token"] and "confirm" in request.POST:
                data, filename = unstash(form.cleaned_data["token"], user=request.user)
            elif form.cleaned_data["file"]:
                upload = form.cleaned_data["file"]
                data, filename = upload.read(), upload.name
            else:
                raise ValidationError(_("Choose the file to import."))
            preview = staff_import_preview(
                data=data, filename=filename, hospital=hospital
            )
            if "confirm" in request.POST and preview.table.usable:
                result = staff_import_commit(preview=preview)
                messages.success(
                    request,
                    _(
                        "Import done: %(written)s staff created or updated, "
                        "%(unchanged)s unchanged, %(skipped)s rows with problems "
                        "skipped."
                    )
                    % {
                        "written": result.written,
                        "unchanged": result.unchanged,
                        "skipped": result.skipped,
                    },
                )
                return redirect(reverse("training_staff:index"))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return render(request, "training/staff/staff_import.html", context)
        context.update(
            preview=preview,
            token=stash(data, filename, user=request.user),
            hospital=hospital,
        )
    return render(request, "training/staff/staff_import.html", context)
