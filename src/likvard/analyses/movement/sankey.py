"""A Sankey diagram as accessible inline SVG, laid out here (Vega-Lite has no Sankey).

Pure Python: ``collapse`` keeps the largest nodes of a stage and merges the rest into one
(``collapse_stages`` does it for every stage in one pass),
``sankey_layout`` places nodes in columns (height proportional to the students passing) and
links as bands between them, ``sankey_svg`` draws it with a ``<title>`` on every node and link.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

PALETTE: tuple[str, ...] = (
    "#1f77b4", "#d95f02", "#2a9d3a", "#c0392b", "#7b4fa8", "#8c564b", "#d6479e", "#5f6b6d",
    "#8a8a00", "#0f8ea1", "#375a9e", "#b35a00", "#3b7d23", "#a1343c", "#6a51a3",
)  # fmt: skip
NODE_WIDTH = 14
LABEL_GAP = 4
LINE_HEIGHT = 1.3
"""A label's line, in font sizes: the least height of a node's slot in its column."""
MARGIN = 4
"""Blank pixels around the drawing, so that nothing touches (or is cut at) its edge."""
LABEL_LIMIT = 34
"""Characters of a label's name before it is shortened, however much room there is."""
SHORT_TAIL = 4
"""The longest last word ``_short`` keeps after its ellipsis."""
NARROW = frozenset("fijlrtIJ.,:;'!|()[]-/ \u00a0")
WIDE = frozenset("mwMW…&%@—")
"""Character classes of ``text_width``; everything else is reckoned at ``EM_DEFAULT``."""
ROUND = frozenset("CDGHNOQUÖ")
EM_NARROW, EM_WIDE, EM_ROUND, EM_UPPER, EM_DEFAULT = 0.42, 1.0, 0.8, 0.7, 0.64
"""Widths in em, at or above DejaVu Sans (what system-ui and the file renderer draw with)."""


@dataclass(frozen=True, slots=True)
class Link:
    """Students from ``source`` in stage ``stage`` to ``target`` in stage ``stage + 1``."""

    stage: int
    source: str
    target: str
    value: int


@dataclass(frozen=True, slots=True)
class PlacedNode:
    """A node drawn at ``x, y`` with ``height`` pixels for ``value`` students."""

    stage: int
    key: str
    label: str
    value: int
    x: float
    y: float
    height: float
    text: str = ""
    """The text beside the node: the label, shortened to fit, and the number of students."""


@dataclass(frozen=True, slots=True)
class PlacedLink:
    """A band from the source node's right edge to the target node's left edge."""

    link: Link
    source_label: str
    target_label: str
    x0: float
    y0: float
    x1: float
    y1: float
    thickness: float
    colour: str


@dataclass(frozen=True, slots=True)
class Layout:
    """Every node and link with its place, and the drawing's size."""

    width: int
    height: int
    stage_titles: tuple[str, ...]
    stage_x: tuple[float, ...]
    nodes: tuple[PlacedNode, ...]
    links: tuple[PlacedLink, ...]
    font_size: int = 12


def collapse(links: Sequence[Link], *, stage: int, keep: int, other: str) -> list[Link]:
    """``links`` with the nodes of ``stage`` beyond the ``keep`` largest merged into ``other``.

    Totals are kept: every student still passes through exactly one node of each stage.
    """
    totals: dict[str, int] = defaultdict(int)
    for link in links:
        if link.stage == stage:
            totals[link.source] += link.value
        elif link.stage == stage - 1:
            totals[link.target] += link.value
    kept = set(sorted(totals, key=lambda k: (-totals[k], k))[:keep])
    merged: dict[tuple[int, str, str], int] = defaultdict(int)
    for link in links:
        source = link.source if link.stage != stage or link.source in kept else other
        target = link.target if link.stage != stage - 1 or link.target in kept else other
        merged[(link.stage, source, target)] += link.value
    return [Link(s, a, b, v) for (s, a, b), v in merged.items() if v > 0]


