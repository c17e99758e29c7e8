"""Reads of clinical placements: scoped lists, schedule grids, the supervisor's day,
a student's clinical record and the dashboards. Each returns its rows with the joins
its screen needs, in a number of queries that does not grow with the rows.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Max, Q, QuerySet, Sum
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from curriculum.models import YEARS_OF_STUDY
from institutes import access
from institutes.formatting import plural_count
from institutes.models import Hospital, Ward

from .models import (
    ACTIVE_PLACEMENT,
    SHIFT_HOURS,
    SIGNED_OFF_LEVELS,
    ClinicalHours,
    CompetencySignOff,
    HoursStatus,
    Placement,
    PlacementDay,
    PlacementEvaluation,
    PlacementStatus,
    RecordedClinicalYear,
    RotationBlock,
    Shift,
    WardShiftLoad,
)


def week_start(day: datetime.date) -> datetime.date:
    """The Saturday that starts the (Egyptian) week of `day`."""
    return day - datetime.timedelta(days=(day.weekday() - 5) % 7)


def weeks_from(start: datetime.date, count: int) -> list[datetime.date]:
    first = week_start(start)
    return [first + datetime.timedelta(weeks=i) for i in range(count)]


# --- Scoped lists --------------------------------------------------------------------


def blocks_for(user, action: str = "view") -> QuerySet[RotationBlock]:
    return access.filter_for(
        RotationBlock.objects.select_related("cohort__institute"), user, action
    )


def placements_for(user, action: str = "view") -> QuerySet[Placement]:
    return access.filter_for(
        Placement.objects.select_related(
            "student__person",
            "ward__hospital",
            "block__cohort__institute",
            "supervisor",
        ),
        user,
        action,
    )


def block_placements(block: RotationBlock, user) -> QuerySet[Placement]:
    return (
        placements_for(user)
        .filter(block=block)
        .order_by("start_date", "ward__name_ar", "student__person__name_ar")
    )


# --- Grids ---------------------------------------------------------------------------


@dataclass
class GridCell:
    booked: int = 0
    capacity: int = 0

    @property
    def is_full(self) -> bool:
        return self.capacity > 0 and self.booked >= self.capacity

    @property
    def percent(self) -> int:
        return round(100 * self.booked / self.capacity) if self.capacity else 0


@dataclass
class WardRow:
    ward: Ward
    cells: list[GridCell]


def hospital_grid(
    *, hospital: Hospital, weeks: list[datetime.date], user, shift: str | None = None
) -> list[WardRow]:
    """Wards × weeks: for each week the busiest day-shift's students against capacity.

    Two queries whatever the number of wards and weeks.
    """
    wards = list(
        access.filter_for(Ward.objects.filter(hospital=hospital), user).order_by(
            "name_ar"
        )
    )
    start, end = weeks[0], weeks[-1] + datetime.timedelta(days=6)
    loads = WardShiftLoad.objects.filter(
        ward__in=[w.pk for w in wards], date__gte=start, date__lte=end
    )
    if shift:
        loads = loads.filter(shift=shift)
    peak: dict[tuple[int, datetime.date], int] = defaultdict(int)
    for ward_id, d, booked in loads.values_list("ward_id", "date", "booked"):
        key = (ward_id, week_start(d))
        peak[key] = max(peak[key], booked)
    return [
        WardRow(
            ward,
            [GridCell(peak[(ward.pk, w)], ward.student_capacity) for w in weeks],
        )
        for ward in wards
    ]


@dataclass
class StudentRow:
    student: object
    cells: list[list[Placement]]


def cohort_grid(
    *, cohort, weeks: list[datetime.date], user, year: int | None = None
) -> list[StudentRow]:
    """Students × weeks: the ward(s) each student is in each week. Two queries."""
    from students.models import Student

    students = list(
        access.filter_for(
            Student.objects.filter(cohort=cohort).select_related("person"), user
        ).order_by("person__name_ar")
    )
    start, end = weeks[0], weeks[-1] + datetime.timedelta(days=6)
    placements = placements_for(user).filter(
        student__in=[s.pk for s in students],
        start_date__lte=end,
        end_date__gte=start,
        status__in=(*ACTIVE_PLACEMENT, PlacementStatus.COMPLETED),
    )
    by_student: dict[int, list[Placement]] = defaultdict(list)
    for p in placements:
        by_student[p.student_id].append(p)
    rows = []
    for s in students:
        cells = []
        for w in weeks:
            w_end = w + datetime.timedelta(days=6)
            cells.append(
                [
                    p
                    for p in by_student[s.pk]
                    if p.start_date <= w_end and p.end_date >= w
                ]
            )
        rows.append(StudentRow(s, cells))
    return rows


def ward_schedule(
    *, ward: Ward, start: datetime.date, end: datetime.date, user
) -> list[tuple[datetime.date, str, list[PlacementDay]]]:
    """Each booked day and shift of a ward with its students (the nurses' station
    sheet), as far as `user` may see them: a ward's supervisor sees the students
    placed there now (training.placements.supervision), not last year's or next
    month's."""
    days = access.filter_for(
        PlacementDay.objects.filter(ward=ward, date__gte=start, date__lte=end)
        .select_related("student__person", "placement__supervisor")
        .order_by("date", "shift", "student__person__name_ar"),
        user,
    )
    grouped: dict[tuple[datetime.date, str], list[PlacementDay]] = defaultdict(list)
    for d in days:
        grouped[(d.date, d.shift)].append(d)
    order = {value: i for i, value in enumerate(Shift.values)}
    return [
        (d, s, grouped[(d, s)])
        for d, s in sorted(grouped, key=lambda key: (key[0], order[key[1]]))
    ]


