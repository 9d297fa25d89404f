"""Charts drawn for files: a page's Vega-Lite definition (or a ready SVG) as SVG or PNG.

vl-convert draws without a browser; the page's ``"width": "container"`` becomes a fixed width
that fits the file's page or slide, and numbers follow Swedish conventions.
"""

from __future__ import annotations

import copy
import re
import textwrap
from collections.abc import Mapping

SWEDISH_LOCALE = {
    "decimal": ",",
    "thousands": "\u00a0",
    "grouping": [3],
    "currency": ["", "\u00a0kr"],
    "percent": "\u00a0%",
}
VEGA_LITE = "https://vega.github.io/schema/vega-lite/v5.json"
Spec = dict[str, object]
"""A Vega-Lite chart as JSON-ready dicts: drawn by ``static/analyses/charts.js`` on a page,
by ``spec_svg``/``spec_png`` in a file."""

VIEWBOX = re.compile(r'viewBox="0 0 ([0-9.]+) ([0-9.]+)"')
WIDTH = 760
"""Pixels of a chart drawn for a file: 201 mm at 96 per inch, within A4 portrait's text."""


FILE_FONT = "DejaVu Sans"
"""The font a file's chart is measured and drawn in: the one the PDF, DOCX and slides set.
vl-convert measures its default 'sans-serif' narrower than WeasyPrint draws it in a PDF, so
long axis labels ('Handels- och administrationsprogrammet') and legend titles were cut at the
chart's edges."""


TITLE_CHARS = 40
"""Characters of a chart title's line: 14 px bold DejaVu Sans fits about 40 in the 350 px a
phone (390 px) leaves a chart; a longer title is cut at the chart's right edge."""
TITLE_PX_PER_CHAR = 350 / TITLE_CHARS


def wrapped_title(spec: Spec, title: str | list[str]) -> None:
    """Set ``spec``'s title text to ``title`` wrapped for a phone, keeping the given lines in
    ``usermeta`` so a file's wider chart (``spec_svg``) wraps them for its own width."""
    heading = spec.setdefault("title", {})
    if isinstance(heading, dict):
        heading["text"] = title_lines(title)
    spec["usermeta"] = {"title": [title] if isinstance(title, str) else list(title)}


def title_lines(title: str | list[str], *, chars: int = TITLE_CHARS) -> str | list[str]:
    """``title`` as lines of at most ``chars`` characters (a short title stays one string)."""
    given = [title] if isinstance(title, str) else title
    lines = [part for line in given for part in (textwrap.wrap(line, chars) or [line])]
    return lines[0] if len(lines) == 1 else lines


def chart_spec(
    title: str | list[str],
    values: list[dict[str, object]],
    *,
    description: str | None = None,
    height: int | None = None,
) -> Spec:
    """The frame every chart shares: title at the start, the container's width, 12 px axes.

    With a ``height`` the chart fits its container's width padding included (a fixed height
    for charts whose rows do not set it); the marks and encodings are the caller's.
    """
    spec: Spec = {
        "$schema": VEGA_LITE,
        # From the chart's left edge, not centred over the plot: a centred two-line title ran
        # past the right edge of a phone's screen (390 px).
        "title": {"anchor": "start", "frame": "bounds", "fontSize": 14},
        "width": "container",
        "data": {"values": values},
        # Legends at the axes' 12 px: Vega-Lite's default of 10 px was too small to read
        # beside a 12 px axis (the completion trend's three measures, issue #16).
        "config": {
            "axis": {"labelFontSize": 12, "titleFontSize": 12},
            "legend": {"labelFontSize": 12, "titleFontSize": 12},
        },
    }
    wrapped_title(spec, title)
    if description is not None:
        spec["description"] = description
    if height is not None:
        spec["height"] = height
        spec["autosize"] = {"type": "fit-x", "contains": "padding"}
    return spec


def _fixed(spec: Mapping[str, object], width: int) -> dict[str, object]:
    drawn = copy.deepcopy(dict(spec))
    if drawn.get("width") == "container" or not isinstance(drawn.get("width"), int):
        drawn["width"] = width
    if drawn.get("height") == "container":
        drawn["height"] = round(width * 0.45)
    config = drawn.get("config")
    drawn["config"] = {"font": FILE_FONT, **(config if isinstance(config, dict) else {})}
    meta = drawn.get("usermeta")
    heading = drawn.get("title")
    if isinstance(meta, dict) and isinstance(heading, dict) and "title" in meta:
        # The page's title was wrapped for a phone; a file's chart is wider.
        heading["text"] = title_lines(meta["title"], chars=int(width / TITLE_PX_PER_CHAR))
    return drawn


def spec_svg(spec: Mapping[str, object], *, width: int = WIDTH) -> str:
    """The Vega-Lite ``spec`` as SVG text."""
    import vl_convert  # noqa: PLC0415 (heavy import, only when exporting)

    return str(
        vl_convert.vegalite_to_svg(
            vl_spec=_fixed(spec, width), format_locale=SWEDISH_LOCALE, allowed_base_urls=[]
        )
    )


def spec_png(spec: Mapping[str, object], *, width: int = WIDTH) -> bytes:
    """The Vega-Lite ``spec`` as a PNG at twice the resolution."""
    import vl_convert  # noqa: PLC0415 (heavy import, only when exporting)

    return bytes(
        vl_convert.vegalite_to_png(
            vl_spec=_fixed(spec, width), scale=2, format_locale=SWEDISH_LOCALE,
            allowed_base_urls=[],
        )
    )  # fmt: skip


def svg_png(svg: str) -> bytes:
    """An SVG (a page's own drawing, e.g. a Sankey) as a PNG at twice the resolution; a
    relative width becomes the size of its ``viewBox``, so the drawing is neither cut nor
    stretched."""
    import vl_convert  # noqa: PLC0415 (heavy import, only when exporting)

    box = VIEWBOX.search(svg)
    width, height = (box.group(1), box.group(2)) if box else ("960", "560")
    fixed = svg.replace('width="100%"', f'width="{width}" height="{height}"', 1)
    return bytes(vl_convert.svg_to_png(fixed, scale=2))


def has_data(spec: Mapping[str, object] | None) -> bool:
    """Whether a spec has rows to draw (an empty chart is left out of files)."""
    if spec is None:
        return False
    data = spec.get("data")
    if isinstance(data, Mapping) and "values" in data:
        return bool(data["values"])
    return True
