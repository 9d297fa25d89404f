"""Every import kind speaks Swedish on the upload page: its description and column meanings.

The adapters in ``likvard_core`` describe kinds in English; the page translates them through
msgids marked in ``likvard.warehouse.kinds``. A kind added without marking its texts there
lost its Swedish at the next ``make messages`` (diplomas and incidents did).
"""

from __future__ import annotations

import pytest
from django.utils.translation import trans_real

from likvard.warehouse import kinds
from likvard_core.ingest.kinds import KINDS


def _texts() -> list[tuple[str, str]]:
    found = []
    for name, kind in KINDS.items():
        found.append((name, kind.description))
        columns = getattr(kind, "columns", ())
        found.extend((f"{name}.{c.field}", c.meaning) for c in columns if c.meaning)
    return found


@pytest.mark.parametrize(("where", "text"), _texts())
def test_kind_text_is_marked_and_swedish(where: str, text: str) -> None:
    marked = set(kinds.DESCRIPTIONS) | set(kinds.MEANINGS)
    prefixed = any(text.startswith(prefix) for prefix in kinds._PREFIXES)
    assert prefixed or text in marked, f"{where}: {text!r} is not marked in warehouse/kinds.py"
    catalogue = trans_real.translation("sv")._catalog  # the merged catalogues, as pages see them
    assert prefixed or catalogue.get(text), f"{where}: {text!r} has no Swedish"
