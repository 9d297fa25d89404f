"""A kept national context updated per school year instead of computed anew (issue #18).

Every row of a context's indicator values is about one school year and reads only that year's
facts (every grouping set of ``indicator_sql`` and every join there is per school year), and the
expected-value fits and the units' organizers are of the context's own year only. So a data
version that differs from another only in some school years' facts (an import or a withdrawal)
has the other's context in every other year: ``context_tables_updated`` computes the values of
the changed years alone, fits the model again only when the context's year changed, and takes
the rest from the other version's kept tables. The result equals ``context_tables`` of
``basis_context`` computed anew (``tests/core/analytics/quality/test_context_update.py``).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import pyarrow as pa
import pyarrow.compute as pc

from likvard_core.analytics.quality.basis_context import BasisContext
from likvard_core.analytics.quality.basis_store import ContextKey, context_fits, values_sorted
from likvard_core.analytics.quality.expected import expected_values, unit_organizers
from likvard_core.analytics.quality.indicators import indicator_values
from likvard_core.warehouse.schema import ABSENCE, ENROLMENTS, FINAL_GRADES, NATIONAL_TESTS
from likvard_core.warehouse.snapshot import Snapshot

CONTEXT_READS: tuple[str, ...] = (
    ENROLMENTS.name,
    FINAL_GRADES.name,
    NATIONAL_TESTS.name,
    ABSENCE.name,
)
"""The fact tables a context reads: a version differing only in others keeps its context."""


def context_tables_updated(
    db: Snapshot,
    previous: Mapping[str, pa.Table],
    key: ContextKey,
    *,
    changed: Collection[int],
    school_municipalities: Mapping[str, str] | None,
) -> dict[str, pa.Table]:
    """``context_tables(basis_context(db, ...))`` for ``key``, from ``previous`` (the kept
    tables of the same key of a version whose facts differ from ``db``'s only in the school
    years ``changed``): only the changed years of the trend are computed again."""
    years = sorted({int(y) for y in changed} & set(key.years))
    if not years:
        return dict(previous)
    fresh = indicator_values(db, years=years, school_municipalities=school_municipalities)
    old = previous["values"]
    year_type = old.schema.field("school_year").type
    stale = pc.is_in(old.column("school_year"), pa.array(years, year_type))
    values = pa.concat_tables([old.filter(pc.invert(stale)), fresh.long.cast(old.schema)])
    if key.year not in years:  # the fits and owners are of the context's year alone
        return {**previous, "values": values_sorted(values)}
    units, organizers = expected_values(db, fresh, year=key.year)
    owners = unit_organizers(db, key.year)
    context = BasisContext(
        key.year, key.years, fresh, units, organizers, owners, school_municipalities
    )
    return {"values": values_sorted(values), **context_fits(context)}
