"""Issuing, re-issuing after a correction, and revoking documents.

Every write to the register goes through here. Issuing is idempotent: asking again
for the same kind and achievement returns the current document. A correction makes a
new document that supersedes the old one; revocation keeps the row and records who,
when and why.
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from institutes import access
from institutes.models import Hospital, Institute

from .codes import code_digest, generate_code
from .models import Digits, DocumentLanguage, IssuedDocument, SerialCounter
from .pdfengine import RenderedDocument
from .registry import DocumentKind, all_kinds, get_kind
from .rendering import PreparedDocument, logo_uri, render_documents

logger = logging.getLogger(__name__)


@dataclass
class IssueResult:
    document: IssuedDocument
    created: bool


def issuer_key(issuer) -> str:
    if isinstance(issuer, Institute):
        return f"institute:{issuer.pk}"
    if isinstance(issuer, Hospital):
        return f"hospital:{issuer.pk}"
    raise TypeError(f"An issuer is an Institute or a Hospital, not {type(issuer)}")


def serial_text(issuer, year: int, number: int) -> str:
    return f"{issuer.code.upper()}-{year}-{number:05d}"


def serials_allocate(*, issuer, year: int, count: int = 1) -> int:
    """Reserve `count` consecutive serial numbers; return the first.

    The counter row is updated with `last_number = last_number + count`, which locks
    it until the surrounding transaction ends, so concurrent issues never share a
    number (and the register's unique constraint would refuse it anyway). Numbers of
    a bulk run that fails part-way are not reused: serials are unique and increasing,
    not gap-free.
    """
    key = issuer_key(issuer)
    with transaction.atomic():
        updated = SerialCounter.objects.filter(issuer_key=key, year=year).update(
            last_number=F("last_number") + count
        )
        if not updated:
            try:
                with transaction.atomic():
                    SerialCounter.objects.create(
                        issuer_key=key, year=year, last_number=count
                    )
                    return 1
            except IntegrityError:
                SerialCounter.objects.filter(issuer_key=key, year=year).update(
                    last_number=F("last_number") + count
                )
        last = SerialCounter.objects.get(issuer_key=key, year=year).last_number
    return last - count + 1


def may_issue_as(user, issuer) -> bool:
    """Whether `user` holds a role over the issuing institute or hospital."""
    scope = access.scope_for(user)
    if scope.is_authority:
        return True
    if isinstance(issuer, Institute):
        return issuer.pk in scope.institute_ids
    if isinstance(issuer, Hospital):
        return issuer.pk in scope.hospital_ids
    return False


def may_issue_kind(user, kind: DocumentKind) -> bool:
    """Whether `user` holds a role that issues documents of this kind somewhere.

    Institute kinds are issued by institute administrators, hospital kinds by
    trainers; editors, supervisors and users without a role issue none.
    """
    scope = access.scope_for(user)
    if scope.is_authority:
        return True
    if kind.issuer_model is Institute:
        return bool(scope.institute_ids)
    if kind.issuer_model is Hospital:
        return bool(scope.hospital_ids)
    return bool(scope.institute_ids or scope.hospital_ids)


def kinds_user_may_issue(user) -> list[DocumentKind]:
    return [kind for kind in all_kinds() if may_issue_kind(user, kind)]


def _check_may_issue(user, kind: DocumentKind, achievement) -> None:
    if not isinstance(achievement, kind.model):
        raise TypeError(
            f"{kind.code} certifies {kind.model._meta.label}, not {type(achievement)}"
        )
    if user is None:
        return  # system runs (demo loader, management commands)
    if not access.can(user, "view", achievement) or not may_issue_as(
        user, kind.issuer(achievement)
    ):
        raise PermissionDenied(
            _("You can only issue documents for your own institutes and hospitals.")
        )


def current_document(kind: DocumentKind, achievement) -> IssuedDocument | None:
    return (
        IssuedDocument.objects.filter(
            kind=kind.code,
            achievement_type=ContentType.objects.get_for_model(kind.model),
            achievement_id=achievement.pk,
            revoked_at__isnull=True,
            replaced_at__isnull=True,
        )
        .select_related("issuer_institute", "issuer_hospital")
        .first()
    )


def document_prepare(
    *,
    kind: DocumentKind,
    achievement,
    language: str,
    digits: str,
    issued_on: datetime.date,
    serial_number: int,
    code: str | None = None,
    logo: str | None = None,
) -> PreparedDocument:
    """Everything the PDF shows, read from the achievement (no writes)."""
    holder = kind.holder(achievement)
    issuer = kind.issuer(achievement)
    if language == DocumentLanguage.ENGLISH:
        digits = Digits.WESTERN  # Arabic-Indic digits only ever appear in Arabic text
    title_ar, title_en = kind.title(achievement)
    return PreparedDocument(
        kind=kind,
        achievement=achievement,
        holder=holder,
        issuer=issuer,
        year=issued_on.year,
        serial_number=serial_number,
        serial=serial_text(issuer, issued_on.year, serial_number),
        code=code or generate_code(),
        language=language,
        digits=digits,
        holder_name_ar=holder.name_ar,
        holder_name_en=holder.name_en,
        title_ar=title_ar,
        title_en=title_en,
        issued_on=issued_on,
        valid_until=kind.expiry(achievement, issued_on) if kind.expiry else None,
        data=kind.context(achievement),
        logo=logo if logo is not None else logo_uri(issuer),
    )


def document_row(
    prepared: PreparedDocument,
    rendered: RenderedDocument,
    *,
    issued_by,
    issued_at: datetime.datetime,
    achievement_type: ContentType,
) -> IssuedDocument:
    """An unsaved register row for a rendered document (its PDF already stored)."""
    issuer = prepared.issuer
    doc = IssuedDocument(
        kind=prepared.kind.code,
        holder=prepared.holder,
        achievement_type=achievement_type,
        achievement_id=prepared.achievement.pk,
        issuer_institute=issuer if isinstance(issuer, Institute) else None,
        issuer_hospital=issuer if isinstance(issuer, Hospital) else None,
        year=prepared.year,
        serial_number=prepared.serial_number,
        serial=prepared.serial,
        code=prepared.code,
        code_digest=code_digest(prepared.code),
        language=prepared.language,
        digits=prepared.digits,
        holder_name_ar=prepared.holder_name_ar,
        holder_name_en=prepared.holder_name_en,
        title_ar=prepared.title_ar[:255],
        title_en=prepared.title_en[:255],
        issued_at=issued_at,
        issued_by=issued_by,
        valid_until=prepared.valid_until,
        sha256=rendered.sha256,
        page_count=rendered.pages,
    )
    doc.pdf.name = doc.pdf.field.generate_filename(doc, f"{prepared.code}.pdf")
    doc.refresh_search_text()
    return doc


def store_pdf(doc: IssuedDocument, pdf: bytes) -> None:
    storage = doc.pdf.storage
    name = storage.save(doc.pdf.name, ContentFile(pdf))
    doc.pdf.name = name


def _render_new(
    *,
    kind: DocumentKind,
    achievement,
    issued_by,
    language: str,
    digits: str,
    correction_note: str = "",
) -> IssuedDocument:
    """Allocate a serial, render and store the PDF: an unsaved register row.

    The serial is taken in its own short transaction, so the counter row (on SQLite,
    the whole database's write lock) is never held while the PDF renders. A serial
    whose document is then not saved is skipped, never reused (serials are unique and
    increasing, not gap-free).
    """
    now = timezone.now()
    today = timezone.localdate(now)
    number = serials_allocate(issuer=kind.issuer(achievement), year=today.year)
    prepared = document_prepare(
        kind=kind,
        achievement=achievement,
        language=language,
        digits=digits,
        issued_on=today,
        serial_number=number,
    )
    rendered = render_documents([prepared]).documents[0]
    doc = document_row(
        prepared,
        rendered,
        issued_by=issued_by,
        issued_at=now,
        achievement_type=ContentType.objects.get_for_model(kind.model),
    )
    doc.correction_note = correction_note
    store_pdf(doc, rendered.pdf)
    return doc


def _discard(doc: IssuedDocument) -> None:
    doc.pdf.storage.delete(doc.pdf.name)


def document_issue(
    *,
    kind: str | DocumentKind,
    achievement,
    issued_by,
    language: str = DocumentLanguage.BILINGUAL,
    digits: str = Digits.ARABIC_INDIC,
) -> IssueResult:
    """Issue the document for this achievement, or return the one already current.

    Checks once, in this order: who may issue (PermissionDenied when `issued_by`
    holds no role over the issuer), then eligibility (`NotEligible`, a
    ValidationError). Renders outside any lock; only the register row's insert is a
    transaction, and the database's one-current-document constraint settles a race
    (the other request's document is returned).
    """
    kind = get_kind(kind) if isinstance(kind, str) else kind
    _check_may_issue(issued_by, kind, achievement)
    existing = current_document(kind, achievement)
    if existing is not None:
        return IssueResult(existing, False)
    kind.check_eligible(achievement)
    doc = _render_new(
        kind=kind,
        achievement=achievement,
        issued_by=issued_by,
        language=language,
        digits=digits,
    )
    try:
        with transaction.atomic():
            doc.save()
    except IntegrityError:
        _discard(doc)
        # Someone issued it at the same moment: theirs is the document.
        existing = current_document(kind, achievement)
        if existing is None:
            raise
        return IssueResult(existing, False)
    return IssueResult(doc, True)


def document_reissue(
    *,
    document: IssuedDocument,
    issued_by,
    reason: str,
    language: str | None = None,
    digits: str | None = None,
) -> IssuedDocument:
    """Issue a corrected document that supersedes `document` (e.g. after a misspelt name).

    The old one stays in the register and verifies as "superseded", pointing to the new.
    The new PDF is rendered first; superseding the old row and saving the new one is
    one transaction, which re-checks that the old document is still current.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say what was corrected.")})

    def refuse_if_not_current(row: IssuedDocument) -> None:
        if row.revoked_at is not None or row.replaced_at is not None:
            raise ValidationError(
                _("Only a current document can be re-issued; this one is %(status)s.")
                % {"status": row.get_status_display()}
            )

    old = IssuedDocument.objects.get(pk=document.pk)
    refuse_if_not_current(old)
    kind = get_kind(old.kind)
    achievement = kind.achievements().get(pk=old.achievement_id)
    _check_may_issue(issued_by, kind, achievement)
    new = _render_new(
        kind=kind,
        achievement=achievement,
        issued_by=issued_by,
        language=language or old.language,
        digits=digits or old.digits,
        correction_note=reason[:255],
    )
    try:
        with transaction.atomic():
            old = IssuedDocument.objects.select_for_update().get(pk=document.pk)
            refuse_if_not_current(old)
            old.replaced_at = timezone.now()
            old.save(update_fields=["replaced_at"])
            new.save()
            old.superseded_by = new
            old.save(update_fields=["superseded_by"])
    except (ValidationError, IntegrityError):
        _discard(new)
        raise
    return new


def document_file_missing(document: IssuedDocument) -> bool:
    """Whether the stored PDF of a register row is gone from its storage."""
    return not document.pdf.name or not document.pdf.storage.exists(document.pdf.name)


def document_rerender(*, document: IssuedDocument, rendered_by) -> IssuedDocument:
    """Render again the PDF of a document whose stored file is missing.

    The same document is rebuilt: its serial, code (so the printed QR still
    verifies), date, language, digits and the names and title recorded at issue;
    the record's own data (marks, hours) is read as it is now. The new file's
    checksum replaces the old one. Only someone allowed to issue the document may
    do it, and only when the file is really gone (a present file is never replaced:
    a correction is a re-issue). Renders outside any lock, like an issue; the
    file and the register row are written under the row's lock, and if someone
    else rendered it in the meantime, theirs is kept.
    """
    doc = IssuedDocument.objects.get(pk=document.pk)
    kind = get_kind(doc.kind)
    achievement = kind.achievements().get(pk=doc.achievement_id)
    _check_may_issue(rendered_by, kind, achievement)
    if not document_file_missing(doc):
        raise ValidationError(
            _("The file of this document is there; nothing was rendered again.")
        )
    prepared = dataclasses.replace(
        document_prepare(
            kind=kind,
            achievement=achievement,
            language=doc.language,
            digits=doc.digits,
            issued_on=timezone.localdate(doc.issued_at),
            serial_number=doc.serial_number,
            code=doc.code,
        ),
        serial=doc.serial,
        holder_name_ar=doc.holder_name_ar,
        holder_name_en=doc.holder_name_en,
        title_ar=doc.title_ar,
        title_en=doc.title_en,
        valid_until=doc.valid_until,
    )
    rendered = render_documents([prepared]).documents[0]
    with transaction.atomic():
        doc = IssuedDocument.objects.select_for_update().get(pk=document.pk)
        if not document_file_missing(doc):
            return doc  # rendered by someone else meanwhile
        if not doc.pdf.name:
            doc.pdf.name = doc.pdf.field.generate_filename(doc, f"{doc.code}.pdf")
        store_pdf(doc, rendered.pdf)
        doc.sha256 = rendered.sha256
        doc.page_count = rendered.pages
        doc.save(update_fields=["pdf", "sha256", "page_count"])
    logger.info(
        "document %s: missing PDF rendered again by %s",
        doc.serial,
        getattr(rendered_by, "pk", None),
    )
    return doc


@transaction.atomic
def document_revoke(
    *, document: IssuedDocument, revoked_by, reason: str
) -> IssuedDocument:
    """Withdraw a document; it then verifies as revoked (with the date)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("A reason is required to revoke a document.")}
        )
    doc = IssuedDocument.objects.select_for_update().get(pk=document.pk)
    if revoked_by is not None and not access.can(revoked_by, "change", doc):
        raise PermissionDenied(
            _("You can only revoke documents of your own institutes and hospitals.")
        )
    if doc.revoked_at is not None:
        raise ValidationError(_("This document is already revoked."))
    doc.revoked_at = timezone.now()
    doc.revoked_by = revoked_by
    doc.revocation_reason = reason
    doc.full_clean(exclude=["pdf", "achievement_type", "holder"])
    doc.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    return doc
