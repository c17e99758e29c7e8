"""Booking clinical placements: which wards an institute may use, booking and
changing a placement, its status transitions. Each is one transaction; the database
constraints are the last word (see `training.placements.models`), these functions turn
their refusals into messages a registrar can act on.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from institutes.access import Role
from institutes.models import RoleAssignment, Ward

from ..models import (
    PLACEMENT_TRANSITIONS,
    BlockWard,
    Placement,
    PlacementDay,
    PlacementStatus,
    PlacementStatusChange,
    RotationBlock,
    WardShiftLoad,
)


class BookingRefused(ValidationError):
    """A placement could not be booked; the message says which day, ward and why."""


def _day(d: datetime.date) -> str:
    return date_format(d, "l j F Y")


def _names(days) -> str:
    return "، ".join(d.student.person.name for d in days)


# --- Who may be placed where ---------------------------------------------------------


def ward_is_training_site(*, institute, ward: Ward) -> bool:
    """The ward's hospital is the institute's attached hospital or a partner."""
    return ward.hospital_id in institute.training_hospital_ids()


def ward_supervisors(ward: Ward):
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            role_assignments__role=Role.SUPERVISOR, role_assignments__ward=ward
        )
        .order_by("first_name", "username")
    )


def _check_supervisor(*, supervisor, ward: Ward) -> None:
    if supervisor is None:
        return
    if not RoleAssignment.objects.filter(
        user=supervisor, role=Role.SUPERVISOR, ward=ward
    ).exists():
        raise ValidationError(
            {
                "supervisor": _("%(user)s is not a clinical supervisor of %(ward)s.")
                % {"user": supervisor.get_full_name() or supervisor, "ward": ward.name}
            }
        )


# --- Blocks --------------------------------------------------------------------------


@transaction.atomic
def block_ward_set(*, block: RotationBlock, ward: Ward, places: int) -> BlockWard:
    """Add a ward to a block (or change its places), checking the partnership."""
    institute = block.cohort.institute
    if not ward_is_training_site(institute=institute, ward=ward):
        raise ValidationError(
            {
                "ward": _(
                    "%(hospital)s is not the attached hospital or a partner of "
                    "%(institute)s."
                )
                % {"hospital": ward.hospital.name, "institute": institute.name}
            }
        )
    if places > ward.student_capacity:
        raise ValidationError(
            {
                "places": ngettext(
                    "%(ward)s takes at most %(n)s student per shift.",
                    "%(ward)s takes at most %(n)s students per shift.",
                    ward.student_capacity,
                )
                % {"ward": ward.name, "n": ward.student_capacity}
            }
        )
    block_ward, _created = BlockWard.objects.update_or_create(
        block=block, ward=ward, defaults={"places": places}
    )
    return block_ward


# --- Booking days --------------------------------------------------------------------


def _book_days(*, placement: Placement, days: list[datetime.date]) -> None:
    """Book `days` for the placement: a constant number of queries, any length.

    1. make sure a load row exists for each day (INSERT … ON CONFLICT DO NOTHING);
    2. lock those rows in date order (SELECT … FOR UPDATE: concurrent bookings of
       the same ward and shift queue here; date order means no deadlock);
    3. refuse with the full days and who holds them, or another placement of the
       student on those days, or the block's share of the ward being used up;
    4. raise `booked` with one UPDATE (the check constraint is the backstop) and
       insert the day rows (the unique (student, date) constraint is the backstop).
    """
    if not days:
        raise BookingRefused(_("The placement has no working day in its period."))
    ward = placement.ward
    shift = placement.block.shift
    WardShiftLoad.objects.bulk_create(
        [
            WardShiftLoad(
                ward=ward, date=d, shift=shift, capacity=ward.student_capacity
            )
            for d in days
        ],
        ignore_conflicts=True,
    )
    loads = list(
        WardShiftLoad.objects.select_for_update()
        .filter(ward=ward, shift=shift, date__in=days)
        .order_by("date")
        .values_list("pk", "date", "booked", "capacity")
    )
    full = [(d, booked, cap) for _pk, d, booked, cap in loads if booked >= cap]
    if full:
        first, booked, cap = full[0]
        # Only the booking institute's own students are named: another
        # institute's students on the same ward are counted, never named.
        institute_id = placement.block.cohort.institute_id
        holders = list(
            PlacementDay.objects.filter(ward=ward, shift=shift, date=first)
            .select_related("student__person", "student__cohort")
            .order_by("student__person__name_ar")
        )
        own = [d for d in holders if d.student.cohort.institute_id == institute_id]
        names = _names(own)
        others = len(holders) - len(own)
        if others:
            others_text = ngettext(
                "%(n)s student of another institute",
                "%(n)s students of other institutes",
                others,
            ) % {"n": others}
            names = "، ".join(part for part in (names, others_text) if part)
        message = _(
            "%(ward)s is full on %(day)s (%(shift)s shift): %(booked)s of "
            "%(capacity)s places are held by %(holders)s."
        ) % {
            "ward": ward.name,
            "day": _day(first),
            "shift": placement.block.get_shift_display(),
            "booked": booked,
            "capacity": cap,
            "holders": names or "—",
        }
        if len(full) > 1:
            message += " " + ngettext(
                "It is also full on %(n)s other day of the period.",
                "It is also full on %(n)s other days of the period.",
                len(full) - 1,
            ) % {"n": len(full) - 1}
        raise BookingRefused(message, code="ward_full")
    clash = (
        PlacementDay.objects.filter(student=placement.student, date__in=days)
        .select_related("ward", "placement")
        .order_by("date")
        .first()
    )
    if clash is not None:
        raise BookingRefused(
            _(
                "%(student)s is already placed in %(ward)s on %(day)s (placement "
                "from %(start)s to %(end)s)."
            )
            % {
                "student": placement.student.person.name,
                "ward": clash.ward.name,
                "day": _day(clash.date),
                "start": _day(clash.placement.start_date),
                "end": _day(clash.placement.end_date),
            },
            code="student_overlap",
        )
    share = BlockWard.objects.filter(block=placement.block, ward=ward).values_list(
        "places", flat=True
    )
    places = next(iter(share), None)
    if places is not None:
        over = (
            PlacementDay.objects.filter(
                placement__block=placement.block, ward=ward, date__in=days
            )
            .values("date")
            .annotate(n=Count("pk"))
            .filter(n__gte=places)
            .order_by("date")
            .first()
        )
        if over is not None:
            raise BookingRefused(
                _(
                    "The block's %(places)s place(s) in %(ward)s are all taken on "
                    "%(day)s."
                )
                % {"places": places, "ward": ward.name, "day": _day(over["date"])},
                code="block_share_full",
            )
    WardShiftLoad.objects.filter(pk__in=[row[0] for row in loads]).update(
        booked=F("booked") + 1
    )
    PlacementDay.objects.bulk_create(
        [
            PlacementDay(
                placement=placement,
                student=placement.student,
                ward=ward,
                date=d,
                shift=shift,
            )
            for d in days
        ]
    )


def _release_days(*, placement: Placement, keep_attended: bool) -> int:
    """Give back the placement's booked days (those with hours stay when asked)."""
    days = PlacementDay.objects.filter(placement=placement)
    if keep_attended:
        days = days.filter(hours__isnull=True)
    by_key: dict[tuple[int, str], list[datetime.date]] = defaultdict(list)
    ids = []
    for pk, ward_id, shift, d in days.values_list("pk", "ward_id", "shift", "date"):
        by_key[(ward_id, shift)].append(d)
        ids.append(pk)
    for (ward_id, shift), dates in by_key.items():
        WardShiftLoad.objects.filter(
            ward_id=ward_id, shift=shift, date__in=dates
        ).update(booked=F("booked") - 1)
    PlacementDay.objects.filter(pk__in=ids).delete()
    return len(ids)


