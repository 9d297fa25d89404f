"""Local indicators in the basis: entered values as an aggregate, names marked as local."""

from __future__ import annotations

import pyarrow as pa

from bench.unsuppressed import without_suppression
from likvard_core.analytics.quality.basis import SubjectKind
from likvard_core.analytics.quality.basis_blocks import Lookup
from likvard_core.analytics.quality.catalogue import load_catalogue
from likvard_core.analytics.quality.local import LocalValue, local_revision, local_values
from likvard_core.disclosure.aggregate import Level


def test_values_become_an_aggregate_the_lookup_finds():
    aggregate = local_values(
        [LocalValue("lokal-x", 2025, 72.5, 40), LocalValue("lokal-x", 2024, 70.0)],
        kind=SubjectKind.REGION, code="gr", owners=frozenset(), version="v3",
    )  # fmt: skip
    assert aggregate.dims == ("region_code", "indicator", "school_year", "group")
    assert aggregate.population.level is Level.REGION
    assert not aggregate.population.student_level
    assert aggregate.table.column("n").to_pylist() == [40, None]
    lookup = Lookup.from_released(without_suppression(aggregate), "local")
    figure = lookup.figures[("local", "gr", "lokal-x", 2025, None)]
    assert (figure.value, figure.n, figure.shown) == (72.5, 40, True)
    assert lookup.figures[("local", "gr", "lokal-x", 2024, None)].n is None


def test_empty_values_and_marked_names():
    empty = local_values([], kind=SubjectKind.ORGANIZER, code="O1", owners=frozenset({"O1"}),
                         version="v1")  # fmt: skip
    assert empty.table.num_rows == 0
    assert empty.table.schema.field("value").type == pa.float64()
    national = load_catalogue().indicators[0]
    marked = local_revision(national)
    assert marked.local
    assert marked.name == f"{national.name} (lokal)"
    assert local_revision(marked).name == marked.name  # marked once
