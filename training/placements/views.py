"""Operational screens of clinical placements: a block (wards, proposal, placing by
hand), a placement (status, moves, sign-offs, evaluations), the schedule grids and
their exports, the ward's printable schedule, the supervisor's day and approvals, a
student's clinical record, and the dashboard.

Each view finds its objects through `training.placements.selectors` (scoped by
`institutes.access`), calls one service and renders; a foreign id answers 404.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from institutes import access
from institutes.models import Ward
from institutes.scoped_admin import date_param
from institutes.spreadsheets import spreadsheet_response

from . import supervision
from .forms import (
    AdjustPlacementForm,
    BlockWardForm,
    DecideForm,
    EvaluationForm,
    PastYearForm,
    PlaceStudentForm,
    SignOffForm,
    TransitionForm,
)
from .models import (
    ClinicalHours,
    CompetencySignOff,
    HoursStatus,
    Placement,
    PlacementStatus,
    RecordedClinicalYear,
    RotationBlock,
)
from .selectors import (
    block_placements,
    blocks_for,
    clinical_record,
    cohort_grid,
    competencies_pending_by_cohort,
    hospital_grid,
    pending_hours,
    placements_for,
    recorded_years_for,
    students_behind_on_hours,
    students_on_day,
    ward_occupancy,
    ward_schedule,
    week_start,
    weeks_from,
)
from .services import (
    block_ward_set,
    clinical_year_record,
    evaluation_record,
    hours_approve_many,
    hours_bulk_record,
    hours_decide,
    placement_book,
    placement_change,
    placement_transition,
    proposal_apply,
    signoff_record,
)
from .tables import (
    CompetenciesPendingTable,
    HoursToApproveTable,
    StudentsBehindTable,
    TodayHoursTable,
    WardOccupancyTable,
)


def _require_placement_role(user) -> None:
    if not access.user_may(user, "view", Placement):
        raise PermissionDenied


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _supervises(user, placement: Placement) -> bool:
    """Whether the user may record hours, sign-offs and evaluations for it: the
    ward's supervisors (and authority staff), as the models' change rules say."""
    scope = access.scope_for(user)
    return scope.is_authority or placement.ward_id in scope.ward_ids


def _date_param(request, name: str, default: datetime.date) -> datetime.date:
    return date_param(request, request.GET.get(name), default)


def _weeks_param(request, default: int = 8) -> int:
    try:
        return max(1, min(int(request.GET.get("weeks", default)), 26))
    except ValueError:
        return default


# --- A rotation block ----------------------------------------------------------------


def block_detail(request, pk):
    block = access.object_or_404(blocks_for(request.user), pk)
    can_change = access.can(request.user, "change", block)
    placements = list(block_placements(block, request.user))
    return render(
        request,
        "training/placements/block_detail.html",
        {
            "page_title": block.name,
            "rblock": block,
            "block_wards": block.block_wards.select_related("ward__hospital"),
            "placements": placements,
            "can_change": can_change,
            "ward_form": BlockWardForm(block=block, user=request.user)
            if can_change
            else None,
            "place_form": PlaceStudentForm(block=block, user=request.user)
            if can_change
            else None,
            "rotations": block.rotations(),
        },
    )


def _block_for_change(request, pk) -> RotationBlock:
    return access.object_or_404(blocks_for(request.user, "change"), pk)


@require_POST
def block_ward_add(request, pk):
    block = _block_for_change(request, pk)
    form = BlockWardForm(request.POST, block=block, user=request.user)
    if form.is_valid():
        try:
            block_ward_set(
                block=block,
                ward=form.cleaned_data["ward"],
                places=form.cleaned_data["places"],
            )
            messages.success(request, _("Ward added to the block."))
        except ValidationError as exc:
            messages.error(request, _errors(exc))
    else:
        messages.error(
            request, " ".join(e for errs in form.errors.values() for e in errs)
        )
    return redirect("training_block_detail", pk=block.pk)


@require_POST
def block_place(request, pk):
    block = _block_for_change(request, pk)
    form = PlaceStudentForm(request.POST, block=block, user=request.user)
    if not form.is_valid():
        messages.error(
            request, " ".join(e for errs in form.errors.values() for e in errs)
        )
        return redirect("training_block_detail", pk=block.pk)
    try:
        placement = placement_book(block=block, by=request.user, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(
            request,
            _("%(student)s placed in %(ward)s.")
            % {"student": placement.student.person.name, "ward": placement.ward.name},
        )
    return redirect("training_block_detail", pk=block.pk)


@require_POST
def block_propose(request, pk):
    block = _block_for_change(request, pk)
    result = proposal_apply(block=block, by=request.user)
    messages.success(
        request,
        ngettext(
            "Proposal booked %(n)s placement.",
            "Proposal booked %(n)s placements.",
            len(result.booked),
        )
        % {"n": len(result.booked)},
    )
    for student, reason in result.refused[:10]:
        messages.warning(request, f"{student.person.name}: {reason}")
    if result.unplaced:
        messages.warning(
            request,
            ngettext(
                "%(n)s student-rotation found no free place: add wards or places "
                "to the block. First: %(names)s",
                "%(n)s student-rotations found no free place: add wards or places "
                "to the block. First: %(names)s",
                len(result.unplaced),
            )
            % {
                "n": len(result.unplaced),
                "names": "، ".join(s.person.name for s, _span in result.unplaced[:5]),
            },
        )
    return redirect("training_block_detail", pk=block.pk)


# --- A placement ---------------------------------------------------------------------


def placement_detail(request, pk):
    placement = access.object_or_404(placements_for(request.user), pk)
    can_change = access.can(request.user, "change", placement)
    supervises = _supervises(request.user, placement)
    hours = list(
        ClinicalHours.objects.filter(placement=placement)
        .select_related("day", "entered_by", "decided_by")
        .order_by("day__date", "pk")
    )
    signoffs = list(
        CompetencySignOff.objects.filter(placement=placement)
        .select_related("competency", "signed_by")
        .order_by("competency__code", "signed_at")
    )
    corrected = {s.corrects_id for s in signoffs if s.corrects_id}
    return render(
        request,
        "training/placements/placement_detail.html",
        {
            "page_title": str(placement.student.person.name),
            "placement": placement,
            "history": placement.status_changes.select_related("changed_by"),
            "hours": hours,
            "approved_total": sum(
                (h.hours for h in hours if h.status == HoursStatus.APPROVED), 0
            ),
            "signoffs": signoffs,
            "corrected_ids": corrected,
            "evaluations": placement.evaluations.select_related("evaluated_by"),
            "can_change": can_change,
            "supervises": supervises,
            "transitions": [
                (s, PlacementStatus(s).label) for s in placement.allowed_transitions()
            ],
            "adjust_form": AdjustPlacementForm(placement=placement, user=request.user)
            if can_change
            else None,
            "signoff_form": SignOffForm(
                placement=placement,
                initial={"assessed_on": min(timezone.localdate(), placement.end_date)},
            )
            if supervises
            else None,
            "evaluation_form": EvaluationForm() if supervises else None,
        },
    )


def _placement_for_change(request, pk) -> Placement:
    return access.object_or_404(placements_for(request.user, "change"), pk)


def _placement_supervised(request, pk) -> Placement:
    placement = access.object_or_404(placements_for(request.user), pk)
    if not _supervises(request.user, placement):
        raise Http404(_("No such placement in your wards."))
    return placement


@require_POST
def placement_adjust(request, pk):
    placement = _placement_for_change(request, pk)
    form = AdjustPlacementForm(request.POST, placement=placement, user=request.user)
    if not form.is_valid():
        messages.error(
            request, " ".join(e for errs in form.errors.values() for e in errs)
        )
    else:
        try:
            placement_change(placement=placement, by=request.user, **form.cleaned_data)
            messages.success(request, _("Placement updated."))
        except ValidationError as exc:
            messages.error(request, _errors(exc))
    return redirect("training_placement_detail", pk=placement.pk)


@require_POST
def placement_status(request, pk):
    placement = _placement_for_change(request, pk)
    form = TransitionForm(request.POST)
    if form.is_valid():
        try:
            placement_transition(
                placement=placement,
                to_status=form.cleaned_data["to_status"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
            messages.success(request, _("Status changed."))
        except ValidationError as exc:
            messages.error(request, _errors(exc))
    return redirect("training_placement_detail", pk=placement.pk)


@require_POST
def placement_signoff(request, pk):
    placement = _placement_supervised(request, pk)
    form = SignOffForm(request.POST, placement=placement)
    if not form.is_valid():
        messages.error(
            request, " ".join(e for errs in form.errors.values() for e in errs)
        )
        return redirect("training_placement_detail", pk=placement.pk)
    data = form.cleaned_data
    corrects = None
    if data.get("corrects"):
        corrects = access.object_or_404(
            CompetencySignOff.objects.filter(placement__student=placement.student),
            data["corrects"],
        )
    try:
        signoff_record(
            placement=placement,
            competency=data["competency"],
            level=data["level"],
            assessed_on=data["assessed_on"],
            comment=data["comment"],
            corrects=corrects,
            by=request.user,
        )
        messages.success(request, _("Sign-off recorded."))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("training_placement_detail", pk=placement.pk)


@require_POST
def placement_evaluate(request, pk):
    placement = _placement_supervised(request, pk)
    form = EvaluationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give every line of the rubric a score from 1 to 5."))
        return redirect("training_placement_detail", pk=placement.pk)
    try:
        evaluation_record(
            placement=placement,
            kind=form.cleaned_data["kind"],
            scores=form.scores(),
            comments=form.cleaned_data["comments"],
            by=request.user,
        )
        messages.success(request, _("Evaluation saved."))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("training_placement_detail", pk=placement.pk)


# --- Grids and exports ---------------------------------------------------------------


def hospital_schedule(request):
    """Wards × weeks of one hospital: busiest day-shift against capacity."""
    _require_placement_role(request.user)
    hospitals = access.hospitals_for(request.user).order_by("name_ar")
    hospital = None
    if request.GET.get("hospital"):
        hospital = access.object_or_404(hospitals, request.GET["hospital"])
    elif hospitals:
        hospital = hospitals[0]
    start = _date_param(request, "start", timezone.localdate())
    weeks = weeks_from(start, _weeks_param(request))
    rows = (
        hospital_grid(hospital=hospital, weeks=weeks, user=request.user)
        if hospital
        else []
    )
    export = request.GET.get("export")
    if export in ("csv", "xlsx") and hospital:
        headers = [_("Ward"), _("Places")] + [w.isoformat() for w in weeks]
        return spreadsheet_response(
            filename=f"schedule-{hospital.code}-{weeks[0].isoformat()}",
            headers=headers,
            rows=(
                [r.ward.name, r.ward.student_capacity]
                + [f"{c.booked}/{c.capacity}" for c in r.cells]
                for r in rows
            ),
            fmt=export,
        )
    return render(
        request,
        "training/placements/hospital_grid.html",
        {
            "page_title": _("Ward schedule by hospital"),
            "hospitals": hospitals,
            "hospital": hospital,
            "weeks": weeks,
            "rows": rows,
            "start": weeks[0],
            "prev": weeks[0] - datetime.timedelta(weeks=len(weeks)),
            "next": weeks[0] + datetime.timedelta(weeks=len(weeks)),
            "weeks_count": len(weeks),
        },
    )


def cohort_schedule(request):
    """Students × weeks of one cohort: the ward of each student each week."""
    from students.models import Cohort

    _require_placement_role(request.user)
    cohorts = access.filter_for(
        Cohort.objects.select_related("institute"), request.user
    ).order_by("institute__name_ar", "-intake_year")
    cohort = None
    if request.GET.get("cohort"):
        cohort = access.object_or_404(cohorts, request.GET["cohort"])
    elif cohorts:
        cohort = cohorts[0]
    start = _date_param(request, "start", timezone.localdate())
    weeks = weeks_from(start, _weeks_param(request))
    rows = cohort_grid(cohort=cohort, weeks=weeks, user=request.user) if cohort else []
    export = request.GET.get("export")
    if export in ("csv", "xlsx") and cohort:
        return spreadsheet_response(
            filename=f"cohort-{cohort.pk}-{weeks[0].isoformat()}",
            headers=[_("Student"), _("Student number")]
            + [w.isoformat() for w in weeks],
            rows=(
                [r.student.person.name, r.student.student_number]
                + [" / ".join(p.ward.name for p in cell) for cell in r.cells]
                for r in rows
            ),
            fmt=export,
        )
    return render(
        request,
        "training/placements/cohort_grid.html",
        {
            "page_title": _("Schedule by cohort"),
            "cohorts": cohorts,
            "cohort": cohort,
            "weeks": weeks,
            "rows": rows,
            "start": weeks[0],
            "prev": weeks[0] - datetime.timedelta(weeks=len(weeks)),
            "next": weeks[0] + datetime.timedelta(weeks=len(weeks)),
            "weeks_count": len(weeks),
        },
    )


def ward_schedule_pdf(request, pk):
    """The printable schedule of a ward for the nurses' station (PDF)."""
    from .documents import render_ward_schedule

    ward = access.object_or_404(access.wards_for(request.user), pk)
    _require_placement_role(request.user)
    start = _date_param(request, "start", week_start(timezone.localdate()))
    end = _date_param(request, "end", start + datetime.timedelta(days=13))
    if end < start or (end - start).days > 120:
        raise Http404(_("Choose a period of at most 120 days."))
    days = ward_schedule(ward=ward, start=start, end=end, user=request.user)
    pdf = render_ward_schedule(ward=ward, start=start, end=end, days=days)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="ward-{ward.pk}-{start.isoformat()}.pdf"'
    )
    return response


