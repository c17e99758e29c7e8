"""Importing students or applicants from CSV/XLSX: column map, per-row checks, preview.

Reading the file is `institutes.tabular_import`'s job; this module knows what a
student row must hold and says, row by row, what is wrong in plain words. Nothing is
written until the person confirms; then `services.students_import` writes every valid
row in one transaction. Rows are matched by identity document (type, country, number;
the deployment's default type when the file has no type column), so importing the
same file again adds nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from institutes import access
from institutes.identity import (
    DOCUMENT_COLUMN_ALIASES,
    DocumentInput,
    country_from_text,
    document_from_cells,
    document_key_from_cells,
)
from institutes.models import IdentityDocument
from institutes.national_id import Governorate, Sex
from institutes.services import PERSON_PARTS, person_input
from institutes.tabular_import import (
    Column,
    CommitResult,
    ImportRow,
    Table,
    discard,
    flag_duplicates,
    read_table,
    stash,
    unstash,
)

from .models import Cohort, GuardianRelation, Student

COLUMNS = [
    Column(
        "document_number",
        gettext_lazy("Identity document number"),
        aliases=DOCUMENT_COLUMN_ALIASES,
        required=True,
    ),
    Column(
        "document_type",
        gettext_lazy("Document type"),
        aliases=("نوع الوثيقة", "نوع الهوية", "document type", "id type"),
    ),
    Column(
        "document_country",
        gettext_lazy("Issuing country"),
        aliases=("بلد الإصدار", "جهة الإصدار", "issuing country", "country"),
    ),
    Column(
        "nationality",
        gettext_lazy("Nationality"),
        aliases=("الجنسية", "nationality"),
    ),
    Column(
        "name_ar",
        gettext_lazy("Full name (Arabic)"),
        aliases=("الاسم", "الاسم بالعربية", "الاسم رباعي", "name", "arabic name"),
        required=True,
    ),
    Column(
        "name_en",
        gettext_lazy("Full name (Latin)"),
        aliases=("الاسم باللاتينية", "الاسم بالانجليزية", "latin name", "english name"),
    ),
    Column(
        "birth_date",
        gettext_lazy("Date of birth"),
        aliases=("تاريخ الميلاد", "date of birth", "birth date", "dob"),
    ),
    Column("sex", gettext_lazy("Sex"), aliases=("النوع", "الجنس", "sex", "gender")),
    Column(
        "phone",
        gettext_lazy("Phone"),
        aliases=("الهاتف", "رقم الهاتف", "الموبايل", "phone", "mobile"),
    ),
    Column(
        "guardian_name",
        gettext_lazy("Guardian's name"),
        aliases=("ولي الأمر", "اسم ولي الأمر", "guardian", "guardian name"),
    ),
    Column(
        "guardian_relation",
        gettext_lazy("Guardian's relation"),
        aliases=("صلة القرابة", "صلة ولي الأمر", "relation", "guardian relation"),
    ),
    Column(
        "guardian_phone",
        gettext_lazy("Guardian's phone"),
        aliases=("هاتف ولي الأمر", "guardian phone"),
    ),
    Column(
        "governorate",
        gettext_lazy("Governorate"),
        aliases=("المحافظة", "محافظة الإقامة", "governorate"),
    ),
    Column("address", gettext_lazy("Address"), aliases=("العنوان", "address")),
    Column(
        "prep_total",
        gettext_lazy("Preparatory certificate total"),
        aliases=("مجموع الإعدادية", "المجموع", "preparatory total", "prep total"),
    ),
    Column(
        "prep_year",
        gettext_lazy("Preparatory certificate year"),
        aliases=("سنة الإعدادية", "preparatory year", "prep year"),
    ),
    Column(
        "institute",
        gettext_lazy("Institute code"),
        aliases=("كود المعهد", "المعهد", "institute", "institute code"),
    ),
    Column(
        "intake_year",
        gettext_lazy("Intake year"),
        aliases=("سنة القبول", "الدفعة", "intake", "intake year"),
    ),
]

_SEX_WORDS = {
    "m": Sex.MALE,
    "male": Sex.MALE,
    "ذكر": Sex.MALE,
    "f": Sex.FEMALE,
    "female": Sex.FEMALE,
    "انثي": Sex.FEMALE,
    "انثى": Sex.FEMALE,
    "أنثى": Sex.FEMALE,
}
_RELATION_WORDS = {
    "اب": "father",
    "الاب": "father",
    "والد": "father",
    "ام": "mother",
    "الام": "mother",
    "والده": "mother",
    "اخ": "brother",
    "اخت": "sister",
    "عم": "uncle",
    "خال": "uncle",
    "جد": "grandparent",
    "جده": "grandparent",
    "زوج": "husband",
}


def _word(text: str) -> str:
    from institutes.arabic import normalize_for_search

    return normalize_for_search(text)


def _parse_date(text: str) -> datetime.date | None:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y/%m/%d"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


@dataclass
class PreviewRow:
    row: ImportRow
    data: dict = field(default_factory=dict)
    cohort: Cohort | None = None
    unchanged: bool = False
    # The document belongs to a person recorded outside the user's scope.
    links_elsewhere: bool = False

    @property
    def line(self) -> int:
        return self.row.line

    @property
    def problems(self) -> list[str]:
        return self.row.problems

    @property
    def state(self) -> str:
        if self.problems:
            return "problem"
        return "unchanged" if self.unchanged else "new"


@dataclass
class Preview:
    table: Table
    rows: list[PreviewRow]
    token: str = ""
    cohort: Cohort | None = None
    admitted: bool = False

    @property
    def new_count(self) -> int:
        return sum(1 for r in self.rows if r.state == "new")

    @property
    def link_count(self) -> int:
        return sum(1 for r in self.rows if r.state == "new" and r.links_elsewhere)

    @property
    def unchanged_count(self) -> int:
        return sum(1 for r in self.rows if r.state == "unchanged")

    @property
    def problem_count(self) -> int:
        return sum(1 for r in self.rows if r.state == "problem")


def _check_row(row: ImportRow, governorates: dict[str, str]) -> dict:
    """Parse one row's cells into service arguments, adding problems in words."""
    data: dict = {}
    v = row.values
    birth_date = None
    if v.get("birth_date"):
        try:
            birth_date = _parse_date(v["birth_date"])
        except ValueError:
            row.problems.append(
                _("Date of birth “%(value)s” is not a date (use 2009-05-17).")
                % {"value": v["birth_date"]}
            )
    sex = None
    if v.get("sex"):
        sex = _SEX_WORDS.get(_word(v["sex"])) or _SEX_WORDS.get(v["sex"].lower())
        if sex is None:
            row.problems.append(
                _("Sex “%(value)s” is not understood (use ذكر / أنثى or m / f).")
                % {"value": v["sex"]}
            )
    typed = _row_document(row)
    if typed is not None and v.get("document_number"):
        try:
            person = person_input(
                document=typed,
                name_ar=v.get("name_ar", ""),
                name_en=v.get("name_en", ""),
                birth_date=birth_date,
                sex=sex,
                nationality=country_from_text(v.get("nationality", "")) or "",
                phone=v.get("phone", ""),
            )
        except ValidationError as exc:
            document_errors = [
                m
                for key, messages in exc.message_dict.items()
                if key.startswith("document")
                for m in messages
            ]
            if document_errors:
                row.problems.append(
                    _("Identity document: %(why)s") % {"why": " ".join(document_errors)}
                )
            elif v.get("name_ar"):
                row.problems.extend(exc.messages)
        else:
            data.update(
                person=person,
                document_key=person.document.key,
                birth_date=person.values()["birth_date"],
                sex=person.values()["sex"],
            )
    if v.get("nationality") and not country_from_text(v["nationality"]):
        row.problems.append(
            _("Nationality “%(value)s” is not a known country.")
            % {"value": v["nationality"]}
        )
    data["name_ar"] = v.get("name_ar", "")
    data["name_en"] = v.get("name_en", "")
    for key in ("phone", "guardian_name", "guardian_phone", "address"):
        if v.get(key):
            data[key] = v[key]
    if v.get("guardian_relation"):
        word = _word(v["guardian_relation"])
        relation = _RELATION_WORDS.get(word) or (
            word if word in GuardianRelation.values else None
        )
        if relation is None:
            relation = "other"
        data["guardian_relation"] = relation
    if v.get("governorate"):
        code = governorates.get(_word(v["governorate"]))
        if code is None:
            row.problems.append(
                _("Governorate “%(value)s” is not known.") % {"value": v["governorate"]}
            )
        else:
            data["governorate"] = code
    if v.get("prep_total"):
        try:
            total = Decimal(v["prep_total"].replace("٫", "."))
            if not (0 <= total <= 300):
                raise InvalidOperation
            data["prep_certificate_total"] = total
        except InvalidOperation:
            row.problems.append(
                _("Preparatory total “%(value)s” must be a number from 0 to 300.")
                % {"value": v["prep_total"]}
            )
    if v.get("prep_year"):
        if v["prep_year"].isdigit() and 1990 <= int(v["prep_year"]) <= 2100:
            data["prep_certificate_year"] = int(v["prep_year"])
        else:
            row.problems.append(
                _("Preparatory year “%(value)s” is not a year.")
                % {"value": v["prep_year"]}
            )
    return data


