"""The organizers' expected values computed over all groups at once equal the per-group loop
they replace, bit for bit (issue #18: the loop was a third of quality's update per import)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from likvard_core.analytics.quality.assess import Z95
from likvard_core.analytics.quality.expected import _interval, _organizers


def _organizers_by_group(owners: pd.DataFrame, units: pd.DataFrame, year: int) -> pd.DataFrame:
    """The former ``_organizers``: one pandas block per organizer and indicator."""
    known = units.dropna(subset=["expected"]).merge(owners, on="school_unit_code")
    known["var"] = ((known["expected_high"] - known["expected_low"]) / (2 * Z95)) ** 2
    rows = []
    for (organizer, indicator), block in known.groupby(["organizer_code", "indicator"]):
        w = block["n"].astype(float) / float(block["n"].sum())
        expected = float((w * block["expected"]).sum())
        actual = float((w * block["actual"]).sum())
        low, high = _interval(expected, float(np.sqrt((w**2 * block["var"]).sum())), indicator)
        rows.append(
            {
                "organizer_code": organizer,
                "indicator": indicator,
                "school_year": year,
                "n": int(block["n"].sum()),
                "actual": actual,
                "expected": expected,
                "gap": actual - expected,
                "expected_low": low,
                "expected_high": high,
            }
        )
    return pd.DataFrame(rows)


def _frames(seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Units of organizers of 1 to 400 units (numpy sums 8 and 128 at a time above those
    sizes), shares and points, missing actual and expected values, units without an owner."""
    rng = np.random.default_rng(seed)
    sizes = rng.choice([1, 2, 3, 7, 8, 9, 15, 16, 17, 127, 128, 129, 130, 257, 400], size=40)
    units = [f"u{i:05d}" for i in range(int(sizes.sum()) + 5)]
    organizers = np.repeat([f"21200{i:05d}" for i in range(len(sizes))], sizes).tolist()
    owners = pd.DataFrame(
        {"school_unit_code": units, "organizer_code": [*organizers, None, *["x"] * 4]}
    )
    owners = owners.sample(frac=1.0, random_state=seed).reset_index(drop=True)
    rows = []
    for indicator, scale in (("gr9_pass_all", 100.0), ("gr9_merit_value", 340.0)):
        picked = rng.permutation(units)[: int(len(units) * 0.9)]
        expected = rng.uniform(0.2, 0.95, len(picked)) * scale
        spread = rng.uniform(0.5, 15.0, len(picked))
        rows.append(
            pd.DataFrame(
                {
                    "school_unit_code": picked,
                    "indicator": indicator,
                    "school_year": np.int16(2025),
                    "n": rng.integers(1, 400, len(picked)).astype("int64"),
                    "actual": np.where(
                        rng.random(len(picked)) < 0.1,
                        np.nan,
                        expected + rng.normal(0, 5, len(picked)),
                    ),
                    "expected": np.where(rng.random(len(picked)) < 0.05, np.nan, expected),
                    "gap": 0.0,
                    "expected_low": expected - spread,
                    "expected_high": expected + spread * rng.uniform(0.8, 1.2, len(picked)),
                }
            )
        )
    return owners, pd.concat(rows).sample(frac=1.0, random_state=seed + 1)


@pytest.mark.parametrize("seed", range(8))
def test_the_organizers_equal_the_per_group_loop_bit_for_bit(seed):
    owners, units = _frames(seed)
    got, want = _organizers(owners, units, 2025), _organizers_by_group(owners, units, 2025)
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    for column in ("actual", "expected", "gap", "expected_low", "expected_high"):
        assert np.array_equal(
            got[column].to_numpy().view(np.int64), want[column].to_numpy().view(np.int64)
        )


def test_no_known_expected_value_gives_no_organizer():
    owners, units = _frames(0)
    assert _organizers(owners, units.assign(expected=np.nan), 2025).empty