# --- The supervisor's day ------------------------------------------------------------


def my_students_today(request):
    """Students booked today in my wards, the day's hours in one form, approvals."""
    _require_placement_role(request.user)
    day = _date_param(request, "date", timezone.localdate())
    ward = None
    if request.GET.get("ward"):
        ward = access.object_or_404(access.wards_for(request.user), request.GET["ward"])
    errors: dict[int, str] = {}
    typed: dict[int, str] = {}
    if request.method == "POST":
        day = date_param(request, request.POST.get("date"), day)
        entries: dict[int, dict[int, str]] = {}
        for key, value in request.POST.items():
            if key.startswith("hours-"):
                placement_id = access.stored_key(Placement, key.removeprefix("hours-"))
                if placement_id is None:
                    continue
                typed[placement_id] = value
        supervised = {
            p.pk: p
            for p in placements_for(request.user).filter(pk__in=list(typed))
            if _supervises(request.user, p)
        }
        for placement_id, value in typed.items():
            p = supervised.get(placement_id)
            if p is None:
                errors[placement_id] = _("Not a placement in your wards.")
                continue
            entries.setdefault(p.ward_id, {})[placement_id] = value
        saved_total = 0
        for ward_id, by_placement in entries.items():
            saved, ward_errors = hours_bulk_record(
                ward=Ward.objects.get(pk=ward_id),
                date=day,
                hours_by_placement=by_placement,
                by=request.user,
            )
            saved_total += len(saved)
            errors.update(ward_errors)
        if errors:
            messages.error(
                request,
                ngettext(
                    "%(n)s row was not saved; see the message beside it.",
                    "%(n)s rows were not saved; see the messages beside them.",
                    len(errors),
                )
                % {"n": len(errors)},
            )
        if saved_total:
            messages.success(
                request,
                ngettext("%(n)s entry saved.", "%(n)s entries saved.", saved_total)
                % {"n": saved_total},
            )
        if not errors:
            url = reverse("training_my_students_today") + f"?date={day.isoformat()}"
            if ward:
                url += f"&ward={ward.pk}"
            return redirect(url)
    rows = students_on_day(user=request.user, date=day, ward=ward)
    for row in rows:
        row.can_enter = _supervises(request.user, row.day.placement)
        row.error = errors.get(row.day.placement_id, "")
        row.typed = typed.get(row.day.placement_id)
    pending = list(pending_hours(request.user)[:100])
    return render(
        request,
        "training/placements/today.html",
        {
            "page_title": _("My students today"),
            "day": day,
            "prev": day - datetime.timedelta(days=1),
            "next": day + datetime.timedelta(days=1),
            "rows": rows,
            "today_table": TodayHoursTable(rows),
            "any_entry": any(r.can_enter for r in rows),
            "ward": ward,
            "wards": access.wards_for(request.user)
            .filter(placement_days__date=day)
            .distinct(),
            "pending": pending,
            "pending_table": HoursToApproveTable(pending),
            "any_to_approve": any(h.entered_by_id != request.user.pk for h in pending),
        },
    )


