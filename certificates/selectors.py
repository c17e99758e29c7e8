"""Reads of the register: public verification and scoped lists."""

from __future__ import annotations

import hashlib
import hmac

from django.core.cache import cache
from django.db.models import QuerySet

from institutes import access

from .codes import CODE_LENGTH, code_digest, normalize_code
from .models import BulkJob, IssuedDocument

_NO_CODE = "0" * CODE_LENGTH


def document_for_code(raw: str) -> IssuedDocument | None:
    """The document with this verification code, or None.

    The register is searched by the code's SHA-256, so the database never compares
    prefixes of real codes, and the final comparison is constant-time. A malformed
    code costs the same query as a well-formed unknown one.
    """
    code = normalize_code(raw)
    digest = code_digest(code or _NO_CODE)
    doc = (
        IssuedDocument.objects.select_related(
            "issuer_institute", "issuer_hospital", "superseded_by"
        )
        .filter(code_digest=digest)
        .first()
    )
    if doc is None or code is None:
        return None
    if not hmac.compare_digest(doc.code.encode(), code.encode()):
        return None
    return doc


def pdf_matches(doc: IssuedDocument, data: bytes) -> bool:
    """Whether these bytes are exactly the PDF the register recorded."""
    return hmac.compare_digest(hashlib.sha256(data).hexdigest(), doc.sha256)


def verify_rate_exceeded(client_address: str, *, limit: int, window: int) -> bool:
    """Count one look-up for this address; True when it is over the limit."""
    key = "certificates:verify:" + hashlib.sha256(client_address.encode()).hexdigest()
    if cache.add(key, 1, window):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        return False
    return count > limit


def documents_for_user(user) -> QuerySet:
    """The register rows `user` may see, with what listings show already joined."""
    return access.filter_for(
        IssuedDocument.objects.select_related(
            "issuer_institute", "issuer_hospital", "issued_by", "holder"
        ),
        user,
        "view",
    )


def bulk_jobs_for_user(user) -> QuerySet:
    """Bulk runs the user started (authority staff see every run)."""
    qs = BulkJob.objects.select_related("started_by")
    if access.scope_for(user).is_authority:
        return qs
    return qs.filter(started_by=user)
