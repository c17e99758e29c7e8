"""Importing students from files: preview problems in words, confirm, re-import, bad files."""

import datetime
import io
import os

import pytest

from django.core.exceptions import ValidationError
from django.urls import reverse

from students import services
from students.factories import national_id_for
from students.importing import build_preview, import_confirm, import_preview
from students.models import EnrolmentEvent, Student, StudentStatus

BORN = datetime.date(2009, 5, 17)
NID_F = national_id_for(BORN, "f", serial=11)
NID_M = national_id_for(BORN, "m", serial=12)
HEADER = "الرقم القومي,الاسم,النوع,تاريخ الميلاد,الهاتف,ملاحظات\n"


def _csv(*lines, header=HEADER, encoding="utf-8"):
    return (header + "".join(line + "\n" for line in lines)).encode(encoding)


def _preview(data, world, cohort, filename="s.csv", admitted=False):
    return build_preview(
        data=data,
        filename=filename,
        user=world.a.admin,
        cohort=cohort,
        admitted=admitted,
    )


@pytest.mark.parametrize(
    "number, code_word",
    [
        ("3090517290011", "14 digits"),  # 13 digits
        ("40905172900111", "first digit"),  # century 4
        ("30902302900111", "not a real date"),  # 30 February
        ("39905172900111", "future"),  # 2099
        ("30905179900111", "governorate"),  # governorate 99
    ],
)
def test_every_national_id_failure_is_explained(number, code_word, world, cohort):
    from django.utils import translation

    with translation.override("en"):
        preview = _preview(_csv(f"{number},منى,,,,"), world, cohort)
    (row,) = preview.rows
    assert row.state == "problem"
    assert code_word in " ".join(row.problems)


def test_national_id_must_agree_with_birth_date_and_sex(world, cohort):
    from django.utils import translation

    with translation.override("en"):
        preview = _preview(
            _csv(f"{NID_F},منى,ذكر,,,", f"{NID_M},علي,,2009-05-18,,"), world, cohort
        )
    assert "recorded sex" in " ".join(preview.rows[0].problems)
    assert "recorded date of birth" in " ".join(preview.rows[1].problems)


def test_preview_writes_nothing_then_confirm_writes_valid_rows(world, cohort):
    data = _csv(f"{NID_F},منى أحمد,أنثى,2009-05-17,0100,x", f"{NID_M},,ذكر,,,")
    preview = import_preview(
        data=data, filename="s.csv", user=world.a.admin, cohort=cohort, admitted=False
    )
    assert (preview.new_count, preview.problem_count) == (1, 1)
    assert preview.rows[1].problems  # missing name
    assert "ملاحظات" in preview.table.extra_columns
    assert not Student.objects.exists()
    result = import_confirm(
        token=preview.token, user=world.a.admin, cohort_pk=cohort.pk, admitted=False
    )
    assert (result.written, result.skipped) == (1, 1)
    student = Student.objects.get()
    assert student.person.name_ar == "منى أحمد"
    assert student.status == StudentStatus.APPLICANT
    assert EnrolmentEvent.objects.filter(student=student).count() == 1

    # The same file again changes nothing.
    again = import_preview(
        data=data, filename="s.csv", user=world.a.admin, cohort=cohort, admitted=False
    )
    assert (again.new_count, again.unchanged_count) == (0, 1)
    assert again.token == ""


def test_duplicates_in_the_file_are_flagged(world, cohort):
    preview = _preview(_csv(f"{NID_F},منى,,,,", f"{NID_F},منى,,,,"), world, cohort)
    assert preview.rows[0].state == "new"
    assert preview.rows[1].state == "problem"


def test_already_a_student_elsewhere(world, cohort, cohort_b):
    services.student_register(
        cohort=cohort_b, national_id=NID_F, name_ar="منى", birth_date=BORN, sex="f"
    )
    preview = _preview(_csv(f"{NID_F},منى,,,,"), world, cohort)
    assert preview.rows[0].state == "problem"


def test_unknown_or_foreign_cohort_in_the_file(world, cohort, cohort_b):
    header = "national id,name,institute code,intake year\n"
    data = _csv(
        f"{NID_F},منى,{cohort_b.institute.code},2025",
        f"{NID_M},علي,{cohort.institute.code},2031",
        header=header,
    )
    preview = _preview(data, world, None)
    assert [r.state for r in preview.rows] == ["problem", "problem"]


def test_own_cohort_named_in_the_file_is_taken(world, cohort, cohort_b):
    """Twin of the above: the admin's own institute code and intake year are read."""
    header = "national id,name,institute code,intake year\n"
    data = _csv(f"{NID_F},منى,{cohort.institute.code},2025", header=header)
    preview = _preview(data, world, None)
    assert [r.state for r in preview.rows] == ["new"]


