"""Reading people's spreadsheets (CSV or XLSX) for imports, row by row, in plain words.

Domain-free: students and staff imports both use it. The flow is

    table = read_table(data, filename="students.xlsx", columns=COLUMNS)
    # table.problems: the file can't be used at all (missing required column, ...)
    # table.rows: each ImportRow has .line, .values {key: str}, .problems [str]
    flag_duplicates(table.rows, key="national_id", label=_("national ID"))
    ... the caller adds its own problems per row (bad ID, unknown cohort) ...
    token = stash(data, filename, user=request.user)   # keep the file for "confirm"
    ... on confirm: data, filename = unstash(token, user=request.user), read again,
    result = commit_rows(table.rows, write)   # valid rows, one transaction
    discard(token, user=request.user)          # the file is not kept

What it handles: UTF-8 with or without a byte-order mark, UTF-16 (Excel "Unicode
text"), Windows-1256 (Arabic Excel's "CSV"), comma/semicolon/tab separators, headers
in Arabic or English matched through aliases (spelling variants and case ignored),
extra columns (ignored, listed), missing optional columns, empty lines (skipped), and
cells that a spreadsheet would run as formulas (`=...`, or `+ - @` not followed by a
number) which are refused with a message rather than imported. A leading apostrophe,
which our own exports add to neutralise such cells, is removed, so an export imports
back unchanged. Between preview and confirm the file waits in private server-side
storage; the confirm form carries only a signed reference, tied to the user, that
expires (see `stash`).
"""

from __future__ import annotations

import csv
import io
import os
import re
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, storages
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .arabic import normalize_for_search
from .plain_text import hidden_characters_problem

MAX_ROWS = 20_000
MAX_BYTES = 8 * 1024 * 1024
_NUMBERISH = re.compile(r"^[+-]?[\d٠-٩][\d٠-٩\s.,/()-]*$")


@dataclass(frozen=True)
class Column:
    """One expected column: a key for the code, a label for people, accepted headers."""

    key: str
    label: str
    aliases: tuple[str, ...] = ()
    required: bool = False

    def matches(self, header: str) -> bool:
        wanted = {_header_key(self.key), _header_key(str(self.label))}
        wanted.update(_header_key(a) for a in self.aliases)
        return _header_key(header) in wanted


@dataclass
class ImportRow:
    """One data line of the file: its line number, its cells by column key, problems."""

    line: int
    values: dict[str, str]
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def get(self, key: str, default: str = "") -> str:
        return self.values.get(key, default)


@dataclass
class Table:
    """What was read: rows, blocking file problems, informative notes."""

    rows: list[ImportRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)  # key -> header in file
    extra_columns: list[str] = field(default_factory=list)
    encoding: str = ""

    @property
    def usable(self) -> bool:
        return not self.problems

    @property
    def valid_rows(self) -> list[ImportRow]:
        return [r for r in self.rows if r.ok]

    @property
    def invalid_rows(self) -> list[ImportRow]:
        return [r for r in self.rows if not r.ok]


def _header_key(text: str) -> str:
    return re.sub(r"[\s_\-./]+", "", normalize_for_search(str(text or "")))


# --- Reading bytes -------------------------------------------------------------------


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode CSV bytes: UTF-8 (BOM or not), UTF-16 with BOM, else Windows-1256."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "UTF-8 (BOM)"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "UTF-16"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1256"), "Windows-1256"
    except UnicodeDecodeError as exc:
        raise ValidationError(
            _(
                "The file's characters could not be read: save it as “CSV UTF-8” or as "
                "an Excel workbook (.xlsx) and try again."
            ),
            code="encoding",
        ) from exc


def _csv_rows(text: str) -> list[list[str]]:
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return list(csv.reader(io.StringIO(text), dialect))


