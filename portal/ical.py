"""Calendar feeds (RFC 5545) written by hand: no calendar library is installed and
the feeds need three properties per event.

Text is escaped (backslash, semicolon, comma, line breaks) and lines are folded at
75 octets without splitting a UTF-8 character, as the RFC asks.
"""

from __future__ import annotations

import datetime

from django.utils import timezone


def escape_text(value: object) -> str:
    text = str(value or "")
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets (continuations start
    with a space, which counts towards their 75)."""
    pieces, current, size, limit = [], "", 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            current, size, limit = "", 0, 74
        current += char
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _date(day: datetime.date) -> str:
    return day.strftime("%Y%m%d")


def calendar(*, name: str, events: list[dict]) -> str:
    """A VCALENDAR with one VEVENT per dict: uid, summary, location, and either
    `day` (an all-day event) or `start`/`end` (aware datetimes)."""
    stamp = _utc(timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Technical Nursing Institutes//Portal//AR",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for event in events:
        lines += ["BEGIN:VEVENT", f"UID:{event['uid']}", f"DTSTAMP:{stamp}"]
        if "day" in event:
            day = event["day"]
            lines += [
                f"DTSTART;VALUE=DATE:{_date(day)}",
                f"DTEND;VALUE=DATE:{_date(day + datetime.timedelta(days=1))}",
            ]
        else:
            lines += [f"DTSTART:{_utc(event['start'])}", f"DTEND:{_utc(event['end'])}"]
        lines.append(f"SUMMARY:{escape_text(event['summary'])}")
        if event.get("location"):
            lines.append(f"LOCATION:{escape_text(event['location'])}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(fold(line) for line in lines) + "\r\n"
