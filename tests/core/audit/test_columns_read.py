"""The auditor reads a row's status, key, counts and reference rates, and nothing else.

``ReleasedTable.columns_read`` names those columns, and the audit's fingerprint digests the
rows cut to them (``as_read``): a column the auditor reads but ``columns_read`` forgot would
let two releases that differ in it share a solved result. Here every kind of definition is
audited over rows that record each column asked of them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping

from likvard_core.audit.audit import audit
from likvard_core.audit.model import (
    Balance,
    Grouping,
    Hierarchy,
    NotApplicable,
    Reconcile,
    Reference,
    ReleasedTable,
    Span,
    Total,
)

SHOWN, TOO_FEW, COMPLEMENTARY = "exists", "too_few", "suppressed_complementary"
UNITS = {"A": (40, 10), "B": (30, 6), "C": (20, 8), "D": (6, 2)}
HIERARCHY = Hierarchy(
    unit_organizer=dict.fromkeys(UNITS, "org"),
    unit_municipality=dict.fromkeys(UNITS, "1480"),
    municipality_region={"1480": "gr"},
)


class _Recording(Mapping[str, object]):
    """A row that notes every column asked of it (present or not)."""

    def __init__(self, row: dict[str, object], asked: set[str]) -> None:
        self._row = row
        self._asked = asked

    def __getitem__(self, column: str) -> object:
        self._asked.add(column)
        return self._row[column]

    def __iter__(self) -> Iterator[str]:
        return iter(self._row)

    def __len__(self) -> int:
        return len(self._row)


def _floats() -> dict[str, object]:
    """Columns no tie reads: a survey index's mean and interval."""
    return {"mean": 3.141592653589793, "ci_low": 2.718281828459045, "ci_high": 3.5}


def _yearly() -> ReleasedTable:
    """Units of one municipality and the municipality, two years, with reference rates."""
    rows = []
    for year in (2024, 2025):
        total_n = sum(n for n, _ in UNITS.values())
        total_h = sum(h for _, h in UNITS.values())
        for unit, (n, h) in UNITS.items():
            shown = unit != "D"
            rows.append(
                {
                    "school_year": year, "municipality_code": "1480", "school_unit_code": unit,
                    "group": "all", "status": SHOWN if shown else TOO_FEW,
                    "n": n if shown else None, "n_higher": h if shown else None,
                    "n_lower": 0 if shown else None, "n_same": n - h if shown else None,
                    "reference_share_higher": (total_h - h) / (total_n - n) if shown else None,
                    **_floats(),
                }
            )  # fmt: skip
        rows.append(
            {
                "school_year": year, "municipality_code": "1480", "school_unit_code": None,
                "group": "all", "status": SHOWN, "n": total_n, "n_higher": total_h,
                "n_lower": 0, "n_same": total_n - total_h, **_floats(),
            }
        )  # fmt: skip
    return ReleasedTable(
        analysis="equity", name="yearly", family="equity",
        dims=("school_year", "municipality_code", "school_unit_code", "group"),
        counts=("n", "n_lower", "n_same", "n_higher"), rows=rows, min_group=5,
        min_group_where={"school_unit_code": 10}, totals={"group": Total("all")},
        parts={"n": ("n_lower", "n_same", "n_higher")},
        references=(Reference("reference_share_higher", "n_higher", complete=True),),
    )  # fmt: skip


def _patterns() -> ReleasedTable:
    """The municipality's sum over both years, its higher grades under another name."""
    rows = [
        {"municipality_code": "1480", "school_unit_code": None, "group": "all",
         "first_year": 2024, "last_year": 2025, "status": SHOWN, "n": 192,
         "observed_higher": 52, **_floats()},
    ]  # fmt: skip
    return ReleasedTable(
        analysis="equity", name="patterns", family="equity",
        dims=("municipality_code", "school_unit_code", "group"),
        counts=("n", "observed_higher"), rows=rows, min_group=5,
        totals={"group": Total("all")}, span=Span(), aliases={"observed_higher": "n_higher"},
    )  # fmt: skip


COURSE_COUNTS = ("enrolled", "completed", "interrupted", "not_reported")
STARTS = ("s5", "s7")


