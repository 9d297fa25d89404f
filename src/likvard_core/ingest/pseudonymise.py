"""Keyed pseudonymisation of personnummer into a stable ``student_key``.

``student_key = hex(HMAC-SHA256(key, normalised 12-digit number))[:32]``: the first 128 bits
of the MAC as 32 lower-case hex characters. 128 bits keep collisions out of reach for any
realistic number of students (birthday bound about 2**64) while halving the column's size.
The key comes from the settings (``LIKVARD_PSEUDONYM_KEY``), is passed in by the caller and is
never logged or stored with the data; the same key always gives the same ``student_key``, a
different key gives unrelated ones.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable

from likvard_core.ingest.personnummer import current_year, normalise_personnummer

STUDENT_KEY_LENGTH = 32
"""Hex characters kept of the HMAC-SHA256 digest (128 bits)."""

_MIN_KEY_BYTES = 16


def key_bytes(key: bytes | str) -> bytes:
    """The key as bytes (a ``str`` is UTF-8 encoded); ``ValueError`` if shorter than 16 bytes."""
    raw = key.encode("utf-8") if isinstance(key, str) else bytes(key)
    if len(raw) < _MIN_KEY_BYTES:
        raise ValueError(f"the pseudonym key must be at least {_MIN_KEY_BYTES} bytes")
    return raw


def student_key(normalised: str, key: bytes | str) -> str:
    """The ``student_key`` of a normalised 12-digit personnummer under ``key``."""
    digest = hmac.digest(key_bytes(key), normalised.encode("ascii"), "sha256")
    return digest.hex()[:STUDENT_KEY_LENGTH]


def pseudonymiser(key: bytes | str, *, reference_year: int | None = None) -> Callable[[str], str]:
    """A function from a personnummer in any accepted form to its ``student_key``.

    The returned function validates first and raises ``PersonnummerError`` (which never holds
    the number) for an invalid one. The clear value exists only inside that call.
    """
    secret = key_bytes(key)
    digest = hmac.digest
    year = reference_year if reference_year is not None else current_year()

    def pseudonymise(text: str) -> str:
        normalised = normalise_personnummer(text, reference_year=year)
        return digest(secret, normalised.encode("ascii"), "sha256").hex()[:STUDENT_KEY_LENGTH]

    return pseudonymise
