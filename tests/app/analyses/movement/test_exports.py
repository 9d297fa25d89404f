"""The PPTX opens with python-pptx and converts to PDF with headless LibreOffice; the CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
from io import BytesIO
from pathlib import Path

import pdfplumber
import pytest
from click.testing import CliRunner
from django.test import Client
from django.urls import reverse
from pptx import Presentation

from likvard.cli.movement import movement
from tests.conftest import skip_or_fail

pytestmark = pytest.mark.django_db


def _slide_texts(content: bytes) -> list[str]:
    deck = Presentation(BytesIO(content))
    texts: list[str] = []
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if shape.has_table:
                texts.extend(c.text for row in shape.table.rows for c in row.cells)
    return texts


def test_municipality_pptx_has_the_page_figures_and_converts_to_pdf(movement_warehouse, tmp_path):
    soffice = shutil.which("soffice")
    client = Client()
    client.force_login(movement_warehouse.world.users["organizer_analyst"])
    url = reverse("movement:municipality", args=["1384"])
    page = client.get(url).content.decode()
    content = client.get(url, {"format": "pptx"}).content
    texts = _slide_texts(content)
    # the page's figures: Kungsbacka's 50 residents, 20 outgoing to Mölndal's school, net -20
    assert "Beroendekarta: Kungsbacka 2025/26" in texts
    for figure in ("50", "20", "-20", "Mölndals stad"):
        assert figure.replace("-", "\u2212") in texts  # the slides write a true minus sign
        assert figure in page
    if soffice is None:
        skip_or_fail("LibreOffice (soffice) is not installed")
        return
    path = tmp_path / "beroendekarta.pptx"
    path.write_bytes(content)
    env = {**os.environ, "HOME": str(tmp_path)}  # a private LibreOffice profile
    subprocess.run(
        [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        check=True, timeout=180, env=env, capture_output=True,
    )  # fmt: skip
    pdf = Path(tmp_path / "beroendekarta.pdf")
    assert pdf.stat().st_size > 1000
    with pdfplumber.open(pdf) as document:
        text = "\n".join(page.extract_text() or "" for page in document.pages)
    assert "Kungsbacka" in text
    assert "\u221220" in text


def test_cli_writes_csv_xlsx_and_pptx(movement_warehouse, tmp_path):
    runner = CliRunner()
    result = runner.invoke(movement, ["--region", "gr", "--year", "2026"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("code;name;residents;other;share")
    assert "1384;Kungsbacka;50;20;0,4;20;0;-20" in lines
    for fmt in ("xlsx", "pptx"):
        out = tmp_path / f"gr.{fmt}"
        done = runner.invoke(movement, ["--region", "gr", "--format", fmt, "-o", str(out)])
        assert done.exit_code == 0, done.output
        assert out.stat().st_size > 1000
    missing = runner.invoke(movement, ["--region", "gr", "--year", "1999"])
    assert missing.exit_code != 0