def _row_document(row: ImportRow) -> DocumentInput | None:
    """The row's document as typed (see `document_from_cells`), or None with a
    problem added."""
    try:
        return document_from_cells(
            number=row.get("document_number"),
            kind=row.get("document_type"),
            country=row.get("document_country"),
        )
    except ValidationError as exc:
        row.problems.extend(exc.messages)
        return None


def _row_key(row: ImportRow) -> str:
    return document_key_from_cells(
        number=row.get("document_number"),
        kind=row.get("document_type"),
        country=row.get("document_country"),
    )


def _governorate_lookup() -> dict[str, str]:
    from django.utils import translation

    lookup = {}
    for code, label in Governorate.choices:
        lookup[code] = code
        lookup[_word(code.lstrip("0"))] = code
        for lang in ("ar", "en"):
            with translation.override(lang):
                lookup[_word(str(label))] = code
    return lookup


def build_preview(
    *, data: bytes, filename: str, user, cohort: Cohort | None, admitted: bool
) -> Preview:
    """Read and check the whole file; write nothing."""
    table = read_table(data, filename=filename, columns=COLUMNS)
    preview = Preview(table=table, rows=[], cohort=cohort, admitted=admitted)
    if not table.usable:
        return preview
    flag_duplicates(table.rows, key=_row_key, label=_("identity document"))
    cohorts = {
        (c.institute.code, c.intake_year): c
        for c in access.filter_for(
            Cohort.objects.select_related("institute"), user, "change"
        )
    }
    governorates = _governorate_lookup()
    rows = [PreviewRow(row=r) for r in table.rows]
    for prow in rows:
        prow.data = _check_row(prow.row, governorates)
        institute_code = prow.row.get("institute").strip().lower()
        intake = prow.row.get("intake_year").strip()[:4]
        if institute_code or intake:
            prow.cohort = cohorts.get(
                (institute_code, int(intake) if intake.isdigit() else 0)
            )
            if prow.cohort is None:
                prow.problems.append(
                    _(
                        "Unknown cohort: no intake %(year)s at institute “%(code)s” "
                        "that you manage."
                    )
                    % {"year": intake or "—", "code": institute_code or "—"}
                )
        elif cohort is not None:
            prow.cohort = cohort
        else:
            prow.problems.append(
                _(
                    "Unknown cohort: choose one above or add institute and intake columns."
                )
            )
    _mark_known_people(rows, user)
    if admitted:
        from .services import SEATED

        wanted: dict[int, int] = {}
        for prow in rows:
            if prow.state == "new":
                wanted[prow.cohort.pk] = wanted.get(prow.cohort.pk, 0) + 1
        taken = {
            c.pk: c.students.filter(status__in=SEATED).count()
            for c in {p.cohort for p in rows if p.cohort and p.cohort.pk in wanted}
        }
        for prow in rows:
            if prow.state != "new":
                continue
            c = prow.cohort
            if taken[c.pk] >= c.capacity:
                prow.problems.append(
                    ngettext(
                        "The cohort %(cohort)s is full (%(capacity)s place).",
                        "The cohort %(cohort)s is full (%(capacity)s places).",
                        c.capacity,
                    )
                    % {"cohort": c.intake_label, "capacity": c.capacity}
                )
            else:
                taken[c.pk] += 1
    preview.rows = rows
    return preview


