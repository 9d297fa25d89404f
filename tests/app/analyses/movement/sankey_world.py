"""A Sankey shaped like the demo's GR in 2024/25, for the layout and slide tests."""

from __future__ import annotations

from likvard.analyses.movement.sankey import Link

GR = {
    "1384": "Kungsbacka", "1401": "Härryda", "1402": "Partille", "1407": "Öckerö",
    "1415": "Stenungsund", "1419": "Tjörn", "1440": "Ale", "1441": "Lerum",
    "1462": "Lilla Edet", "1480": "Göteborg", "1481": "Mölndal", "1482": "Kungälv",
    "1489": "Alingsås",
}  # fmt: skip

# The demo's GR in 2024/25 as the deck drew it: tiny home municipalities under Göteborg's 4 267
# (their labels lay on top of each other) and long organizer and school names (they ran into
# the next column).
HOMES = {
    "1480": 4267,
    "1384": 878,
    "1481": 545,
    "1482": 438,
    "1441": 408,
    "1401": 379,
    "1402": 332,
    "1489": 308,
    "1415": 247,
    "1440": 240,
    "1462": 65,
    "1419": 56,
    "x": 38,
}
ORGANIZERS = {
    "GÖTEBORGS KOMMUN": 3833,
    "Övriga": 2169,
    "KUNGSBACKA KOMMUN": 727,
    "STIFTELSEN GÖTEBORGS HÖGRE SAMSKOLA": 131,
    "KLARA Gymnasium Lärande AB": 122,
}
UNITS = {
    "Övriga": 6730,
    "Hvitfeldtska gymnasiet 4": 206,
    "Hvitfeldtska gymnasiet 1": 179,
    "Lindholmens tekniska gymnasium 3": 157,
    "Mimers Hus gymnasium Munin": 158,
}
PROGRAMMES = {
    "Samhällsvetenskapsprogrammet": 1921,
    "Fordons- och transportprogrammet": 201,
    "Bygg- och anläggningsprogrammet": 133,
    "VVS- och fastighetsprogrammet": 91,
}


def demo_links() -> tuple[list[Link], dict[tuple[int, str], str]]:
    """The links and the labels of the four stages."""
    stages = [{**HOMES}, ORGANIZERS, UNITS, PROGRAMMES]
    links = []
    for stage in range(3):
        sources, targets = stages[stage], stages[stage + 1]
        total = sum(targets.values())
        for source, value in sources.items():
            links += [
                Link(stage, source, t, max(value * n // total, 1)) for t, n in targets.items()
            ]
    labels = {(0, code): GR.get(code, "Övriga") for code in HOMES}
    labels |= {(s, name): name for s in (1, 2, 3) for name in stages[s]}
    return links, labels
