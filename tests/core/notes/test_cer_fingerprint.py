"""Character error rate and the re-import fingerprint."""

from __future__ import annotations

import unicodedata

import pytest

from likvard_core.notes.cer import character_error_rate, edit_distance
from likvard_core.notes.fingerprint import fingerprint


def test_edit_distance_counts_insertions_deletions_substitutions():
    assert edit_distance("Göteborg", "Göteborg") == 0
    assert edit_distance("Goteborg", "Göteborg") == 1
    assert edit_distance("Ordférande", "Ordförande") == 1
    assert edit_distance("kvalitet", "kvalitets") == 1
    assert edit_distance("", "abc") == 3


def test_cer_is_edits_per_reference_character():
    assert character_error_rate("abcd", "abce") == pytest.approx(0.25)
    assert character_error_rate("a  b\n\nc", "a b c") == 0.0
    assert character_error_rate("a  b", "a b", collapse=False) == pytest.approx(1 / 3)
    assert character_error_rate("", "") == 0.0
    assert character_error_rate("x", "") == 1.0
    assert character_error_rate("zzzzzzzzzz", "abcdefghij") == 1.0


def test_fingerprint_is_stable_across_encoding_forms_and_line_ends():
    text = "Anteckningar 221130\n\nNärvarande på plats\nLena Eriksson, Tjörn\n"
    variants = [
        text.replace("\n", "\r\n"),
        unicodedata.normalize("NFD", text),
        text.replace("\n", "  \n") + "\n\n",
        "\ufeff" + text,
    ]
    assert {fingerprint(v) for v in variants} == {fingerprint(text)}
    assert fingerprint(text).startswith("notes-sha256:")
    assert fingerprint(text) != fingerprint(text.replace("Tjörn", "Tjorn"))
    assert fingerprint(text) != fingerprint(text.replace("Lena", "Lina"))
