"""Keyed pseudonymisation of personnummer into a stable ``student_key``.

``student_key = hex(HMAC-SHA256(key, normalised 12-digit number))[:32]``: the first 128 bits
of the MAC as 32 lower-case hex characters. 128 bits keep collisions out of reach for any
realistic number of students (birthday bound about 2**64) while halving the column's size.
The key comes from the settings (``LIKVARD_PSEUDONYM_KEY``), is passed in by the caller and is
never logged or stored with the data; the same key always gives the same ``student_key``, a
different key gives unrelated ones.
"""

from __future__ import annotations

import hashlib
import hmac

import pyarrow as pa
import pyarrow.compute as pc

from likvard_core.ingest.pseudonymisation.hashing_db import select_column
from likvard_core.ingest.validation.personnummer import current_year, normalise_personnummer

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


def _hmac_pads(secret: bytes) -> tuple[bytes, bytes]:
    """The HMAC inner and outer key blocks (RFC 2104): the key padded to 64 bytes, XOR 0x36/0x5c.

    A key longer than the block is hashed first, as ``hmac`` does.
    """
    block = hashlib.sha256().block_size
    padded = (hashlib.sha256(secret).digest() if len(secret) > block else secret).ljust(
        block, b"\0"
    )
    return bytes(byte ^ 0x36 for byte in padded), bytes(byte ^ 0x5C for byte in padded)


_HMAC_SQL = (
    "SELECT left(sha256($outer_pad || unhex(sha256($inner_pad || encode(number)))), $length) "
    "FROM numbers"
)
"""HMAC-SHA256 (RFC 2104) of each number as lower-case hex, cut to ``$length`` characters.

``sha256`` of a BLOB hashes its bytes and returns hex; ``unhex`` gives the inner digest's bytes
back. The pads are BLOB parameters, so the key is never part of the SQL text."""


class Pseudonymiser:
    """Validates personnummer and turns them into ``student_key`` values under one key.

    Calling it on one text validates and pseudonymises that text (``PersonnummerError``, which
    never holds the number, for an invalid one). ``keys`` does the same for a whole column of
    already normalised numbers, computing the HMAC once per distinct number.
    """

    __slots__ = ("_secret", "reference_year")

    def __init__(self, key: bytes | str, *, reference_year: int | None = None) -> None:
        self._secret = key_bytes(key)
        self.reference_year = reference_year if reference_year is not None else current_year()

    def __repr__(self) -> str:
        return f"Pseudonymiser(reference_year={self.reference_year})"

    def normalise(self, text: str) -> str:
        """The 12-digit form of ``text`` (see ``normalise_personnummer``)."""
        return normalise_personnummer(text, reference_year=self.reference_year)

    def __call__(self, text: str) -> str:
        normalised = normalise_personnummer(text, reference_year=self.reference_year)
        return hmac.digest(self._secret, normalised.encode("ascii"), "sha256").hex()[
            :STUDENT_KEY_LENGTH
        ]

    def keys(self, normalised: pa.Array | pa.ChunkedArray) -> pa.Array:
        """The ``student_key`` of each normalised 12-digit number (nulls stay null).

        Numbers are deduplicated first (a student has one row per subject or year), so the
        keyed hash (HMAC-SHA256, as in ``student_key``) runs once per distinct student.
        """
        if isinstance(normalised, pa.ChunkedArray):
            normalised = normalised.combine_chunks()
        encoded = pc.dictionary_encode(normalised)
        return self.macs(encoded.dictionary).take(encoded.indices)

    def macs(self, numbers: pa.Array) -> pa.Array:
        """The ``student_key`` of every number of a string array, in order (nulls stay null).

        Computed by DuckDB, vectorised and on every core, byte-identical to ``student_key``;
        the numbers reach it as a registered Arrow table, the key pads as bound parameters.
        """
        if len(numbers) == 0:
            return pa.array([], pa.string())
        inner_pad, outer_pad = _hmac_pads(self._secret)
        column = select_column(
            _HMAC_SQL,
            {"numbers": pa.table({"number": numbers.cast(pa.string())})},
            {"inner_pad": inner_pad, "outer_pad": outer_pad, "length": STUDENT_KEY_LENGTH},
        )
        return column.combine_chunks().cast(pa.string())


def pseudonymiser(key: bytes | str, *, reference_year: int | None = None) -> Pseudonymiser:
    """A function from a personnummer in any accepted form to its ``student_key``.

    The returned ``Pseudonymiser`` validates first and raises ``PersonnummerError`` (which
    never holds the number) for an invalid one. The clear value exists only inside that call.
    """
    return Pseudonymiser(key, reference_year=reference_year)
