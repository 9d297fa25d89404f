"""Numbers in HTML attributes are written without thousands separators.

The site writes numbers the Swedish way (``USE_THOUSAND_SEPARATOR``: 12 345), and Django's
templates apply that to every integer they print, an id included: agenda item 9012 became
``id="item-9 012"`` and its links ``#item-9 012``, so once a table passed 999 rows the
minutes' anchors, the links back from forwarded matters and the search hits pointed nowhere,
a progress bar's ``value="1 234"`` was invalid, and a paging link's ``year=2 025`` asked for
no year. (It showed as a test that failed only when earlier tests in the same worker had
used up the first thousand ids.) In an attribute a number must be ``|unlocalize``d.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.template import Context, Template
from django.utils import translation

SRC = Path(__file__).resolve().parents[3] / "src" / "likvard"
# Attributes whose value a machine reads: ids and references to them, links, form values.
ATTRIBUTE = re.compile(
    r"\s(id|for|href|value|max|min|aria-labelledby|aria-describedby|aria-controls|headers|action"
    r'|data-[a-z-]+)="([^"]*)"'
)
UNFILTERED = re.compile(r"\{\{\s*([A-Za-z_][\w.]*)\s*\}\}")
# Names that hold text, never a number: printing them unfiltered is fine.
TEXT = re.compile(
    r"(url|name|code|label|title|slug|text|kind|fmt|token|path|query|lang|language|status"
    r"|breakdown|organizer_type|table_id|chart_id|caption_id|auto_id|id_for_label|element_id"
    r"|html_name|prefix|email|school_unit|subject|group|anchor|key|field|target|scope|section"
    r"|tab|q|mode|level|choice|measure|indicator|region|municipality|analysis|format|next)$"
)


def _unfiltered_numbers(text: str) -> list[tuple[str, str]]:
    return [
        (attribute.group(1), variable.group(1))
        for attribute in ATTRIBUTE.finditer(text)
        for variable in UNFILTERED.finditer(attribute.group(2))
        if not TEXT.search(variable.group(1).rsplit(".", 1)[-1])
    ]


# A year held as an integer (2025, not "2024/25"): as text it must not read "2 025".
YEAR = re.compile(r"^(year|first_year|last_year|from_year|to_year|start_year|end_year)$")
# ... except where the name holds text: a label such as "2024/25", or rendered options.
YEARS_AS_TEXT = {
    ("analyses/templates/analyses/completion/_region_body.html", "row.year"),  # a label
    ("analyses/templates/analyses/adjusted/_results_body.html", "options.year"),  # <option>s
}
TRANSLATED = re.compile(r"\{% blocktranslate.*?\{% endblocktranslate %\}", re.DOTALL)


def _unfiltered_years(text: str) -> list[str]:
    text = TRANSLATED.sub("", text)  # inside, names are bound in the tag, filters and all
    return [
        variable.group(1)
        for variable in UNFILTERED.finditer(text)
        if YEAR.match(variable.group(1).rsplit(".", 1)[-1])
    ]


def test_django_would_write_an_id_with_a_separator():
    """The premise: without ``unlocalize`` an id of 9012 is printed as 9 012."""
    with translation.override("sv"):
        template = Template('{% load l10n %}<a href="#item-{{ pk }}" id="i-{{ pk|unlocalize }}">')
        html = template.render(Context({"pk": 9012}))
    assert html == '<a href="#item-9\xa0012" id="i-9012">'
    assert _unfiltered_numbers(template.source) == [("href", "pk")]


def test_no_template_prints_a_number_into_an_attribute_unfiltered():
    templates = [p for p in SRC.rglob("*.html") if "static_build" not in p.parts]
    assert len(templates) > 100
    offenders = [
        f"{path.relative_to(SRC)}: {attribute}={{{{ {name} }}}}"
        for path in templates
        for attribute, name in _unfiltered_numbers(path.read_text(encoding="utf-8"))
    ]
    assert not offenders, "add |unlocalize:\n" + "\n".join(offenders)


def test_no_template_prints_a_year_with_a_separator():
    """Capacity survey 2 027–2 029 (issue #16): a year is written 2027."""
    templates = [p for p in SRC.rglob("*.html") if "static_build" not in p.parts]
    offenders = [
        f"{path.relative_to(SRC)}: {{{{ {name} }}}}"
        for path in templates
        for name in _unfiltered_years(path.read_text(encoding="utf-8"))
        if (str(path.relative_to(SRC)), name) not in YEARS_AS_TEXT
    ]
    assert not offenders, "add |unlocalize:\n" + "\n".join(offenders)
