"""Writes of clinical placements: booking, proposal, statuses, hours, sign-offs,
evaluations. Each is one transaction; the database constraints are the last word
(see `training.models.placements`), these functions turn their refusals into
messages a registrar or supervisor can act on.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from institutes.access import Role
from institutes.models import RoleAssignment, Ward

from .models import (
    ACTIVE_PLACEMENT,
    PLACEMENT_TRANSITIONS,
    SHIFT_HOURS,
    BlockWard,
    ClinicalHours,
    CompetencySignOff,
    EvaluationKind,
    HoursStatus,
    Placement,
    PlacementDay,
    PlacementEvaluation,
    PlacementStatus,
    PlacementStatusChange,
    RotationBlock,
    SignOffLevel,
    WardShiftLoad,
)
from .placement_proposal import (
    Proposal,
    StudentNeed,
    WardOffer,
    propose,
    required_specialties,
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
                "places": _("%(ward)s takes at most %(n)s students per shift.")
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
        holders = list(
            PlacementDay.objects.filter(ward=ward, shift=shift, date=first)
            .select_related("student__person")
            .order_by("student__person__name_ar")
        )
        message = _(
            "%(ward)s is full on %(day)s (%(shift)s shift): %(booked)s of "
            "%(capacity)s places are held by %(holders)s."
        ) % {
            "ward": ward.name,
            "day": _day(first),
            "shift": placement.block.get_shift_display(),
            "booked": booked,
            "capacity": cap,
            "holders": _names(holders) or "—",
        }
        if len(full) > 1:
            message += " " + _(
                "It is also full on %(n)s other day(s) of the period."
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


# --- The proposal --------------------------------------------------------------------


@dataclass
class ProposalResult:
    booked: list[Placement] = field(default_factory=list)
    refused: list[tuple[object, str]] = field(default_factory=list)
    unplaced: list[tuple[object, tuple[datetime.date, datetime.date]]] = field(
        default_factory=list
    )


def _block_students(block: RotationBlock):
    from students.models import Student, StudentStatus

    students = Student.objects.filter(
        cohort=block.cohort_id, status=StudentStatus.ENROLLED
    )
    if block.students.exists():
        students = students.filter(rotation_blocks=block)
    return students.select_related("person").order_by("pk")


def proposal_build(*, block: RotationBlock) -> tuple[Proposal, dict]:
    """Read what the proposal needs (a fixed number of queries) and run it."""
    rotations = block.rotations()
    block_wards = list(block.block_wards.select_related("ward"))
    students = list(_block_students(block))
    student_ids = [s.pk for s in students]
    # Specialties already done this year (earlier blocks of the same year).
    covered: dict[int, set[str]] = defaultdict(set)
    visited: dict[int, set[int]] = defaultdict(set)
    taken: dict[tuple[int, int], None] = {}
    for student_id, specialty, ward_id, block_id, start in Placement.objects.filter(
        student_id__in=student_ids,
        block__year=block.year,
        status__in=(*ACTIVE_PLACEMENT, PlacementStatus.COMPLETED),
    ).values_list("student_id", "ward__specialty", "ward_id", "block_id", "start_date"):
        covered[student_id].add(specialty)
        visited[student_id].add(ward_id)
        if block_id == block.pk:
            for index, (r_start, r_end) in enumerate(rotations):
                if r_start <= start <= r_end:
                    taken[(student_id, index)] = None
    # Free places per ward and rotation: the block's share, less what this block
    # already holds, and the ward's capacity less what everybody holds.
    ward_ids = [bw.ward_id for bw in block_wards]
    loads: dict[tuple[int, datetime.date], int] = {}
    for ward_id, d, booked, cap in WardShiftLoad.objects.filter(
        ward_id__in=ward_ids,
        shift=block.shift,
        date__gte=block.start_date,
        date__lte=block.end_date,
    ).values_list("ward_id", "date", "booked", "capacity"):
        loads[(ward_id, d)] = cap - booked
    own: dict[tuple[int, datetime.date], int] = defaultdict(int)
    for row in (
        PlacementDay.objects.filter(placement__block=block)
        .values("ward_id", "date")
        .annotate(n=Count("pk"))
    ):
        own[(row["ward_id"], row["date"])] = row["n"]
    offers = []
    for bw in block_wards:
        free = []
        for r_start, r_end in rotations:
            days = block.working_days(r_start, r_end)
            free.append(
                min(
                    min(
                        bw.places - own[(bw.ward_id, d)],
                        loads.get((bw.ward_id, d), bw.ward.student_capacity),
                    )
                    for d in days
                )
                if days and bw.ward.is_active
                else 0
            )
        offers.append(WardOffer(bw.ward_id, bw.ward.specialty, bw.places, tuple(free)))
    proposal = propose(
        students=[StudentNeed(s.pk, covered[s.pk], visited[s.pk]) for s in students],
        wards=offers,
        rotations=len(rotations),
        requirements=required_specialties(block.year),
        taken=taken,
    )
    context = {
        "rotations": rotations,
        "students": {s.pk: s for s in students},
        "wards": {bw.ward_id: bw.ward for bw in block_wards},
    }
    return proposal, context


def _default_supervisor(ward_id: int, supervisors: dict[int, list], counts) -> object:
    choices = supervisors.get(ward_id) or []
    if not choices:
        return None
    best = min(choices, key=lambda u: (counts[(ward_id, u.pk)], u.pk))
    counts[(ward_id, best.pk)] += 1
    return best


class _GroupRefused(Exception):
    """A group booking found a change since the proposal was read (falls back)."""


def _book_group(
    *, block: RotationBlock, ward: Ward, members: list, start, end, by
) -> list[Placement]:
    """Book several students of the proposal into one ward for one rotation at once.

    The same guarantees as `_book_days`, paid once per ward and rotation instead of
    once per student: the load rows are locked in date order, every day must have
    room for all of them (and the block's share), none of them may be placed on those
    days already; then one UPDATE raises `booked` by the group's size (the check
    constraint is the backstop) and the placements, their history and their days are
    bulk-inserted (the triggers and the unique (student, date) constraint still
    check every row). Raises `_GroupRefused` when anything changed since the proposal
    was read; the caller then books one by one to say exactly why.
    """
    days = block.working_days(start, end)
    n = len(members)
    WardShiftLoad.objects.bulk_create(
        [
            WardShiftLoad(
                ward=ward, date=d, shift=block.shift, capacity=ward.student_capacity
            )
            for d in days
        ],
        ignore_conflicts=True,
    )
    loads = list(
        WardShiftLoad.objects.select_for_update()
        .filter(ward=ward, shift=block.shift, date__in=days)
        .order_by("date")
        .values_list("pk", "booked", "capacity")
    )
    if any(booked + n > cap for _pk, booked, cap in loads):
        raise _GroupRefused
    places = (
        BlockWard.objects.filter(block=block, ward=ward)
        .values_list("places", flat=True)
        .first()
    )
    if places is not None and (
        PlacementDay.objects.filter(placement__block=block, ward=ward, date__in=days)
        .values("date")
        .annotate(c=Count("pk"))
        .filter(c__gt=places - n)
        .exists()
    ):
        raise _GroupRefused
    if PlacementDay.objects.filter(
        student__in=[student for student, _sup in members], date__in=days
    ).exists():
        raise _GroupRefused
    placements = Placement.objects.bulk_create(
        [
            Placement(
                block=block,
                student=student,
                ward=ward,
                supervisor=supervisor,
                start_date=start,
                end_date=end,
            )
            for student, supervisor in members
        ]
    )
    PlacementStatusChange.objects.bulk_create(
        [
            PlacementStatusChange(
                placement=p,
                from_status="",
                to_status=PlacementStatus.PLANNED,
                changed_by=by,
            )
            for p in placements
        ]
    )
    WardShiftLoad.objects.filter(pk__in=[row[0] for row in loads]).update(
        booked=F("booked") + n
    )
    PlacementDay.objects.bulk_create(
        [
            PlacementDay(
                placement=p, student=p.student, ward=ward, date=d, shift=block.shift
            )
            for p in placements
            for d in days
        ],
        batch_size=2000,
    )
    return placements


@transaction.atomic
def proposal_apply(*, block: RotationBlock, by=None) -> ProposalResult:
    """Build the proposal and book it.

    Students going to the same ward in the same rotation are booked together
    (`_book_group`, a fixed number of queries per ward and rotation) on a savepoint;
    if the ward changed meanwhile (another institute took places), that group is
    booked one student at a time instead, each on its own savepoint, so refusals are
    reported with their reason and the rest is kept.
    """
    proposal, context = proposal_build(block=block)
    rotations = context["rotations"]
    students = context["students"]
    wards = context["wards"]
    institute = block.cohort.institute
    supervisors: dict[int, list] = defaultdict(list)
    for ra in RoleAssignment.objects.filter(
        role=Role.SUPERVISOR, ward_id__in=list(wards)
    ).select_related("user"):
        supervisors[ra.ward_id].append(ra.user)
    counts: dict[tuple[int, int], int] = defaultdict(int)
    groups: dict[tuple[int, int], list] = defaultdict(list)
    for a in proposal.assignments:
        groups[(a.rotation, a.ward_id)].append(
            (
                students[a.student_id],
                _default_supervisor(a.ward_id, supervisors, counts),
            )
        )
    result = ProposalResult()
    for (rotation, ward_id), members in sorted(groups.items()):
        start, end = rotations[rotation]
        ward = wards[ward_id]
        if ward_is_training_site(institute=institute, ward=ward) and ward.is_active:
            try:
                with transaction.atomic():
                    result.booked.extend(
                        _book_group(
                            block=block,
                            ward=ward,
                            members=members,
                            start=start,
                            end=end,
                            by=by,
                        )
                    )
                continue
            except (_GroupRefused, IntegrityError):
                pass
        for student, supervisor in members:
            try:
                with transaction.atomic():
                    result.booked.append(
                        placement_book(
                            block=block,
                            student=student,
                            ward=ward,
                            start_date=start,
                            end_date=end,
                            supervisor=supervisor,
                            by=by,
                        )
                    )
            except ValidationError as exc:
                result.refused.append((student, " ".join(exc.messages)))
    for u in proposal.unplaced:
        result.unplaced.append((students[u.student_id], rotations[u.rotation]))
    return result


# --- Clinical hours ------------------------------------------------------------------


def parse_hours(raw) -> Decimal | None:
    """Hours typed by a person: Arabic digits and a comma are accepted."""
    if isinstance(raw, Decimal):
        return raw
    text = str(raw or "").strip().replace("،", ".").replace(",", ".")
    text = text.translate(str.maketrans("٠١٢٣٤٥٦٧٨٩٫", "0123456789."))
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
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
