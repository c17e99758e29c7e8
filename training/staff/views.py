"""Operational screens of staff training: the trainer's day, a session's roster,
registration, paper sheets, a person's record and the compliance dashboards.

Each view finds its objects through `training.staff.selectors` (scoped by
`institutes.access`), calls one service and renders; a foreign id answers 404.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from institutes import access
from institutes.formatting import NumberParseError, parse_number
from institutes.listing import OperationalListView
from institutes.spreadsheets import spreadsheet_response

from .compliance import State
from .filters import StaffToTrainFilter
from .forms import CancelSessionForm, CorrectionForm, PaperSheetForm, RegisterForm
from .models import (
    Attendance,
    AttendanceStatus,
    Registration,
    RegistrationStatus,
    SessionStatus,
    StaffMember,
    StaffTopicStatus,
    TrainingSession,
)
from .selectors import (
    hospital_compliance,
    national_overview,
    session_roster,
    sessions_for,
    staff_due_for_topic,
    staff_for,
    staff_record,
    statuses_for,
    trainer_sessions,
)
from .services import (
    RosterEntry,
    attendance_correct,
    registration_bulk,
    registration_cancel,
    roster_save,
    roster_save_from_paper,
    session_cancel,
)
from .tables import (
    ComplianceFiguresTable,
    StaffImportPreviewTable,
    StaffToTrainTable,
    TopicStatusTable,
    TrainingHistoryTable,
)


def _require_any_training_role(user) -> None:
    if not access.user_may(user, "view", StaffTopicStatus):
        raise PermissionDenied


def _session_for_change(request, pk) -> TrainingSession:
    session = access.object_or_404(sessions_for(request.user, "change"), pk)
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
    """A typed score, read by the one number parser (Arabic-Indic digits, ٫ , .)."""
    try:
        return parse_number(raw)
    except NumberParseError:
        raise ValidationError(
            _("“%(value)s” is not a score.") % {"value": (raw or "").strip()}
        ) from None


def session_detail(request, pk):
    """The roster: mark present / absent / excused and scores for everyone, one save."""
    session = access.object_or_404(sessions_for(request.user), pk)
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
    registration = access.object_or_404(
        access.filter_for(Registration.objects.all(), request.user, "change"), pk
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
                ngettext(
                    "Session cancelled; %(count)s person was told by e-mail.",
                    "Session cancelled; %(count)s people were told by e-mail.",
                    count,
                )
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
            result = roster_save_from_paper(
                session=session,
                lines=form.cleaned_data["lines"],
                absent_if_missing=bool(form.cleaned_data.get("absent_if_missing")),
                recorded_by=request.user,
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


def attendance_correct_view(request, pk):
    attendance = access.object_or_404(
        access.filter_for(
            Attendance.objects.select_related("session__topic", "staff__person"),
            request.user,
            "change",
        ),
        pk,
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

    session = access.object_or_404(
        sessions_for(request.user).prefetch_related("trainers"), pk
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
    staff = access.object_or_404(
        staff_for(request.user).select_related("manager__person"), pk
    )
    record = staff_record(staff=staff)
    from certificates.views import issue_url

    from .documents import CERTIFICATE

    record["issue_links"] = {
        a.pk: issue_url(CERTIFICATE, a) for a in record["history"] if a.passed
    }
    can_change = access.can(request.user, "change", staff)
    return render(
        request,
        "training/staff/staff_record.html",
        {
            "page_title": staff.name,
            "staff": staff,
            "can_change": can_change,
            "statuses_table": TopicStatusTable(record["statuses"], request=request),
            "history_table": TrainingHistoryTable(
                record["history"],
                issue_links=record["issue_links"],
                can_change=can_change,
                request=request,
            ),
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
        context["by_ward_table"] = ComplianceFiguresTable(
            data["by_ward"], label=_("Department / ward"), request=request
        )
        context["by_topic_table"] = ComplianceFiguresTable(
            data["by_topic"], label=_("Topic"), request=request
        )
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
    context["by_hospital_table"] = ComplianceFiguresTable(
        data["by_hospital"], label=_("Hospital"), request=request
    )
    context["by_topic_table"] = ComplianceFiguresTable(
        data["by_topic"], label=_("Topic"), request=request
    )
    return render(request, "training/staff/compliance_national.html", context)


def staffing_nationality(request):
    """Active staff per hospital and department with the share of nationals and the
    employment types; exportable (CSV, XLSX)."""
    from django.conf import settings

    from institutes.identity import Country

    from .models import EmploymentType
    from .selectors import staffing_by_nationality

    _require_any_training_role(request.user)
    data = staffing_by_nationality(user=request.user)
    country = settings.IDENTITY_DEFAULT_COUNTRY
    country_label = Country(country).label if country in Country.values else country
    kinds = EmploymentType.choices
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        headers = [
            _("Hospital"),
            _("Department / ward"),
            _("Active staff"),
            _("Nationals (%(country)s)") % {"country": country_label},
            _("Share of nationals (%)"),
            *[label for _v, label in kinds],
        ]
        rows = (
            [
                fig.key["hospital"].name,
                fig.key["ward"].name if fig.key["ward"] else _("No department"),
                fig.total,
                fig.nationals,
                fig.share,
                *[fig.by_employment.get(value, 0) for value, _l in kinds],
            ]
            for fig in data["by_ward"]
        )
        return spreadsheet_response(
            filename=f"staffing-nationality-{timezone.localdate():%Y%m%d}",
            headers=headers,
            rows=rows,
            fmt=export,
        )
    for fig in (*data["by_hospital"], *data["by_ward"], data["total"]):
        fig.employment = [(label, fig.by_employment.get(v, 0)) for v, label in kinds]
    return render(
        request,
        "training/staff/staffing_nationality.html",
        {
            "page_title": _("Staffing: share of nationals"),
            "country": country_label,
            "kinds": kinds,
            **data,
        },
    )


class StaffToTrainView(OperationalListView):
    """Who is expired, due or never trained: filterable, exportable (CSV, XLSX)."""

    table_class = StaffToTrainTable
    filterset_class = StaffToTrainFilter
    filter_defaults = {"state": "overdue"}
    page_title = gettext_lazy("Staff to train")
    header_icon = "warning"
    export_filename = "training-compliance"

    def check_access(self, request) -> None:
        _require_any_training_role(request.user)

    def get_queryset(self):
        return (
            statuses_for(self.request.user)
            .select_related("staff__person", "staff__ward", "staff__hospital", "topic")
            .order_by("valid_until", "staff__employee_number")
        )


compliance_people = StaffToTrainView.as_view()


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

    from institutes.tabular_import import discard, stash, unstash

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
    access.limit_choices(form.fields.values(), request.user)
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
                data=data, filename=filename, hospital=hospital, user=request.user
            )
            if "confirm" in request.POST and preview.table.usable:
                result = staff_import_commit(
                    preview=preview,
                    by=request.user,
                    confirm_link=request.POST.get("confirm_link") == "1",
                )
                if form.cleaned_data["token"]:
                    discard(form.cleaned_data["token"], user=request.user)
                messages.success(
                    request,
                    result.summary(
                        ngettext(
                            "Import done: %(n)s staff member created or updated.",
                            "Import done: %(n)s staff members created or updated.",
                            result.written,
                        )
                        % {"n": result.written},
                        ngettext(
                            "%(n)s staff member unchanged.",
                            "%(n)s staff members unchanged.",
                            result.unchanged,
                        )
                        % {"n": result.unchanged},
                    ),
                )
                # Land on the imported rows, as the student import lands on the
                # cohort: the staff list filtered to the file's hospital.
                return redirect(
                    f"{reverse('training_staff:index')}?"
                    f"{urlencode({'hospital': hospital.pk})}"
                )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return render(request, "training/staff/staff_import.html", context)
        context.update(
            preview=preview,
            preview_table=StaffImportPreviewTable(preview.table.rows),
            token=stash(data, filename, user=request.user),
            hospital=hospital,
        )
    return render(request, "training/staff/staff_import.html", context)


# --- Hiring a graduate from their person page ---------------------------------------


@require_POST
def graduate_hire_view(request, person_pk):
    """POST from the person page: `graduate_hire`, then back to the person page with
    what happened. A person the user cannot see at all is a 404."""
    from institutes.person_record import person_for_page, person_sections

    from .forms import GraduateHireForm
    from .services import graduate_hire

    if not access.user_may(request.user, "add", StaffMember):
        raise PermissionDenied(_("Only trainers and authority staff add staff."))
    person = person_for_page(person_pk)
    if person is None or not person_sections(person, request.user):
        raise Http404(_("No such record in your institutes and hospitals."))
    form = GraduateHireForm(request.POST, user=request.user)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("institutes_person", person.pk)
    try:
        staff = graduate_hire(person=person, by=request.user, **form.cleaned_data)
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
        return redirect("institutes_person", person.pk)
    messages.success(
        request,
        _("%(name)s is now on the staff of %(hospital)s; induction due dates are set.")
        % {"name": person.name, "hospital": staff.hospital.name},
    )
    return redirect("institutes_person", person.pk)
