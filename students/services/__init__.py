"""Every write about students, by job. Callers import from here.

- `errors`: `LifecycleError`, `CohortFull`;
- `cohorts`: opening an intake, its places (`SEATED`);
- `events`: the enrolment-event writer (history rows are never edited);
- `registration`: `student_register` (one) and `students_import` (a checked file);
- `lifecycle`: admit, enrol, suspend, withdraw, re-admit, correct, graduate;
- `requirements`: graduation and promotion registries other apps plug into;
- `results`: course marks for many students at once;
- `rollover`: the year decision and the cohort rollover.

The lifecycle (see docs/students.md):

    applicant → admitted → enrolled (year N) → promoted (year N+1) | repeating (year N)
                                             → suspended → re-admitted
                                             → withdrawn (reason code) → re-admitted
                                             → graduated (after year 5)

Each step is one function, in one transaction, that writes a new
`EnrolmentEvent` row; none edits or deletes history. The promotion rule of the
curriculum version is applied in exactly one place, `year_decision`.
"""

from .cohorts import (
    SEATED,
    _ensure_seat,
    cohort_create,
    cohort_seats_taken,
)
from .errors import (
    CohortFull,
    LifecycleError,
)
from .events import (
    _event,
)
from .lifecycle import (
    LIFECYCLE_FROM,
    _new_enrolment,
    _transition,
    current_enrolment,
    lifecycle_steps,
    student_admit,
    student_enrol,
    student_graduate,
    student_readmit,
    student_record_correction,
    student_suspend,
    student_withdraw,
)
from .registration import (
    _student_exists_message,
    student_number_next,
    student_register,
    students_import,
)
from .requirements import (
    GraduationCheck,
    PromotionCheck,
    _courses_passed_check,
    _graduation_checks,
    _promotion_checks,
    graduation_requirements,
    graduation_requirements_for,
    promotion_requirements,
    register_graduation_requirement,
    register_promotion_requirement,
    unregister_promotion_requirement,
)
from .results import (
    ResultsGridError,
    _parse_mark,
    result_outcome,
    results_save,
)
from .rollover import (
    DECISION_LABELS,
    Decision,
    RolloverLine,
    RolloverSummary,
    _CourseOutcome,
    rollover_confirm,
    rollover_preview,
    year_decision,
)

__all__ = [
    "CohortFull",
    "DECISION_LABELS",
    "Decision",
    "GraduationCheck",
    "LIFECYCLE_FROM",
    "LifecycleError",
    "PromotionCheck",
    "ResultsGridError",
    "RolloverLine",
    "RolloverSummary",
    "SEATED",
    "_CourseOutcome",
    "_courses_passed_check",
    "_ensure_seat",
    "_event",
    "_graduation_checks",
    "_new_enrolment",
    "_parse_mark",
    "_promotion_checks",
    "_student_exists_message",
    "_transition",
    "cohort_create",
    "cohort_seats_taken",
    "current_enrolment",
    "graduation_requirements",
    "graduation_requirements_for",
    "lifecycle_steps",
    "promotion_requirements",
    "register_graduation_requirement",
    "register_promotion_requirement",
    "result_outcome",
    "results_save",
    "rollover_confirm",
    "rollover_preview",
    "student_admit",
    "student_enrol",
    "student_graduate",
    "student_number_next",
    "student_readmit",
    "student_record_correction",
    "student_register",
    "student_suspend",
    "student_withdraw",
    "students_import",
    "unregister_promotion_requirement",
    "year_decision",
]