def _courses() -> ReleasedTable:
    total = Total(None, complete=True)
    rows = [
        {"year": 2025, "municipality_code": "1480", "course_code": "RESTKO", "start_key": None,
         "enrolled": 16, "completed": 3, "interrupted": 1, "not_reported": 12, "status": SHOWN,
         **_floats()},
    ] + [
        {"year": 2025, "municipality_code": "1480", "course_code": "RESTKO", "start_key": s,
         "status": status, **dict.fromkeys(COURSE_COUNTS), **_floats()}
        for s, status in zip(STARTS, (COMPLEMENTARY, TOO_FEW), strict=True)
    ]  # fmt: skip
    return ReleasedTable(
        analysis="komvux", name="starts", family="komvux",
        dims=("year", "municipality_code", "course_code", "start_key"),
        counts=COURSE_COUNTS, rows=rows, min_group=5,
        totals={"start_key": total, "course_code": total},
        parts={"enrolled": ("completed", "interrupted", "not_reported")},
        within={"enrolled": ("completed",)},
        groupings={"start_key": Grouping("course_code", dict.fromkeys(STARTS, "RESTKO"))},
        not_applicable=NotApplicable(("completed",), frozenset({(2025, "1480", "RESTKO", "s5")})),
    )  # fmt: skip


def _admissions() -> ReleasedTable:
    """The viewer's own admissions (known): the balance of a round and how they went on."""
    rows = [
        {"municipality_code": "1480", "outcome": outcome, "status": SHOWN, "admitted": n,
         "enrolled": n - 1, "outgoing": 2, "incoming": 1, "preliminary": n + 9, **_floats()}
        for outcome, n in (("stayed", 150), ("moved", 42))
    ]  # fmt: skip
    return ReleasedTable(
        analysis="admissions", name="own", family="admissions",
        dims=("municipality_code", "outcome"),
        counts=("admitted", "enrolled", "outgoing", "incoming", "preliminary"), rows=rows,
        min_group=5, constants={"school_year": 2025}, known=True,
        balances=(Balance(("enrolled", "outgoing"), ("admitted", "incoming")),),
        unbounded=("preliminary",),
        reconciles=(Reconcile("equity", "n", "outcome", ("stayed", "moved")),),
    )  # fmt: skip


def _tables() -> list[ReleasedTable]:
    return [_yearly(), _patterns(), _courses(), _admissions()]


def test_the_tables_use_every_definition_a_released_table_can_carry():
    # so that the next test walks every path that reads a row
    required = {"analysis", "name", "family", "dims", "counts", "rows", "min_group"}
    for field in dataclasses.fields(ReleasedTable):
        if field.name in required:
            continue
        used = [t for t in _tables() if getattr(t, field.name) != field.default and (
            field.default_factory is dataclasses.MISSING
            or getattr(t, field.name) != field.default_factory()
        )]  # fmt: skip
        assert used, field.name
    ties = audit(_tables(), HIERARCHY).ties
    kinds = {kind.split(":")[0] for kind in ties}
    assert kinds >= {
        "total", "span", "level", "grouping", "parts", "within", "balance", "reconcile",
        "reference", "stratum",
    }  # fmt: skip


def test_the_audit_reads_no_column_of_a_row_but_those_it_names():
    asked: dict[str, set[str]] = {}
    recorded = []
    for table in _tables():
        columns = asked.setdefault(table.name, set())
        rows = [_Recording(dict(row), columns) for row in table.rows]
        recorded.append(dataclasses.replace(table, rows=rows))
    audit(recorded, HIERARCHY)
    for table in _tables():
        assert asked[table.name], table.name
        assert asked[table.name] <= table.columns_read(), table.name
        assert "mean" not in table.columns_read()


def test_a_table_cut_to_the_columns_read_is_audited_alike():
    full = audit(_tables(), HIERARCHY)
    cut = audit([t.as_read() for t in _tables()], HIERARCHY)
    assert cut.findings == full.findings
    assert cut.intervals == full.intervals
    assert (cut.ties, cut.conflicts) == (full.ties, full.conflicts)
    row = _yearly().as_read().rows[0]
    assert "mean" not in row
    assert row["reference_share_higher"] == _yearly().rows[0]["reference_share_higher"]


def test_a_column_a_row_lacks_stays_absent():
    # ``status`` missing means "exists"; a status of None is no shown status
    table = dataclasses.replace(_patterns(), rows=[{"n": 3, "mean": 0.5}])
    assert table.as_read().rows == [{"n": 3}]
