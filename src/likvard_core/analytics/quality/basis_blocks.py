"""Assemble one indicator's block of the analysis basis from released tables."""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from likvard_core.analytics.quality.assess import (
    CANDIDATE,
    Z95,
    Flag,
    FlagKind,
    TrendSummary,
    corrected_flags,
    flag_comparison,
    flag_expected,
    flag_trend,
    trend_summary,
)
from likvard_core.analytics.quality.basis import (
    Comparison,
    Expectation,
    Figure,
    GoalSection,
    IndicatorBlock,
    SubjectKind,
    TrendPoint,
)
from likvard_core.analytics.quality.catalogue_model import DataSource, Indicator
from likvard_core.analytics.quality.comparison import ComparisonGroup
from likvard_core.analytics.quality.levels_cube import level_of
from likvard_core.terms import Group, ValueStatus

if TYPE_CHECKING:
    from likvard_core.analytics.quality.basis_build import ReleasedTable

Key = tuple[str, str, str, int, str | None]
"""(level, code, indicator, school year, group) — group ``None`` is all students."""

_CODE_COLUMNS = ("school_unit_code", "organizer_code", "municipality_code", "region_code")
SIMILAR_REGION = "__similar__"
"""Region code under which the comparison group of similar municipalities is summed."""
NATION_AREA = "0000"
"""area_code of the nation in ``public_stats``."""


def _number(value: object) -> float | None:
    if isinstance(value, int | float) and not math.isnan(float(value)):
        return float(value)
    return None


@dataclass(slots=True)
class Lookup:
    """Released figures by key, and the gaps of expected values."""

    figures: dict[Key, Figure] = field(default_factory=dict)
    gaps: dict[Key, float | None] = field(default_factory=dict)

    @classmethod
    def from_released(cls, released: ReleasedTable, level: str) -> Lookup:
        """Index the rows of one released table under ``level``."""
        lookup = cls()
        names = released.table.column_names
        code_column = next((c for c in _CODE_COLUMNS if c in names), None)
        for row in released.table.to_pylist():
            status = str(row.get("status") or ValueStatus.EXISTS.value)
            row_level = level
            code = str(row[code_column]) if code_column else ""
            if level == "public":
                row_level = f"public:{row['level']}"
                code = str(row["area_code"])
                if status == ValueStatus.EXISTS.value:
                    status = str(row.get("published_status") or status)
            expected = level.startswith("expected")
            value = _number(row.get("expected" if expected else "value"))
            low = _number(row.get("expected_low" if expected else "ci_low"))
            high = _number(row.get("expected_high" if expected else "ci_high"))
            n = row.get("n")
            figure = Figure(
                value=value if status in (ValueStatus.EXISTS, ValueStatus.ROUNDED) else None,
                status=status,
                source=released.source,
                data_version=released.data_version,
                n=int(n) if isinstance(n, int) else None,
                low=low,
                high=high,
            )
            key: Key = (
                row_level,
                code,
                str(row["indicator"]),
                int(row["school_year"]),
                row.get("group"),
            )
            lookup.figures[key] = figure
            if expected:
                lookup.gaps[key] = _number(row.get("gap")) if figure.shown else None
        return lookup

    @classmethod
    def from_levels(cls, released: ReleasedTable) -> Lookup:
        """Index a released levels cube (``levels_cube``): each row under its finest level."""
        lookup = cls()
        for row in released.table.to_pylist():
            status = str(row.get("status") or ValueStatus.EXISTS.value)
            level, code = level_of(row)
            shown = status in (ValueStatus.EXISTS, ValueStatus.ROUNDED)
            n = row.get("n")
            key: Key = (level, code, str(row["indicator"]), int(row["school_year"]), row["group"])
            lookup.figures[key] = Figure(
                value=_number(row.get("value")) if shown else None,
                status=status,
                source=released.source,
                data_version=released.data_version,
                n=int(n) if isinstance(n, int) and shown else None,
                low=_number(row.get("ci_low")) if shown else None,
                high=_number(row.get("ci_high")) if shown else None,
            )
        return lookup

    def with_groups_of_hidden_totals_hidden(self) -> Lookup:
        """This lookup with every group's figure hidden whose all-students total is hidden:
        girls, boys and unknown shown beside a hidden total would add up to it."""
        hidden = {
            key[:4]: figure
            for key, figure in self.figures.items()
            if key[4] is None and not figure.shown and figure.status != ValueStatus.MISSING
        }
        for key, figure in list(self.figures.items()):
            total = hidden.get(key[:4])
            if key[4] is not None and total is not None and figure.shown:
                self.figures[key] = Figure(
                    None, ValueStatus.SUPPRESSED_COMPLEMENTARY.value, figure.source,
                    figure.data_version,
                )  # fmt: skip
        return self

    def with_groups_from(self, groups: Lookup, names: Collection[str]) -> Lookup:
        """This lookup with the figures of ``names`` (girls, boys) taken from ``groups`` only:
        one joint release of every level's groups. A shown figure of those groups released
        elsewhere (a level's own table, decided alone) is withheld: beside the joint release it
        could give away a cell that release hid."""
        for key, figure in list(self.figures.items()):
            if key[4] in names and key not in groups.figures and figure.shown:
                self.figures[key] = Figure(
                    None, ValueStatus.SUPPRESSED_COMPLEMENTARY.value, figure.source,
                    figure.data_version,
                )  # fmt: skip
        self.figures.update(
            {key: figure for key, figure in groups.figures.items() if key[4] in names}
        )
        return self

    @classmethod
    def merge(cls, parts: Sequence[Lookup]) -> Lookup:
        """One lookup over all ``parts`` (later parts win on equal keys)."""
        merged = cls()
        for part in parts:
            merged.figures.update(part.figures)
            merged.gaps.update(part.gaps)
        return merged