def collapse_stages(links: Sequence[Link], *, stages: int, keep: int, other: str) -> list[Link]:
    """``collapse`` applied to every stage ``0..stages-1``, in one pass over the links.

    A node's size does not change when other stages are collapsed, so the nodes to keep can
    be chosen for all stages first; the result equals collapsing stage by stage.
    """
    totals: list[dict[str, int]] = [defaultdict(int) for _ in range(stages)]
    for link in links:
        totals[link.stage][link.source] += link.value
        if link.stage + 1 < stages:
            totals[link.stage + 1][link.target] += link.value
    kept = [_largest(t, keep) for t in totals]
    merged: dict[tuple[int, str, str], int] = defaultdict(int)
    for link in links:
        source = link.source if link.source in kept[link.stage] else other
        last = link.stage + 1 >= stages
        target = link.target if last or link.target in kept[link.stage + 1] else other
        merged[(link.stage, source, target)] += link.value
    return [Link(s, a, b, v) for (s, a, b), v in merged.items() if v > 0]


def _largest(totals: Mapping[str, int], keep: int) -> set[str]:
    return set(sorted(totals, key=lambda k: (-totals[k], k))[:keep])


def _node_values(links: Sequence[Link], stages: int) -> list[dict[str, int]]:
    incoming: list[dict[str, int]] = [defaultdict(int) for _ in range(stages)]
    outgoing: list[dict[str, int]] = [defaultdict(int) for _ in range(stages)]
    for link in links:
        outgoing[link.stage][link.source] += link.value
        incoming[link.stage + 1][link.target] += link.value
    return [
        {k: max(incoming[s].get(k, 0), outgoing[s].get(k, 0)) for k in {*incoming[s], *outgoing[s]}}
        for s in range(stages)
    ]


def sankey_layout(
    links: Sequence[Link],
    *,
    stage_titles: Sequence[str],
    labels: Mapping[tuple[int, str], str],
    width: int = 960,
    height: int = 560,
    padding: float = 8.0,
    font_size: int = 12,
) -> Layout:
    """Place the nodes of each stage in a column, largest first, and the links as bands.

    Every node gets at least one line of height, so no two labels of a column overlap; a
    label is shortened to the room before the next column (the last column gets the room its
    labels need); and a margin keeps every mark and letter inside ``width`` x ``height``.
    """
    stages = len(stage_titles)
    values = _node_values(links, stages)
    line = font_size * LINE_HEIGHT
    top = MARGIN + font_size * LINE_HEIGHT + 6
    needed = max((len(v) * line + padding * max(len(v) - 1, 0) for v in values), default=0.0)
    height = max(height, math.ceil(top + needed + MARGIN + 40))
    scale = min((_stage_scale(v, height - top - MARGIN, padding, line) for v in values if v),
                default=1.0)  # fmt: skip
    stage_x, rooms = _columns(values, labels, width, font_size)
    nodes: dict[tuple[int, str], PlacedNode] = {}
    for s, stage_values in enumerate(values):
        y = top
        for key in sorted(stage_values, key=lambda k: (-stage_values[k], k)):
            h = max(stage_values[key] * scale, 1.0)
            slot = max(h, line)
            label = labels.get((s, key), key)
            text = fitted_text(label, stage_values[key], rooms[s], font_size)
            nodes[(s, key)] = PlacedNode(
                s, key, label, stage_values[key], stage_x[s], y + (slot - h) / 2, h, text
            )
            y += slot + padding
    placed = _placed_links(links, nodes, values, scale)
    return Layout(
        width, height, tuple(stage_titles), stage_x, tuple(nodes.values()), tuple(placed),
        font_size,
    )  # fmt: skip


