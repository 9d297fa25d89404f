"""Action lines ("Åtgärd: ...") become action items with their item, person and date."""

from __future__ import annotations

import datetime as dt

import pytest

from likvard_core.notes import parse_notes

NOTES = """Anteckningar
Gymnasienätverket

1. Ordförande inleder
Ordförande Patrik Hellberg, Kungsbacka, hälsar välkomna.

Åtgärd: Dela IM-gruppens anteckningar med nätverket inför varje möte. Ansvarig: Maria \
Wolfhagen, Göteborg. Klart: 2024-02-01

2. Aktuellt regional samverkan
Information om elevrörelse genom beroendekartor.
Åtgärd (Niklas Svensson, GR, 2024-02-15): Genomföra kapacitetsundersökningen med
varje medlemskommun
Bildspelet bifogas anteckningarna.

Atgard: Skicka underlaget till ledamöterna senast 15 mars 2024

Åtgärder: Sammanställa teman. Ansvariga: Arbetsutskottet
"""


def test_action_lines_become_action_items_of_their_items():
    actions = parse_notes(NOTES).actions
    found = [(a.item_number, a.text, a.owner, a.organisation, a.due) for a in actions]
    assert found == [
        (
            1,
            "Dela IM-gruppens anteckningar med nätverket inför varje möte",
            "Maria Wolfhagen",
            "Göteborg",
            dt.date(2024, 2, 1),
        ),
        (
            2,
            "Genomföra kapacitetsundersökningen med varje medlemskommun",
            "Niklas Svensson",
            "GR",
            dt.date(2024, 2, 15),
        ),
        (
            2,
            "Skicka underlaget till ledamöterna senast 15 mars 2024",
            None,
            None,
            dt.date(2024, 3, 15),
        ),
        (2, "Sammanställa teman", "Arbetsutskottet", None, None),
    ]
    assert [a.line for a in actions] == [7, 11, 15, 17]


@pytest.mark.parametrize(
    "line",
    [
        "Det krävs en åtgärd: mer dialog.",  # a word in a sentence, not a line's label
        "Åtgärdsprogram: diskuterades.",
        "Åtgärd:",  # nothing to do
    ],
)
def test_other_lines_are_not_action_items(line):
    assert parse_notes(f"Kvalitetsnätverket\n\n1. Punkt\n{line}\n").actions == ()


def test_a_date_without_a_year_is_not_read():
    (action,) = parse_notes("1. Punkt\nÅtgärd: Boka lokal. Klart: 15 mars\n").actions
    assert (action.text, action.due) == ("Boka lokal", None)
