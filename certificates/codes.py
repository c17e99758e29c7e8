"""Verification codes: 100 random bits written as 20 Crockford base32 characters.

Crockford's alphabet leaves out I, L, O and U, so nothing printed can be misread as
something else, and reading back is forgiving: lower case, spaces, dashes and the
look-alikes (O→0, I/L→1) are accepted. Codes are printed in four groups of five
(`7KQ3D-M9X2B-...`) so they can be read aloud over the phone.
"""

from __future__ import annotations

import hashlib
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 20  # 20 x 5 bits = 100 random bits
GROUP = 5
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_ALLOWED = frozenset(ALPHABET)


def generate_code() -> str:
    """A new random code, normalised (no dashes)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(value: str) -> str | None:
    """The canonical form of what someone typed, or None when it can't be a code."""
    if not value:
        return None
    cleaned = "".join(ch for ch in value.upper() if ch not in " -_.\t\r\n")
    cleaned = cleaned.translate(_LOOKALIKES)
    if len(cleaned) != CODE_LENGTH or not set(cleaned) <= _ALLOWED:
        return None
    return cleaned


def format_code(code: str) -> str:
    """`ABCDE-FGHJK-...` for printing."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def code_digest(code: str) -> str:
    """What the register is searched by, so look-ups never compare code prefixes."""
    return hashlib.sha256(code.encode("ascii")).hexdigest()
