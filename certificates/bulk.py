"""Bulk printing: many documents issued and rendered in one background run.

The expensive part, WeasyPrint, runs in worker processes (one per core): single-page
kinds are laid out fifty to a WeasyPrint document and written out page by page, so
fonts, stylesheets and the layout engine are set up once per chunk rather than once
per certificate. The parent process reads the database, allocates serials per issuer
in one statement, builds the HTML, stores the PDFs and writes the register rows in
one `bulk_create` per chunk.

A failing document is retried alone, reported with the holder's name and skipped; the
others are issued. Re-running issues only what is still missing (existing documents
are included in the outputs so the printout is complete).
"""

from __future__ import annotations

import io
import logging
import math
import multiprocessing
import os
import re
import zipfile
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from institutes import access

from .models import BulkJob, BulkJobStatus, IssuedDocument
from .pdfengine import BatchResult, init_worker, render_in_worker
from .registry import DocumentKind, get_kind
from .rendering import (
    PreparedDocument,
    allowed_roots,
    build_batch,
    logo_uri,
    render_job,
)
from .services import (
    document_prepare,
    document_row,
    kinds_user_may_issue,
    may_issue_as,
    may_issue_kind,
    serials_allocate,
    store_pdf,
)

logger = logging.getLogger(__name__)
# Documents laid out together (at most): fixed costs per chunk (parsing set-up, font
# subsetting, the chunk's printout) shrink with bigger chunks; measured on 1,000
# graduation certificates, 100 took 10–11 s and 50 took 11–13 s.
CHUNK_SIZE = 100
# Fewer documents than this per core are rendered in this process: starting a worker
# (~0.5 s) costs more than rendering them.
MIN_CHUNK = 20
# Runs of more documents than this render their first document alone, so the run's
# progress moves within its first seconds (worker start-up plus one layout) instead
# of after a whole chunk; the extra chunk costs one parsing set-up.
FIRST_ALONE_FROM = MIN_CHUNK


@dataclass
class BulkOutcome:
    issued: list[IssuedDocument] = field(default_factory=list)
    existing: list[IssuedDocument] = field(default_factory=list)
    failures: list[dict] = field(default_factory=list)
    combined_pdf: bytes = b""
    zip_bytes: bytes = b""


def _processes() -> int:
    configured = getattr(settings, "CERTIFICATES_RENDER_PROCESSES", 0)
    return configured or os.cpu_count() or 1


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or type(exc).__name__


def _chunk_sizes(total: int, chunk_size: int) -> list[int]:
    """How many documents each chunk takes: the first alone in longer runs."""
    sizes = []
    if total > FIRST_ALONE_FROM and total > 1:
        sizes.append(1)
        total -= 1
    while total > 0:
        sizes.append(min(chunk_size, total))
        total -= sizes[-1]
    return sizes


def _render_chunks(
    chunks: Iterable[list[PreparedDocument]],
    *,
    count: int,
    processes: int,
    on_chunk: Callable[[list[PreparedDocument], BatchResult | None, str], None],
) -> None:
    """Render each of the `count` chunks (in worker processes when more than one).

    `chunks` may be a generator: each chunk is prepared just before it is submitted,
    and the chunks that have come back are handed to `on_chunk` (in order) between
    submissions, so progress is reported while the later chunks are still prepared.
    """
    if processes > 1 and count > 1:
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(
            max_workers=min(processes, count),
            mp_context=context,
            initializer=init_worker,
            initargs=(allowed_roots(),),
        ) as pool:
            # Each chunk is submitted as soon as its HTML is built, so the workers
            # start while the parent is still rendering the next chunks' templates.
            pending: deque = deque()

            def collect(*, wait: bool) -> None:
                while pending:
                    chunk, job, future = pending[0]
                    if job is not None and not wait and not future.done():
                        return
                    pending.popleft()
                    if job is None:
                        on_chunk(chunk, None, future)
                        continue
                    try:
                        answer = future.result(timeout=job["seconds"] + 60)
                    except Exception as exc:  # noqa: BLE001 - the chunk is retried alone
                        answer = {"ok": False, "error": _message(exc)}
                    if answer["ok"]:
                        on_chunk(chunk, answer["result"], "")
                    else:
                        on_chunk(chunk, None, answer["error"])

            for chunk in chunks:
                try:
                    job = build_batch(chunk, combined=True)
                except Exception as exc:  # noqa: BLE001 - the chunk is retried alone
                    pending.append((chunk, None, _message(exc)))
                else:
                    pending.append((chunk, job, pool.submit(render_in_worker, job)))
                collect(wait=False)
            collect(wait=True)
        return
    for chunk in chunks:
        try:
            result = render_job(build_batch(chunk, combined=True))
        except Exception as exc:  # noqa: BLE001 - the chunk is retried alone
            on_chunk(chunk, None, _message(exc))
        else:
            on_chunk(chunk, result, "")