def _mark_known_people(rows: list[PreviewRow], user) -> None:
    """Rows whose document is already recorded: a student (named only when the user
    may see that record), or a person recorded outside the user's scope, whom the
    import links only on confirmation. One query per 500 documents."""
    from institutes import access as _access
    from institutes.models import Person

    keys = {p.data["document_key"] for p in rows if p.data.get("document_key")}
    numbers = sorted({k[2] for k in keys})
    person_of: dict[tuple, int] = {}
    for start in range(0, len(numbers), 500):
        for d in IdentityDocument.objects.filter(
            number__in=numbers[start : start + 500]
        ):
            key = (d.document_type, d.country, d.number)
            if key in keys:
                person_of[key] = d.person_id
    if not person_of:
        return
    students = {
        s.person_id: s
        for s in Student.objects.filter(
            person_id__in=set(person_of.values())
        ).select_related("cohort__institute")
    }
    visible = set(
        access.filter_for(
            Student.objects.filter(pk__in=[s.pk for s in students.values()]),
            user,
            "view",
        ).values_list("pk", flat=True)
    )
    outside = _access.rows_with_records_outside(
        Person.objects.filter(pk__in=set(person_of.values())), user, parts=PERSON_PARTS
    )
    for prow in rows:
        person_id = person_of.get(prow.data.get("document_key"))
        if person_id is None:
            continue
        student = students.get(person_id)
        if student is None:
            prow.links_elsewhere = person_id in outside
        elif prow.cohort is not None and student.cohort_id == prow.cohort.pk:
            prow.unchanged = True
        elif student.pk in visible:
            prow.problems.append(
                _("Already a student: %(number)s at %(institute)s (intake %(year)s).")
                % {
                    "number": student.student_number,
                    "institute": student.cohort.institute.name,
                    "year": student.cohort.intake_label,
                }
            )
        else:
            prow.problems.append(_("Already a student elsewhere."))