@dataclass(frozen=True, slots=True)
class BlockContext:
    """What every block of one basis shares."""

    subject_kind: SubjectKind
    subject_code: str
    municipality: str | None
    year: int
    years: tuple[int, ...]
    regions: tuple[str, ...]
    similar: ComparisonGroup | None
    lookup: Lookup
    names: Mapping[str, str] = field(default_factory=dict)
    """Municipality and region codes → names (a code without a name shows as itself)."""
    members: tuple[str, ...] = ()
    """A region subject's member municipalities (empty for other subjects)."""

    def name(self, code: str) -> str:
        """The name of a municipality or region code (the code when unknown)."""
        return self.names.get(code) or code

    def figure(self, key: Key) -> Figure:
        """The released figure of ``key``, or a '.' (missing) figure."""
        found = self.lookup.figures.get(key)
        if found is not None:
            return found
        return Figure.missing("Likvärd", self.lookup_version())

    def lookup_version(self) -> str:
        """The data version of any figure in the lookup ('' when empty)."""
        return next((f.data_version for f in self.lookup.figures.values()), "")


def _own(context: BlockContext, indicator: Indicator) -> tuple[str, str] | None:
    """(level, code) of the subject's own figures of ``indicator``; None when it has none.

    Public statistics are published per municipality only: no organizer, school unit or
    region has a figure of its own there, so the municipality's figure is never shown as
    theirs (``_public_municipality`` shows it beside, named as the municipality's).
    """
    if indicator.local:  # the owner's entered values, under the local level
        return "local", context.subject_code
    if indicator.data_source is DataSource.PUBLIC_STATS:
        return None
    return context.subject_kind.value, context.subject_code


def _public_municipality(context: BlockContext, indicator: Indicator) -> str | None:
    """The municipality whose published figure stands in for a subject without its own."""
    if indicator.data_source is not DataSource.PUBLIC_STATS:
        return None
    if context.subject_kind is SubjectKind.REGION:
        return None
    return context.municipality


def _municipality_label(context: BlockContext, code: str) -> str:
    return f"{context.name(code)} (hela kommunen)"