class _CombinedPdf:
    """The printout, merged chunk by chunk as results arrive.

    Appending a chunk's PDF (pypdf) happens while the workers render the next chunks,
    so only the final write is left once the last chunk is in.
    """

    def __init__(self):
        self._writer = None
        self._only: bytes = b""
        self._count = 0

    def add(self, part: bytes) -> None:
        if not part:
            return
        self._count += 1
        if self._count == 1:
            self._only = part
            return
        if self._writer is None:
            from pypdf import PdfWriter

            self._writer = PdfWriter()
            self._writer.append(io.BytesIO(self._only))
            self._only = b""
        self._writer.append(io.BytesIO(part))

    def finish(self) -> bytes:
        if self._writer is None:
            return self._only
        out = io.BytesIO()
        self._writer.write(out)
        return out.getvalue()


def _merge_pdfs(parts: list[bytes]) -> bytes:
    combined = _CombinedPdf()
    for part in parts:
        combined.add(part)
    return combined.finish()


def _zip_name(doc: IssuedDocument) -> str:
    name = slugify(doc.holder_name_en) or re.sub(r"[^\w]+", "-", doc.holder_name_ar)
    return f"{doc.serial}-{name.strip('-')[:60]}.pdf"


def _zip(entries: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    # PDFs are already compressed: storing them is as small and much faster.
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return out.getvalue()


def _save_rows(rows: list[tuple[IssuedDocument, bytes]]) -> list[IssuedDocument]:
    """Store the PDFs and insert the rows; rows another run inserted meanwhile lose."""
    for doc, pdf in rows:
        store_pdf(doc, pdf)
    docs = [doc for doc, _pdf in rows]
    try:
        with transaction.atomic():
            IssuedDocument.objects.bulk_create(docs)
        return docs
    except IntegrityError:
        pass
    saved = []
    for doc in docs:
        try:
            with transaction.atomic():
                doc.pk = None
                doc.save()
            saved.append(doc)
        except IntegrityError:
            doc.pdf.storage.delete(doc.pdf.name)
    return saved


def documents_issue_many(
    *,
    kind: DocumentKind | str,
    achievements: list,
    issued_by,
    language: str,
    digits: str,
    progress: Callable[[int], None] = lambda n: None,
    chunk_size: int | None = None,
    processes: int | None = None,
) -> BulkOutcome:
    """Issue the document of `kind` for every achievement that lacks one.

    `progress(n)` is called as documents are processed. Nothing already issued is
    issued again; ineligible people and documents that fail to render are reported in
    `failures` ({"name", "error"}) and the others are issued regardless.
    """
    kind = get_kind(kind) if isinstance(kind, str) else kind
    processes = processes or _processes()
    outcome = BulkOutcome()
    content_type = ContentType.objects.get_for_model(kind.model)

    existing = {
        doc.achievement_id: doc
        for doc in IssuedDocument.objects.filter(
            kind=kind.code,
            achievement_type=content_type,
            achievement_id__in=[a.pk for a in achievements],
            revoked_at__isnull=True,
            replaced_at__isnull=True,
        )
    }
    todo = []
    for achievement in achievements:
        if achievement.pk in existing:
            outcome.existing.append(existing[achievement.pk])
            continue
        try:
            if issued_by is not None and not may_issue_as(
                issued_by, kind.issuer(achievement)
            ):
                raise ValidationError(_("Not one of your institutes or hospitals."))
            kind.check_eligible(achievement)
            todo.append(achievement)
        except Exception as exc:  # noqa: BLE001 - reported by name, run goes on
            outcome.failures.append(
                {"name": _holder_name(kind, achievement), "error": _message(exc)}
            )
    progress(len(outcome.existing) + len(outcome.failures))

    now = timezone.now()
    today = timezone.localdate(now)
    by_issuer = defaultdict(list)
    for achievement in todo:
        by_issuer[kind.issuer(achievement)].append(achievement)
    # Serials are reserved now, per issuer in one statement; each document is
    # prepared (context, QR code, HTML) only when its chunk is about to be rendered.
    planned = []
    for issuer, group in by_issuer.items():
        first = serials_allocate(issuer=issuer, year=today.year, count=len(group))
        logo = logo_uri(issuer)
        for offset, achievement in enumerate(group):
            planned.append((achievement, first + offset, logo))

    def prepare(item) -> PreparedDocument | None:
        achievement, serial_number, logo = item
        try:
            return document_prepare(
                kind=kind,
                achievement=achievement,
                language=language,
                digits=digits,
                issued_on=today,
                serial_number=serial_number,
                logo=logo,
            )
        except Exception as exc:  # noqa: BLE001 - reported by name
            outcome.failures.append(
                {"name": _holder_name(kind, achievement), "error": _message(exc)}
            )
            progress(1)
            return None

    combined = _CombinedPdf()
    zip_entries: list[tuple[str, bytes]] = []

    def keep(chunk: list[PreparedDocument], result: BatchResult) -> None:
        rows = [
            (
                document_row(
                    prep,
                    rendered,
                    issued_by=issued_by,
                    issued_at=now,
                    achievement_type=content_type,
                ),
                rendered.pdf,
            )
            for prep, rendered in zip(chunk, result.documents, strict=True)
        ]
        saved = _save_rows(rows)
        saved_ids = {id(doc) for doc in saved}
        outcome.issued.extend(saved)
        pdf_of = {id(doc): pdf for doc, pdf in rows}
        for doc in saved:
            zip_entries.append((_zip_name(doc), pdf_of[id(doc)]))
        if len(saved) == len(rows):
            combined.add(result.combined or b"")
        else:
            for doc, pdf in rows:
                if id(doc) in saved_ids:
                    combined.add(pdf)

    def on_chunk(chunk, result, error):
        if result is not None:
            keep(chunk, result)
        else:
            logger.warning("Bulk chunk failed (%s); retrying one by one", error)
            for prep in chunk:
                try:
                    from .rendering import render_documents

                    keep([prep], render_documents([prep], combined=True))
                except Exception as exc:  # noqa: BLE001 - reported by name
                    outcome.failures.append(
                        {"name": prep.holder_name_ar, "error": _message(exc)}
                    )
        progress(len(chunk))

    if kind.paged:
        chunk_size = 1
    else:
        # Middle-sized runs are split so that every core gets a share.
        chunk_size = chunk_size or max(
            MIN_CHUNK, min(CHUNK_SIZE, math.ceil(len(planned) / processes))
        )
    sizes = _chunk_sizes(len(planned), chunk_size)

    def chunks():
        start = 0
        for size in sizes:
            chunk = [prepare(item) for item in planned[start : start + size]]
            start += size
            chunk = [doc for doc in chunk if doc is not None]
            if chunk:
                yield chunk

    _render_chunks(chunks(), count=len(sizes), processes=processes, on_chunk=on_chunk)

    for doc in outcome.existing:
        with doc.pdf.open("rb") as fh:
            data = fh.read()
        combined.add(data)
        zip_entries.append((_zip_name(doc), data))
    outcome.combined_pdf = combined.finish()
    outcome.zip_bytes = _zip(zip_entries)
    return outcome


def _holder_name(kind: DocumentKind, achievement) -> str:
    try:
        return kind.holder(achievement).name_ar
    except Exception:  # noqa: BLE001
        return str(achievement)


def documents_collect(*, documents: list[IssuedDocument]) -> BulkOutcome:
    """Outputs (combined PDF and ZIP) for documents already in the register."""
    outcome = BulkOutcome(existing=list(documents))
    parts, entries = [], []
    for doc in documents:
        with doc.pdf.open("rb") as fh:
            data = fh.read()
        parts.append(data)
        entries.append((_zip_name(doc), data))
    outcome.combined_pdf = _merge_pdfs(parts)
    outcome.zip_bytes = _zip(entries)
    return outcome


REPRINT = "issued-between"


@transaction.atomic
def bulk_job_start(
    *,
    user,
    kind_code: str,
    selection: str,
    params: dict,
    language: str,
    digits: str,
    description: str,
) -> BulkJob:
    """Record a bulk run for `user` to start; only people who may issue the kind.

    A reprint of every kind (`kind_code=""`) needs the right to issue at least one
    kind; the run itself collects only documents of issuers the user holds a role
    over.
    """
    if selection == REPRINT and not kind_code:
        allowed = bool(kinds_user_may_issue(user))
    else:
        kind = get_kind(kind_code)
        if selection != REPRINT:
            kind.selection(selection)  # KeyError for a selection the kind lacks
        allowed = may_issue_kind(user, kind)
    if not allowed:
        raise PermissionDenied(
            _(
                "Only the people who issue these documents (institute administrators "
                "or trainers of the issuing hospital) can start a bulk run."
            )
        )
    return BulkJob.objects.create(
        kind=kind_code,
        selection=selection,
        params=params,
        language=language,
        digits=digits,
        description=description[:255],
        started_by=user,
    )


def bulk_job_run(job_id: int) -> None:
    """Carry out a BulkJob (called by the background task)."""
    job = BulkJob.objects.select_related("started_by").get(pk=job_id)
    if job.status not in (BulkJobStatus.QUEUED, BulkJobStatus.FAILED):
        return
    BulkJob.objects.filter(pk=job.pk).update(
        status=BulkJobStatus.RUNNING, started_at=timezone.now(), done=0
    )
    user = job.started_by

    def progress(n: int) -> None:
        from django.db.models import F

        BulkJob.objects.filter(pk=job.pk).update(done=F("done") + n)

    try:
        if job.selection == REPRINT:
            qs = access.filter_for(
                IssuedDocument.objects.filter(
                    issued_at__date__gte=job.params["date_from"],
                    issued_at__date__lte=job.params["date_to"],
                    revoked_at__isnull=True,
                    replaced_at__isnull=True,
                ),
                user,
                "view",
            )
            if job.kind:
                qs = qs.filter(kind=job.kind)
            documents = list(
                qs.order_by("issuer_institute", "issuer_hospital", "serial")
            )
            BulkJob.objects.filter(pk=job.pk).update(total=len(documents))
            outcome = documents_collect(documents=documents)
            progress(len(documents))
        else:
            kind = get_kind(job.kind)
            selection = kind.selection(job.selection)
            chosen = access.filter_for(selection.queryset(job.params), user, "view")
            achievements = list(kind.achievements().filter(pk__in=chosen.values("pk")))
            BulkJob.objects.filter(pk=job.pk).update(total=len(achievements))
            outcome = documents_issue_many(
                kind=kind,
                achievements=achievements,
                issued_by=user,
                language=job.language,
                digits=job.digits,
                progress=progress,
            )
        job.refresh_from_db()
        if outcome.combined_pdf:
            job.combined_pdf.save(
                "documents.pdf", ContentFile(outcome.combined_pdf), save=False
            )
            job.zip_file.save(
                "documents.zip", ContentFile(outcome.zip_bytes), save=False
            )
        job.issued_count = len(outcome.issued)
        job.skipped_count = len(outcome.existing)
        job.failures = outcome.failures
        job.status = BulkJobStatus.DONE
        job.finished_at = timezone.now()
        job.save()
    except Exception as exc:
        logger.exception("Bulk job %s failed", job.pk)
        BulkJob.objects.filter(pk=job.pk).update(
            status=BulkJobStatus.FAILED, error=_message(exc), finished_at=timezone.now()
        )
