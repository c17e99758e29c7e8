"""What happens on the ward: clinical hours (entered, decided), competency sign-offs
and placement evaluations. Each is one transaction."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from institutes.formatting import NumberParseError, parse_number
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
    SignOffLevel,
)
from .booking import _day

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
            _("A %(shift)s shift is at most %(limit)s hours; %(hours)s were entered.")
            % {"shift": day.get_shift_display(), "limit": limit, "hours": hours},
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
    day = PlacementDay.objects.filter(placement=placement, date=date).first()
    _check_hours(placement=placement, day=day, date=date, hours=hours)
    current = (
        ClinicalHours.objects.select_for_update()
        .filter(day=day)
        .exclude(status=HoursStatus.SUPERSEDED)
        .first()
    )
    if current is not None:
        if current.hours == hours and current.status != HoursStatus.REJECTED:
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


@transaction.atomic
def hours_decide(
    *, entry: ClinicalHours, approve: bool, by, comment: str = ""
) -> ClinicalHours:
    """Approve or reject (with a comment) hours awaiting approval."""
    entry = ClinicalHours.objects.select_for_update().get(pk=entry.pk)
    if entry.status != HoursStatus.PENDING:
        raise ValidationError(
            _("These hours are already %(status)s.")
            % {"status": entry.get_status_display()}
        )
    comment = (comment or "").strip()
    if not approve and not comment:
        raise ValidationError({"comment": _("Say why the hours are rejected.")})
    entry.status = HoursStatus.APPROVED if approve else HoursStatus.REJECTED
    entry.decided_by = by
    entry.decided_at = timezone.now()
    entry.decision_comment = comment
    entry.save(update_fields=["status", "decided_by", "decided_at", "decision_comment"])
    return entry


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