def _columns(
    values: Sequence[Mapping[str, int]],
    labels: Mapping[tuple[int, str], str],
    width: int,
    font_size: int,
) -> tuple[tuple[float, ...], list[float]]:
    """Where each column stands, and the pixels its labels may take.

    Each column gets the room its longest label wants (the last column's to the right edge,
    the others' up to the next column, with some band left visible); when they all want more
    than the width, each is narrowed in proportion and its labels are shortened to fit.
    """
    stages = len(values)
    band = 2 * font_size
    want = [
        max(
            (text_width(node_text(labels.get((s, k), k), v, limit=LABEL_LIMIT), font_size)
             for k, v in stage_values.items()),
            default=0.0,
        ) + LABEL_GAP + (band if s < stages - 1 else 0)
        for s, stage_values in enumerate(values)
    ]  # fmt: skip
    available = width - 2 * MARGIN - stages * NODE_WIDTH
    total = sum(want)
    if total > available:
        cap = _cap(want, available)
        gaps = [min(w, cap) for w in want]
    else:
        extra = (available - total) / max(stages - 1, 1)
        gaps = [w + extra if s < stages - 1 else w for s, w in enumerate(want)]
        if stages == 1:
            gaps = [available]
    xs = [float(MARGIN)]
    for gap in gaps[:-1]:
        xs.append(xs[-1] + NODE_WIDTH + gap)
    rooms = [gap - LABEL_GAP - (font_size if s < stages - 1 else 0) for s, gap in enumerate(gaps)]
    return tuple(xs), rooms


def _cap(wants: Sequence[float], available: float) -> float:
    """The largest ``cap`` with ``sum(min(w, cap)) <= available``: the widest columns give up
    room first, a column that wants little keeps it."""
    ordered = sorted(wants)
    spent = 0.0
    for index, want in enumerate(ordered):
        cap = (available - spent) / (len(ordered) - index)
        if want >= cap:
            return cap
        spent += want
    return ordered[-1] if ordered else available


def _stage_scale(values: Mapping[str, int], usable: float, padding: float, line: float) -> float:
    """The pixels per student at which the stage's nodes, each at least ``line`` high, fill
    ``usable`` pixels."""
    room = usable - padding * max(len(values) - 1, 0)
    ordered = sorted(values.values())
    for small in range(len(ordered)):
        rest = sum(ordered[small:])
        scale = (room - line * small) / max(rest, 1)
        if ordered[small] * scale >= line:
            return max(scale, 0.0)
    return line / max(ordered[-1], 1) if ordered else 1.0


def _placed_links(
    links: Sequence[Link],
    nodes: Mapping[tuple[int, str], PlacedNode],
    values: Sequence[Mapping[str, int]],
    scale: float,
) -> list[PlacedLink]:
    colours = {key: PALETTE[i % len(PALETTE)] for i, key in enumerate(
        sorted(values[0], key=lambda k: (-values[0][k], k)) if values else [])}  # fmt: skip
    out_offset: dict[tuple[int, str], float] = defaultdict(float)
    in_offset: dict[tuple[int, str], float] = defaultdict(float)
    placed: list[PlacedLink] = []
    order = sorted(
        links,
        key=lambda k: (k.stage, nodes[(k.stage, k.source)].y, nodes[(k.stage + 1, k.target)].y),
    )
    for link in order:
        source, target = nodes[(link.stage, link.source)], nodes[(link.stage + 1, link.target)]
        thickness = link.value * scale
        y0 = source.y + out_offset[(link.stage, link.source)] + thickness / 2
        y1 = target.y + in_offset[(link.stage + 1, link.target)] + thickness / 2
        out_offset[(link.stage, link.source)] += thickness
        in_offset[(link.stage + 1, link.target)] += thickness
        colour = colours.get(link.source, PALETTE[0]) if link.stage == 0 else "#7a8793"
        placed.append(
            PlacedLink(
                link, source.label, target.label, source.x + NODE_WIDTH, y0, target.x, y1,
                thickness, colour,
            )
        )  # fmt: skip
    return placed


def _band(link: PlacedLink) -> str:
    middle = (link.x0 + link.x1) / 2
    half = max(link.thickness / 2, 0.5)
    top0, top1, bottom0, bottom1 = link.y0 - half, link.y1 - half, link.y0 + half, link.y1 + half
    return (
        f"M{link.x0:.1f},{top0:.1f} C{middle:.1f},{top0:.1f} {middle:.1f},{top1:.1f} "
        f"{link.x1:.1f},{top1:.1f} L{link.x1:.1f},{bottom1:.1f} C{middle:.1f},{bottom1:.1f} "
        f"{middle:.1f},{bottom0:.1f} {link.x0:.1f},{bottom0:.1f} Z"
    )


