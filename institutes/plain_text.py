"""Text people type that is later printed, shown to others or written to a log.

Two dangers share one table of characters:

- Bidirectional overrides and invisible format characters (U+202A–U+202E,
  U+2066–U+2069, U+200E/U+200F, U+061C, zero-width spaces, soft hyphens ...) are
  invisible in a form but reorder or hide what a certificate, the public
  verification page or a back-office list shows. Fields that name people or are
  shown to other people refuse them with `validate_visible_text`.
- Line breaks and other control characters in a value written to a log forge log
  lines. `log_value` escapes them.
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Joiners shape Persian words and emoji sequences without reordering anything.
_ALLOWED_FORMAT = {"\u200c", "\u200d"}
# Invisible letters and marks that Unicode does not class as "format".
_INVISIBLE_OTHERS = {"\u034f", "\u115f", "\u1160", "\u3164", "\uffa0", "\u2800"}
_HIDDEN_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Co", "Cs"}
_LINE_BREAKS = {"\n", "\r", "\t"}


def is_hidden(char: str, *, multiline: bool = False) -> bool:
    """Whether this one character is invisible or changes how text around it reads."""
    if multiline and char in _LINE_BREAKS:
        return False
    if char in _ALLOWED_FORMAT:
        return False
    return char in _INVISIBLE_OTHERS or unicodedata.category(char) in (
        _HIDDEN_CATEGORIES
    )


def hidden_characters(text: str, *, multiline: bool = False) -> list[str]:
    """The hidden characters in `text`, in order of appearance (each once)."""
    text = text or ""
    # Fast path (C-level): isprintable() is False for every hidden category.
    if text.isprintable() and _INVISIBLE_OTHERS.isdisjoint(text):
        return []
    found: list[str] = []
    for char in text:
        if is_hidden(char, multiline=multiline) and char not in found:
            found.append(char)
    return found


def hidden_characters_problem(text: str, *, multiline: bool = False) -> str | None:
    """The refusal message for `text`, or None when it has no hidden character."""
    try:
        _refuse(text, multiline=multiline)
    except ValidationError as exc:
        return exc.messages[0]
    return None


def _describe(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, '')}".strip()


def _refuse(text: str, *, multiline: bool) -> None:
    found = hidden_characters(str(text or ""), multiline=multiline)
    if found:
        raise ValidationError(
            _(
                "This text contains invisible control characters (%(characters)s) "
                "that can reverse or hide what is printed. Delete them (retype the "
                "text) and save again."
            ),
            code="hidden_characters",
            params={"characters": ", ".join(_describe(c) for c in found)},
        )


def validate_visible_text(value: str) -> None:
    """Validator for one-line fields: refuse bidi overrides, invisible and control
    characters."""
    _refuse(value, multiline=False)


def validate_visible_multiline_text(value: str) -> None:
    """Validator for free text: as `validate_visible_text`, line breaks allowed."""
    _refuse(value, multiline=True)


_PLAIN_LOG_VALUE = re.compile(r"[\w.@+:/\-]+")


def log_value(value) -> str:
    """`value` as one token of a `key=value` log line that cannot forge another line.

    Simple values are written as they are; anything else is double-quoted with
    quotes, backslashes, line breaks and every hidden character escaped.
    """
    text = "-" if value is None else str(value)
    if text and _PLAIN_LOG_VALUE.fullmatch(text) and not hidden_characters(text):
        return text
    escaped = []
    for char in text:
        if char in {'"', "\\"}:
            escaped.append("\\" + char)
        elif char == "\n":
            escaped.append("\\n")
        elif char == "\r":
            escaped.append("\\r")
        elif char == "\t":
            escaped.append("\\t")
        elif is_hidden(char) or char.isspace() and char != " ":
            code = ord(char)
            if code < 0x100:
                escaped.append(f"\\x{code:02x}")
            elif code < 0x10000:
                escaped.append(f"\\u{code:04x}")
            else:
                escaped.append(f"\\U{code:08x}")
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'
