"""Printable placement papers, rendered by the certificates app's one PDF engine.

The ward schedule for the nurses' station is not an issued document (no register
entry, no verification code), so its kind is built here but not registered: it only
lends the shared stylesheets, fonts and page set-up to `certificates.rendering`.
"""

from __future__ import annotations

import datetime

from django.template.loader import render_to_string
from django.utils import timezone, translation

from certificates.registry import DocumentKind

from .models import Placement

WARD_SCHEDULE = DocumentKind(
    code="training.ward_schedule",
    label="Ward schedule",
    model=Placement,
    template="training/placements/pdf/ward_schedule.html",
    holder=lambda ward: None,
    issuer=lambda ward: ward.hospital,
    title=lambda ward: ("جدول تدريب الطلاب", "Students' ward schedule"),
    orientation="landscape",
    stylesheet="training/placements/pdf/ward_schedule.css",
)


def render_ward_schedule(
    *, ward, start: datetime.date, end: datetime.date, days: list
) -> bytes:
    """The bilingual schedule of a ward (each day and shift, its students) as PDF."""
    from certificates.rendering import get_engine, logo_uri, stylesheets_for, wrap_html

    with translation.override("ar"):
        body = render_to_string(
            WARD_SCHEDULE.template,
            {
                "ward": ward,
                "start": start,
                "end": end,
                "days": days,
                "doc": {"issuer": ward.hospital, "logo": logo_uri(ward.hospital)},
                "printed_at": timezone.localtime(),
            },
        )
    title = f"{ward.name_ar} — {start.isoformat()} / {end.isoformat()}"
    html = wrap_html(
        [
            '<section class="document landscape" id="doc-0" lang="ar" dir="rtl">'
            f"{body}</section>"
        ],
        title=title,
        language="ar",
    )
    result = get_engine().render(
        html,
        stylesheets_for(WARD_SCHEDULE),
        doc_ids=["doc-0"],
        titles=[title],
        seconds=60,
    )
    return result.documents[0].pdf
