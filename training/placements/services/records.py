"""What happens on the ward: clinical hours (entered, decided), competency sign-offs
and placement evaluations. Each is one transaction."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from institutes import access
from institutes.formatting import (
    NumberParseError,
    format_hours,
    parse_number,
    plural_count,
)
from institutes.models import Ward

from ..models import (
    SHIFT_HOURS,
    ClinicalHours,
    CompetencySignOff,
    EvaluationKind,
    HoursStatus,
    Placement,
    PlacementDay,
    PlacementEvaluation,
    PlacementStatus,
    RecordedClinicalYear,
    SignOffLevel,
)
from ..supervision import is_supervised_now, supervision_closed_message
from .booking import _day


def _check_ward_still_supervises(placement: Placement, by) -> None:
    """A ward's supervisor records and decides only while the ward sees the
    placement (training.placements.supervision); authority staff at any time."""
    if access.scope_for(by).is_authority or is_supervised_now(placement):
        return
    raise ValidationError(
        supervision_closed_message(placement), code="supervision_closed"
    )


# --- Clinical hours ------------------------------------------------------------------


def parse_hours(raw) -> Decimal | None:
    """Hours typed by a person, read by the one number parser (Arabic-Indic digits,
    "٫", "," or "،" as decimal separator)."""
    try:
        return parse_number(raw)
    except NumberParseError:
        raise ValidationError(
            _("“%(value)s” is not a number of hours.") % {"value": raw}
        ) from None


def _check_hours(*, placement: Placement, day: PlacementDay | None, date, hours):
    if day is None:
        raise ValidationError(
            _(
                "%(day)s is not a working day of this placement (%(start)s to "
                "%(end)s); hours can only be recorded on its days."
            )
            % {
                "day": _day(date),
                "start": _day(placement.start_date),
                "end": _day(placement.end_date),
            },
            code="outside_placement",
        )
    limit = SHIFT_HOURS[day.shift]
    if hours is None or hours <= 0:
        raise ValidationError(_("Enter the hours attended (more than 0)."))
    if hours > limit:
        raise ValidationError(
            ngettext(
                "A %(shift)s shift is at most %(limit)s hour; %(hours)s were entered.",
                "A %(shift)s shift is at most %(limit)s hours; %(hours)s were entered.",
                plural_count(limit),
            )
            % {
                "shift": day.get_shift_display(),
                "limit": format_hours(limit),
                "hours": format_hours(hours),
            },
            code="beyond_shift",
        )
    if placement.status in (PlacementStatus.CANCELLED, PlacementStatus.PLANNED):
        raise ValidationError(
            _("Hours are recorded for confirmed or running placements, not %(s)s ones.")
            % {"s": placement.get_status_display()}
        )
    if date > timezone.localdate():
        raise ValidationError(_("Hours cannot be recorded for a day still to come."))


@transaction.atomic
def hours_record(
    *, placement: Placement, date: datetime.date, hours, by
) -> ClinicalHours:
    """Record (or correct) a student's hours on one day of a placement.

    A day that already has hours gets a new entry that corrects the old one; the
    old one stays with status "corrected". The new entry awaits approval.
    """
    hours = parse_hours(hours)
    _check_ward_still_supervises(placement, by)
    day = PlacementDay.objects.filter(placement=placement, date=date).first()
    _check_hours(placement=placement, day=day, date=date, hours=hours)
    current = (
        ClinicalHours.objects.select_for_update()
        .filter(day=day)
        .exclude(status=HoursStatus.SUPERSEDED)
        .first()
    )
    if current is not None:
        if current.hours == hours and current.status not in (
            HoursStatus.REJECTED,
            HoursStatus.NEEDS_INFO,
        ):
            return current
        current.status = HoursStatus.SUPERSEDED
        current.save(update_fields=["status"])
    entry = ClinicalHours(
        placement=placement, day=day, hours=hours, entered_by=by, corrects=current
    )
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def hours_bulk_record(
    *, ward: Ward, date: datetime.date, hours_by_placement: dict[int, object], by
) -> tuple[list[ClinicalHours], dict[int, str]]:
    """The day's hours of a ward in one go: what was saved, and errors by placement.

    Rows with errors are not saved and are returned with their message; the others
    are saved (each on its own savepoint) so one typo loses nothing else.
    """
    placements = {
        p.pk: p
        for p in Placement.objects.filter(
            ward=ward, pk__in=list(hours_by_placement)
        ).select_related("block")
    }
    saved, errors = [], {}
    for placement_id, raw in hours_by_placement.items():
        placement = placements.get(placement_id)
        if placement is None:
            errors[placement_id] = _("This placement is not in the ward.")
            continue
        if str(raw or "").strip() == "":
            continue
        try:
            with transaction.atomic():
                saved.append(
                    hours_record(placement=placement, date=date, hours=raw, by=by)
                )
        except ValidationError as exc:
            errors[placement_id] = " ".join(exc.messages)
    return saved, errors


#: What a decision on hours awaiting approval can be.
DECISIONS = ("approve", "reject", "return")


def _decide_one(entry: ClinicalHours, *, decision: str, by, comment: str):
    _check_ward_still_supervises(entry.placement, by)
    if entry.status != HoursStatus.PENDING:
        raise ValidationError(
            _("These hours are already %(status)s.")
            % {"status": entry.get_status_display()}
        )
    if entry.entered_by_id == getattr(by, "pk", None):
        raise ValidationError(
            _(
                "You entered these hours; another supervisor of the ward approves "
                "them (four eyes)."
            ),
            code="four_eyes",
        )
    comment = (comment or "").strip()
    if decision == "reject" and not comment:
        raise ValidationError({"comment": _("Say why the hours are rejected.")})
    if decision == "return" and not comment:
        raise ValidationError({"comment": _("Say what information is needed.")})
    entry.status = {
        "approve": HoursStatus.APPROVED,
        "reject": HoursStatus.REJECTED,
        "return": HoursStatus.NEEDS_INFO,
    }[decision]
    entry.decided_by = by
    entry.decided_at = timezone.now()
    entry.decision_comment = comment


@transaction.atomic
def hours_decide(
    *,
    entry: ClinicalHours,
    approve: bool | None = None,
    by,
    comment: str = "",
    decision: str | None = None,
) -> ClinicalHours:
    """Approve, reject (with a comment) or return for information (with what is
    needed) hours awaiting approval. The person who entered the hours may not
    decide on them: the database refuses it too.

    A returned entry is corrected by entering the day's hours again (a new entry
    that corrects it, awaiting approval).
    """
    if decision is None:
        decision = "approve" if approve else "reject"
    if decision not in DECISIONS:
        raise ValidationError(_("Unknown decision."))
    entry = (
        ClinicalHours.objects.select_for_update(of=("self",))
        .select_related("placement")
        .get(pk=entry.pk)
    )
    _decide_one(entry, decision=decision, by=by, comment=comment)
    entry.save(update_fields=["status", "decided_by", "decided_at", "decision_comment"])
    return entry


@transaction.atomic
def hours_approve_many(*, entries, by) -> tuple[int, dict[int, str]]:
    """Approve many entries in one save (the supervisor's "select all"): those that
    can be approved are, the others come back with why (e.g. entered by `by`)."""
    locked = list(
        ClinicalHours.objects.select_for_update(of=("self",))
        .select_related("placement")
        .filter(pk__in=[e.pk for e in entries])
        .order_by("pk")
    )
    approved, errors = [], {}
    for entry in locked:
        try:
            _decide_one(entry, decision="approve", by=by, comment="")
        except ValidationError as exc:
            errors[entry.pk] = " ".join(exc.messages)
        else:
            approved.append(entry)
    ClinicalHours.objects.bulk_update(
        approved, ["status", "decided_by", "decided_at", "decision_comment"]
    )
    return len(approved), errors


# --- Competencies and evaluations ----------------------------------------------------


@transaction.atomic
def signoff_record(
    *,
    placement: Placement,
    competency,
    level: str,
    assessed_on: datetime.date,
    by,
    comment: str = "",
    corrects: CompetencySignOff | None = None,
) -> CompetencySignOff:
    """Record an assessment of a competency of the placement's year.

    A correction names the entry it corrects; both stay in the record.
    """
    _check_ward_still_supervises(placement, by)
    student = placement.student
    if competency.year != placement.block.year or (
        competency.version_id != student.cohort.curriculum_version_id
    ):
        raise ValidationError(
            {"competency": _("This competency is not in the student's year.")}
        )
    if not (placement.start_date <= assessed_on <= placement.end_date):
        raise ValidationError(
            {
                "assessed_on": _(
                    "The date must fall within the placement (%(start)s to %(end)s)."
                )
                % {
                    "start": _day(placement.start_date),
                    "end": _day(placement.end_date),
                }
            }
        )
    if assessed_on > timezone.localdate():
        raise ValidationError({"assessed_on": _("The date is still to come.")})
    if level == SignOffLevel.REMEDIATION and not (comment or "").strip():
        raise ValidationError(
            {"comment": _("Say what needs remediation so it can be planned.")}
        )
    if corrects is not None:
        if corrects.student_id != student.pk or corrects.competency_id != (
            competency.pk
        ):
            raise ValidationError(_("A correction must be for the same competency."))
        if CompetencySignOff.objects.filter(corrects=corrects).exists():
            raise ValidationError(_("That entry has already been corrected."))
    entry = CompetencySignOff(
        student=student,
        competency=competency,
        placement=placement,
        level=level,
        assessed_on=assessed_on,
        comment=(comment or "").strip(),
        signed_by=by,
        corrects=corrects,
    )
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def evaluation_record(
    *,
    placement: Placement,
    kind: str,
    scores: dict[str, int],
    by,
    comments: str = "",
    evaluated_on: datetime.date | None = None,
) -> PlacementEvaluation:
    """Record (or revise, while the placement runs) a mid or final evaluation."""
    _check_ward_still_supervises(placement, by)
    if placement.status in (PlacementStatus.PLANNED, PlacementStatus.CANCELLED):
        raise ValidationError(_("Only confirmed or running placements are evaluated."))
    if kind not in EvaluationKind.values:
        raise ValidationError(_("Unknown evaluation."))
    evaluation = PlacementEvaluation.objects.filter(
        placement=placement, kind=kind
    ).first() or PlacementEvaluation(placement=placement, kind=kind)
    for name, value in scores.items():
        setattr(evaluation, name, value)
    evaluation.comments = comments
    evaluation.evaluated_by = by
    evaluation.evaluated_on = evaluated_on or timezone.localdate()
    evaluation.full_clean()
    evaluation.save()
    return evaluation


# --- Past years recorded from the paper register -------------------------------------


@transaction.atomic
def clinical_year_record(
    *,
    student,
    year: int,
    hours,
    competencies=(),
    evidence: str,
    by,
) -> RecordedClinicalYear:
    """Record a year of clinical training done before placements were managed here
    (hours approved and competencies signed off, from the paper register).

    The student's current record of that year, if any, is replaced (kept, no longer
    current: a correction); the history gets a note with the figures, the evidence,
    who and when. Recording the same figures again changes nothing.
    """
    from students.services import student_record_correction

    errors: dict[str, str] = {}
    try:
        hours = parse_hours(hours)
    except ValidationError as exc:
        errors["hours"] = " ".join(exc.messages)
        hours = Decimal(0)
    evidence = (evidence or "").strip()
    if "hours" in errors:
        pass  # not a number: said above
    elif hours is None or hours < 0:
        errors["hours"] = _("Enter the approved hours (0 or more).")
    elif hours > 2000:
        errors["hours"] = _("The hours are 0 to 2000.")
    if not evidence:
        errors["evidence"] = _("Say where the figures come from (the evidence).")
    reached = student.year_of_study or 0
    if not 1 <= int(year) <= max(reached, 1):
        errors["year"] = _(
            "Year %(year)s is not a year the student has studied (currently year "
            "%(current)s)."
        ) % {"year": year, "current": reached or "—"}
    competencies = list(competencies)
    foreign = [
        c.code
        for c in competencies
        if c.year != int(year) or c.version_id != student.cohort.curriculum_version_id
    ]
    if foreign:
        errors["competencies"] = _(
            "Not competencies of year %(year)s of the student's curriculum: %(codes)s."
        ) % {"year": year, "codes": "، ".join(foreign)}
    if errors:
        raise ValidationError(errors)
    current = (
        RecordedClinicalYear.objects.select_for_update()
        .filter(student=student, year=year, is_current=True)
        .first()
    )
    wanted = {c.pk for c in competencies}
    if (
        current is not None
        and current.hours == hours
        and current.evidence == evidence
        and set(current.competencies.values_list("pk", flat=True)) == wanted
    ):
        return current
    if current is not None:
        current.is_current = False
        current.save(update_fields=["is_current"])
    record = RecordedClinicalYear(
        student=student,
        year=year,
        hours=hours,
        evidence=evidence,
        recorded_by=by,
        replaces=current,
    )
    record.full_clean()
    record.save()
    record.competencies.set(competencies)
    codes = "، ".join(sorted(c.code for c in competencies)) or "—"
    note = _(
        "Year %(year)s clinical training recorded from the paper register: "
        "%(hours)s approved hours; competencies signed off: %(codes)s. "
        "Evidence: %(evidence)s"
    ) % {
        "year": year,
        "hours": f"{hours.normalize():f}",
        "codes": codes,
        "evidence": evidence,
    }
    if current is not None:
        note = _("Correction of the earlier record.") + " " + note
    student_record_correction(student=student, by=by, note=note)
    return record
