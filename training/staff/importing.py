"""Import and update hospital staff from CSV/XLSX, preview first, then commit.

Uses the project's one import mechanism (`institutes.tabular_import`: encodings,
Arabic/English headers, formula cells, signed preview token, all-or-nothing commit),
the same as the student import. Each row is checked like the staff form (identity document,
names, category, department of this hospital, dates) and written through
`staff_member_save`, so the person record is shared and compliance is recomputed.
A row whose employee number already exists at the hospital updates that staff member.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from institutes.arabic import normalize_for_search
from institutes.identity import (
    DOCUMENT_COLUMN_ALIASES,
    country_from_text,
    document_from_cells,
    document_key_from_cells,
)
from institutes.national_id import Sex
from institutes.services import PERSON_PARTS, person_input
from institutes.tabular_import import (
    Column,
    CommitResult,
    ImportRow,
    Table,
    commit_rows,
    flag_duplicates,
    read_table,
)

from .models import EmploymentType, JobCategory, StaffMember
from .services import staff_member_save

COLUMNS = (
    Column(
        "employee_number",
        gettext_lazy("Employee number"),
        ("الرقم الوظيفي", "رقم الموظف", "employee no", "emp no", "staff number"),
        required=True,
    ),
    Column(
        "document_number",
        gettext_lazy("Identity document number"),
        DOCUMENT_COLUMN_ALIASES,
        required=True,
    ),
    Column(
        "document_type",
        gettext_lazy("Document type"),
        ("نوع الوثيقة", "نوع الهوية", "document type", "id type"),
    ),
    Column(
        "document_country",
        gettext_lazy("Issuing country"),
        ("بلد الإصدار", "جهة الإصدار", "issuing country", "country"),
    ),
    Column("nationality", gettext_lazy("Nationality"), ("الجنسية", "nationality")),
    Column(
        "birth_date",
        gettext_lazy("Date of birth"),
        ("تاريخ الميلاد", "date of birth", "birth date", "dob"),
    ),
    Column("sex", gettext_lazy("Sex"), ("النوع", "الجنس", "sex", "gender")),
    Column(
        "name_ar",
        gettext_lazy("Name (Arabic)"),
        ("الاسم", "الاسم بالعربية", "الاسم بالعربي", "arabic name", "name"),
        required=True,
    ),
    Column(
        "name_en",
        gettext_lazy("Name (Latin)"),
        ("الاسم باللاتينية", "الاسم بالإنجليزية", "english name", "name (english)"),
    ),
    Column(
        "job_category",
        gettext_lazy("Job category"),
        ("الفئة الوظيفية", "الفئة", "category", "job category"),
        required=True,
    ),
    Column("job_title", gettext_lazy("Job title"), ("المسمى الوظيفي", "title")),
    Column(
        "employment_type",
        gettext_lazy("Employment type"),
        ("نوع التعاقد", "نوع التوظيف", "employment type", "contract"),
    ),
    Column(
        "ward",
        gettext_lazy("Department / ward"),
        ("القسم", "الإدارة", "department", "ward", "unit"),
    ),
    Column(
        "hire_date",
        gettext_lazy("Hire date"),
        ("تاريخ التعيين", "hired", "hire date", "start date"),
        required=True,
    ),
    Column(
        "manager",
        gettext_lazy("Manager's employee number"),
        ("رقم المدير", "المدير", "manager", "manager employee number"),
    ),
    Column("email", gettext_lazy("E-mail"), ("البريد الإلكتروني", "email", "e-mail")),
    Column("phone", gettext_lazy("Phone"), ("الهاتف", "الموبايل", "mobile", "phone")),
    Column("active", gettext_lazy("Active"), ("نشط", "على رأس العمل", "active")),
)

_YES = {"", "1", "yes", "y", "true", "نعم", "نشط", "active"}
_NO = {"0", "no", "n", "false", "لا", "غير نشط", "inactive"}


def _category_lookup() -> dict[str, str]:
    from django.utils import translation

    lookup = {}
    for value, label in JobCategory.choices:
        lookup[normalize_for_search(value)] = value
        for lang in ("ar", "en"):
            with translation.override(lang):
                lookup[normalize_for_search(str(label))] = value
    extra = {
        "ممرض": "nurse",
        "ممرضه": "nurse",
        "تمريض": "nurse",
        "طبيب": "physician",
        "صيدلي": "pharmacist",
        "فني": "technician",
        "اداري": "administrative",
        "خدمات": "support",
        "doctor": "physician",
        "admin": "administrative",
    }
    lookup.update({normalize_for_search(k): v for k, v in extra.items()})
    return lookup


def parse_date(text: str) -> datetime.date:
    text = text.strip().translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789"))
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y/%m/%d"):
        try:
            return datetime.datetime.strptime(text[:10], fmt).date()
        except ValueError:
            continue
    raise ValidationError(
        _("“%(value)s” is not a date; write it as 2024-09-01 or 01/09/2024.")
        % {"value": text}
    )


_SEX_WORDS = {
    "m": Sex.MALE,
    "male": Sex.MALE,
    "ذكر": Sex.MALE,
    "f": Sex.FEMALE,
    "female": Sex.FEMALE,
    "انثي": Sex.FEMALE,
    "انثى": Sex.FEMALE,
}


def _employment_lookup() -> dict[str, str]:
    from django.utils import translation

    lookup = {}
    for value, label in EmploymentType.choices:
        lookup[normalize_for_search(value)] = value
        for lang in ("ar", "en"):
            with translation.override(lang):
                lookup[normalize_for_search(str(label))] = value
    return lookup


@dataclass
class StaffImportPreview:
    table: Table
    hospital: object
    creates: int = 0
    updates: int = 0
    # Rows whose person is recorded outside the importing user's scope.
    links: int = 0


def staff_import_preview(
    *, data: bytes, filename: str, hospital, user=None
) -> StaffImportPreview:
    """Read the file and check every row against `hospital`; nothing is written.

    Rows whose document belongs to a person recorded outside `user`'s scope are
    counted in `links`: the commit links them only with the user's confirmation."""
    table = read_table(data, filename=filename, columns=COLUMNS)
    preview = StaffImportPreview(table=table, hospital=hospital)
    if not table.usable:
        return preview
    flag_duplicates(table.rows, key="employee_number", label=_("employee number"))
    flag_duplicates(
        table.rows,
        key=lambda r: document_key_from_cells(
            number=r.get("document_number"),
            kind=r.get("document_type"),
            country=r.get("document_country"),
        ),
        label=_("identity document"),
    )
    wards = {}
    for ward in hospital.wards.all():
        wards[normalize_for_search(ward.name_ar)] = ward
        if ward.name_en:
            wards[normalize_for_search(ward.name_en)] = ward
    categories = _category_lookup()
    employment = _employment_lookup()
    existing = set(
        StaffMember.objects.filter(hospital=hospital).values_list(
            "employee_number", flat=True
        )
    )
    in_file = {r.get("employee_number") for r in table.rows}
    for row in table.rows:
        _check_row(row, wards, categories, employment, existing | in_file)
        if row.ok:
            if row.get("employee_number") in existing:
                preview.updates += 1
            else:
                preview.creates += 1
    _mark_people_elsewhere(preview, user)
    return preview


