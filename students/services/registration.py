"""Registering students: one at a time (`student_register`) or many from a checked
import file (`students_import`)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from institutes import access
from institutes.identity import DocumentInput
from institutes.services import (
    people_upsert_bulk,
    person_find,
    person_input,
    person_upsert,
)

from ..models import (
    Cohort,
    EnrolmentEvent,
    EventKind,
    Student,
    StudentStatus,
)
from ..selectors import students_dashboard_forget
from .cohorts import _ensure_seat
from .errors import LifecycleError
from .events import _event

# --- Registration ----------------------------------------------------------------


def student_number_next(cohort: Cohort) -> str:
    """`<INSTITUTE>-<intake>-<seq>`, e.g. KARNAK-2025-0007."""
    prefix = f"{cohort.institute.code.split('-')[0].upper()}-{cohort.intake_year}-"
    last = (
        Student.objects.filter(student_number__startswith=prefix)
        .aggregate(m=Max("student_number"))
        .get("m")
    )
    seq = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{seq:04d}"


def _student_exists_message(person, by) -> str:
    """Name the existing record only to a user who may see it: to anyone else, say
    only that the person is a student elsewhere."""
    own = (
        access.filter_for(Student.objects.filter(person=person), by, "view")
        .select_related("cohort__institute")
        .first()
    )
    if own is None:
        return _("This person is already a student at another institute.")
    return _(
        "This person already has a student record (%(number)s, %(institute)s)."
    ) % {
        "number": own.student_number,
        "institute": own.cohort.institute.name,
    }


@transaction.atomic
def student_register(
    *,
    cohort: Cohort,
    national_id: str = "",
    document: DocumentInput | None = None,
    name_ar: str,
    name_en: str = "",
    birth_date: datetime.date | None = None,
    sex: str | None = None,
    nationality: str = "",
    phone: str = "",
    by=None,
    confirm_link: bool = False,
    admitted: bool = False,
    student_number: str = "",
    note: str = "",
    **details,
) -> Student:
    """Record an applicant (or, with `admitted=True`, an admitted student) in a cohort.

    The person is found or created by identity document (`national_id` is shorthand
    for an Egyptian national ID, checked against the birth date and sex) through
    `person_upsert`, as `by`, with its identity rule. A person has at most one
    student record.
    """
    typed = person_input(
        document=document,
        national_id=national_id,
        name_ar=name_ar,
        name_en=name_en,
        birth_date=birth_date,
        sex=sex,
    )
    known = person_find(
        document_type=typed.document.document_type,
        country=typed.document.country,
        number=typed.document.number,
    )
    # A second student record is refused before any linking is asked for.
    if known is not None and Student.objects.filter(person=known).exists():
        raise LifecycleError(_student_exists_message(known, by), code="student_exists")
    person = person_upsert(
        by=by,
        document=document,
        national_id=national_id,
        name_ar=name_ar,
        name_en=name_en,
        birth_date=birth_date,
        sex=sex,
        nationality=nationality,
        phone=phone,
        confirm_link=confirm_link,
    )
    if Student.objects.filter(person=person).exists():
        raise LifecycleError(_student_exists_message(person, by), code="student_exists")
    if admitted:
        _ensure_seat(cohort)
    student = Student(
        person=person,
        cohort=cohort,
        student_number=student_number or student_number_next(cohort),
        status=StudentStatus.ADMITTED if admitted else StudentStatus.APPLICANT,
        **details,
    )
    student.full_clean(exclude=["person"])
    student.save()
    student.status = StudentStatus.APPLICANT
    _event(student=student, kind=EventKind.APPLIED, by=by, note=note)
    if admitted:
        student.status = StudentStatus.ADMITTED
        _event(student=student, kind=EventKind.ADMITTED, by=by)
    return student


# --- Bulk import -----------------------------------------------------------------------


@transaction.atomic
def students_import(
    *,
    items: list[tuple[Cohort, dict]],
    by=None,
    admitted: bool = False,
    confirm_link: bool = False,
) -> int:
    """Register many checked rows at once (the import's confirm step), all or nothing.

    `items` are (cohort, fields) pairs already validated by `students.importing`:
    `fields["person"]` is the checked `PersonInput` (document, names). People are
    found or created by `people_upsert_bulk` as `by`, with the person-identity rule
    (`confirm_link` is the preview's confirmation for people recorded elsewhere);
    one who already has a student record makes the whole import fail. Returns the
    number of students created.
    """
    if not items:
        return 0
    for cohort in {c for c, _d in items}:
        Cohort.objects.select_for_update().filter(pk=cohort.pk).first()
        if admitted:
            extra = sum(1 for c, _d in items if c.pk == cohort.pk)
            _ensure_seat(cohort, extra=extra)
    people = people_upsert_bulk(
        by=by, items=[d["person"] for _c, d in items], confirm_link=confirm_link
    )
    persons = people
    taken_ids = set(
        Student.objects.filter(person__in=list(persons.values())).values_list(
            "person_id", flat=True
        )
    )
    if taken_ids:
        typed = sorted(
            {
                d["person"].document.number
                for _c, d in items
                if persons[d["person"].document.key].pk in taken_ids
            }
        )
        raise LifecycleError(
            _("Some people already have a student record: %(ids)s.")
            % {"ids": "، ".join(typed[:5])},
            code="student_exists",
        )
    next_seq: dict[int, tuple[str, int]] = {}
    students = []
    detail_fields = (
        "guardian_name",
        "guardian_relation",
        "guardian_phone",
        "governorate",
        "address",
        "prep_certificate_total",
        "prep_certificate_year",
    )
    for cohort, data in items:
        if cohort.pk not in next_seq:
            first = student_number_next(cohort)
            prefix, seq = first.rsplit("-", 1)
            next_seq[cohort.pk] = (prefix, int(seq))
        prefix, seq = next_seq[cohort.pk]
        next_seq[cohort.pk] = (prefix, seq + 1)
        student = Student(
            person=persons[data["person"].document.key],
            cohort=cohort,
            student_number=f"{prefix}-{seq:04d}",
            status=StudentStatus.ADMITTED if admitted else StudentStatus.APPLICANT,
            **{k: data[k] for k in detail_fields if k in data},
        )
        student.refresh_search_text()
        students.append(student)
    Student.objects.bulk_create(students, batch_size=500)
    if students and students[0].pk is None:
        by_number = dict(
            Student.objects.filter(
                student_number__in=[s.student_number for s in students]
            ).values_list("student_number", "pk")
        )
        for student in students:
            student.pk = student.id = by_number[student.student_number]
    recorded_by = by if getattr(by, "pk", None) else None
    events = []
    for student in students:
        events.append(
            EnrolmentEvent(
                student=student,
                kind=EventKind.APPLIED,
                status_after=StudentStatus.APPLICANT,
                note=_("Imported from a file."),
                recorded_by=recorded_by,
            )
        )
        if admitted:
            events.append(
                EnrolmentEvent(
                    student=student,
                    kind=EventKind.ADMITTED,
                    status_after=StudentStatus.ADMITTED,
                    recorded_by=recorded_by,
                )
            )
    EnrolmentEvent.objects.bulk_create(events, batch_size=500)
    transaction.on_commit(students_dashboard_forget)
    return len(students)
