"""The analysis basis: released figures only, on the page, in the API, the CLI and the files.

``small_unit`` adds a private organizer with three students, all with merit value 20,0: only
its own analyst may see that figure; everyone else gets '..' with the reason, everywhere.
"""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
import pytest
from click.testing import CliRunner
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook
from pptx import Presentation

from likvard.access.models import AuditEvent
from likvard.access.policy import viewer_for
from likvard.cli.export import export
from likvard.organisations.models import Organizer, SchoolUnit
from likvard.quality.services import basis as services
from likvard.quality.services.basis_export import basis_file
from tests.app.conftest import World
from tests.app.quality.conftest import SMALL_ORGANIZER, SMALL_UNIT, downloaded

YEAR = 2025
MERIT = "gr9_merit_value"
HIDDEN_REASON = "färre elever än minsta redovisade grupp"


def _block(basis, code: str):
    return next(b for b in basis.all_blocks() if b.indicator.code == code)


def _client(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def _xlsx_values(content: bytes) -> list[object]:
    book = load_workbook(io.BytesIO(content))
    return [
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    ]


def _pdf_text(content: bytes) -> str:
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def _pptx_text(content: bytes) -> str:
    deck = Presentation(io.BytesIO(content))
    parts = []
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts += [cell.text for row in shape.table.rows for cell in row.cells]
    return "\n".join(parts)


def test_small_groups_never_leave_the_gate(small_unit: World):
    small = Organizer.objects.get(organisation_number=SMALL_ORGANIZER)
    unit = SchoolUnit.objects.get(code=SMALL_UNIT)
    owner = services.organizer_basis(
        viewer=viewer_for(small_unit.users["small_analyst"]), organizer=small, year=YEAR
    )
    assert _block(owner, MERIT).value.value == pytest.approx(20.0)
    assert AuditEvent.objects.filter(username="liten", purpose="quality.basis").exists()
    for role in ("organizer_analyst", "principal", "regional_coordinator"):
        viewer = viewer_for(small_unit.users[role])
        for basis in (
            services.organizer_basis(viewer=viewer, organizer=small, year=YEAR),
            services.school_unit_basis(viewer=viewer, school_unit=unit, year=YEAR),
        ):
            merit = _block(basis, MERIT)
            assert (merit.value.shown, merit.value.mark) == (False, ".."), role
            for block in basis.all_blocks():
                figures = [block.value, *block.by_group.values()]
                figures += [p.figure for p in block.trend]
                assert not any(f.shown and f.n is not None and f.n < 5 for f in figures)
    # The files of what another organizer's analyst sees (the XLSX is checked in the next test).
    hidden = services.organizer_basis(
        viewer=viewer_for(small_unit.users["organizer_analyst"]), organizer=small, year=YEAR
    )
    assert "20,0" not in _pdf_text(basis_file(basis=hidden, fmt="pdf").content)
    assert "20,0" not in _pptx_text(basis_file(basis=hidden, fmt="pptx").content)
    files = {fmt: basis_file(basis=owner, fmt=fmt).content for fmt in ("xlsx", "pdf", "pptx")}
    assert 20.0 in _xlsx_values(files["xlsx"])
    assert "20,0" in _pdf_text(files["pdf"])
    assert "20,0" in _pptx_text(files["pptx"])


def test_page_api_and_download_never_show_a_hidden_cell(small_unit: World):
    client = _client(small_unit, "organizer_analyst")
    page = client.get(
        reverse("quality:basis-organizer", args=[SMALL_ORGANIZER]) + f"?year={YEAR}"
    ).content.decode()
    assert "Lilla friskolan AB" in page
    assert "20,0" not in page
    assert HIDDEN_REASON in page
    data = client.get(f"/api/v1/quality/analysis-basis/school-units/{SMALL_UNIT}?year={YEAR}")
    merit = next(b for g in data.json()["goals"] for b in g["indicators"] if b["code"] == MERIT)
    assert merit["value"] | {"reason": ""} == merit["value"] | {
        "value": None,
        "n": None,
        "ci_low": None,
        "ci_high": None,
        "mark": "..",
        "reason": "",
    }
    xlsx = client.get(
        f"/api/v1/quality/analysis-basis/organizers/{SMALL_ORGANIZER}/file?year={YEAR}"
    )
    assert xlsx.status_code == 200
    assert 20.0 not in _xlsx_values(xlsx.content)
    assert ".." in _xlsx_values(xlsx.content)
    owner = _client(small_unit, "small_analyst")
    url = reverse("quality:basis-organizer-download", args=[SMALL_ORGANIZER, "xlsx"])
    assert 20.0 in _xlsx_values(owner.get(f"{url}?year={YEAR}").content)


def test_cli_exports_as_the_user(small_unit: World, tmp_path: Path):
    target = tmp_path / "analysunderlag.pptx"
    args = [
        "analysunderlag",
        "--organizer",
        SMALL_ORGANIZER,
        "--year",
        str(YEAR),
        "--format",
        "pptx",
        "-o",
        str(target),
    ]
    result = CliRunner().invoke(export, args)
    assert result.exit_code == 0, result.output
    assert "20,0" not in _pptx_text(target.read_bytes())
    result = CliRunner().invoke(export, [*args, "--user", "liten"])
    assert result.exit_code == 0, result.output
    text = _pptx_text(target.read_bytes())
    assert "20,0" in text
    assert "Genomsnittligt meritvärde" in text


def test_organizer_page_flags_and_own_analysis(warehouse: World):
    client = _client(warehouse, "organizer_analyst")
    url = reverse("quality:basis-organizer", args=[warehouse.own.organisation_number])
    page = client.get(f"{url}?year={YEAR}").content.decode()
    assert "Analysunderlag: Kungsbacka kommun, 2024/25" in page
    # Overview first (issue #16): each flag in one line with its interval, no indicator's
    # detail or chart until it is asked for; then one indicator's detail in full.
    assert "Styrka:" in page
    assert "(95 % konfidensintervall)" in page or "95 % prognosintervall" in page
    assert "<article" not in page
    assert "data-vega-spec" not in page
    detail = client.get(f"{url}?year={YEAR}&indicator=gr9_merit_value").content.decode()
    assert "Det är en styrka." in detail  # a flag's Swedish explanation
    assert 'data-vega-spec="chart-gr9_merit_value"' in detail
    assert detail.count("<article") == 1
    save = reverse("quality:basis-analysis-save", args=[warehouse.own.organisation_number])
    response = client.post(
        save, {"year": YEAR, "strengths": "Höga meritvärden", "goal:goal_grundskola": "Bra"}
    )
    assert response.status_code == 302
    saved = services.own_analysis_get(organizer=warehouse.own, year=YEAR)
    assert saved["strengths"] == "Höga meritvärden"
    assert saved["goal:goal_grundskola"] == "Bra"
    assert "Höga meritvärden" in client.get(f"{url}?year={YEAR}").content.decode()
    assert _client(warehouse, "other_analyst").post(save, {"year": YEAR}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.own_analysis_save(
            viewer=viewer_for(warehouse.users["principal"]),
            by=warehouse.users["principal"],
            organizer=warehouse.own,
            year=YEAR,
            texts={"strengths": "x"},
        )


def _file_texts(content: bytes, fmt: str) -> str:
    if fmt == "xlsx":
        return "\n".join(str(v) for v in _xlsx_values(content))
    return _pdf_text(content) if fmt == "pdf" else _pptx_text(content)


def test_school_unit_downloads_show_the_owner_and_hide_from_others(small_unit: World):
    owner = _client(small_unit, "small_analyst")
    other = _client(small_unit, "organizer_analyst")
    page = owner.get(reverse("quality:basis-school-unit", args=[SMALL_UNIT]) + f"?year={YEAR}")
    for fmt in ("xlsx", "pdf", "pptx"):
        url = reverse("quality:basis-school-unit-download", args=[SMALL_UNIT, fmt])
        assert f"{url}?year={YEAR}" in page.content.decode()
        mine = owner.get(f"{url}?year={YEAR}")
        assert mine.status_code == 200
        assert f"analysunderlag-{SMALL_UNIT}-{YEAR}.{fmt}" in mine["Content-Disposition"]
        text = _file_texts(mine.content, fmt)
        assert "Lilla skolan" in text
        hidden_file = other.get(f"{url}?year={YEAR}").content
        hidden = _file_texts(hidden_file, fmt)
        assert "Lilla skolan" in hidden
        if fmt == "xlsx":
            assert 20.0 in _xlsx_values(mine.content)
            assert 20.0 not in _xlsx_values(hidden_file)
        else:
            assert "20,0" in text
            assert "20,0" not in hidden
    api = other.get(
        f"/api/v1/quality/analysis-basis/school-units/{SMALL_UNIT}/file?year={YEAR}&format=xlsx"
    )
    assert api.status_code == 200
    assert 20.0 not in _xlsx_values(api.content)
    assert ".." in _xlsx_values(api.content)


def test_region_downloads_hold_every_indicator_and_the_region_figure(warehouse: World):
    client = _client(warehouse, "regional_coordinator")
    viewer = viewer_for(warehouse.users["regional_coordinator"])
    basis = services.region_basis(viewer=viewer, region=warehouse.region, year=YEAR)
    merit = _block(basis, MERIT).value
    assert merit.shown
    names = {b.indicator.name for b in basis.all_blocks()}
    for fmt in ("xlsx", "pdf", "pptx"):
        url = reverse("quality:basis-region-download", args=[warehouse.region.code, fmt])
        content = downloaded(client, url, {"year": YEAR})
        text = _file_texts(content, fmt)
        assert "Göteborgsregionen" in text
        if fmt == "xlsx":
            assert merit.value in _xlsx_values(content)
        else:
            assert f"{merit.value:.1f}".replace(".", ",") in text
            # Slides hold one per goal and flagged indicator; the PDF names every indicator.
            if fmt == "pdf":
                squashed = " ".join(text.split())
                assert all(" ".join(name.split()) in squashed for name in names)
    api = client.get(
        f"/api/v1/quality/analysis-basis/regions/{warehouse.region.code}/file?year={YEAR}"
        "&format=pdf"
    )
    assert api.status_code == 200
    assert api["Content-Type"] == "application/pdf"


def test_school_unit_basis_shows_the_goals_and_conditions_of_its_school_forms(small_unit: World):
    unit = SchoolUnit.objects.get(code=SMALL_UNIT)
    viewer = viewer_for(small_unit.users["small_analyst"])
    unit.school_forms = ["gymnasieskola"]
    unit.save()
    basis = services.school_unit_basis(viewer=viewer, school_unit=unit, year=YEAR)
    assert [g.goal.school_form for g in basis.goals] == ["gymnasieskola"]
    conditions = [b.indicator.school_forms for b in basis.conditions]
    assert conditions
    assert all("gymnasieskola" in forms for forms in conditions)
    small = Organizer.objects.get(organisation_number=SMALL_ORGANIZER)
    organizer = services.organizer_basis(viewer=viewer, organizer=small, year=YEAR)
    assert len(organizer.goals) > 1  # the organizer keeps every goal


def test_a_unit_without_values_of_its_own_says_so_above_its_tables(small_unit: World):
    """A gymnasium unit whose statistics are published per municipality only has no value of
    its own: its tables read '.' throughout, and the page says why instead of leaving the
    reader to take the dots for missing figures of the school (a grundskola unit with its own
    merit value gets no such sentence)."""
    owner = _client(small_unit, "small_analyst")
    url = reverse("quality:basis-school-unit", args=[SMALL_UNIT]) + f"?year={YEAR}"
    assert 'id="no-own-values"' not in owner.get(url).content.decode()
    unit = SchoolUnit.objects.get(code=SMALL_UNIT)
    unit.school_forms = ["gymnasieskola"]
    unit.save()
    page = owner.get(url).content.decode()
    assert 'id="no-own-values"' in page
    assert "Lilla skolan har inga egna värden i underlaget något läsår" in page


def test_the_files_of_a_unit_without_values_of_its_own_say_so_as_its_page(small_unit: World):
    """The XLSX, PDF, PPTX and DOCX of a unit without values of its own carry the page's
    sentence, so a table of '.' in a file is explained as on the page (a grundskola unit with
    its own merit value gets no such sentence)."""
    sentence = "Lilla skolan har inga egna värden i underlaget något läsår"
    owner = _client(small_unit, "small_analyst")

    def texts() -> dict[str, str]:
        found = {}
        for fmt in ("xlsx", "pdf", "pptx", "docx"):
            url = reverse("quality:basis-school-unit-download", args=[SMALL_UNIT, fmt])
            content = downloaded(owner, url, {"year": YEAR})
            if fmt == "xlsx":
                found[fmt] = "\n".join(str(v) for v in _xlsx_values(content))
            elif fmt == "pdf":
                found[fmt] = " ".join(_pdf_text(content).split())
            elif fmt == "pptx":
                found[fmt] = _pptx_text(content)
            else:
                found[fmt] = "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)
        return found

    assert not any(sentence in text for text in texts().values())
    unit = SchoolUnit.objects.get(code=SMALL_UNIT)
    unit.school_forms = ["gymnasieskola"]
    unit.save()
    missing = [fmt for fmt, text in texts().items() if sentence not in text]
    assert missing == []


def test_the_newest_school_year_with_values_of_its_own_is_named():
    """A unit whose own statistics end with 2023/24 is shown 2024/25 with a link to 2023/24;
    a trend of the municipality's values is not the unit's own."""
    from types import SimpleNamespace as Ns

    from likvard.quality.services.basis_own import OwnValues, own_values

    def figure(status: str):
        shown = status == "exists"
        mark = {"exists": "", "too_few": "..", "missing": "."}[status]
        return Ns(shown=shown, mark=mark)

    def point(year: int, status: str):
        return Ns(school_year=year, figure=figure(status))

    own = Ns(
        value=figure("missing"),
        trend_of_sv="",
        trend=(point(2023, "exists"), point(2024, "too_few"), point(2025, "missing")),
    )
    municipality = Ns(value=figure("missing"), trend_of_sv="Kungsbacka (hela kommunen)",
                      trend=(point(2025, "exists"),))  # fmt: skip
    basis = Ns(school_year=2025, subject_kind="school_unit", all_blocks=lambda: (own, municipality))
    assert own_values(basis) == OwnValues(this_year=False, newest=2024)
    shown = Ns(value=figure("exists"), trend_of_sv="", trend=())
    unit = Ns(school_year=2025, subject_kind="school_unit", all_blocks=lambda: (shown,))
    assert own_values(unit) == OwnValues(this_year=True, newest=None)
    region = Ns(school_year=2025, subject_kind="region", all_blocks=lambda: (own,))
    assert own_values(region).this_year  # a region shows its members