def _mark_people_elsewhere(preview: StaffImportPreview, user) -> None:
    """Mark rows whose person has records outside `user`'s scope (one query per
    500 documents, plus one per model pointing to people)."""
    from institutes import access
    from institutes.models import IdentityDocument, Person

    keys = {
        tuple(row.values["_document_key"].split("|")): row
        for row in preview.table.rows
        if row.ok and row.values.get("_document_key")
    }
    numbers = sorted({k[2] for k in keys})
    person_of = {}
    for start in range(0, len(numbers), 500):
        for d in IdentityDocument.objects.filter(
            number__in=numbers[start : start + 500]
        ):
            key = (d.document_type, d.country, d.number)
            if key in keys:
                person_of[key] = d.person_id
    if not person_of:
        return
    outside = access.rows_with_records_outside(
        Person.objects.filter(pk__in=set(person_of.values())), user, parts=PERSON_PARTS
    )
    for key, person_id in person_of.items():
        if person_id in outside:
            keys[key].values["linked_elsewhere"] = "1"
            preview.links += 1


def _check_row(row: ImportRow, wards, categories, employment, known_numbers) -> None:
    _check_person(row)
    if row.get("employment_type"):
        kind = employment.get(normalize_for_search(row.get("employment_type")))
        if kind is None:
            row.problems.append(
                _("Unknown employment type “%(value)s” (use one of: %(choices)s).")
                % {
                    "value": row.get("employment_type"),
                    "choices": "، ".join(
                        str(label) for _v, label in EmploymentType.choices
                    ),
                }
            )
        row.values["_employment"] = kind or ""
    category = categories.get(normalize_for_search(row.get("job_category")))
    if category is None and row.get("job_category"):
        row.problems.append(
            _("Unknown job category “%(value)s” (use one of: %(choices)s).")
            % {
                "value": row.get("job_category"),
                "choices": "، ".join(str(label) for _v, label in JobCategory.choices),
            }
        )
    row.values["_category"] = category or ""
    ward_name = row.get("ward")
    if ward_name:
        ward = wards.get(normalize_for_search(ward_name))
        if ward is None:
            row.problems.append(
                _("No department called “%(name)s” at this hospital.")
                % {"name": ward_name}
            )
        else:
            row.values["_ward"] = str(ward.pk)
    if row.get("hire_date"):
        try:
            hired = parse_date(row.get("hire_date"))
            if hired > datetime.date.today():
                row.problems.append(_("The hire date is in the future."))
        except ValidationError as exc:
            row.problems.append(" ".join(exc.messages))
    manager = row.get("manager")
    if manager and manager not in known_numbers:
        row.problems.append(
            _("The manager's employee number %(n)s is not on this hospital's staff.")
            % {"n": manager}
        )
    if row.get("email"):
        try:
            validate_email(row.get("email"))
        except ValidationError:
            row.problems.append(
                _("“%(value)s” is not an e-mail address.") % {"value": row.get("email")}
            )
    active = normalize_for_search(row.get("active"))
    if active not in _YES and active not in _NO:
        row.problems.append(
            _("Active must be yes or no, not “%(value)s”.")
            % {"value": row.get("active")}
        )


