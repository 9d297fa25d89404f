"""Property: tables released together (groups x years x levels, a known organizer) hide each
hidden cell from an attacker who may solve any LP over everything released.

The world: school units in organizers and municipalities, a few years, girls and boys. The
release is what a page set shows together: per unit and year, per organizer and year, per
municipality and year, the region per year (levels tied by nulls in the hierarchy columns), the
unit's pattern over all years (the yearly table declares ``school_year`` a margin), each with
``group`` = all/girls/boys as a partition. The viewer's own organizer is known. The check is
independent of the cube code: an LP over the atomic counts (unit, year, gender) >= 0, with every
released count as an equality, every ``too_few`` cell within 1..threshold-1, and the known
organizer's atoms fixed; each hidden cell must keep an interval at least 1 wide (or be 0, which
the gate shows openly anyway).
"""

from __future__ import annotations

import itertools

import numpy as np
import pyarrow as pa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from likvard_core.disclosure.aggregate import Aggregate, Level, Partitions, Population
from likvard_core.disclosure.suppress import Thresholds, suppress_cube

POPULATION = Population("region:test", frozenset({"O1", "O2", "O3"}), Level.REGION)
PARTITIONS = Partitions(column="group", total="all", parts=(("girls", "boys"),))
UNBOUNDED = 3  # linprog's status for an objective without a finite optimum
HIERARCHY = ("municipality_code", "organizer_code", "school_unit_code")
GENDERS = ("girls", "boys")


@st.composite
def worlds(draw):
    units = draw(st.integers(2, 4))
    years = draw(st.integers(2, 3))
    placement = [
        (draw(st.sampled_from(["M1", "M2"])), draw(st.sampled_from(["O1", "O2", "O3"])))
        for _ in range(units)
    ]
    atoms = {
        (u, y, g): draw(st.one_of(st.integers(0, 6), st.integers(0, 25)))
        for u in range(units)
        for y in range(years)
        for g in GENDERS
    }
    known = draw(st.sampled_from([None, "O1", "O2"]))
    return placement, years, atoms, known


def _rows(placement, years, atoms, level, with_year):
    """Rows of one level: key columns, group, count, and the atoms each row sums."""
    groups: dict[tuple, dict[str, list]] = {}
    for u, y, g in atoms:
        muni, org = placement[u]
        key = {
            "unit": (muni, org, f"U{u}"),
            "organizer": (muni, org, None),
            "municipality": (muni, None, None),
            "region": (None, None, None),
        }[level]
        full_key = (*key, y if with_year else None)
        entry = groups.setdefault(full_key, {"all": [], "girls": [], "boys": []})
        entry["all"].append((u, y, g))
        entry[g].append((u, y, g))
    rows = []
    for key, members in sorted(groups.items(), key=lambda kv: str(kv[0])):
        for group, atom_list in members.items():
            rows.append((key, group, sum(atoms[a] for a in atom_list), atom_list))
    return rows


def _aggregate(rows, *, with_year):
    columns = {d: [r[0][i] for r in rows] for i, d in enumerate(HIERARCHY)}
    dims = list(HIERARCHY)
    if with_year:
        columns["school_year"] = [r[0][3] for r in rows]
        dims.append("school_year")
    columns["group"] = [r[1] for r in rows]
    columns["n"] = [r[2] for r in rows]
    table = pa.table(
        {
            k: pa.array(v, pa.int64() if k in ("school_year", "n") else pa.string())
            for k, v in columns.items()
        }
    )
    return Aggregate(
        table=table,
        dims=(*dims, "group"),
        count="n",
        values=(),
        population=POPULATION,
        data_version="v1",
        margins=(*HIERARCHY, "school_year") if with_year else HIERARCHY,
        partitions=PARTITIONS,
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds())
def test_no_hidden_cell_is_pinned_by_an_lp_over_linked_tables(world):
    placement, years, atoms, known_org = world
    thresholds = Thresholds(default=5, by_dim={"school_unit_code": 10})
    tables, row_atoms = {}, {}
    for level in ("unit", "organizer", "municipality", "region"):
        rows = _rows(placement, years, atoms, level, with_year=True)
        tables[f"{level}-yearly"] = _aggregate(rows, with_year=True)
        row_atoms[f"{level}-yearly"] = [r[3] for r in rows]
    pattern_rows = _rows(placement, years, atoms, "unit", with_year=False)
    tables["unit-pattern"] = _aggregate(pattern_rows, with_year=False)
    row_atoms["unit-pattern"] = [r[3] for r in pattern_rows]
    known = {"organizer_code": {known_org}} if known_org else None
    released = suppress_cube(tables, min_group=thresholds, known=known)

    index = {a: i for i, a in enumerate(sorted(atoms))}
    equalities, bounds_rows, hidden = [], [], []
    for name, result in released.items():
        for row, members in zip(result.table.to_pylist(), row_atoms[name], strict=True):
            vector = np.zeros(len(index))
            for atom in members:
                vector[index[atom]] = 1.0
            if row["n"] is not None:
                equalities.append((vector, row["n"]))
            else:
                hidden.append((name, row, vector, sum(atoms[a] for a in members)))
                if row["status"] == "too_few":
                    limit = thresholds.for_columns(
                        ["school_unit_code"] if row["school_unit_code"] else []
                    )
                    bounds_rows.append((vector, limit - 1))
                    bounds_rows.append((-vector, -1))
    if known_org:
        for (u, y, g), n in atoms.items():
            if placement[u][1] == known_org:
                vector = np.zeros(len(index))
                vector[index[(u, y, g)]] = 1.0
                equalities.append((vector, n))
    a_eq = np.array([v for v, _ in equalities]) if equalities else None
    b_eq = np.array([b for _, b in equalities]) if equalities else None
    a_ub = np.array([v for v, _ in bounds_rows]) if bounds_rows else None
    b_ub = np.array([b for _, b in bounds_rows]) if bounds_rows else None
    for name, row, vector, truth in hidden:
        low = linprog(vector, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, method="highs")
        high = linprog(-vector, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, method="highs")
        assert low.status == 0  # true counts are feasible, and counts are bounded below
        if high.status == UNBOUNDED:
            continue
        assert high.status == 0
        width = -high.fun - low.fun
        assert truth == 0 or width >= 1 - 1e-6, (name, row, truth, low.fun, -high.fun)


def test_the_worlds_are_consistent():
    # The generator's rows add up: every level's total equals the sum of the atoms.
    placement = [("M1", "O1"), ("M2", "O2")]
    atoms = dict.fromkeys(itertools.product(range(2), range(2), GENDERS), 1)
    rows = _rows(placement, 2, atoms, "region", with_year=False)
    assert [r[2] for r in rows if r[1] == "all"] == [8]