def _xlsx_rows(data: bytes) -> tuple[list[list[Any]], int]:
    """Rows of the first sheet; formulas come back as their text (`=...`)."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise ValidationError(
            _("The file is not a readable Excel workbook (.xlsx)."), code="xlsx"
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        extra_sheets = len(workbook.worksheets) - 1
    finally:
        workbook.close()
    return rows, extra_sheets


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if hasattr(value, "isoformat"):
        text = value.isoformat()
        return text[:10] if text.endswith("T00:00:00") else text
    return " ".join(str(value).split())


def formula_problem(text: str) -> str | None:
    """Why a cell looks like a spreadsheet formula (None when it does not)."""
    if not text:
        return None
    if text.startswith("="):
        return _("contains a spreadsheet formula (%(cell)s); type the value itself") % {
            "cell": text[:30]
        }
    if text[0] in "+-@" and not _NUMBERISH.match(text):
        return _(
            "starts with “%(char)s”, which a spreadsheet runs as a formula; remove it"
        ) % {"char": text[0]}
    return None


def read_table(
    data: bytes,
    *,
    filename: str,
    columns: Sequence[Column],
    max_rows: int = MAX_ROWS,
) -> Table:
    """Read a CSV or XLSX file into rows keyed by column, noting every problem.

    Never raises for a bad file: a file that can't be used has `table.problems`.
    """
    table = Table()
    if len(data) > MAX_BYTES:
        table.problems.append(
            _("The file is larger than %(mb)s MB; split it into smaller files.")
            % {"mb": MAX_BYTES // (1024 * 1024)}
        )
        return table
    if not data.strip():
        table.problems.append(_("The file is empty."))
        return table
    is_xlsx = filename.lower().endswith((".xlsx", ".xlsm")) or data[:2] == b"PK"
    try:
        if is_xlsx:
            raw_rows, extra_sheets = _xlsx_rows(data)
            table.encoding = "XLSX"
            if extra_sheets:
                table.notes.append(
                    ngettext(
                        "Only the first sheet was read (%(n)s other sheet ignored).",
                        "Only the first sheet was read (%(n)s other sheets ignored).",
                        extra_sheets,
                    )
                    % {"n": extra_sheets}
                )
        else:
            text, table.encoding = decode_text(data)
            raw_rows = _csv_rows(text)
    except ValidationError as exc:
        table.problems.extend(exc.messages)
        return table

    rows = [[_cell_text(v) for v in row] for row in raw_rows]
    # The header is the first line that isn't empty.
    header_index = next((i for i, r in enumerate(rows) if any(r)), None)
    if header_index is None:
        table.problems.append(_("The file has no header line and no data."))
        return table
    header = rows[header_index]
    positions: dict[str, int] = {}
    for index, title in enumerate(header):
        title = title.lstrip("'")
        if not title:
            continue
        column = next((c for c in columns if c.matches(title)), None)
        if column is None:
            table.extra_columns.append(title)
        elif column.key in positions:
            table.problems.append(
                _("The column “%(label)s” appears twice (“%(header)s”).")
                % {"label": column.label, "header": title}
            )
        else:
            positions[column.key] = index
            table.headers[column.key] = title
    missing_required = [c for c in columns if c.required and c.key not in positions]
    if missing_required:
        table.problems.append(
            _("Required column(s) missing: %(labels)s. The first line must name them.")
            % {"labels": "، ".join(str(c.label) for c in missing_required)}
        )
    missing_optional = [c for c in columns if not c.required and c.key not in positions]
    if missing_optional:
        table.notes.append(
            _("Column(s) not in the file, left empty: %(labels)s.")
            % {"labels": "، ".join(str(c.label) for c in missing_optional)}
        )
    if table.extra_columns:
        table.notes.append(
            _("Column(s) not used and ignored: %(headers)s.")
            % {"headers": "، ".join(table.extra_columns)}
        )
    if table.problems:
        return table

    empty = 0
    for offset, raw in enumerate(rows[header_index + 1 :], start=header_index + 2):
        if not any(cell.strip() for cell in raw):
            empty += 1
            continue
        if len(table.rows) >= max_rows:
            table.problems.append(
                ngettext(
                    "The file has more than %(n)s row; split it into smaller files.",
                    "The file has more than %(n)s rows; split it into smaller files.",
                    max_rows,
                )
                % {"n": max_rows}
            )
            return table
        values: dict[str, str] = {}
        problems: list[str] = []
        for column in columns:
            index = positions.get(column.key)
            cell = raw[index].strip() if index is not None and index < len(raw) else ""
            if cell.startswith("'"):
                cell = cell[1:]
            elif (why := formula_problem(cell)) is not None:
                problems.append(f"{column.label}: {why}.")
                cell = ""
            if (hidden := hidden_characters_problem(cell)) is not None:
                problems.append(f"{column.label}: {hidden}")
            values[column.key] = cell
            # A required cell emptied because it held a formula already has a problem.
            if (
                column.required
                and not cell
                and index is not None
                and not any(p.startswith(f"{column.label}:") for p in problems)
            ):
                problems.append(_("%(label)s is missing.") % {"label": column.label})
        table.rows.append(ImportRow(line=offset, values=values, problems=problems))
    if empty:
        table.notes.append(_("%(n)s empty line(s) skipped.") % {"n": empty})
    if not table.rows:
        table.problems.append(_("The file has a header line but no data rows."))
    return table


def flag_duplicates(
    rows: Iterable[ImportRow],
    *,
    key: str | Callable[[ImportRow], str],
    label: str,
) -> None:
    """Mark every row after the first that repeats the same value of `key`."""
    seen: dict[str, int] = {}
    for row in rows:
        value = key(row) if callable(key) else row.get(key)
        if not value:
            continue
        if value in seen:
            row.problems.append(
                _("Same %(label)s as line %(line)s of the file.")
                % {"label": label, "line": seen[value]}
            )
        else:
            seen[value] = row.line


# --- Between preview and confirm -------------------------------------------------------


def _salt(user) -> str:
    return f"institutes.tabular_import:{getattr(user, 'pk', '')}"


# The uploaded file waits on the server between preview and confirm: the confirm
# form carries only a signed reference, so a file of any size the import accepts
# confirms in a request of a few hundred bytes (a file in a hidden field hit
# DATA_UPLOAD_MAX_MEMORY_SIZE). Files live in a private storage, never under MEDIA;
# each expires after STASH_MAX_AGE and is removed on confirm or by the next stash.
STASH_MAX_AGE = 3600
_STASH_SUFFIX = ".upload"


class PrivateUploadStorage(FileSystemStorage):
    """A file system storage without a public URL, rooted at IMPORTS_UPLOAD_ROOT."""

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return str(settings.IMPORTS_UPLOAD_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise NotImplementedError("Uploaded import files are never served.")


_private_uploads = PrivateUploadStorage()


def upload_storage():
    """Where stashed uploads wait: `IMPORTS_STORAGE` (a STORAGES key shared by every
    app server, e.g. a private bucket) or the private folder IMPORTS_UPLOAD_ROOT."""
    alias = getattr(settings, "IMPORTS_STORAGE", "")
    return storages[alias] if alias else _private_uploads


def _stale_preview() -> ValidationError:
    return ValidationError(
        _("This preview has expired or is not yours; upload the file again."),
        code="stale_preview",
    )


def stash(data: bytes, filename: str, *, user) -> str:
    """Keep the uploaded file server-side; return a signed reference to it.

    The reference is signed for this user and expires after STASH_MAX_AGE; the
    file's name is random, so it can't be guessed or reached any other way.
    """
    purge_stale_uploads()
    storage = upload_storage()
    name = storage.save(f"{uuid.uuid4().hex}{_STASH_SUFFIX}", ContentFile(data))
    return signing.dumps({"id": name, "f": filename}, salt=_salt(user))


def _stashed_name(token: str, *, user, max_age: int) -> tuple[str, str]:
    try:
        payload = signing.loads(token, salt=_salt(user), max_age=max_age)
    except signing.BadSignature as exc:
        raise _stale_preview() from exc
    name = payload.get("id", "") if isinstance(payload, dict) else ""
    if not re.fullmatch(rf"[0-9a-f]{{32}}\w*{re.escape(_STASH_SUFFIX)}", name):
        raise _stale_preview()
    return name, payload.get("f", "")


def unstash(token: str, *, user, max_age: int = STASH_MAX_AGE) -> tuple[bytes, str]:
    """The file a `stash` reference points to; refuses another user's, an old or a
    tampered reference, and one whose file is gone (confirmed or cleaned up)."""
    name, filename = _stashed_name(token, user=user, max_age=max_age)
    storage = upload_storage()
    try:
        with storage.open(name, "rb") as handle:
            return handle.read(), filename
    except (FileNotFoundError, OSError) as exc:
        raise _stale_preview() from exc


def discard(token: str, *, user) -> None:
    """Remove a stashed file once its import is confirmed (a second confirm of the
    same preview is then refused rather than imported twice)."""
    try:
        name, _filename = _stashed_name(token, user=user, max_age=STASH_MAX_AGE)
    except ValidationError:
        return
    upload_storage().delete(name)


def purge_stale_uploads(*, max_age: int = STASH_MAX_AGE) -> int:
    """Delete stashed files older than `max_age` seconds; returns how many."""
    storage = upload_storage()
    try:
        _dirs, files = storage.listdir("")
    except FileNotFoundError:
        return 0
    cutoff = timezone.now() - timedelta(seconds=max_age)
    removed = 0
    for name in files:
        if not name.endswith(_STASH_SUFFIX):
            continue
        try:
            if storage.get_modified_time(name) < cutoff:
                storage.delete(name)
                removed += 1
        except FileNotFoundError:
            continue
    return removed


@dataclass
class CommitResult:
    written: int = 0
    unchanged: int = 0
    skipped: int = 0

    def summary(self, written: str, unchanged: str) -> str:
        """The import's success message: the caller's two sentences (ngettext of its
        own nouns, counted by `written` and `unchanged`) and the rows skipped."""
        skipped = ngettext(
            "%(n)s row with problems skipped.",
            "%(n)s rows with problems skipped.",
            self.skipped,
        ) % {"n": self.skipped}
        return " ".join((written, unchanged, skipped))


def commit_rows(
    rows: Iterable[ImportRow],
    write: Callable[[ImportRow], bool | None],
) -> CommitResult:
    """Write every valid row in one transaction (`write` returns False if unchanged).

    If `write` raises a ValidationError for any row, nothing is written and the error
    is re-raised naming the line, so the person sees the same words as in the preview.
    """
    result = CommitResult()
    with transaction.atomic():
        for row in rows:
            if not row.ok:
                result.skipped += 1
                continue
            try:
                changed = write(row)
            except ValidationError as exc:
                raise ValidationError(
                    _("Line %(line)s: %(problem)s Nothing was imported.")
                    % {"line": row.line, "problem": " ".join(exc.messages)},
                    code="row_failed",
                ) from exc
            if changed is False:
                result.unchanged += 1
            else:
                result.written += 1
    return result