def _validate_placement(
    *, block: RotationBlock, student, ward: Ward, start_date, end_date, supervisor
) -> None:
    errors = {}
    if start_date > end_date:
        errors["end_date"] = _("The last day comes before the first day.")
    elif start_date < block.start_date or end_date > block.end_date:
        errors["start_date"] = _(
            "The placement must fall within the block (%(start)s to %(end)s)."
        ) % {"start": _day(block.start_date), "end": _day(block.end_date)}
    if student.cohort_id != block.cohort_id:
        errors["student"] = _("%(student)s is not in this block's cohort.") % {
            "student": student.person.name
        }
    elif block.students.exists() and not block.students.filter(pk=student.pk).exists():
        errors["student"] = _("%(student)s is not in this block's group.") % {
            "student": student.person.name
        }
    if not ward_is_training_site(institute=block.cohort.institute, ward=ward):
        errors["ward"] = _(
            "%(hospital)s is not the attached hospital or a partner of %(institute)s."
        ) % {"hospital": ward.hospital.name, "institute": block.cohort.institute.name}
    elif not ward.is_active:
        errors["ward"] = _("%(ward)s is closed to placements.") % {"ward": ward.name}
    if errors:
        raise ValidationError(errors)
    _check_supervisor(supervisor=supervisor, ward=ward)


def _integrity_message(exc: IntegrityError) -> str:
    text = str(exc)
    if "placement_day_student_once_a_day" in text or "placementday" in text:
        return _("The student was placed elsewhere on one of these days meanwhile.")
    if "ward_shift_load_within_capacity" in text:
        return _("The ward filled up meanwhile; try again to see who holds it.")
    if "placement_ward_not_training_site" in text:
        return _("The ward's hospital is not a training site of the institute.")
    if "placement_supervisor_not_of_ward" in text:
        return _("The supervisor does not supervise this ward.")
    return _("The booking conflicts with another change; please try again.")


