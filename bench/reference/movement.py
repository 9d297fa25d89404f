"""Pandas reference for ``likvard_core.analytics.movement.flows``: vectorised, plain.

One row per student and school year (the lowest school unit code when a student has two),
the lookups merged in, then a ``groupby`` per figure. The oracle of the movement tests
(``tests/core/analytics/movement/test_reference_oracle.py``) and the baseline of
``bench/movement.py``, which times ``read_enrolments`` too: pandas reads the same Parquet files,
columns and school forms as the DuckDB query does.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

FORMS = ("gymnasieskola", "anpassad_gymnasieskola")
COLUMNS = ("school_year", "student_key", "school_unit_code", "organizer_code", "school_form",
           "programme_code", "home_municipality_code")  # fmt: skip


def read_enrolments(paths: Sequence[Path]) -> pd.DataFrame:
    """The upper-secondary enrolments of the Parquet files ``paths`` (pyarrow engine)."""
    return pd.read_parquet(
        [str(p) for p in paths], columns=list(COLUMNS), filters=[("school_form", "in", FORMS)]
    )


def movement_base(
    enrolments: pd.DataFrame, organizers: pd.DataFrame, units: pd.DataFrame
) -> pd.DataFrame:
    """Students with organizer type and municipality, school municipality, other-organizer flag.

    ``organizers``: organizer_code, organizer_type, organizer_municipality;
    ``units``: school_unit_code, school_municipality_code.
    """
    rows = enrolments[enrolments["school_form"].isin(FORMS)]
    rows = rows.sort_values(["school_year", "student_key", "school_unit_code"])
    rows = rows.drop_duplicates(["school_year", "student_key"], keep="first")
    base = rows.merge(organizers, on="organizer_code", how="left").merge(
        units, on="school_unit_code", how="left"
    )
    base["organizer_type"] = base["organizer_type"].fillna("")
    base["organizer_municipality"] = base["organizer_municipality"].fillna("")
    base["school_municipality_code"] = base["school_municipality_code"].fillna("")
    base["programme_code"] = base["programme_code"].fillna("")
    own = (base["organizer_type"] == "kommunal") & (
        base["organizer_municipality"] == base["home_municipality_code"]
    )
    base["other_organizer"] = ~own
    return base


def movement_reference(
    enrolments: pd.DataFrame, organizers: pd.DataFrame, units: pd.DataFrame
) -> dict[str, pd.DataFrame]:
    """Flows, origin-destination, other-organizer share and balance for every municipality."""
    base = movement_base(enrolments, organizers, units)
    flow_keys = ["school_year", "home_municipality_code", "organizer_code", "organizer_type",
                 "school_unit_code", "school_municipality_code", "programme_code"]  # fmt: skip
    flows = base.groupby(flow_keys, sort=False).size().rename("n").reset_index()
    od = (
        base.groupby(["school_year", "home_municipality_code", "school_municipality_code"])
        .size()
        .rename("n")
        .reset_index()
    )
    share = (
        base.groupby(["school_year", "home_municipality_code"])["other_organizer"]
        .agg(n="size", n_other="sum")
        .reset_index()
    )
    share["share_other"] = share["n_other"] / share["n"]
    outgoing = base.groupby(["school_year", "home_municipality_code", "programme_code"])[
        "other_organizer"
    ].agg(residents="size", outgoing="sum")
    incoming_rows = base[
        (base["organizer_type"] == "kommunal")
        & (base["organizer_municipality"] != base["home_municipality_code"])
    ]
    incoming = (
        incoming_rows.groupby(["school_year", "organizer_municipality", "programme_code"])
        .size()
        .rename("incoming")
    )
    incoming.index = incoming.index.set_names(outgoing.index.names)
    balance = outgoing.join(incoming, how="outer").fillna(0).astype("int64").reset_index()
    balance["net"] = balance["incoming"] - balance["outgoing"]
    return {"flows": flows, "od": od, "share": share, "balance": balance}
