"""Content Security Policy violation reports: logged, never stored.

Browsers POST a report when a page breaks the policy (enforced on the public site,
report-only in the admin). Anyone can send one, so the endpoint is CSRF-exempt
(browsers send no token), accepts POST only, reads at most `CSP_REPORT_MAX_BYTES`,
counts against a per-client rate limit and writes one escaped log line per report on
the `security.csp` logger.
"""

from __future__ import annotations

import json
import logging

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .client_address import client_address
from .plain_text import log_value
from .ratelimit import over_limit

logger = logging.getLogger("security.csp")

_FIELDS = (
    ("document-uri", "documentURL", "page"),
    ("effective-directive", "effectiveDirective", "directive"),
    ("violated-directive", None, "violated"),
    ("blocked-uri", "blockedURL", "blocked"),
    ("source-file", "sourceFile", "source"),
    ("line-number", "lineNumber", "line"),
    ("disposition", "disposition", "disposition"),
)
_MAX_LOGGED_CHARS = 300


def _reports(payload) -> list[dict]:
    """The violation bodies from either format (report-uri or the Reporting API)."""
    if isinstance(payload, dict) and isinstance(payload.get("csp-report"), dict):
        return [payload["csp-report"]]
    if isinstance(payload, list):
        return [
            item["body"]
            for item in payload
            if isinstance(item, dict)
            and item.get("type") == "csp-violation"
            and isinstance(item.get("body"), dict)
        ]
    return []


@csrf_exempt
@require_POST
def csp_report(request):
    limit, window = settings.CSP_REPORT_RATE
    if over_limit(request, scope="csp-report", limit=limit, window=window):
        return HttpResponse(status=429)
    max_bytes = settings.CSP_REPORT_MAX_BYTES
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > max_bytes:
        return HttpResponse(status=413)
    body = request.read(max_bytes + 1)
    if len(body) > max_bytes:
        return HttpResponse(status=413)
    try:
        reports = _reports(json.loads(body.decode("utf-8")))
    except (UnicodeDecodeError, ValueError):
        return HttpResponse(status=400)
    address = log_value(client_address(request))
    for report in reports[:5]:
        parts = []
        for old_key, new_key, label in _FIELDS:
            value = report.get(old_key)
            if value is None and new_key:
                value = report.get(new_key)
            if value is not None:
                parts.append(f"{label}={log_value(str(value)[:_MAX_LOGGED_CHARS])}")
        logger.warning("csp violation address=%s %s", address, " ".join(parts))
    return HttpResponse(status=204)