@dataclass
class WardWeek:
    """One printed page of a ward schedule: a week range, its booked dates as columns
    and its shifts as rows, each cell the students of that date and shift."""

    first: datetime.date
    last: datetime.date
    dates: list[datetime.date]
    rows: list[tuple[str, list[list[PlacementDay]]]]
    supervisors: list[str]


def ward_schedule_weeks(
    days: list[tuple[datetime.date, str, list[PlacementDay]]],
    *,
    start: datetime.date,
    end: datetime.date,
) -> list[WardWeek]:
    """`ward_schedule` laid out one week range per page (weeks counted from `start`).

    A week without a booking gets no page; dates and shifts without a booking get no
    column or row, so the printout has no empty pages and no empty grid.
    """
    by_week: dict[int, list[tuple[datetime.date, str, list[PlacementDay]]]] = (
        defaultdict(list)
    )
    for date, shift, rows in days:
        by_week[(date - start).days // 7].append((date, shift, rows))
    labels = dict(Shift.choices)
    weeks = []
    for index in sorted(by_week):
        items = by_week[index]
        dates = sorted({date for date, _shift, _rows in items})
        cells = {(date, shift): rows for date, shift, rows in items}
        shifts = [
            value for value in Shift.values if any(s == value for _d, s, _r in items)
        ]
        supervisors = sorted(
            {
                (
                    row.placement.supervisor.get_full_name()
                    or row.placement.supervisor.username
                )
                for _d, _s, rows in items
                for row in rows
                if row.placement.supervisor_id
            }
        )
        first = start + datetime.timedelta(days=7 * index)
        weeks.append(
            WardWeek(
                first=first,
                last=min(end, first + datetime.timedelta(days=6)),
                dates=dates,
                rows=[
                    (
                        str(labels[shift]),
                        [cells.get((date, shift), []) for date in dates],
                    )
                    for shift in shifts
                ],
                supervisors=supervisors,
            )
        )
    return weeks


# --- The supervisor's day ------------------------------------------------------------


@dataclass
class TodayRow:
    day: PlacementDay
    current: ClinicalHours | None


def students_on_day(*, user, date: datetime.date, ward: Ward | None = None):
    """The students booked on `date` in the wards the user supervises (or may see),
    with the day's current hours entry. Two queries."""
    days = access.filter_for(
        PlacementDay.objects.filter(date=date).select_related(
            "student__person", "ward__hospital", "placement__block"
        ),
        user,
    ).exclude(placement__status=PlacementStatus.CANCELLED)
    if ward is not None:
        days = days.filter(ward=ward)
    days = list(days.order_by("ward__name_ar", "student__person__name_ar"))
    current = {
        h.day_id: h
        for h in ClinicalHours.objects.filter(day__in=[d.pk for d in days]).exclude(
            status=HoursStatus.SUPERSEDED
        )
    }
    return [TodayRow(d, current.get(d.pk)) for d in days]


def pending_hours(user) -> QuerySet[ClinicalHours]:
    """Hours awaiting approval that the user may decide on."""
    return access.filter_for(
        ClinicalHours.objects.filter(status=HoursStatus.PENDING).select_related(
            "day", "placement__student__person", "placement__ward", "entered_by"
        ),
        user,
        "change",
    ).order_by("day__date", "placement__ward__name_ar")


# --- A student's clinical record -----------------------------------------------------


@dataclass
class CompetencyLine:
    competency: object
    history: list[CompetencySignOff] = field(default_factory=list)
    #: Signed off according to a recorded past year (the paper register).
    recorded: bool = False

    @property
    def current(self) -> CompetencySignOff | None:
        corrected = {e.corrects_id for e in self.history if e.corrects_id}
        live = [e for e in self.history if e.pk not in corrected]
        return live[-1] if live else None

    @property
    def signed_off(self) -> bool:
        current = self.current
        if current is not None:
            return current.level in SIGNED_OFF_LEVELS
        return self.recorded


@dataclass
class ClinicalYear:
    year: int
    required_hours: int
    approved_hours: Decimal
    pending_hours: Decimal
    rejected_entries: int
    competencies: list[CompetencyLine]
    placements: list[Placement]
    evaluations: list[PlacementEvaluation]
    #: The registrar's record of the year from the paper register, if any; its
    #: hours are included in `approved_hours`.
    recorded: RecordedClinicalYear | None = None
    #: Whether the year is checked for promotion and graduation: the cohort has a
    #: rotation block for it, or a past record exists (see `tracked_years`).
    tracked: bool = True

    @property
    def hours_met(self) -> bool:
        return self.approved_hours >= self.required_hours

    @property
    def signed_off_count(self) -> int:
        return sum(1 for c in self.competencies if c.signed_off)

    @property
    def competencies_met(self) -> bool:
        return self.signed_off_count == len(self.competencies)

    @property
    def hours_percent(self) -> int:
        if not self.required_hours:
            return 100
        return min(100, round(100 * self.approved_hours / self.required_hours))


def clinical_record(student, years: list[int] | None = None) -> list[ClinicalYear]:
    """Per year: approved hours against the curriculum's requirement, each
    competency's sign-off history, placements and evaluations. Six queries."""
    from curriculum.models import Competency, YearRequirement

    version_id = student.cohort.curriculum_version_id
    if years is None:
        years = list(range(1, (student.year_of_study or 1) + 1))
    required = dict(
        YearRequirement.objects.filter(version=version_id, year__in=years).values_list(
            "year", "required_clinical_hours"
        )
    )
    hours = defaultdict(lambda: defaultdict(Decimal))
    rejected = defaultdict(int)
    for year, status, total, n in (
        ClinicalHours.objects.filter(placement__student=student)
        .values_list("placement__block__year", "status")
        .annotate(total=Sum("hours"), n=Count("pk"))
    ):
        hours[year][status] = total or Decimal(0)
        if status == HoursStatus.REJECTED:
            rejected[year] = n
    competencies = defaultdict(list)
    lines: dict[int, CompetencyLine] = {}
    for c in Competency.objects.filter(version=version_id, year__in=years).order_by(
        "code"
    ):
        line = CompetencyLine(c)
        lines[c.pk] = line
        competencies[c.year].append(line)
    for entry in (
        CompetencySignOff.objects.filter(student=student)
        .select_related("signed_by")
        .order_by("signed_at", "pk")
    ):
        if entry.competency_id in lines:
            lines[entry.competency_id].history.append(entry)
    placements = defaultdict(list)
    for p in (
        Placement.objects.filter(student=student, block__year__in=years)
        .select_related("ward__hospital", "supervisor", "block")
        .order_by("start_date")
    ):
        placements[p.block.year].append(p)
    evaluations = defaultdict(list)
    for e in (
        PlacementEvaluation.objects.filter(
            placement__student=student, placement__block__year__in=years
        )
        .select_related("placement__ward", "placement__block", "evaluated_by")
        .order_by("placement__start_date", "kind")
    ):
        evaluations[e.placement.block.year].append(e)
    recorded = {
        r.year: r
        for r in RecordedClinicalYear.objects.filter(
            student=student, year__in=years, is_current=True
        )
        .select_related("recorded_by")
        .prefetch_related("competencies")
    }
    for y, r in recorded.items():
        attested = {c.pk for c in r.competencies.all()}
        for line in competencies[y]:
            line.recorded = line.competency.pk in attested
    blocked_years = set(
        RotationBlock.objects.filter(
            cohort_id__in=_cohort_ids(student), year__in=years
        ).values_list("year", flat=True)
    )
    return [
        ClinicalYear(
            year=y,
            required_hours=required.get(y, 0),
            approved_hours=hours[y][HoursStatus.APPROVED]
            + (recorded[y].hours if y in recorded else 0),
            pending_hours=hours[y][HoursStatus.PENDING],
            rejected_entries=rejected[y],
            competencies=competencies[y],
            placements=placements[y],
            evaluations=evaluations[y],
            recorded=recorded.get(y),
            tracked=y in blocked_years or y in recorded or bool(placements[y]),
        )
        for y in years
    ]


def _cohort_ids(student) -> list[int]:
    from students.models import Enrolment

    ids = set(
        Enrolment.objects.filter(student=student).values_list("cohort_id", flat=True)
    )
    ids.add(student.cohort_id)
    return sorted(ids)


def clinical_year_unmet(record: ClinicalYear) -> list[str]:
    unmet = []
    if not record.hours_met:
        unmet.append(
            ngettext(
                "Year %(year)s: %(approved)s of %(required)s clinical hour approved.",
                "Year %(year)s: %(approved)s of %(required)s clinical hours approved.",
                plural_count(record.required_hours),
            )
            % {
                "year": record.year,
                "approved": f"{record.approved_hours.normalize():f}",
                "required": record.required_hours,
            }
        )
    missing = [c.competency.code for c in record.competencies if not c.signed_off]
    if missing:
        unmet.append(
            _("Year %(year)s: competencies not signed off: %(codes)s.")
            % {"year": record.year, "codes": "، ".join(missing)}
        )
    return unmet


def clinical_graduation_unmet(students) -> dict[int, list[str]]:
    """Graduation check (registered with students.services): every *tracked* year's
    hours and competencies (approved entries plus a recorded past year), for each
    student. A fixed number of queries for any number of students.

    The same rule as promotion: a year with no rotation block for any of the
    student's cohorts, no placement of theirs and no recorded past year is not
    tracked, and not checked.
    """
    from students.models import Enrolment

    if not students:
        return {}
    years = range(1, YEARS_OF_STUDY + 1)
    student_ids = [s.pk for s in students]
    cohorts = defaultdict(set)
    for s in students:
        cohorts[s.pk].add(s.cohort_id)
    for sid, cid in Enrolment.objects.filter(student__in=student_ids).values_list(
        "student_id", "cohort_id"
    ):
        cohorts[sid].add(cid)
    blocks = set(
        RotationBlock.objects.filter(cohort_id__in=set().union(*cohorts.values()))
        .values_list("cohort_id", "year")
        .distinct()
    )
    placed = set(
        Placement.objects.filter(student__in=student_ids)
        .values_list("student_id", "block__year")
        .distinct()
    )
    recorded = _recorded_by_student_year(student_ids, years=years)
    checks = [
        (s.pk, s.cohort.curriculum_version_id, year)
        for s in students
        for year in years
        if any((c, year) in blocks for c in cohorts[s.pk])
        or (s.pk, year) in placed
        or (s.pk, year) in recorded
    ]
    return _clinical_unmet(checks, recorded)


def clinical_promotion_unmet(enrolments) -> dict[int, list[str]]:
    """Promotion check (registered with students.services): for each enrolment, the
    year being finished must have its approved clinical hours and its competencies
    signed off. A fixed number of queries for a whole cohort, whatever its size.

    A cohort and year with no rotation block at all is *not tracked* (placements are
    not managed here for it, e.g. years finished before the institute started using
    placements) unless the registrar recorded the student's year from the paper
    register: it is not checked, so nobody is blocked for records that were never
    kept in this system. As soon as one block exists for the cohort and year, every
    student of the cohort in that year is checked, placed or not. A recorded past
    year adds its hours and competencies to the approved ones. The graduation check
    applies the same rule to every year.
    """
    if not enrolments:
        return {}
    cohort_ids = {e.cohort_id for e in enrolments}
    years = {e.year_of_study for e in enrolments}
    tracked = set(
        RotationBlock.objects.filter(cohort_id__in=cohort_ids, year__in=years)
        .values_list("cohort_id", "year")
        .distinct()
    )
    recorded = _recorded_by_student_year(
        {e.student_id for e in enrolments}, years=years
    )
    checks = [
        (e.student_id, e.cohort.curriculum_version_id, e.year_of_study)
        for e in enrolments
        if (e.cohort_id, e.year_of_study) in tracked
        or (e.student_id, e.year_of_study) in recorded
    ]
    return _clinical_unmet(checks, recorded)


def _clinical_unmet(checks, recorded) -> dict[int, list[str]]:
    """Unmet clinical items for (student id, curriculum version id, year) triples;
    `recorded` adds recorded past years' hours and attested competencies."""
    from curriculum.models import Competency, YearRequirement

    if not checks:
        return {}
    versions = {v for _s, v, _y in checks}
    years = {y for _s, _v, y in checks}
    students = {s for s, _v, _y in checks}
    required = {
        (v, y): h
        for v, y, h in YearRequirement.objects.filter(
            version__in=versions, year__in=years
        ).values_list("version_id", "year", "required_clinical_hours")
    }
    competencies = defaultdict(list)
    for c in Competency.objects.filter(version__in=versions, year__in=years).order_by(
        "code"
    ):
        competencies[(c.version_id, c.year)].append(c)
    approved = defaultdict(Decimal)
    for sid, year, total in (
        ClinicalHours.objects.filter(
            placement__student__in=students,
            placement__block__year__in=years,
            status=HoursStatus.APPROVED,
        )
        .values_list("placement__student_id", "placement__block__year")
        .annotate(total=Sum("hours"))
    ):
        approved[(sid, year)] = total or Decimal(0)
    history = defaultdict(list)
    for entry in (
        CompetencySignOff.objects.filter(
            student__in=students, competency__year__in=years
        )
        .only("pk", "student_id", "competency_id", "level", "corrects_id")
        .order_by("signed_at", "pk")
    ):
        history[(entry.student_id, entry.competency_id)].append(entry)
    unmet: dict[int, list[str]] = {}
    for student_id, version_id, year in checks:
        hours, attested = recorded.get((student_id, year), (0, set()))
        record = ClinicalYear(
            year=year,
            required_hours=required.get((version_id, year), 0),
            approved_hours=approved[(student_id, year)] + hours,
            pending_hours=Decimal(0),
            rejected_entries=0,
            competencies=[
                CompetencyLine(
                    c, history[(student_id, c.pk)], recorded=c.pk in attested
                )
                for c in competencies[(version_id, year)]
            ],
            placements=[],
            evaluations=[],
        )
        items = clinical_year_unmet(record)
        if items:
            unmet.setdefault(student_id, []).extend(items)
    return unmet


def _recorded_by_student_year(
    student_ids, *, years
) -> dict[tuple[int, int], tuple[Decimal, set[int]]]:
    """Current recorded past years: (student, year) → (hours, competency ids). Two
    queries (the rows and their competencies)."""
    rows = RecordedClinicalYear.objects.filter(
        student_id__in=student_ids, year__in=years, is_current=True
    ).prefetch_related("competencies")
    return {
        (r.student_id, r.year): (r.hours, {c.pk for c in r.competencies.all()})
        for r in rows
    }


def recorded_years_for(user) -> QuerySet[RecordedClinicalYear]:
    """Recorded past years the user may see, with what their list shows."""
    return access.filter_for(
        RecordedClinicalYear.objects.select_related(
            "student__person", "student__cohort__institute", "recorded_by"
        ),
        user,
    )


# --- Dashboards ----------------------------------------------------------------------


def ward_occupancy(*, user, start: datetime.date, end: datetime.date):
    """Per ward the user may see: peak and average students per day-shift in the
    period, against capacity. One query."""
    return (
        access.filter_for(
            WardShiftLoad.objects.filter(date__gte=start, date__lte=end), user
        )
        .values("ward_id", "ward__name_ar", "ward__name_en", "ward__hospital__name_ar")
        .annotate(
            peak=Max("booked"),
            used=Sum("booked"),
            places=Sum("capacity"),
            full_days=Count("pk", filter=Q(booked__gte=F("capacity"))),
        )
        .order_by("-peak", "ward__name_ar")
    )


def students_behind_on_hours(*, user, today: datetime.date, limit: int = 50):
    """Students whose hours entered so far (approved or awaiting approval) are below
    what their booked days up to today give: each elapsed booked day counts its
    shift's length (morning 7, evening 7, night 12), capped at the year's
    requirement. A student is behind for days actually missed (absent, rejected,
    short), not for the part of the year's requirement still to be scheduled.
    Three queries.
    """
    from curriculum.models import YearRequirement

    days = (
        access.filter_for(PlacementDay.objects.all(), user)
        .filter(
            date__lte=today,
            placement__status__in=(
                PlacementStatus.IN_PROGRESS,
                PlacementStatus.COMPLETED,
                PlacementStatus.CONFIRMED,
            ),
        )
        .values(
            "student_id",
            "student__person__name_ar",
            "student__person__name_en",
            "student__cohort__curriculum_version_id",
            "placement__block__year",
            "shift",
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    scheduled: dict[tuple[int, int], dict] = {}
    for r in days:
        key = (r["student_id"], r["placement__block__year"])
        row = scheduled.setdefault(key, {**r, "hours": Decimal(0)})
        row["hours"] += SHIFT_HOURS[r["shift"]] * r["n"]
    if not scheduled:
        return []
    entered = defaultdict(lambda: defaultdict(Decimal))
    for sid, year, status, total in (
        ClinicalHours.objects.filter(
            placement__student_id__in={sid for sid, _y in scheduled},
            status__in=(HoursStatus.APPROVED, HoursStatus.PENDING),
        )
        .values_list("placement__student_id", "placement__block__year", "status")
        .annotate(total=Sum("hours"))
    ):
        entered[(sid, year)][status] = total or Decimal(0)
    required = {
        (v, y): h
        for v, y, h in YearRequirement.objects.values_list(
            "version_id", "year", "required_clinical_hours"
        )
    }
    behind = []
    for (sid, year), r in scheduled.items():
        need = required.get((r["student__cohort__curriculum_version_id"], year), 0)
        if not need:
            continue
        expected = min(r["hours"], Decimal(need))
        approved = entered[(sid, year)][HoursStatus.APPROVED]
        pending = entered[(sid, year)][HoursStatus.PENDING]
        if approved + pending + Decimal("0.5") < expected:
            behind.append(
                {
                    "student_id": sid,
                    "name_ar": r["student__person__name_ar"],
                    "name_en": r["student__person__name_en"],
                    "year": year,
                    "approved": approved,
                    "pending": pending,
                    "expected": expected.quantize(Decimal("1")),
                    "required": need,
                }
            )
    behind.sort(key=lambda b: b["approved"] + b["pending"] - b["expected"])
    return behind[:limit]


@dataclass
class CohortYearCompetencies:
    """One row of the dashboard's competencies table: the students of one cohort
    studying now in one year of study, and the competency sign-offs they still lack.

    A student's *required* competencies are those the cohort's curriculum lists for
    their year of study and each earlier year that is tracked for them (the same
    rule as promotion and graduation, see `clinical_graduation_unmet`). A competency
    is signed off when its current assessment is at a signed-off level, or, with no
    assessment, when the student's recorded past year lists it.
    """

    cohort: object
    year: int
    #: Students studying (status "enrolled") in this year of study.
    students: int = 0
    #: Of them, students with at least one required competency not signed off.
    students_missing: int = 0
    #: Students for whom this year is tracked, and the sign-offs of this year's
    #: competencies they need in all / still lack.
    this_year_tracked: int = 0
    this_year_required: int = 0
    this_year_outstanding: int = 0
    #: The same for the competencies of the earlier years (tracked ones only):
    #: students with at least one earlier year tracked, and their sign-offs.
    earlier_tracked: int = 0
    earlier_required: int = 0
    earlier_outstanding: int = 0


def competencies_pending_by_cohort(*, user) -> list[CohortYearCompetencies]:
    """Per cohort in the user's scope and year of study that has students enrolled
    now: how many students, how many of them lack a required competency, and the
    sign-offs outstanding (this year's competencies, earlier years').

    Graduated, withdrawn and suspended students are not counted, so a finished
    cohort is not listed. Nine queries (with the user's scope) whatever the number
    of cohorts, students and sign-offs.
    """
    from curriculum.models import Competency
    from students.models import Cohort, Enrolment, Student, StudentStatus

    students = access.filter_for(
        Student.objects.filter(
            status=StudentStatus.ENROLLED,
            cohort__in=access.filter_for(Cohort.objects.all(), user).values("pk"),
        ),
        user,
    )
    studying = list(
        students.values_list(
            "pk", "cohort_id", "year_of_study", "cohort__curriculum_version_id"
        ).order_by()
    )
    if not studying:
        return []
    student_ids = students.values("pk")
    cohorts = list(
        Cohort.objects.filter(pk__in={row[1] for row in studying}).select_related(
            "institute"
        )
    )
    competencies: dict[tuple[int, int], list[int]] = defaultdict(list)
    for pk, version_id, year in Competency.objects.filter(
        version__in={row[3] for row in studying}
    ).values_list("pk", "version_id", "year"):
        competencies[(version_id, year)].append(pk)
    # Which years are tracked for each student (as for promotion and graduation):
    # a rotation block of one of their cohorts, a placement or a recorded year.
    cohorts_of: dict[int, set[int]] = defaultdict(set)
    for sid, cohort_id, _year, _version in studying:
        cohorts_of[sid].add(cohort_id)
    for sid, cohort_id in (
        Enrolment.objects.filter(student__in=student_ids)
        .values_list("student_id", "cohort_id")
        .order_by()
        .distinct()
    ):
        cohorts_of[sid].add(cohort_id)
    blocks = set(
        RotationBlock.objects.filter(cohort_id__in=set().union(*cohorts_of.values()))
        .values_list("cohort_id", "year")
        .order_by()
        .distinct()
    )
    placed = set(
        Placement.objects.filter(student__in=student_ids)
        .values_list("student_id", "block__year")
        .order_by()
        .distinct()
    )
    recorded: dict[tuple[int, int], set[int]] = defaultdict(set)
    for sid, year, competency_id in RecordedClinicalYear.objects.filter(
        student__in=student_ids, is_current=True
    ).values_list("student_id", "year", "competencies"):
        recorded[(sid, year)].add(competency_id)
    # The current assessment of each competency: the latest entry not corrected.
    current: dict[tuple[int, int], str] = {}
    for sid, competency_id, level in (
        CompetencySignOff.objects.filter(
            student__in=student_ids,
            correction__isnull=True,
            competency__year__lte=F("student__year_of_study"),
        )
        .order_by("signed_at", "pk")
        .values_list("student_id", "competency_id", "level")
    ):
        current[(sid, competency_id)] = level

    def is_tracked(sid: int, year: int) -> bool:
        return (
            (sid, year) in placed
            or (sid, year) in recorded
            or any((c, year) in blocks for c in cohorts_of[sid])
        )

    rows: dict[tuple[int, int], CohortYearCompetencies] = {}
    by_pk = {c.pk: c for c in cohorts}
    for sid, cohort_id, year_of_study, version_id in studying:
        year_of_study = year_of_study or 1
        row = rows.get((cohort_id, year_of_study))
        if row is None:
            row = rows[(cohort_id, year_of_study)] = CohortYearCompetencies(
                by_pk[cohort_id], year_of_study
            )
        row.students += 1
        missing = earlier = False
        for year in range(1, year_of_study + 1):
            if not is_tracked(sid, year):
                continue
            attested = recorded.get((sid, year), set())
            required = competencies[(version_id, year)]
            outstanding = 0
            for competency_id in required:
                level = current.get((sid, competency_id))
                signed = (
                    level in SIGNED_OFF_LEVELS
                    if level is not None
                    else competency_id in attested
                )
                outstanding += not signed
            missing = missing or outstanding > 0
            if year == year_of_study:
                row.this_year_tracked += 1
                row.this_year_required += len(required)
                row.this_year_outstanding += outstanding
            else:
                earlier = True
                row.earlier_required += len(required)
                row.earlier_outstanding += outstanding
        row.students_missing += missing
        row.earlier_tracked += earlier
    order = {c.pk: i for i, c in enumerate(cohorts)}
    return sorted(rows.values(), key=lambda r: (order[r.cohort.pk], r.year))
