"""Girls' and boys' figures of every level, released jointly with the totals: the one release
that every analysis basis page (region, organizer, school unit) and the open data API (Kolada's
gender ``K`` and ``M``) serve, so a page's girls and the API's ``K`` are the same cell with the
same status.

Released with each page's own level table (decided alone), the organizer's girls minus one
unit's gave another unit's hidden girls (#15); here every level's girls are decided together.

Girls plus boys (plus students of unknown gender) are all students, at every level, and the
girls of a municipality are the girls of its school units: shown beside the totals, a gender
figure could give away a hidden total or a hidden neighbour. So each region's gender figures are
released in **one cube with the totals** (``gender_cube``): the levels cube's all-students rows
and the same rows for girls, boys and unknown, with ``group`` declared a margin beside the
hierarchy columns. The release gate then ties ``total = girls + boys + unknown`` in every cell
and each gender's cells across levels, and hides enough that no hidden cell can be worked out.

The totals served everywhere (pages, the Kolada API's ``T``, open data) come from the release of
the totals alone (``basis_levels``), and the joint release takes that release's rows as
**settled** (``release_cube(settled=...)``): a total shown there is public, never hidden by the
joint decision, which hides gender cells around it instead; a total hidden there stays hidden
and is protected given the gender figures. (Free to hide any total, the joint decision used to
hide totals the pages show, and the whole cube's gender figures were withheld: #22.) Should the
two still disagree on a total, every gender figure of that cube is withheld
(``suppressed_complementary``). A gender figure whose total is hidden is hidden too, as on the
pages: hiding more than a sound decision hid never reveals anything.

A joint release costs more than the totals' (see ``docs/kolada-api.md``): the API answers every
gender when none is asked for, as Kolada does, so the open data warm-up decides the anonymous
viewer's joint releases in advance (``likvard.opendata.warm``); they are kept in Django's cache
per data version and viewer class.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence

import pyarrow as pa
import pyarrow.compute as pc

from likvard.access.audit import audit_student_read
from likvard.access.policy import Viewer
from likvard.access.release import release_cube
from likvard.quality.services.basis_context import region_values_get
from likvard.quality.services.basis_levels import (
    basis_levels,
    kept_get_many,
    kept_set_many,
    region_organizers,
    release_keys,
)
from likvard.warehouse.selectors import VersionRef
from likvard_core.analytics.quality.levels_cube import HIERARCHY, MARGINS, levels_cube
from likvard_core.disclosure.aggregate import Aggregate
from likvard_core.terms import Group, ValueStatus

GENDER_GROUPS: tuple[str, ...] = (Group.GIRLS.value, Group.BOYS.value, "unknown")
"""The groups that split all students by the enrolments' gender (unknown: none recorded)."""
SERVED_GROUPS: tuple[str, ...] = (Group.GIRLS.value, Group.BOYS.value)
WITHHELD = ValueStatus.SUPPRESSED_COMPLEMENTARY.value
SHOWN = frozenset({ValueStatus.EXISTS.value, ValueStatus.ROUNDED.value})
HIDDEN_VALUES: tuple[str, ...] = ("n", "value", "ci_low", "ci_high", "numerator", "denominator")

Row = dict[str, object]


def _group_rows(long: pa.Table, group: str) -> pa.Table:
    """``long`` with ``group``'s rows standing in for the all-students rows, so that
    ``levels_cube`` places them; the units' organizers stay those of all students."""
    groups, levels = long.column("group"), long.column("level")
    pairs = pc.and_(pc.equal(levels, "unit_organizer"), pc.is_null(groups))
    mine = pc.and_(
        pc.fill_null(pc.equal(groups, group), False), pc.not_equal(levels, "unit_organizer")
    )
    table = long.filter(pc.or_(pairs, mine))
    index = table.schema.get_field_index("group")
    return table.set_column(index, "group", pa.nulls(table.num_rows, pa.string()))


def gender_cube(
    long: pa.Table,
    *,
    indicator: str,
    region_code: str,
    members: Sequence[str],
    unit_municipalities: Mapping[str, str],
    version: str,
    year: int,
) -> Aggregate:
    """The levels cube of ``indicator`` (``levels_cube``) with every cell's girls, boys and
    unknown rows beside it, ``group`` a margin: one cube for the gate (see module doc)."""

    def cube(table: pa.Table) -> Aggregate:
        return levels_cube(
            table, indicator=indicator, region_code=region_code, members=members,
            unit_municipalities=unit_municipalities, version=version, year=year,
        )  # fmt: skip

    def labelled(table: pa.Table, group: str | None) -> pa.Table:
        index = table.schema.get_field_index("group")
        return table.set_column(index, "group", pa.array([group] * table.num_rows, pa.string()))

    total = cube(long)
    tables = [labelled(total.table, None)]
    tables += [labelled(cube(_group_rows(long, g)).table, g) for g in GENDER_GROUPS]
    return dataclasses.replace(
        total,
        table=pa.concat_tables(tables),
        margins=(*MARGINS, "group"),
        population=dataclasses.replace(
            total.population, scope=total.population.scope.replace("levels", "gender")
        ),
    )


