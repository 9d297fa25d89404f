"""The auditor's own definitions of each released table: its counts and how its cells add up.

Written from the analyses' documented definitions (docs/analyses/*.md and the analytics code's
docstrings), not from the ``margins`` or ``partitions`` the gate is given, so a wrong
declaration to the gate cannot hide a tie from the audit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pyarrow as pa

from likvard.access.release import NOT_APPLICABLE_COLUMN, Released
from likvard_core.analytics.quality.basis import AnalysisBasis, Figure
from likvard_core.analytics.quality.catalogue_model import DataSource
from likvard_core.audit.model import (
    SHOWN_STATUSES,
    Balance,
    NotApplicable,
    Reconcile,
    Reference,
    ReleasedTable,
    Span,
    Total,
)
from likvard_core.disclosure.suppress import Thresholds

_GENDER = ("girls", "boys")
_GROUP_TOTAL = Total(
    "all",
    partitions=(
        _GENDER,
        ("born_abroad", "born_in_sweden"),
        ("parents_low", "parents_middle", "parents_high"),
        ("newly_arrived",),
    ),
)
"""Equity groups: ``all`` split by gender, by birth country and by parents' education (each
leaving a remainder of unknown background); newly arrived students are a part of ``all``."""


_OUTCOMES_4 = ("studying", "certificate", "interrupted")
_COMPLETION_COUNTS = (
    *(f"diploma_{k}" for k in (3, 4, 5)),
    *(f"{o}_4" for o in _OUTCOMES_4),
    "moved_programme",
    "moved_organizer",
    "moved_municipality",
    "im_to_national",
)
"""A cohort's starters who (within so many years) got a diploma, were still studying ..., each
a part of the starters ``n`` (docs/analyses/completion.md)."""
_COMPLETION_OUTCOMES = {"n": tuple(f"{o}_4" for o in ("diploma", *_OUTCOMES_4))}
"""At four years every observed starter is in exactly one outcome; before it, in none."""
_COMPLETION_BREAKDOWNS = (  # each starter in one value of each: their rows are all
    "home_municipality_code",
    "organizer_code",
    "school_unit_code",
    "programme_code",
    "background",
)
_PROGRAMME_GROUPS = Total(
    "all", complete=True, partitions=(("preparatory", "vocational", "introduction"),)
)
"""Starters split by programme type, each in exactly one (introduction: an IM programme,
preparatory: the listed ones, vocational: the other national ones; docs/analyses/
completion.md); a null breakdown value is the start year's total."""
_INCIDENT_STAGES = ("not_investigated", "investigating", "measures_taken", "closed")
"""Where a reported incident stands: each case in exactly one stage."""
_KOMVUX_BREAKDOWNS = (
    "municipality_code", "course_code", "start_key", "provider_type", "provision", "size",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Definition:
    """How a kind of table's cells are defined."""

    counts: tuple[str, ...]
    totals: Mapping[str, Total] = field(default_factory=dict)
    span: Span | None = None
    parts: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    within: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    references: tuple[Reference, ...] = ()
    aliases: Mapping[str, str] = field(default_factory=dict)
    balances: tuple[Balance, ...] = ()
    unbounded: tuple[str, ...] = ()
    reconciles: tuple[Reconcile, ...] = ()
    conditional: tuple[str, ...] = ()
    """Parts that exist only in some rows (given per table as ``not_applicable`` rows): a
    komvux start's completed, interrupted and continuing once it has ended."""


_KOMVUX_OUTCOMES = ("completed", "interrupted", "continuing")
"""The results of a komvux start: they exist once it has ended (docs/analyses/komvux.md); in
a row without an ended start the enrolled are all ``not_reported``."""
DEFINITIONS: dict[str, Definition] = {
    "equity.yearly": Definition(
        counts=("n", "n_lower", "n_same", "n_higher"),
        totals={"group": _GROUP_TOTAL},
        parts={"n": ("n_lower", "n_same", "n_higher")},
        references=(
            Reference("reference_share_higher", "n_higher"),
            Reference("reference_share_lower", "n_lower"),
        ),
    ),
    "equity.patterns": Definition(
        counts=("n", "observed_higher", "observed_lower"),
        totals={"group": _GROUP_TOTAL},
        span=Span(),
        aliases={"observed_higher": "n_higher", "observed_lower": "n_lower"},
    ),
    # Movement (docs/analyses/movement.md): a total is a null in its column (ADR 0003), as in
    # every table since issue #15 (they were ``all`` once, and the catalogue kept that marker
    # after the tables changed: their totals were no ties, and a municipality page's
    # follow-up total, over its one home municipality, read as the region's).
    "movement.share": Definition(
        counts=("n", "n_other"),
        totals={"home_municipality_code": Total(None, complete=True)},
    ),
    "movement.balance": Definition(
        counts=("n", "residents", "outgoing", "incoming"),
        totals={"programme_code": Total(None, complete=True)},
        parts={"n": ("residents", "incoming")},
        unbounded=("outgoing",),  # residents studying elsewhere: not a part of n
    ),
    "movement.flows": Definition(
        counts=("n",),
        totals={
            by: Total(None)
            for by in (
                "home_municipality_code",
                "school_municipality_code",
                "organizer_code",
                "school_unit_code",
                "programme_code",
            )
        },
    ),
    # The introduction follow-up: per start year, home municipality and programme, the
    # students (outcome null) are those in a national programme, still on an introduction
    # programme and those who left, each in exactly one (complete), and the programmes add
    # up to all introduction students (complete).
    "movement.introduction": Definition(
        counts=("n",),
        totals={
            "outcome": Total(None, complete=True),
            "programme_code": Total(None, complete=True),
            "home_municipality_code": Total(None),
        },
    ),
    # Admissions against 15 October (docs/analyses/movement.md, ``analytics.movement.admissions``):
    # per admission year, unit and programme, the admission rounds' counts and the enrolled on
    # 15 October: enrolled = finally admitted - outgoing + incoming; n is the largest of
    # enrolled, finally admitted and first-choice applicants (the other rounds may exceed it).
    # Each student finally admitted or enrolled is stayed, moved, left or arrived once, so the
    # year's summary adds up the cells: admitted = stayed + moved + left, enrolled = stayed +
    # moved + arrived, incoming = moved + arrived, outgoing = moved + left.
    "movement.admissions": Definition(
        counts=(
            "n",
            "first_choice",
            "admitted_preliminary",
            "admitted_final",
            "admitted_reserve",
            "enrolled",
            "incoming",
            "outgoing",
        ),
        totals={"programme_code": Total(None), "school_unit_code": Total(None)},
        balances=(Balance(("enrolled", "outgoing"), ("admitted_final", "incoming")),),
        unbounded=("admitted_preliminary", "admitted_reserve"),
    ),
    "movement.admissions.summary": Definition(
        counts=("n",),
        totals={"category": Total(None)},
        reconciles=(
            Reconcile("admissions", "admitted_final", "category", ("stayed", "moved", "left")),
            Reconcile("admissions", "enrolled", "category", ("stayed", "moved", "arrived")),
            Reconcile("admissions", "incoming", "category", ("moved", "arrived")),
            Reconcile("admissions", "outgoing", "category", ("moved", "left")),
        ),
    ),
    "planning.expected": Definition(
        counts=("basis_students",),
        totals={"school_municipality_code": Total("all"), "programme_code": Total("all")},
    ),
    "planning.forecast": Definition(counts=("persons_now",)),
    "planning.supply_demand": Definition(counts=("basis_applicants",)),
    "adjusted.results": Definition(counts=("n_students",)),
    "quality.levels": Definition(counts=("n",), totals={"group": Total(None)}),
    "completion.totals": Definition(
        counts=("n", *_COMPLETION_COUNTS),
        totals={"programme_group": _PROGRAMME_GROUPS},
        within=_COMPLETION_OUTCOMES,
    ),
    "completion.breakdown": Definition(
        counts=("n", *_COMPLETION_COUNTS),
        totals={
            "programme_group": _PROGRAMME_GROUPS,
            **{by: Total(complete=True) for by in _COMPLETION_BREAKDOWNS},
        },
        within=_COMPLETION_OUTCOMES,
    ),
    "completion.year9": Definition(
        counts=("n", "started_next_year"), totals={"home_municipality_code": Total()}
    ),
    "completion.warnings": Definition(
        counts=("n", "flagged", "serious", "very_serious"),
        totals={"organizer_code": Total(), "school_unit_code": Total()},
    ),
    "completion.evaluation": Definition(counts=("n", "positives", "flagged", "true_positives")),
    # Komvux (docs/analyses/komvux.md): every start lies in exactly one value of each
    # breakdown, so each breakdown's rows add up to the year's total (a null).
    **{
        f"komvux.{measure}": Definition(
            counts=(count, *parts),
            totals={by: Total(None, complete=True) for by in _KOMVUX_BREAKDOWNS},
            parts={count: parts} if parts else {},
            conditional=_KOMVUX_OUTCOMES if measure == "enrolment" else (),
        )
        for measure, count, parts in (
            ("applications", "applicants", ("admitted", "not_admitted")),
            ("first_hand", "first_hand", ()),
            ("eligible", "eligible", ()),
            ("enrolment", "enrolled", ("completed", "interrupted", "continuing", "not_reported")),
            ("outcomes", "followed_up", ("in_work", "in_studies", "neither")),
        )
    },
    # Incidents (docs/analyses/incidents.md): every case is in one stage, one organizer, one
    # unit and one kind; a breakdown's rows add up to the year's total (a null).
    "incidents.followup": Definition(
        counts=("reports", *_INCIDENT_STAGES),
        totals={
            by: Total(None, complete=True)
            for by in ("organizer_code", "school_unit_code", "incident_kind")
        },
        parts={"reports": _INCIDENT_STAGES},
    ),
    # Surveys (docs/analyses/surveys.md): n counts an index's respondents with a value, per
    # level, year group and gender; a null year group or gender is the total over them, which
    # also holds the respondents whose year group or gender is unknown (so it is at least the
    # sum of its parts). The index values and intervals are derived from the respondents and
    # are hidden with their row. The levels add up by the register (``Hierarchy``): the region
    # over its municipalities and units, an organizer and a municipality over their own units.
    "surveys.results": Definition(
        counts=("n",), totals={"year_group": Total(None), "gender": Total(None)}
    ),
    # The priority matrix counts the respondents with a value of every index: another
    # population than the results' (its own family), one row per index.
    "surveys.priority": Definition(counts=("n",)),
    # A survey round's answers so far per school unit (its progress page): a population of
    # its own; the round's total (for those who run it) is its organizer's cell, the sum of
    # its units' by the register.
    "surveys.round": Definition(counts=("n",)),
    "enrolment.overview": Definition(
        counts=("students",),
        totals={"gender": Total(None, partitions=(("F", "M"),)), "school_unit_code": Total()},
    ),
}


def released_table(
    released: Released,
    *,
    analysis: str,
    name: str,
    kind: str,
    family: str,
    constants: Mapping[str, object] | None = None,
    thresholds: Thresholds,
    rows: list[dict[str, object]] | None = None,
    complete_reference: bool = False,
    not_applicable: frozenset[tuple[object, ...]] = frozenset(),
) -> ReleasedTable:
    """``released`` described by the definition of ``kind``, its cells in ``family``.

    ``not_applicable`` are the keys (values of ``released.dims``) of the rows where the
    definition's ``conditional`` parts do not exist (a public fact the report states).

    ``thresholds`` are the minimum groups of the region (``thresholds_for``, the one place
    that decides them): a ``too_few`` cell lies in 1 .. minimum - 1. They are a rule the
    published figures state, not a decision of the gate, so the audit may read them.
    """
    definition = DEFINITIONS[kind]
    counts = tuple(c for c in definition.counts if c in released.table.schema.names)
    references = tuple(
        Reference(r.column, r.numerator, r.over, r.precision, complete_reference)
        for r in definition.references
        if r.column in released.table.schema.names
    )
    return ReleasedTable(
        analysis=analysis,
        name=name,
        family=family,
        dims=released.dims,
        counts=counts,
        rows=rows if rows is not None else released.rows(),
        min_group=thresholds.default,
        min_group_where=dict(thresholds.by_dim),
        totals=definition.totals,
        span=definition.span,
        parts={k: v for k, v in definition.parts.items() if {k, *v} <= set(counts)},
        within={k: v for k, v in definition.within.items() if {k, *v} <= set(counts)},
        references=references,
        constants=constants or {},
        aliases=definition.aliases,
        known=released.full,
        balances=definition.balances,
        unbounded=definition.unbounded,
        reconciles=definition.reconciles,
        not_applicable=_not_applicable(
            released,
            counts,
            rows,
            NotApplicable(definition.conditional, not_applicable)
            if definition.conditional and not_applicable
            else None,
        ),
    )


def _not_applicable(
    released: Released,
    counts: tuple[str, ...],
    rows: list[dict[str, object]] | None,
    given: NotApplicable | None,
) -> NotApplicable | None:
    """``given``, or the cells the gate released as not applicable
    (``likvard.access.release.released_not_applicable``): the counts among
    ``released.not_applicable`` in the rows with a reason. They are no cell, like a row of
    status ``not_applicable`` (a path of a cohort whose next year is not in the data)."""
    columns = tuple(c for c in released.not_applicable if c in counts)
    if not columns or NOT_APPLICABLE_COLUMN not in released.table.schema.names:
        return given
    keys = frozenset(
        tuple(r.get(d) for d in released.dims)
        for r in (rows if rows is not None else released.rows())
        if r.get(NOT_APPLICABLE_COLUMN) is not None
    )
    if not keys:
        return given
    if given is not None:
        raise ValueError("a table declares its not-applicable cells one way")
    return NotApplicable(columns, keys)


QUALITY_LEVEL_DIMS: tuple[str, ...] = (
    "region_code",
    "municipality_code",
    "organizer_code",
    "school_unit_code",
    "indicator",
    "school_year",
    "group",
)
"""The analysis basis's figures of one indicator and year at every level: a row names its
level by the finest of the level columns it fills (a school unit's row names its organizer
and municipality too); the levels add up by the organisations register (the hierarchy)."""


def trend_table(
    basis: AnalysisBasis,
    *,
    level: str,
    code: str,
    analysis: str,
    name: str,
    thresholds: Thresholds,
) -> ReleasedTable:
    """The subject's own figures of ``basis`` that are not in the basis year's levels cube, as
    cells of the levels' family: each warehouse indicator's trend (the subject over the
    trend's years) and the basis year's girls and boys.

    The same indicator, level and year is the same students as that year's levels cube row,
    so the trend's figure of a year and the levels cube's are one cell, tied to the levels it
    is a total of (by the hierarchy). Girls and boys are parts of the subject's all-students
    cell (the rest, students of unknown gender, is not shown: a remainder), and a school
    unit's girls are parts of its organizer's and municipality's girls, by the hierarchy.

    ``level`` is the subject's level column (``region_code``, ``organizer_code`` or
    ``school_unit_code``) and ``code`` its code. A trend taken from another subject
    (``trend_of_sv``: a municipality's published statistics) and indicators not computed from
    student data are left out.
    """
    rows: list[dict[str, object]] = []
    for block in basis.all_blocks():
        if block.trend_of_sv or block.indicator.data_source is not DataSource.WAREHOUSE:
            continue
        figures: list[tuple[int, str | None, Figure]]
        figures = [(point.school_year, None, point.figure) for point in block.trend]
        figures += [
            (basis.school_year, group, block.by_group[group])
            for group in _GENDER
            if group in block.by_group
        ]
        for year, group, figure in figures:
            shown = figure.shown and figure.n is not None
            if figure.status in SHOWN_STATUSES and not shown:
                continue  # a value without its group size names no count
            rows.append(
                {
                    level: code,
                    "indicator": block.indicator.code,
                    "school_year": year,
                    "group": group,
                    "n": figure.n if shown else None,
                    "status": figure.status,
                }
            )
    return ReleasedTable(
        analysis=analysis,
        name=name,
        family="quality",
        dims=(level, "indicator", "school_year", "group"),
        counts=DEFINITIONS["quality.levels"].counts,
        rows=rows,
        min_group=thresholds.default,
        min_group_where=dict(thresholds.by_dim),
        totals=DEFINITIONS["quality.levels"].totals,
    )


def levels_table(
    table: pa.Table, *, analysis: str, name: str, thresholds: Thresholds
) -> ReleasedTable:
    """A released levels table of the analysis basis (rows with a ``status``)."""
    definition = DEFINITIONS["quality.levels"]
    return ReleasedTable(
        analysis=analysis,
        name=name,
        family="quality",
        dims=tuple(d for d in QUALITY_LEVEL_DIMS if d in table.schema.names),
        counts=definition.counts,
        rows=table.to_pylist(),
        min_group=thresholds.default,
        min_group_where=dict(thresholds.by_dim),
        totals=definition.totals,
    )
