"""``likvard notes import`` and ``likvard notes repair``."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from likvard.cli.networks import notes
from likvard.networks.models import Meeting
from tests.app.networks.conftest import NetworkWorld

pytestmark = [pytest.mark.realdata, pytest.mark.django_db]


def test_import_shows_structure_and_commits_once(nets: NetworkWorld, notes_dir):
    path = str(notes_dir / "utbildningschefsnatverket-2023-02.txt")
    runner = CliRunner()
    declined = runner.invoke(notes, ["import", path], input="n\n")
    assert declined.exit_code == 0, declined.output
    assert "Charlotte Johansson, Partille (ordförande)" in declined.output
    assert "3. Representation i SKR:s skolchefs nätverk – Maria Andersson" in declined.output
    assert Meeting.objects.count() == 0
    committed = runner.invoke(notes, ["import", "--yes", path])
    assert committed.exit_code == 0, committed.output
    assert "sparad som möte" in committed.output
    again = runner.invoke(notes, ["import", "--yes", path])
    assert "redan importerad" in again.output
    assert Meeting.objects.count() == 1


def test_import_into_named_network_and_unknown_network(nets: NetworkWorld, notes_dir):
    path = str(notes_dir / "kvalitetsnatverket-2022-11-30.txt")
    result = CliRunner().invoke(notes, ["import", "--yes", "--network", "im-gruppen", path])
    assert result.exit_code == 0, result.output
    assert Meeting.objects.get().network.code == "im-gruppen"
    unknown = CliRunner().invoke(notes, ["import", "--yes", "--network", "finns-inte", path])
    assert unknown.exit_code == 2


def test_repair_writes_the_same_lines(notes_dir, tmp_path):
    source = notes_dir / "gymnasienatverket-utbud-2025-ocr.txt"
    out = tmp_path / "repaired.txt"
    result = CliRunner().invoke(notes, ["repair", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    repaired = out.read_text(encoding="utf-8")
    original = source.read_text(encoding="utf-8")
    assert repaired.count("\n") == original.replace("\r\n", "\n").count("\n")
    assert "Ordförande" in repaired
    assert "Ordférande" in original