@transaction.atomic
def placement_book(
    *,
    block: RotationBlock,
    student,
    ward: Ward,
    start_date: datetime.date,
    end_date: datetime.date,
    supervisor=None,
    by=None,
    notes: str = "",
) -> Placement:
    """Place a student in a ward for part of a block, booking every working day.

    Raises `BookingRefused` (ward full that day and who holds it, student already
    placed, block's share used up) or `ValidationError` (period, partnership,
    supervisor); nothing is written then.
    """
    _validate_placement(
        block=block,
        student=student,
        ward=ward,
        start_date=start_date,
        end_date=end_date,
        supervisor=supervisor,
    )
    placement = Placement(
        block=block,
        student=student,
        ward=ward,
        supervisor=supervisor,
        start_date=start_date,
        end_date=end_date,
        notes=notes,
    )
    try:
        with transaction.atomic():
            placement.save()
            PlacementStatusChange.objects.create(
                placement=placement,
                from_status="",
                to_status=PlacementStatus.PLANNED,
                changed_by=by,
            )
            _book_days(
                placement=placement, days=block.working_days(start_date, end_date)
            )
    except IntegrityError as exc:
        raise BookingRefused(_integrity_message(exc)) from exc
    return placement


@transaction.atomic
def placement_change(
    *,
    placement: Placement,
    ward: Ward | None = None,
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    supervisor=None,
    by=None,
) -> Placement:
    """Move a planned or confirmed placement (ward, dates) or change its supervisor.

    The old days are released and the new ones booked in one transaction, so a
    refused move leaves the placement as it was.
    """
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    ward = ward or placement.ward
    start_date = start_date or placement.start_date
    end_date = end_date or placement.end_date
    moves = (
        ward.pk != placement.ward_id
        or start_date != placement.start_date
        or end_date != placement.end_date
    )
    if moves and placement.status not in (
        PlacementStatus.PLANNED,
        PlacementStatus.CONFIRMED,
    ):
        raise ValidationError(
            _("Only planned or confirmed placements can be moved; this one is %(s)s.")
            % {"s": placement.get_status_display()}
        )
    if supervisor is None and ward.pk == placement.ward_id:
        supervisor = placement.supervisor
    _validate_placement(
        block=placement.block,
        student=placement.student,
        ward=ward,
        start_date=start_date,
        end_date=end_date,
        supervisor=supervisor,
    )
    if supervisor is None and placement.status != PlacementStatus.PLANNED:
        raise ValidationError(
            {"supervisor": _("A confirmed placement needs a supervisor of its ward.")}
        )
    try:
        with transaction.atomic():
            if moves:
                _release_days(placement=placement, keep_attended=False)
            placement.ward = ward
            placement.start_date = start_date
            placement.end_date = end_date
            placement.supervisor = supervisor
            placement.save(
                update_fields=["ward", "start_date", "end_date", "supervisor"]
            )
            if moves:
                _book_days(
                    placement=placement,
                    days=placement.block.working_days(start_date, end_date),
                )
    except IntegrityError as exc:
        raise BookingRefused(_integrity_message(exc)) from exc
    return placement


@transaction.atomic
def placement_transition(
    *, placement: Placement, to_status: str, by=None, reason: str = ""
) -> Placement:
    """Move a placement along planned → confirmed → in progress → completed, or
    cancel it (a reason is required; booked days without hours are released)."""
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    allowed = PLACEMENT_TRANSITIONS.get(placement.status, ())
    if to_status not in allowed:
        raise ValidationError(
            _("A placement that is %(from)s cannot become %(to)s.")
            % {
                "from": placement.get_status_display(),
                "to": PlacementStatus(to_status).label,
            }
        )
    reason = (reason or "").strip()
    if to_status == PlacementStatus.CANCELLED:
        if not reason:
            raise ValidationError({"reason": _("Say why the placement is cancelled.")})
        _release_days(placement=placement, keep_attended=True)
        placement.cancel_reason = reason
    if (
        to_status not in (PlacementStatus.PLANNED, PlacementStatus.CANCELLED)
        and placement.supervisor_id is None
    ):
        raise ValidationError(
            _("Choose a supervisor of the ward before confirming the placement.")
        )
    previous = placement.status
    placement.status = to_status
    placement.save(update_fields=["status", "cancel_reason"])
    PlacementStatusChange.objects.create(
        placement=placement,
        from_status=previous,
        to_status=to_status,
        reason=reason,
        changed_by=by,
    )
    return placement