def sankey_svg(layout: Layout, *, title: str, description: str, element_id: str) -> str:
    """The layout as an ``<svg role="img">`` with a title, a description and tooltips.

    ``title`` and ``description`` are plain text (escaped here); numbers use Swedish format.
    """
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{escape(element_id)}" role="img" '
        f'viewBox="0 0 {layout.width} {layout.height}" width="100%" '
        f'aria-labelledby="{escape(element_id)}-title {escape(element_id)}-desc" '
        f'font-family="system-ui, sans-serif" font-size="{layout.font_size}">',
        f'<title id="{escape(element_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(element_id)}-desc">{escape(description)}</desc>',
    ]
    for x, stage_title in zip(layout.stage_x, layout.stage_titles, strict=True):
        parts.append(
            f'<text x="{x:.1f}" y="{MARGIN + layout.font_size:.1f}" font-weight="bold" '
            'fill="#1a1a1a">'
            f"{escape(stage_title)}</text>"
        )
    parts.append('<g class="links" fill-opacity="0.45">')
    for link in layout.links:
        tip = f"{link.source_label} → {link.target_label}: {_number(link.link.value)}"
        parts.append(
            f'<path d="{_band(link)}" fill="{link.colour}"><title>{escape(tip)}</title></path>'
        )
    parts.append('</g><g class="nodes">')
    for node in layout.nodes:
        tip = f"{node.label}: {_number(node.value)}"
        parts.append(
            f'<g><rect x="{node.x:.1f}" y="{node.y:.1f}" width="{NODE_WIDTH}" '
            f'height="{node.height:.1f}" fill="#33414d"><title>{escape(tip)}</title></rect>'
            f'<text x="{node.x + NODE_WIDTH + LABEL_GAP:.1f}" '
            f'y="{node.y + node.height / 2:.1f}" dominant-baseline="central" '
            'fill="#1a1a1a" stroke="#ffffff" stroke-width="3" paint-order="stroke">'
            f"{escape(node.text or node_text(node.label, node.value))}</text></g>"
        )
    parts.append("</g></svg>")
    return "".join(parts)


def node_text(label: str, value: int, *, limit: int = 26) -> str:
    """The text beside a node: its label (at most ``limit`` characters) and its students."""
    return f"{_short(label, limit)} ({_number(value)})"


def fitted_text(label: str, value: int, room: float, font_size: int) -> str:
    """``node_text`` with the label shortened until the text is at most ``room`` pixels wide
    (the number of students is always shown in full)."""
    for limit in range(min(len(label), LABEL_LIMIT), 0, -1):
        text = node_text(label, value, limit=limit)
        if text_width(text, font_size) <= room:
            return text
    return node_text(label, value, limit=1)


def text_width(text: str, font_size: float) -> float:
    """An upper estimate of the drawn width of ``text`` at ``font_size`` pixels."""
    em = 0.0
    for char in text:
        if char in NARROW:
            em += EM_NARROW
        elif char in WIDE:
            em += EM_WIDE
        elif char in ROUND:
            em += EM_ROUND
        elif char.isupper():
            em += EM_UPPER
        else:
            em += EM_DEFAULT
    return em * font_size


def _short(label: str, limit: int = 26) -> str:
    """``label`` in at most ``limit`` characters; a short last word (a school's number, "AB")
    is kept after the ellipsis, so that "Hvitfeldtska gymnasiet 1" and "... 4" stay apart."""
    if len(label) <= limit:
        return label
    head, _space, tail = label.rpartition(" ")
    if head and len(tail) <= SHORT_TAIL and limit > len(tail) + 3:
        return label[: limit - len(tail) - 2].rstrip() + "… " + tail
    return label[: limit - 1].rstrip() + "…"


def _number(value: int) -> str:
    return f"{value:,}".replace(",", "\u00a0")