def _comparison_keys(
    context: BlockContext, indicator: Indicator
) -> list[tuple[str, str, str, str]]:
    """(kind, Swedish label, level, code) of each comparison of ``indicator``.

    Labels are names (``riket``, ``Göteborgsregionen``, ``Kungsbacka (hela kommunen)``),
    never codes; a region is compared with the nation and the other regions, not itself.
    """
    if indicator.local:  # only the owner has values of its own indicators
        return []
    if indicator.data_source is DataSource.PUBLIC_STATS:
        keys = [(FlagKind.NATION.value, "riket", "public:nation", NATION_AREA)]
        municipality = _public_municipality(context, indicator)
        if municipality is not None:
            label = _municipality_label(context, municipality)
            keys.append(("municipality", label, "public:municipality", municipality))
        return keys
    keys = [(FlagKind.NATION.value, "riket", "nation", "")]
    keys += [
        (FlagKind.REGION.value, context.name(r), "region", r)
        for r in context.regions
        if not (context.subject_kind is SubjectKind.REGION and r == context.subject_code)
    ]
    if context.similar is not None:
        keys.append((FlagKind.SIMILAR.value, "liknande kommuner", "region", SIMILAR_REGION))
    if context.municipality and context.subject_kind is not SubjectKind.REGION:
        label = _municipality_label(context, context.municipality)
        keys.append(("municipality", label, "municipality", context.municipality))
    return keys


def _members(context: BlockContext, indicator: Indicator) -> tuple[Comparison, ...]:
    """A region's member municipalities' figures of ``indicator`` in the basis year."""
    if indicator.local or indicator.data_source is DataSource.NONE:
        return ()
    level = (
        "public:municipality"
        if indicator.data_source is DataSource.PUBLIC_STATS
        else "municipality"
    )
    return tuple(
        Comparison(
            "municipality",
            context.name(code),
            context.figure((level, code, indicator.code, context.year, None)),
        )
        for code in context.members
    )


def _errors(points: Sequence[TrendPoint]) -> list[float] | None:
    errors = []
    for p in points:
        f = p.figure
        if f.shown and f.low is not None and f.high is not None:
            errors.append((f.high - f.low) / (2 * Z95))
        else:
            errors.append(float("nan"))
    return errors if any(not math.isnan(e) for e in errors) else None


def _flags(
    indicator: Indicator,
    value: Figure,
    comparisons: Sequence[Comparison],
    expectation: Expectation | None,
) -> list[Flag]:
    flags: list[Flag | None] = []
    if expectation is not None and value.value is not None and expectation.expected.shown:
        e = expectation.expected
        flags.append(
            flag_expected(
                indicator,
                actual=value.value if value.shown else math.nan,
                expected=e.value if e.value is not None else math.nan,
                low=e.low if e.low is not None else math.nan,
                high=e.high if e.high is not None else math.nan,
                alpha=CANDIDATE,
            )
        )
    if value.shown and value.value is not None and value.low is not None and value.high is not None:
        own, low, high = value.value, value.low, value.high
        flags.extend(
            flag_comparison(
                indicator,
                kind=FlagKind(c.kind),
                label_sv=c.label_sv,
                own=own,
                own_low=low,
                own_high=high,
                other=c.figure.value,
                other_low=c.figure.low,
                other_high=c.figure.high,
                alpha=CANDIDATE,
            )
            for c in comparisons
            if c.figure.shown and c.figure.value is not None and c.kind != "municipality"
        )
    return [f for f in flags if f is not None]


def _trend(
    context: BlockContext, level: str, unit_code: str, code: str
) -> tuple[tuple[TrendPoint, ...], TrendSummary | None]:
    trend = tuple(
        TrendPoint(y, context.figure((level, unit_code, code, y, None))) for y in context.years
    )
    summary = trend_summary(
        [p.school_year for p in trend],
        [
            p.figure.value if p.figure.shown and p.figure.value is not None else math.nan
            for p in trend
        ],
        _errors(trend),
    )
    return trend, summary