def _cell(row: Mapping[str, object]) -> tuple[object, ...]:
    return (*(row[c] for c in HIERARCHY), row["indicator"], row["school_year"])


def _status(row: Mapping[str, object]) -> str:
    return str(row.get("status") or ValueStatus.EXISTS.value)


def served_gender_rows(joint: pa.Table, totals: pa.Table) -> list[Row]:
    """The girls' and boys' rows of a released ``joint`` cube that may be served beside the
    released ``totals`` (see module doc): all withheld unless the joint decision hid exactly
    the totals' hidden cells (it does when it took them as settled); a row whose total is
    hidden is hidden too."""
    released = {_cell(r): _status(r) for r in totals.to_pylist() if r["group"] is None}
    rows = joint.to_pylist()
    joint_totals = {_cell(r): _status(r) for r in rows if r["group"] is None}
    agree = {k: s in SHOWN for k, s in joint_totals.items()} == {
        k: s in SHOWN for k, s in released.items()
    }
    out = []
    for row in rows:
        if row["group"] not in SERVED_GROUPS:
            continue
        total = released.get(_cell(row))
        if not agree or total is None or total not in SHOWN:
            status = WITHHELD if _status(row) in SHOWN else _status(row)
            out.append({**row, **dict.fromkeys(HIDDEN_VALUES), "status": status})
        else:
            out.append(row)
    return out


def gender_levels(
    *,
    viewer: Viewer,
    version: VersionRef,
    year: int,
    region_code: str,
    members: Sequence[str],
    school_municipalities: Mapping[str, str],
    indicators: Sequence[str],
    purpose: str,
    channel: str,
) -> list[Row]:
    """The served girls' and boys' rows of ``indicators`` in the region and ``year`` for
    ``viewer`` (see module doc), each with the levels cube's columns and ``status``."""
    if not any(version.files.values()) or not members:
        return []
    keys = release_keys(
        "opendata-gender", viewer=viewer, version=version, year=year, region_code=region_code,
        school_municipalities=school_municipalities, indicators=indicators,
    )  # fmt: skip
    found: dict[str, tuple[list[Row], str]] = kept_get_many(list(keys.values()))  # type: ignore[assignment]
    missing = [code for code, key in keys.items() if key not in found]
    if missing:
        found.update(
            _release(
                viewer=viewer, version=version, year=year, region_code=region_code,
                members=members, places=school_municipalities, indicators=missing, keys=keys,
                purpose=purpose, channel=channel,
            )
        )  # fmt: skip
    else:
        _audit_known(viewer, found.values(), version, purpose, channel)
    return [row for code in indicators if keys[code] in found for row in found[keys[code]][0]]


def _release(
    *, viewer: Viewer, version: VersionRef, year: int, region_code: str, members: Sequence[str],
    places: Mapping[str, str], indicators: Sequence[str], keys: Mapping[str, str],
    purpose: str, channel: str,
) -> dict[str, tuple[list[Row], str]]:  # fmt: skip
    units = sorted(u for u, m in places.items() if m in set(members))
    long = region_values_get(
        version=version, year=year, school_municipalities=places, units=units,
        organizers=region_organizers(version, year, places, units), members=members,
    )  # fmt: skip
    totals = {
        str(t.table.column("indicator")[0]): t.table
        for t in basis_levels(
            viewer=viewer, version=version, year=year, region_code=region_code,
            members=members, school_municipalities=places, indicators=list(indicators),
            purpose=purpose, channel=channel,
        )
        if t.table.num_rows
    }  # fmt: skip
    out: dict[str, tuple[list[Row], str]] = {}
    for code in indicators:
        if code not in totals:  # kept empty too, as the totals' release (``basis_levels``)
            out[keys[code]] = ([], "")
            continue
        aggregate = gender_cube(
            long, indicator=code, region_code=region_code, members=members,
            unit_municipalities=places, version=version.label, year=year,
        )  # fmt: skip
        joint = release_cube(
            {"gender": aggregate}, viewer=viewer, purpose=purpose, channel=channel,
            settled={"gender": totals[code]},
        )["gender"]  # fmt: skip
        rows = served_gender_rows(joint.table, totals[code])
        out[keys[code]] = (rows, aggregate.population.scope)
    kept_set_many(out)
    return out


def _audit_known(
    viewer: Viewer,
    kept: Iterable[tuple[list[Row], str]],
    version: VersionRef,
    purpose: str,
    channel: str,
) -> None:
    """Audit a cached read that shows the viewer's own organizer's or unit's cells."""
    for rows, scope in kept:
        if any(
            r["organizer_code"] in viewer.organizers or r["school_unit_code"] in viewer.school_units
            for r in rows
        ):
            audit_student_read(
                viewer=viewer, action="read", scope=scope, purpose=purpose,
                data_version=version.label, channel=channel,
            )  # fmt: skip