def test_bom_and_cp1256_files_read_the_same(world, cohort):
    line = f"{NID_F},منى أحمد,,,,"
    for data in (b"\xef\xbb\xbf" + _csv(line), _csv(line, encoding="cp1256")):
        preview = _preview(data, world, cohort)
        assert preview.rows[0].row.get("name_ar") == "منى أحمد"
        assert preview.rows[0].state == "new"


def test_formula_cells_and_missing_required_column(world, cohort):
    preview = _preview(_csv(f'{NID_F},"=HYPERLINK(""x"")",,,,'), world, cohort)
    assert preview.rows[0].state == "problem"
    missing = _preview(_csv("منى", header="الاسم\n"), world, cohort)
    assert missing.table.problems and not missing.rows


def test_xlsx_file(world, cohort):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["الرقم القومي", "الاسم", "المحافظة"])
    sheet.append([int(NID_F), "منى", "الأقصر"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    preview = _preview(buffer.getvalue(), world, cohort, filename="s.xlsx")
    assert preview.rows[0].state == "new"
    assert preview.rows[0].data["governorate"] == "29"


def test_capacity_is_checked_when_admitting(world, cohort):
    cohort.capacity = 1
    cohort.save()
    preview = _preview(
        _csv(f"{NID_F},منى,,,,", f"{NID_M},علي,,,,"), world, cohort, admitted=True
    )
    assert [r.state for r in preview.rows] == ["new", "problem"]


def test_token_of_another_user_is_refused(world, cohort):
    preview = import_preview(
        data=_csv(f"{NID_F},منى,,,,"),
        filename="s.csv",
        user=world.a.admin,
        cohort=cohort,
        admitted=False,
    )
    with pytest.raises(ValidationError):
        import_confirm(
            token=preview.token, user=world.b.admin, cohort_pk=None, admitted=False
        )
    assert not Student.objects.exists()
    # Twin: the administrator who uploaded the file confirms it with the same token.
    import_confirm(
        token=preview.token, user=world.a.admin, cohort_pk=cohort.pk, admitted=False
    )
    assert Student.objects.get().cohort == cohort


def test_import_screen_upload_preview_confirm(world, client, cohort, cohort_b):
    client.force_login(world.a.admin)
    url = reverse("students_import")
    upload = io.BytesIO(_csv(f"{NID_F},منى,,,,"))
    upload.name = "s.csv"
    foreign = client.post(url, {"file": upload, "cohort": cohort_b.pk})
    assert foreign.context["form"].errors.get("cohort")
    upload = io.BytesIO(_csv(f"{NID_F},منى,,,,"))
    upload.name = "s.csv"
    response = client.post(url, {"file": upload, "cohort": cohort.pk})
    token = response.context["preview"].token
    assert token and not Student.objects.exists()
    confirmed = client.post(url, {"token": token, "cohort": cohort.pk})
    assert confirmed.status_code == 302
    assert Student.objects.get().cohort == cohort


def test_import_screen_is_closed_to_roles_without_students(world, client):
    client.force_login(world.a.trainer)
    assert client.get(reverse("students_import")).status_code in (302, 403)


def test_confirm_of_a_file_bigger_than_the_request_limit(
    world, client, cohort, settings
):
    """The confirm carries a reference, not the file: its size is no limit."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4096
    lines = [
        f"{national_id_for(BORN, 'f', serial=100 + i)},منى {i},,,,{os.urandom(60).hex()}"
        for i in range(40)
    ]
    data = _csv(*lines)
    assert len(data) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    upload = io.BytesIO(data)
    upload.name = "big.csv"
    client.force_login(world.a.admin)
    url = reverse("students_import")
    response = client.post(url, {"file": upload, "cohort": cohort.pk})
    token = response.context["preview"].token
    assert token and not Student.objects.exists()
    confirmed = client.post(url, {"token": token, "cohort": cohort.pk})
    assert confirmed.status_code == 302
    assert Student.objects.count() == 40
    # The file is gone with its confirm: the same preview can't be imported twice.
    again = client.post(url, {"token": token, "cohort": cohort.pk}, follow=True)
    assert again.status_code == 200
    assert Student.objects.count() == 40


def test_confirm_with_a_malformed_cohort_is_refused_in_words(world, client, cohort):
    upload = io.BytesIO(_csv(f"{NID_F},منى,,,,"))
    upload.name = "s.csv"
    client.force_login(world.a.admin)
    url = reverse("students_import")
    token = (
        client.post(url, {"file": upload, "cohort": cohort.pk}).context["preview"].token
    )
    response = client.post(url, {"token": token, "cohort": "abc"})
    assert response.status_code == 200
    assert not Student.objects.exists()


def test_a_hidden_character_in_a_cell_is_a_row_problem(world, cohort):
    preview = _preview(
        _csv(f"{NID_F},منى \u202eدمحأ,,,,", f"{NID_M},محمود علي,,,,"), world, cohort
    )
    assert preview.rows[0].state == "problem"
    assert "U+202E" in " ".join(preview.rows[0].problems)
    assert preview.rows[1].state != "problem"