def _no_longer_yours() -> str:
    # The same words whether the hours were decided, belong to another ward or to a
    # placement past the grace: nothing is told about rows the user may not see.
    days = supervision.grace_days()
    return ngettext(
        "These hours are no longer awaiting your decision: they have been decided, "
        "or their placement ended more than %(days)s day ago and its ward no longer "
        "decides them (authority staff do).",
        "These hours are no longer awaiting your decision: they have been decided, "
        "or their placement ended more than %(days)s days ago and its ward no longer "
        "decides them (authority staff do).",
        days,
    ) % {"days": days}


@require_POST
def hours_decide_view(request, pk):
    key = access.stored_key(ClinicalHours, pk)
    entry = (
        pending_hours(request.user).filter(pk=key).first() if key is not None else None
    )
    form = DecideForm(request.POST)
    if entry is None:
        messages.error(request, _no_longer_yours())
    elif form.is_valid():
        try:
            hours_decide(
                entry=entry,
                decision=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
                by=request.user,
            )
            messages.success(request, _("Decision recorded."))
        except ValidationError as exc:
            messages.error(request, _errors(exc))
    target = request.POST.get("next") or ""
    if not _is_safe_next(request, target):
        target = reverse("training_my_students_today")
    return redirect(target)


def _is_safe_next(request, target: str) -> bool:
    """`next` comes from the form: only a path on this site, never another host."""
    return url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