def _without_own(context: BlockContext, indicator: Indicator) -> IndicatorBlock:
    """The block of an indicator the subject has no figure of its own for."""
    code = indicator.code
    missing = context.figure(("none", "", code, context.year, None))
    comparisons = tuple(
        Comparison(kind, label, context.figure((lvl, c, code, context.year, None)))
        for kind, label, lvl, c in _comparison_keys(context, indicator)
    )
    members = _members(context, indicator)
    municipality = _public_municipality(context, indicator)
    if indicator.data_source is DataSource.NONE:
        note = "Ingen datakälla för detta värde."
    elif municipality is not None:
        name = context.name(municipality)
        note = (
            f"Offentlig statistik finns bara per kommun: värdet gäller {name} som helhet "
            "(alla huvudmän) och visas därför bland jämförelserna, inte som eget värde."
        )
    elif members:
        note = "Offentlig statistik finns per kommun: se medlemskommunerna sida vid sida."
    else:
        note = "Offentlig statistik finns per kommun; ingen kommun kan knytas till enheten."
    if indicator.note and indicator.data_source is DataSource.PUBLIC_STATS:
        note = f"{indicator.note} {note}"
    if municipality is None:
        return IndicatorBlock(
            indicator, missing, {}, (), None, comparisons, None, (), note, members
        )
    trend, summary = _trend(context, "public:municipality", municipality, code)
    return IndicatorBlock(
        indicator, missing, {}, trend, summary, comparisons, None, (), note, members,
        trend_of_sv=_municipality_label(context, municipality),
    )  # fmt: skip


def indicator_block(context: BlockContext, indicator: Indicator) -> IndicatorBlock:
    """The block of ``indicator`` (the revision valid in the basis year) for the subject."""
    own = _own(context, indicator)
    code = indicator.code
    if (indicator.data_source is DataSource.NONE and not indicator.local) or own is None:
        return _without_own(context, indicator)
    level, unit_code = own
    value = context.figure((level, unit_code, code, context.year, None))
    by_group = {
        g.value: context.figure((level, unit_code, code, context.year, g.value))
        for g in (Group.GIRLS, Group.BOYS)
    }
    trend, summary = _trend(context, level, unit_code, code)
    comparisons = tuple(
        Comparison(kind, label, context.figure((lvl, c, code, context.year, None)))
        for kind, label, lvl, c in _comparison_keys(context, indicator)
    )
    expectation = None
    if context.subject_kind is not SubjectKind.REGION:
        key: Key = (
            f"expected_{context.subject_kind.value}",
            context.subject_code,
            code,
            context.year,
            None,
        )
        if key in context.lookup.figures:
            expected = context.lookup.figures[key]
            if not value.shown:  # its n is the hidden value's n: hidden with it
                expected = Figure(None, value.status, expected.source, expected.data_version)
            expectation = Expectation(
                expected, context.lookup.gaps.get(key) if value.shown else None
            )
    flags = _flags(indicator, value, comparisons, expectation)
    trend_flag = flag_trend(indicator, summary, alpha=CANDIDATE)
    if trend_flag is not None:
        flags.append(trend_flag)
    return IndicatorBlock(
        indicator, value, by_group, trend, summary, comparisons, expectation, tuple(flags),
        "", _members(context, indicator),
    )  # fmt: skip


def with_corrected_flags(
    sections: Sequence[GoalSection], conditions: Sequence[IndicatorBlock]
) -> tuple[tuple[GoalSection, ...], tuple[IndicatorBlock, ...]]:
    """Sections and conditions whose flags are those left after correcting for multiple tests.

    The blocks carry every test as a candidate flag (``indicator_block``); all candidates of
    the basis form one family, corrected by ``corrected_flags`` (Benjamini-Hochberg).
    """
    blocks = [*(b for s in sections for b in s.indicators), *conditions]
    kept = iter(corrected_flags([f for b in blocks for f in b.flags]))
    flags = {id(b): tuple(f for f in [next(kept) for _ in b.flags] if f) for b in blocks}

    def fixed(block: IndicatorBlock) -> IndicatorBlock:
        return replace(block, flags=flags[id(block)])

    new_sections = tuple(
        replace(s, indicators=tuple(fixed(b) for b in s.indicators)) for s in sections
    )
    return new_sections, tuple(fixed(b) for b in conditions)
