"""The movement filters' selects are written without a template per option (#16: the page
took over 300 ms warm); they must say exactly what Django's own select says."""

from __future__ import annotations

import re

from django import forms

from likvard.analyses.movement.forms import CompactSelect, MovementFilterForm


def _normal(html: str) -> str:
    """Whitespace between tags dropped and each tag's attributes in one order."""

    def tag(match: re.Match[str]) -> str:
        attributes = sorted(re.findall(r'\s([\w-]+(?:="[^"]*")?)', match.group(2)))
        return "<" + " ".join([match.group(1), *attributes]) + ">"

    flat = re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()
    return re.sub(r"<(\w+)((?:\s[^>]*)?)>", tag, flat)


def test_compact_select_writes_djangos_markup():
    programmes = [("EE", "El- och energiprogrammet"), ("NA", "Naturvetenskaps & <program>")]
    form = MovementFilterForm(
        {"programme": "NA", "year": "2024", "measure": "bogus"},
        years=[2024, 2025], programmes=programmes, municipalities=[("1384", "Kungsbacka")],
    )  # fmt: skip
    assert not form.is_valid()  # an error: aria-invalid and the error's id on the select
    assert all(isinstance(f.widget, CompactSelect) for f in form.fields.values())
    compact = form.as_div()
    for field in form.fields.values():
        field.widget = forms.Select(choices=field.widget.choices)
    assert _normal(compact) == _normal(form.as_div())
    assert (
        '<option value="NA" selected>NA Naturvetenskaps &amp; &lt;program&gt;</option>' in compact
    )
    assert 'aria-invalid="true"' in compact