@require_POST
def hours_approve_many_view(request):
    """Approve every selected entry awaiting approval in one save."""
    # Keys no row can have (letters, "²", 25 digits) are dropped, never a 500.
    keys = (access.stored_key(ClinicalHours, v) for v in request.POST.getlist("entry"))
    ids = [key for key in keys if key is not None]
    entries = list(pending_hours(request.user).filter(pk__in=ids))
    if len(entries) < len(set(ids)):
        messages.error(request, _no_longer_yours())
    if not entries:
        if not ids:
            messages.warning(request, _("Select the hours to approve."))
    else:
        approved, errors = hours_approve_many(entries=entries, by=request.user)
        if approved:
            messages.success(
                request,
                ngettext("%(n)s entry approved.", "%(n)s entries approved.", approved)
                % {"n": approved},
            )
        for message in dict.fromkeys(errors.values()):
            messages.error(request, message)
    target = request.POST.get("next") or ""
    if not _is_safe_next(request, target):
        target = reverse("training_my_students_today")
    return redirect(target)


# --- A student's clinical record -----------------------------------------------------


def student_clinical_record(request, pk):
    from students.models import Student

    student = access.object_or_404(
        access.filter_for(
            Student.objects.select_related("person", "cohort__institute"),
            request.user,
        ),
        pk,
    )
    years = clinical_record(student)
    return render(
        request,
        "training/placements/student_record.html",
        {
            "page_title": _("Clinical record: %(name)s")
            % {"name": student.person.name},
            "student": student,
            "years": _with_clinical_documents(request.user, student, years),
            "may_record": access.user_may(request.user, "add", RecordedClinicalYear)
            and access.filter_for(
                Student.objects.filter(pk=student.pk), request.user, "change"
            ).exists(),
        },
    )


