"""Course results: marks per course for many students at once, pass/fail."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from curriculum.models import Course
from institutes.formatting import NumberParseError, parse_number

from ..models import (
    CourseResult,
    Enrolment,
    MarkChange,
)

# --- Results -----------------------------------------------------------------------


class ResultsGridError(ValidationError):
    """Marks that could not be saved: `cell_errors[enrolment_id][part] = message`."""

    def __init__(self, *, cell_errors: dict[int, dict[str, str]]):
        self.cell_errors = cell_errors
        count = sum(len(v) for v in cell_errors.values())
        super().__init__(
            ngettext(
                "Nothing was saved: %(count)s mark needs correcting.",
                "Nothing was saved: %(count)s marks need correcting.",
                count,
            )
            % {"count": count},
            code="results_invalid",
        )


def _parse_mark(raw, maximum: int) -> tuple[Decimal | None, str]:
    text = str(raw if raw is not None else "").strip()
    if not text:
        return None, ""
    # One reader for typed numbers: Arabic-Indic digits, "٫" "," or "." (82,5 = 82.5).
    try:
        value = parse_number(text)
    except NumberParseError:
        return None, _("“%(value)s” is not a number.") % {"value": text}
    if maximum == 0:
        return None, _("This course has no mark for this part.")
    if value < 0 or value > maximum:
        return None, _("Must be between 0 and %(max)s.") % {"max": maximum}
    if value != value.quantize(Decimal("0.1")):
        return None, _("Use at most one decimal place.")
    return value, ""


def result_outcome(
    course: Course, theory: Decimal | None, practical: Decimal | None
) -> tuple[Decimal | None, bool | None]:
    """Total and pass/fail of a course result (None while a needed mark is missing)."""
    needs_theory = course.theory_max > 0
    needs_practical = course.practical_max > 0
    if (needs_theory and theory is None) or (needs_practical and practical is None):
        return None, None
    total = (theory or Decimal(0)) + (practical or Decimal(0))
    passed = (not needs_theory or theory >= course.theory_pass) and (
        not needs_practical or practical >= course.practical_pass
    )
    return total, passed


@transaction.atomic
def results_save(
    *,
    course: Course,
    enrolments: Iterable[Enrolment],
    marks: Mapping[int, Mapping[str, object]],
    by=None,
    reason: str = "",
) -> int:
    """Save the theory and practical marks of many students in one course, or none.

    `marks` maps an enrolment id to {"theory": raw, "practical": raw}. Every cell is
    checked first; if any is wrong, `ResultsGridError` says which and nothing is
    written. A mark that changes after it was first saved needs a `reason` and leaves
    a `MarkChange`. Returns the number of results written or changed.
    """
    enrolments = {e.pk: e for e in enrolments}
    errors: dict[int, dict[str, str]] = {}
    parsed: dict[int, tuple[Decimal | None, Decimal | None]] = {}
    for enrolment_id, cells in marks.items():
        if enrolment_id not in enrolments:
            errors.setdefault(enrolment_id, {})["theory"] = _(
                "This student is not in this results sheet."
            )
            continue
        theory, t_err = _parse_mark(cells.get("theory"), course.theory_max)
        practical, p_err = _parse_mark(cells.get("practical"), course.practical_max)
        if t_err:
            errors.setdefault(enrolment_id, {})["theory"] = t_err
        if p_err:
            errors.setdefault(enrolment_id, {})["practical"] = p_err
        parsed[enrolment_id] = (theory, practical)
    existing = {
        r.enrolment_id: r
        for r in CourseResult.objects.select_for_update().filter(
            course=course, enrolment_id__in=list(parsed)
        )
    }
    changed = [
        eid
        for eid, (t, p) in parsed.items()
        if eid in existing
        and (existing[eid].theory_mark, existing[eid].practical_mark) != (t, p)
        and (
            existing[eid].theory_mark is not None
            or existing[eid].practical_mark is not None
        )
    ]
    if changed and not (reason or "").strip():
        for eid in changed:
            errors.setdefault(eid, {}).setdefault(
                "theory",
                _("This mark was already saved: give a reason for the change."),
            )
    if errors:
        raise ResultsGridError(cell_errors=errors)

    written = 0
    new_results = []
    change_rows = []
    for eid, (theory, practical) in parsed.items():
        total, passed = result_outcome(course, theory, practical)
        result = existing.get(eid)
        if result is None:
            if theory is None and practical is None:
                continue
            new_results.append(
                CourseResult(
                    enrolment_id=eid,
                    course=course,
                    theory_mark=theory,
                    practical_mark=practical,
                    total=total,
                    passed=passed,
                    recorded_by=by,
                )
            )
            continue
        if (result.theory_mark, result.practical_mark) == (theory, practical):
            continue
        if eid in changed:
            change_rows.append(
                MarkChange(
                    result=result,
                    old_theory_mark=result.theory_mark,
                    old_practical_mark=result.practical_mark,
                    new_theory_mark=theory,
                    new_practical_mark=practical,
                    reason=reason.strip(),
                    changed_by=by,
                )
            )
        result.theory_mark, result.practical_mark = theory, practical
        result.total, result.passed, result.recorded_by = total, passed, by
        result.save(
            update_fields=[
                "theory_mark",
                "practical_mark",
                "total",
                "passed",
                "recorded_by",
                "updated_at",
            ]
        )
        written += 1
    CourseResult.objects.bulk_create(new_results)
    MarkChange.objects.bulk_create(change_rows)
    return written + len(new_results)