def import_preview(
    *, data: bytes, filename: str, user, cohort: Cohort | None, admitted: bool
) -> Preview:
    preview = build_preview(
        data=data, filename=filename, user=user, cohort=cohort, admitted=admitted
    )
    if preview.table.usable and preview.new_count:
        preview.token = stash(data, filename, user=user)
    return preview


def import_confirm(
    *, token: str, user, cohort_pk, admitted: bool, confirm_link: bool = False
) -> CommitResult:
    """Check the stashed file again (things may have changed) and write valid rows.

    `confirm_link` is the user's explicit confirmation that rows whose person is
    recorded elsewhere are linked to that person (see `people_upsert_bulk`)."""
    from .services import students_import

    data, filename = unstash(token, user=user)
    cohort = None
    if cohort_pk:
        key = access.stored_key(Cohort, cohort_pk)
        cohort = (
            access.filter_for(Cohort.objects.all(), user, "change")
            .filter(pk=key)
            .first()
            if key is not None
            else None
        )
        if cohort is None:
            raise ValidationError(_("That cohort is not one you manage."))
    preview = build_preview(
        data=data, filename=filename, user=user, cohort=cohort, admitted=admitted
    )
    if not preview.table.usable:
        raise ValidationError(preview.table.problems)
    items = [(p.cohort, p.data) for p in preview.rows if p.state == "new"]
    written = students_import(
        items=items, by=user, admitted=admitted, confirm_link=confirm_link
    )
    discard(token, user=user)
    return CommitResult(
        written=written,
        unchanged=preview.unchanged_count,
        skipped=preview.problem_count,
    )