def _with_clinical_documents(user, student, years):
    """Sets `year.document` on each year of study: the enrolment the clinical-record PDF is issued on (the
    latest in that year), its current document and whether "Issue" is offered.

    The issue screen itself (`certificates`) re-checks scope and eligibility; this
    only decides what the page shows. Two queries.
    """
    from django.contrib.contenttypes.models import ContentType

    from certificates.models import IssuedDocument
    from certificates.services import may_issue_as
    from certificates.views import issue_url
    from students.models import Enrolment

    from .documents import CLINICAL_RECORD
    from .selectors import clinical_year_unmet

    latest: dict[int, Enrolment] = {}
    for enrolment in Enrolment.objects.filter(student=student).order_by(
        "academic_year"
    ):
        latest[enrolment.year_of_study] = enrolment
    issued = {
        d.achievement_id: d
        for d in access.filter_for(
            IssuedDocument.objects.filter(
                kind=CLINICAL_RECORD,
                achievement_type=ContentType.objects.get_for_model(Enrolment),
                achievement_id__in=[e.pk for e in latest.values()],
                revoked_at__isnull=True,
                replaced_at__isnull=True,
            ),
            user,
            "view",
        )
    }
    can_issue = may_issue_as(user, student.cohort.institute)
    for year in years:
        year.document = None
        enrolment = latest.get(year.year)
        if enrolment is None:
            continue
        complete = bool(year.placements or year.approved_hours) and not (
            clinical_year_unmet(year)
        )
        document = issued.get(enrolment.pk)
        year.document = {
            "issued": document,
            "complete": complete,
            "issue_url": issue_url(CLINICAL_RECORD, enrolment)
            if can_issue and complete and document is None
            else None,
        }
    return years


