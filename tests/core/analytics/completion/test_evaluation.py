"""Precision, recall and lead time of the warning on a hand-made history (``cohorts.py``).

History: national starters of 2019 A, B, C, D, F, G (E started on IMV; I's years are not over).
Positives, without a diploma after 3 years and not studying: B (studiebevis), D (left after two
years), G (studiebevis). Last terms: B and G spring 2021, D spring 2020.
"""

from __future__ import annotations

import pytest

from likvard_core.analytics.completion.evaluation import warning_evaluation
from likvard_core.analytics.completion.warning import WarningRule
from tests.core.analytics.completion import cohorts


@pytest.fixture
def rows(make_snapshot):
    with make_snapshot(cohorts.history_tables()) as db:
        aggregate = warning_evaluation(
            db,
            WarningRule(level=0.10, window_level=None, rise=None, invalid_level=None),
            unit_municipalities=cohorts.unit_municipalities(),
            organizers=None,
            scope="test",
        )
    return {(r["kind"], round(r["threshold"], 2)): r for r in aggregate.table.to_pylist()}


def test_ten_percent_in_a_term(rows):
    row = rows[("term", 0.10)]
    assert (row["n"], row["positives"]) == (6, 3)
    # B (12 % in autumn 2020), D (25 % in autumn 2019) and C (12 %, but took a diploma).
    assert (row["flagged"], row["true_positives"]) == (3, 2)
    assert row["precision"] == pytest.approx(2 / 3)
    assert row["recall"] == pytest.approx(2 / 3)  # G had no absence on file
    assert row["lead_terms"] == 3  # B: autumn 2020 → spring 2021; D: autumn 2019 → spring 2020


def test_higher_thresholds(rows):
    serious = rows[("term", 0.15)]
    assert (serious["flagged"], serious["true_positives"]) == (2, 2)  # B at 16 %, D
    assert serious["precision"] == 1.0
    assert serious["lead_terms"] == 2  # B 1 term, D 3 terms
    alarming = rows[("term", 0.20)]
    # B reaches 20 % only in the last term, which comes too late to count.
    assert (alarming["flagged"], alarming["true_positives"]) == (1, 1)
    assert alarming["recall"] == pytest.approx(1 / 3)
    low = rows[("term", 0.05)]
    assert (low["flagged"], low["lead_terms"]) == (3, 3.5)  # B from spring 2019: 4, D: 3


def test_invalid_and_combined_rule(rows):
    invalid = rows[("invalid", 0.03)]
    assert (invalid["flagged"], invalid["true_positives"]) == (1, 1)  # D
    rule = rows[("rule", 0.10)]
    assert (rule["flagged"], rule["true_positives"]) == (3, 2)  # the rule is the 10 % level only
