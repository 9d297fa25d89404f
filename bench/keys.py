"""What the student key's representation is worth: text against integer keys, same data.

The warehouse stores ``student_key`` as 32 hexadecimal characters (128 bits of HMAC-SHA256,
ADR 0004), and the equity comparison and the movement tables spend most of their time joining
and grouping on it. This benchmark copies the national data set twice with only the key
changed, in DuckDB: as a 64-bit integer (the digest's first 63 bits, ``BIGINT``) and as
DuckDB's ``UUID`` (all 128 bits in 16 bytes). On each copy it times the same functions as the
equity and movement benchmarks (``grade_vs_test_by_school`` with every group,
``movement_tables`` for the whole country), and on the integer copy their pandas references
too, load included, so the ratio to pandas is measured on equal terms (pandas reads a UUID
column as 16-byte Python objects, so it has no fair UUID run). The text-key figures are
``equity.grade_vs_test``/``equity.pandas_reference`` and
``movement.all_flows``/``movement.pandas_reference`` of the same run. Each copy's results are
checked equal to the text-key results (rows and student counts) before any time is reported;
on the integer copy the pandas references get the same warm-up and best of three as the
product and their outputs are compared with the product's in full (every row and figure, as in
the equity and movement benchmarks) before the ratio is written. ``rows`` is the number of
students counted.
ADR 0009 records what these numbers decided.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pyarrow.compute as pc

from bench.equity import _canonical as equity_canonical
from bench.equity import _pandas as equity_pandas
from bench.harness import (
    OUT_DIR,
    Engine,
    best_of,
    compare,
    national_files,
    national_root,
    raw_connection,
)
from bench.movement import _canonical as movement_canonical
from bench.movement import _pandas as movement_pandas
from bench.movement import national_lookups
from likvard_core.analytics.equity.grade_vs_test import grade_vs_test_by_school
from likvard_core.analytics.movement.scope import Scope
from likvard_core.analytics.movement.tables import movement_tables
from likvard_core.warehouse.snapshot import Snapshot

KEY_TYPES: dict[str, str] = {
    "int64": "(('0x' || left(student_key, 16))::UBIGINT >> 1)::BIGINT",
    "uuid": "student_key::UUID",
}
"""How each copy's key is derived from the 32 hexadecimal characters, in DuckDB SQL."""

_DONE = "ROWS"


def key_copy(root: Path, kind: str, *, out_dir: Path = OUT_DIR) -> Path:
    """The national data set of ``root`` with the key as ``kind``; written once, then reused."""
    copy = out_dir / f"{root.name}-keys-{kind}"
    if (copy / _DONE).exists():
        return copy
    expression = KEY_TYPES[kind]
    con = raw_connection()
    try:
        for paths in national_files(root).values():
            for relative in paths:
                target = copy / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                source = root / relative
                names = [row[0] for row in con.execute(
                    f"DESCRIBE SELECT * FROM read_parquet('{source}')"
                ).fetchall()]  # fmt: skip
                columns = ", ".join(
                    f"{expression} AS student_key" if name == "student_key" else name
                    for name in names
                )
                con.execute(
                    f"COPY (SELECT {columns} FROM read_parquet('{source}')) TO '{target}' "
                    "(FORMAT parquet, COMPRESSION zstd)"
                )
    finally:
        con.close()
    (copy / _DONE).write_text((root / _DONE).read_text())
    return copy


def _equity_signature(snapshot: Snapshot) -> tuple[int, int]:
    table = grade_vs_test_by_school(snapshot).table
    return table.num_rows, int(pc.sum(table.column("n")).as_py() or 0)


def _movement_signature(snapshot: Snapshot, scale: float) -> tuple[int, int]:
    flows = movement_tables(snapshot, national_lookups(scale), Scope()).flows.table
    return flows.num_rows, int(pc.sum(flows.column("n")).as_py() or 0)


def _check(kind: str, what: str, got: tuple[int, int], expected: tuple[int, int]) -> None:
    if got != expected:
        raise RuntimeError(f"{what} on {kind} keys differs from text keys: {got} != {expected}")


def run(snapshot: Snapshot, scale: float, *, out_dir: Path = OUT_DIR) -> list[dict[str, object]]:
    """Equity and movement on integer and UUID keys, and their pandas references on integers."""
    root = national_root(scale, out_dir=out_dir)
    lookups = national_lookups(scale)
    equity_expected = _equity_signature(snapshot)
    movement_expected = _movement_signature(snapshot, scale)
    results: list[dict[str, object]] = []
    for kind in KEY_TYPES:
        copy = key_copy(root, kind, out_dir=out_dir)
        with Snapshot(copy, national_files(copy), f"{snapshot.version}-keys-{kind}") as keyed:
            _check(kind, "equity", _equity_signature(keyed), equity_expected)
            _check(kind, "movement", _movement_signature(keyed, scale), movement_expected)
            equity = Engine(
                f"keys.equity_{kind}", partial(grade_vs_test_by_school, keyed), equity_canonical
            )
            movement = Engine(
                f"keys.movement_{kind}",
                partial(movement_tables, keyed, lookups, Scope()),
                movement_canonical,
            )
            if kind == "int64":
                # pandas reads the integer keys natively: a fair run, checked equal in full.
                paths = [copy / p for p in national_files(copy)["enrolments"]]
                results += compare(
                    equity,
                    {"pandas": Engine("keys.equity_pandas_int64",
                                      partial(equity_pandas, copy), equity_canonical)},
                    rows=equity_expected[1], repeat=3, result_rows=equity_expected[0],
                )  # fmt: skip
                results += compare(
                    movement,
                    {"pandas": Engine("keys.movement_pandas_int64",
                                      partial(movement_pandas, paths, lookups),
                                      movement_canonical)},
                    rows=movement_expected[1], repeat=3, result_rows=movement_expected[0],
                )  # fmt: skip
                continue
            for engine, expected in ((equity, equity_expected), (movement, movement_expected)):
                seconds, _ = best_of(engine.run, repeat=3)
                results.append(
                    {"name": engine.name, "seconds": seconds, "rows": expected[1],
                     "result_rows": expected[0]}
                )  # fmt: skip
    return results


NOTES = " ".join((__doc__ or "").split())
"""The module's description as one paragraph of BENCHMARKS.md."""