# --- Dashboard -----------------------------------------------------------------------


def placements_dashboard(request):
    _require_placement_role(request.user)
    today = timezone.localdate()
    start = week_start(today)
    end = start + datetime.timedelta(days=6)
    occupancy = list(ward_occupancy(user=request.user, start=start, end=end)[:30])
    english = (getattr(request, "LANGUAGE_CODE", "ar") or "ar")[:2] == "en"
    for row in occupancy:
        row["name"] = _pick(row["ward__name_ar"], row["ward__name_en"], english)
        row["percent"] = (
            round(100 * row["used"] / row["places"]) if row["places"] else 0
        )
    behind = students_behind_on_hours(user=request.user, today=today, limit=30)
    for b in behind:
        b["name"] = _pick(b["name_ar"], b["name_en"], english)
    return render(
        request,
        "training/placements/dashboard.html",
        {
            "page_title": _("Placements dashboard"),
            "start": start,
            "end": end,
            # Each table pages on its own ("?competencies-page=2").
            "occupancy": WardOccupancyTable(
                occupancy, request=request, prefix="occupancy-"
            ),
            "behind": StudentsBehindTable(behind, request=request, prefix="behind-"),
            "competencies": CompetenciesPendingTable(
                competencies_pending_by_cohort(user=request.user),
                request=request,
                prefix="competencies-",
            ),
        },
    )


def _pick(ar: str, en: str, english: bool) -> str:
    return (en or ar) if english else (ar or en)


# --- Past years recorded from the paper register -------------------------------------


def _student_for_records(request, pk):
    """A student whose records the user may change (institute administrators)."""
    from students.models import Student

    if not access.user_may(request.user, "add", RecordedClinicalYear):
        raise PermissionDenied
    return access.object_or_404(
        access.filter_for(
            Student.objects.select_related("person", "cohort__institute"),
            request.user,
            "change",
        ),
        pk,
    )


