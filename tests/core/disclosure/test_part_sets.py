"""Counts that split a row's students more than one way (``Aggregate.part_sets``)."""

from __future__ import annotations

import pyarrow as pa
import pytest

from likvard_core.disclosure.aggregate import Aggregate, Level, Partitions, Population
from likvard_core.disclosure.suppress import suppress

GROUPS = Partitions("group", "all", (("a", "b", "c"),))


def _aggregate(part_sets: tuple[tuple[str, ...], ...]) -> Aggregate:
    # within four years everyone is in one outcome; within three years is also within four
    table = pa.table(
        {
            "group": ["all", "a", "b", "c"],
            "n": [40, 30, 7, 3],
            "diploma_4": [30, 24, 4, 2],
            "other_4": [10, 6, 3, 1],
            "diploma_3": [20, 20, 0, 0],
        }
    )
    return Aggregate(
        table=table,
        dims=("group",),
        count="n",
        values=("diploma_4", "other_4", "diploma_3"),
        population=Population(scope="t", organizers=frozenset({"1"}), level=Level.REGION),
        data_version="v1",
        partitions=GROUPS,
        parts=("diploma_4", "other_4"),
        part_sets=part_sets,
    )


def test_one_set_of_overlapping_parts_is_refused():
    shape = _aggregate(())
    with pytest.raises(ValueError, match="declare parts first"):
        Aggregate(
            table=shape.table,
            dims=("group",),
            count="n",
            values=shape.values,
            population=shape.population,
            data_version="v1",
            part_sets=(("diploma_3",),),
        )


@pytest.mark.parametrize("declared", [True, False])
def test_each_set_is_tied_to_the_count_alone_and_hidden_with_its_row(declared):
    if not declared:  # the old shape: diploma_3 no cell, a stays shown and pins b's and c's
        undeclared = suppress(_aggregate(()), min_group=5).table.to_pylist()
        assert {r["group"]: r["status"] for r in undeclared}["a"] == "exists"
        return
    released = suppress(_aggregate((("diploma_3",),)), min_group=5).table.to_pylist()
    status = {r["group"]: r["status"] for r in released}
    assert status["c"] == "too_few"
    assert status["b"] == "suppressed_complementary"
    # all's diploma_3 (20) is a's: shown, a would pin the hidden b's and c's to 0
    assert status["a"] == "suppressed_complementary"
    assert all(r["diploma_3"] is None for r in released if r["status"] != "exists")