def _row_sex(row: ImportRow) -> str | None:
    text = row.get("sex")
    if not text:
        return None
    return _SEX_WORDS.get(normalize_for_search(text)) or _SEX_WORDS.get(text.lower())


def _check_person(row: ImportRow) -> None:
    """Check the row's document and person cells like the staff form does."""
    birth_date = None
    if row.get("birth_date"):
        try:
            birth_date = parse_date(row.get("birth_date"))
        except ValidationError as exc:
            row.problems.append(" ".join(exc.messages))
            return
    sex = _row_sex(row)
    if row.get("sex") and sex is None:
        row.problems.append(
            _("Sex “%(value)s” is not understood (use ذكر / أنثى or m / f).")
            % {"value": row.get("sex")}
        )
        return
    if row.get("nationality") and not country_from_text(row.get("nationality")):
        row.problems.append(
            _("Nationality “%(value)s” is not a known country.")
            % {"value": row.get("nationality")}
        )
        return
    try:
        document = document_from_cells(
            number=row.get("document_number"),
            kind=row.get("document_type"),
            country=row.get("document_country"),
        )
        typed = person_input(
            document=document,
            name_ar=row.get("name_ar"),
            name_en=row.get("name_en"),
            birth_date=birth_date,
            sex=sex,
        )
    except ValidationError as exc:
        row.problems.append(" ".join(exc.messages))
        return
    row.values["_document_key"] = "|".join(typed.document.key)


def staff_import_commit(
    *, preview: StaffImportPreview, by=None, confirm_link: bool = False
) -> CommitResult:
    """Write the valid rows in one transaction as `by`; managers are linked after all
    rows. People are written through `staff_member_save` with the person-identity
    rule; `confirm_link` is the user's confirmation for people recorded elsewhere."""
    hospital = preview.hospital
    wards = {w.pk: w for w in hospital.wards.all()}
    current = {
        s.employee_number: s
        for s in StaffMember.objects.filter(hospital=hospital)
        .select_related("person")
        .prefetch_related("person__documents")
    }
    managers: list[tuple[str, str]] = []

    def write(row: ImportRow) -> bool:
        number = row.get("employee_number")
        staff = current.get(number)
        values = {
            "hospital": hospital,
            "employee_number": number,
            "job_category": row.get("_category"),
            "job_title": row.get("job_title"),
            "employment_type": row.get("_employment") or EmploymentType.PERMANENT,
            "ward": wards.get(int(row.get("_ward"))) if row.get("_ward") else None,
            "hire_date": parse_date(row.get("hire_date")),
            "email": row.get("email"),
            "phone": row.get("phone"),
            "is_active": normalize_for_search(row.get("active")) not in _NO,
        }
        if row.get("manager"):
            managers.append((number, row.get("manager")))
        if staff is not None and _unchanged(staff, row, values):
            return False
        current[number] = staff_member_save(
            staff=staff,
            by=by,
            confirm_link=confirm_link,
            document=document_from_cells(
                number=row.get("document_number"),
                kind=row.get("document_type"),
                country=row.get("document_country"),
            ),
            name_ar=row.get("name_ar"),
            name_en=row.get("name_en"),
            birth_date=parse_date(row.get("birth_date"))
            if row.get("birth_date")
            else None,
            sex=_row_sex(row),
            nationality=country_from_text(row.get("nationality")) or "",
            **values,
        )
        return True

    from django.db import transaction

    with transaction.atomic():
        result = commit_rows(preview.table.rows, write)
        for number, manager_number in managers:
            staff, manager = current.get(number), current.get(manager_number)
            if staff and manager and staff.manager_id != manager.pk:
                staff.manager = manager
                staff.save(update_fields=["manager"])
    return result


def _unchanged(staff: StaffMember, row: ImportRow, values: dict) -> bool:
    person = staff.person
    key = tuple(row.get("_document_key").split("|"))
    if not any(
        (d.document_type, d.country, d.number) == key for d in person.documents.all()
    ):
        return False
    if person.name_ar != " ".join(row.get("name_ar").split()):
        return False
    if (person.name_en or "") != " ".join(row.get("name_en").split()):
        return False
    return all(
        (getattr(staff, k + "_id") if k in ("hospital", "ward") else getattr(staff, k))
        == (v.pk if hasattr(v, "pk") else v)
        for k, v in values.items()
    )