def student_past_year(request, pk, year):
    """Record (or correct) one past year of a student's clinical training."""
    student = _student_for_records(request, pk)
    if not 1 <= year <= 5:
        raise Http404
    current = (
        RecordedClinicalYear.objects.filter(student=student, year=year, is_current=True)
        .prefetch_related("competencies")
        .first()
    )
    initial = {}
    if current is not None:
        initial = {
            "hours": f"{current.hours.normalize():f}",
            "competencies": list(current.competencies.all()),
            "evidence": current.evidence,
        }
    form = PastYearForm(
        request.POST or None, student=student, year=year, initial=initial or None
    )
    if not initial:
        form.initial["competencies"] = list(form.fields["competencies"].queryset)
    if request.method == "POST" and form.is_valid():
        try:
            clinical_year_record(
                student=student,
                year=year,
                hours=form.cleaned_data["hours"],
                competencies=form.cleaned_data["competencies"],
                evidence=form.cleaned_data["evidence"],
                by=request.user,
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field_name, errors in exc.message_dict.items():
                    form.add_error(
                        field_name if field_name in form.fields else None, errors
                    )
            else:
                form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Year %(year)s of %(name)s recorded.")
                % {"year": year, "name": student.person.name},
            )
            return redirect(
                reverse("training_student_clinical_record", args=[student.pk])
                + f"#year-{year}"
            )
    history = (
        RecordedClinicalYear.objects.filter(student=student, year=year)
        .select_related("recorded_by")
        .order_by("-recorded_at")
    )
    return render(
        request,
        "training/placements/past_year.html",
        {
            "page_title": _("Year %(year)s of %(name)s: record from the paper register")
            % {"year": year, "name": student.person.name},
            "student": student,
            "year": year,
            "form": form,
            "history": history,
        },
    )


def past_years(request):
    """Recorded past years the user may see, newest first (after an import: the
    rows it wrote)."""
    if not access.user_may(request.user, "view", RecordedClinicalYear):
        raise PermissionDenied
    rows = recorded_years_for(request.user).filter(is_current=True)
    since = request.GET.get("since")
    if since:
        from django.utils.dateparse import parse_datetime

        moment = parse_datetime(since)
        if moment is not None:
            rows = rows.filter(recorded_at__gte=moment, recorded_by=request.user)
    return render(
        request,
        "training/placements/past_years.html",
        {
            "page_title": _("Past clinical years recorded"),
            "rows": rows.order_by("-recorded_at", "student__student_number")[:300],
            "since": since,
            "may_import": access.user_may(request.user, "add", RecordedClinicalYear),
        },
    )


def past_years_import(request):
    """Upload → preview with every problem by line → confirm (all or nothing) →
    the rows written."""
    from django import forms

    from institutes.tabular_import import stash, unstash

    from .past_years import COLUMNS, past_years_import_commit, past_years_import_preview

    if not access.user_may(request.user, "add", RecordedClinicalYear):
        raise PermissionDenied

    class UploadForm(forms.Form):
        file = forms.FileField(label=_("File (CSV or Excel .xlsx)"), required=False)
        token = forms.CharField(widget=forms.HiddenInput, required=False)

    form = UploadForm(request.POST or None, request.FILES or None)
    context = {
        "page_title": _("Import past clinical years"),
        "form": form,
        "columns": COLUMNS,
    }
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["token"] and "confirm" in request.POST:
                data, filename = unstash(form.cleaned_data["token"], user=request.user)
            elif form.cleaned_data["file"]:
                upload = form.cleaned_data["file"]
                data, filename = upload.read(), upload.name
            else:
                raise ValidationError(_("Choose the file to import."))
            preview = past_years_import_preview(
                data=data, filename=filename, user=request.user
            )
            if "confirm" in request.POST and preview.table.usable:
                started = timezone.now()
                result = past_years_import_commit(preview=preview, by=request.user)
                messages.success(
                    request,
                    result.summary(
                        ngettext(
                            "Import done: %(n)s year recorded.",
                            "Import done: %(n)s years recorded.",
                            result.written,
                        )
                        % {"n": result.written},
                        ngettext(
                            "%(n)s year unchanged.",
                            "%(n)s years unchanged.",
                            result.unchanged,
                        )
                        % {"n": result.unchanged},
                    ),
                )
                return redirect(
                    reverse("training_past_years")
                    + "?since="
                    + started.isoformat().replace("+", "%2B")
                )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return render(
                request, "training/placements/past_years_import.html", context
            )
        context.update(preview=preview, token=stash(data, filename, user=request.user))
    return render(request, "training/placements/past_years_import.html", context)
