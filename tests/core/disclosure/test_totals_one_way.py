"""Totals one way (#15, ADR 0003): the ``Aggregate`` constructor refuses a total written as a
word in a margin column, and a partition column holding anything but its total and parts."""

from __future__ import annotations

import pyarrow as pa
import pytest

from likvard_core.disclosure.aggregate import TOTAL_LABELS, Aggregate, Partitions
from tests.core.disclosure.builders import POPULATION, aggregate

PARTS = Partitions(column="group", total="all", parts=(("girls", "boys"),))


@pytest.mark.parametrize("label", ["all", "Alla", " TOTALT ", "total", "samtliga"])
def test_a_margin_column_may_not_name_its_total(label):
    with pytest.raises(ValueError, match="margin column 'programme_code' writes totals"):
        aggregate(
            {"programme_code": ["NA", "SA", label], "n": [12, 6, 18]},
            dims=("programme_code",),
            margins=("programme_code",),
        )


def test_the_reserved_words_are_one_set():
    assert {"all", "alla", "total", "totalt"} <= TOTAL_LABELS
    assert all(word == word.strip().lower() for word in TOTAL_LABELS)


def test_a_null_total_and_dictionary_columns_are_checked_alike():
    ok = aggregate(
        {"programme_code": ["NA", "SA", None], "n": [12, 6, 18]},
        dims=("programme_code",),
        margins=("programme_code",),
    )
    assert ok.table.num_rows == 3
    coded = pa.array(["NA", "all"]).dictionary_encode()
    with pytest.raises(ValueError, match="writes totals"):
        Aggregate(
            pa.table({"programme_code": coded, "n": [3, 3]}),
            dims=("programme_code",),
            count="n",
            values=(),
            population=POPULATION,
            data_version="v1",
            margins=("programme_code",),
        )


def test_a_word_outside_the_margins_is_a_value_like_any_other():
    # published statistics name Skolverket's total organizer type "all"; it is no margin here
    kept = aggregate({"organizer_type": ["all", "kommunal"], "n": [9, 4]}, dims=("organizer_type",))
    assert kept.table.num_rows == 2


def _grouped(groups: list[object], *, margins: tuple[str, ...] = ()) -> Aggregate:
    return Aggregate(
        pa.table({"group": pa.array(groups, pa.string()), "n": [10] * len(groups)}),
        dims=("group",),
        count="n",
        values=(),
        population=POPULATION,
        data_version="v1",
        margins=margins,
        partitions=PARTS,
    )


def test_a_partition_column_holds_its_total_and_parts_only():
    assert _grouped(["all", "girls", "boys"]).table.num_rows == 3
    with pytest.raises(ValueError, match="other than its total and parts"):
        _grouped(["all", "girls", "boys", "unknown"])
    with pytest.raises(ValueError, match="other than its total and parts"):
        _grouped(["all", "girls", None])
    with pytest.raises(ValueError, match="must not also be a margin"):
        _grouped(["all", "girls"], margins=("group",))
