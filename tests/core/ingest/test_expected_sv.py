"""Every 'expected' text the import kinds write reads as Swedish in a Swedish message."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from likvard_core.ingest.issues import Issue, expected_sv

INGEST = Path(__file__).resolve().parents[3] / "src/likvard_core/ingest"

ENGLISH = re.compile(
    r"\b(or|and|the|such as|e\.g\.|digits?|number|value|column|columns|code|year|age|"
    r"upper secondary|grading|scale|used|since|name|no|in|a|an)\b"
)


def _expected_literals() -> set[str]:
    """The string literals the kinds pass as ``expected``: CellError, choice_parser, log.add."""
    found: set[str] = set()
    for path in INGEST.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            position = {"CellError": 1, "choice_parser": 1, "add": 3}.get(name or "")
            if position is None or len(node.args) <= position:
                continue
            arg = node.args[position]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value:
                found.add(arg.value)
    return found


def test_the_scan_finds_the_kinds_texts():
    literals = _expected_literals()
    assert {"A, B, C, D, E or F", "ja or nej", "F/K (flicka) or M/P (pojke)"} <= literals
    assert len(literals) > 15


def test_every_expected_text_has_no_english_in_swedish():
    english = {
        text: expected_sv(text)
        for text in _expected_literals()
        if ENGLISH.search(expected_sv(text))
    }
    assert english == {}


def test_a_swedish_message_translates_expected_and_english_keeps_it():
    issue = Issue("betyg.csv", 2, "betyg", "invalid_grade", "A, B, C, D, E or F", "Q")
    assert issue.message("sv") == "inte ett betyg, förväntade A, B, C, D, E eller F (fick 'Q')"
    assert issue.message("en").startswith("not a grade, expected A, B, C, D, E or F")
