"""A Sankey diagram as accessible inline SVG, laid out here (Vega-Lite has no Sankey).

Pure Python: ``collapse`` keeps the largest nodes of a stage and merges the rest into one
(``collapse_stages`` does it for every stage in one pass),
``sankey_layout`` places nodes in columns (height proportional to the students passing) and
links as bands between them, ``sankey_svg`` draws it with a ``<title>`` on every node and link.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

PALETTE: tuple[str, ...] = (
    "#1f77b4", "#d95f02", "#2a9d3a", "#c0392b", "#7b4fa8", "#8c564b", "#d6479e", "#5f6b6d",
    "#8a8a00", "#0f8ea1", "#375a9e", "#b35a00", "#3b7d23", "#a1343c", "#6a51a3",
)  # fmt: skip
NODE_WIDTH = 14
LABEL_SPACE = 190
"""The least room right of the last column; more when its labels are longer."""
LABEL_GAP = 4
CHAR_WIDTH = 7.2
"""A generous average width of a character at the diagram's 12 px (system-ui), in pixels."""
TOP_MARGIN = 28


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
) -> Layout:
    """Place the nodes of each stage in a column, largest first, and the links as bands."""
    stages = len(stage_titles)
    values = _node_values(links, stages)
    usable = height - TOP_MARGIN - 4
    scales = [
        (usable - padding * max(len(v) - 1, 0)) / max(sum(v.values()), 1) for v in values if v
    ]
    scale = max(min(scales, default=1.0), 0.0)
    last = [
        node_text(labels.get((stages - 1, key), key), value)
        for key, value in (values[-1].items() if values else [])
    ]
    room = max([LABEL_SPACE, *(label_width(text) + LABEL_GAP + 6 for text in last)])
    step = (width - room - NODE_WIDTH) / max(stages - 1, 1)
    stage_x = tuple(s * step for s in range(stages))
    nodes: dict[tuple[int, str], PlacedNode] = {}
    for s, stage_values in enumerate(values):
        y = float(TOP_MARGIN)
        for key in sorted(stage_values, key=lambda k: (-stage_values[k], k)):
            h = max(stage_values[key] * scale, 1.0)
            label = labels.get((s, key), key)
            nodes[(s, key)] = PlacedNode(s, key, label, stage_values[key], stage_x[s], y, h)
            y += h + padding
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
                link,
                source.label,
                target.label,
                source.x + NODE_WIDTH,
                y0,
                target.x,
                y1,
                thickness,
                colour,
            )
        )
    return Layout(width, height, tuple(stage_titles), stage_x, tuple(nodes.values()), tuple(placed))


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
        'font-family="system-ui, sans-serif" font-size="12">',
        f'<title id="{escape(element_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(element_id)}-desc">{escape(description)}</desc>',
    ]
    for x, stage_title in zip(layout.stage_x, layout.stage_titles, strict=True):
        parts.append(
            f'<text x="{x:.1f}" y="16" font-weight="bold" fill="#1a1a1a">'
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
            f'y="{node.y + node.height / 2 + 4:.1f}" '
            'fill="#1a1a1a" stroke="#ffffff" stroke-width="3" paint-order="stroke">'
            f"{escape(node_text(node.label, node.value))}</text></g>"
        )
    parts.append("</g></svg>")
    return "".join(parts)


def node_text(label: str, value: int) -> str:
    """The text beside a node: its (shortened) label and its number of students."""
    return f"{_short(label)} ({_number(value)})"


def label_width(text: str) -> float:
    """An upper estimate of the drawn width of ``text`` in pixels."""
    return CHAR_WIDTH * len(text)


def _short(label: str, limit: int = 26) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _number(value: int) -> str:
    return f"{value:,}".replace(",", "\u00a0")
