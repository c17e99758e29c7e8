"""The shared spreadsheet reader: encodings, columns, empty lines, formulas, commit."""

import io
import os
import time

import pytest

from django.core import signing
from django.core.exceptions import ValidationError

from institutes.tabular_import import (
    Column,
    ImportRow,
    commit_rows,
    discard,
    flag_duplicates,
    formula_problem,
    purge_stale_uploads,
    read_table,
    stash,
    unstash,
    upload_storage,
)


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (the Arabic catalogue translates them)."""
    from django.utils import translation

    with translation.override("en"):
        yield


COLUMNS = [
    Column(
        "national_id", "الرقم القومي", aliases=("national id", "nid"), required=True
    ),
    Column("name_ar", "الاسم", aliases=("name", "الاسم بالعربية"), required=True),
    Column("phone", "الهاتف", aliases=("phone",)),
]

CSV = "الرقم القومي,الاسم,الهاتف\n30803142900012,فاطمة أحمد,0100\n"


def test_utf8_without_bom():
    table = read_table(CSV.encode("utf-8"), filename="a.csv", columns=COLUMNS)
    assert table.usable and table.encoding == "UTF-8"
    assert table.rows[0].values == {
        "national_id": "30803142900012",
        "name_ar": "فاطمة أحمد",
        "phone": "0100",
    }
    assert table.rows[0].line == 2


def test_utf8_with_bom():
    table = read_table(
        b"\xef\xbb\xbf" + CSV.encode(), filename="a.csv", columns=COLUMNS
    )
    assert table.encoding == "UTF-8 (BOM)"
    assert table.rows[0].get("name_ar") == "فاطمة أحمد"


def test_windows_1256():
    table = read_table(CSV.encode("cp1256"), filename="a.csv", columns=COLUMNS)
    assert table.encoding == "Windows-1256"
    assert table.rows[0].get("name_ar") == "فاطمة أحمد"


def test_utf16_and_semicolons():
    data = CSV.replace(",", ";").encode("utf-16")
    table = read_table(data, filename="a.csv", columns=COLUMNS)
    assert table.rows[0].get("phone") == "0100"


def test_headers_match_aliases_ignoring_case_and_variants():
    data = "NID,Name\n30803142900012,منى\n".encode()
    table = read_table(data, filename="a.csv", columns=COLUMNS)
    assert table.usable
    assert table.rows[0].get("name_ar") == "منى"
    assert any("الهاتف" in note for note in table.notes)  # optional column missing


def test_missing_required_column_blocks_the_file():
    table = read_table("الاسم\nمنى\n".encode(), filename="a.csv", columns=COLUMNS)
    assert not table.usable
    assert "الرقم القومي" in table.problems[0]
    assert table.rows == []


def test_extra_columns_are_listed_and_ignored():
    data = "الرقم القومي,الاسم,ملاحظات\n30803142900012,منى,x\n".encode()
    table = read_table(data, filename="a.csv", columns=COLUMNS)
    assert table.extra_columns == ["ملاحظات"]
    assert "ملاحظات" in " ".join(table.notes)
    assert "notes" not in table.rows[0].values


def test_empty_lines_are_skipped_and_counted():
    data = ("\n" + CSV + ",,\n\n30803142900012,علي,\n").encode()
    table = read_table(data, filename="a.csv", columns=COLUMNS)
    assert [r.line for r in table.rows] == [3, 6]
    assert any("2" in n for n in table.notes)


def test_missing_required_cell_is_a_row_problem():
    data = "الرقم القومي,الاسم\n30803142900012,\n".encode()
    table = read_table(data, filename="a.csv", columns=COLUMNS)
    assert table.rows[0].problems == ["الاسم is missing."]


def test_formula_cells_are_refused_not_imported():
    data = 'الرقم القومي,الاسم,الهاتف\n30803142900012,"=HYPERLINK(""x"")",@SUM(1)\n'
    table = read_table(data.encode(), filename="a.csv", columns=COLUMNS)
    row = table.rows[0]
    assert row.get("name_ar") == "" and row.get("phone") == ""
    assert len(row.problems) == 2
    assert "formula" in row.problems[0]


def test_phone_numbers_and_negative_numbers_are_not_formulas():
    assert formula_problem("+201001234567") is None
    assert formula_problem("-5") is None
    assert formula_problem("-cmd") is not None
    assert formula_problem("=1+1") is not None


def test_apostrophe_from_our_exports_is_removed():
    data = "الرقم القومي,الاسم\n30803142900012,'=not a formula\n".encode()
    table = read_table(data, filename="a.csv", columns=COLUMNS)
    assert table.rows[0].get("name_ar") == "=not a formula"
    assert table.rows[0].ok


def test_xlsx_with_formula_cell():
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["national id", "name", "phone"])
    ws.append([30803142900012, "منى", "=1+2"])
    ws.append([None, None, None])
    buffer = io.BytesIO()
    wb.save(buffer)
    table = read_table(buffer.getvalue(), filename="x.xlsx", columns=COLUMNS)
    assert table.encoding == "XLSX"
    assert table.rows[0].get("national_id") == "30803142900012"
    assert "formula" in table.rows[0].problems[0]
    assert len(table.rows) == 1


def test_damaged_xlsx_and_empty_files_are_explained():
    assert read_table(b"PK\x03\x04junk", filename="x.xlsx", columns=COLUMNS).problems
    assert read_table(b"", filename="x.csv", columns=COLUMNS).problems
    only_header = read_table(
        "الرقم القومي,الاسم\n".encode(), filename="a.csv", columns=COLUMNS
    )
    assert "no data" in only_header.problems[0]


def test_too_many_rows():
    data = ("الرقم القومي,الاسم\n" + "1,a\n" * 5).encode()
    table = read_table(data, filename="a.csv", columns=COLUMNS, max_rows=3)
    assert "more than 3" in table.problems[0]


def test_duplicates_in_file_name_the_first_line():
    rows = [
        ImportRow(line=2, values={"national_id": "1"}),
        ImportRow(line=3, values={"national_id": "2"}),
        ImportRow(line=4, values={"national_id": "1"}),
    ]
    flag_duplicates(rows, key="national_id", label="national ID")
    assert rows[0].ok and rows[1].ok
    assert rows[2].problems == ["Same national ID as line 2 of the file."]


def test_stash_round_trip_is_tied_to_the_user(user_model, db):
    alice = user_model.objects.create(username="alice")
    bob = user_model.objects.create(username="bob")
    token = stash(b"abc", "f.csv", user=alice)
    assert unstash(token, user=alice) == (b"abc", "f.csv")
    with pytest.raises(ValidationError):
        unstash(token, user=bob)
    with pytest.raises(ValidationError):
        unstash(token + "x", user=alice)


@pytest.mark.django_db
def test_commit_rows_is_all_or_nothing(user_model):
    rows = [ImportRow(line=i, values={"username": f"u{i}"}) for i in (2, 3, 4)]
    rows.append(ImportRow(line=5, values={}, problems=["bad"]))

    def write(row):
        if row.line == 4:
            raise ValidationError("boom")
        user_model.objects.create(username=row.get("username"))

    with pytest.raises(ValidationError, match="Line 4"):
        commit_rows(rows, write)
    assert not user_model.objects.filter(username__startswith="u").exists()

    result = commit_rows(rows[:2] + rows[3:], write)
    assert (result.written, result.skipped) == (2, 1)


def _stashed_files():
    try:
        return upload_storage().listdir("")[1]
    except FileNotFoundError:
        return []


def test_stash_keeps_the_file_on_the_server_and_hands_out_a_short_reference(
    user_model, db, settings
):
    alice = user_model.objects.create(username="alice")
    data = os.urandom(600_000)  # incompressible, bigger than any form field
    before = set(_stashed_files())
    token = stash(data, "big.csv", user=alice)
    assert len(token) < 300
    (name,) = set(_stashed_files()) - before
    path = os.path.realpath(upload_storage().path(name))
    assert path.startswith(os.path.realpath(settings.IMPORTS_UPLOAD_ROOT))
    assert not path.startswith(os.path.realpath(settings.MEDIA_ROOT))
    assert unstash(token, user=alice) == (data, "big.csv")
    discard(token, user=alice)
    assert not os.path.exists(path)
    with pytest.raises(ValidationError):
        unstash(token, user=alice)


def test_old_stashed_files_are_purged_and_their_reference_refused(user_model, db):
    alice = user_model.objects.create(username="alice")
    old = stash(b"old", "old.csv", user=alice)
    fresh = stash(b"fresh", "fresh.csv", user=alice)
    storage = upload_storage()
    old_name = signing.loads(old, salt=f"institutes.tabular_import:{alice.pk}")["id"]
    two_hours_ago = time.time() - 7200
    os.utime(storage.path(old_name), (two_hours_ago, two_hours_ago))
    assert purge_stale_uploads() >= 1
    with pytest.raises(ValidationError):
        unstash(old, user=alice)
    assert unstash(fresh, user=alice) == (b"fresh", "fresh.csv")
