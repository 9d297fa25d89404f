"""The released levels cubes of the analysis basis, read for several regions and years at once.

Each region's cube is released on its own (``basis_levels``: one ``release_cube`` per region,
indicator and school year, kept per viewer class). A cell that lies in two regions' cubes (the
nation always; an organizer or a municipality in two regions) is taken from every cube that
holds it and served as the *most hidden* of its releases: hiding a cell more than one cube did
never reveals anything, while showing a cell another cube hid could undo that cube's
complementary suppression. So callers ask for every region that holds a cell they want.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from django.core.cache import cache

from likvard.access.policy import Viewer
from likvard.opendata.services.entities import region_members, unit_municipalities
from likvard.quality.services.basis import basis_years
from likvard.quality.services.basis_gender import gender_levels
from likvard.quality.services.basis_levels import CACHE_SECONDS, basis_levels
from likvard.warehouse.selectors import VersionRef, data_version_get
from likvard_core.analytics.quality.levels_cube import HIERARCHY
from likvard_core.terms import ValueStatus

SHOWN = frozenset({ValueStatus.EXISTS.value, ValueStatus.ROUNDED.value})
HIDING_ORDER: tuple[str, ...] = (
    ValueStatus.WITHDRAWN.value,
    ValueStatus.TOO_FEW.value,
    ValueStatus.SUPPRESSED_COMPLEMENTARY.value,
    ValueStatus.NOT_APPLICABLE.value,
    ValueStatus.MISSING.value,
)
HIDDEN_VALUES: tuple[str, ...] = ("n", "value", "ci_low", "ci_high", "numerator", "denominator")

Row = dict[str, object]


def _status(row: Row) -> str:
    return str(row.get("status") or ValueStatus.EXISTS.value)


def _more_hidden(a: Row, b: Row) -> Row:
    for status in HIDING_ORDER:
        if status in (_status(a), _status(b)):
            return a if _status(a) == status else b
    return a


def _cleared(row: Row) -> Row:
    """A hidden row carries no number at all (the gate already blanks them; kept explicit)."""
    if _status(row) in SHOWN:
        return row
    return {**row, **dict.fromkeys(HIDDEN_VALUES)}


def released_rows(
    *,
    viewer: Viewer,
    indicators: Sequence[str],
    regions: Iterable[str],
    years: Iterable[int],
    purpose: str,
    channel: str,
    version: VersionRef | None = None,
    genders: bool = False,
    members: Mapping[str, list[str]] | None = None,
    places: dict[str, str] | None = None,
    wanted: Callable[[Row], bool] | None = None,
) -> list[Row]:
    """The all-students rows of ``indicators`` in the released levels cubes of ``regions`` and
    ``years`` for ``viewer``, one row per cell (see module doc), in no particular order; with
    ``genders`` the girls' and boys' rows instead (``likvard.quality.services.basis_gender``).

    Each row has the levels cube's columns (``HIERARCHY``, ``indicator``, ``school_year``,
    ``group``, ``n``, the values) and ``status``; a hidden row's numbers are all ``None``.
    ``members`` and ``places`` are the register's regions and units (``region_members``,
    ``unit_municipalities``), read here when not given (a request reads them once).
    ``wanted`` keeps only the cells a caller asks for (a function of a row's cell, so every
    cube's copy of a cell is kept or left alike): one municipality's answer need not merge and
    clear the region's every unit.
    """
    version = version or data_version_get()
    members = region_members() if members is None else members
    places = unit_municipalities() if places is None else places
    cells: dict[tuple[object, ...], Row] = {}
    for region in regions:
        for year in years:
            rows = _region_rows(
                viewer=viewer, version=version, year=year, region=region,
                members=members[region], places=places, indicators=indicators,
                purpose=purpose, channel=channel, genders=genders,
            )  # fmt: skip
            for row in rows:
                if (row["group"] is not None) is not genders or (wanted and not wanted(row)):
                    continue
                key = (*(row[c] for c in HIERARCHY[1:]), row["indicator"], row["school_year"],
                       row["group"])  # fmt: skip
                if row["municipality_code"] is None and row["organizer_code"] is None:
                    key = (row["region_code"], *key)
                cells[key] = _more_hidden(cells[key], row) if key in cells else row
    return [_cleared(row) for row in cells.values()]


def _region_rows(
    *, viewer: Viewer, version: VersionRef, year: int, region: str, members: list[str],
    places: dict[str, str], indicators: Sequence[str], purpose: str, channel: str,
    genders: bool,
) -> list[Row]:  # fmt: skip
    """One region's released rows of ``year``: the totals' cubes, or the served gender rows."""
    if genders:
        return gender_levels(
            viewer=viewer, version=version, year=year, region_code=region, members=members,
            school_municipalities=places, indicators=list(indicators), purpose=purpose,
            channel=channel,
        )  # fmt: skip
    cubes = basis_levels(
        viewer=viewer, version=version, year=year, region_code=region, members=members,
        school_municipalities=places, indicators=list(indicators), purpose=purpose,
        channel=channel,
    )  # fmt: skip
    return [row for cube in cubes for row in cube.table.to_pylist()]


def school_years(*, version: VersionRef | None = None) -> list[int]:
    """The school years with students in the current data version, oldest first; kept in
    Django's cache per data version (reading them opens the warehouse: ~0.25 s)."""
    version = version or data_version_get()
    key = f"opendata-years:{version.key}"
    years: list[int] | None = cache.get(key)
    if years is None:
        years = sorted(basis_years())
        cache.set(key, years, CACHE_SECONDS)
    return years


def data_version_label() -> str:
    """The label of the data version every released row comes from."""
    return data_version_get().label
