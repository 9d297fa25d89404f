"""The demo's GR survey files: two versions, deterministic, valid against their definitions."""

from __future__ import annotations

from pathlib import Path

from likvard_core.ingest.pipeline import ingest_file
from likvard_core.synth.surveys import write_demo_surveys

REFERENCE = Path(__file__).resolve().parents[3] / "src/likvard/organisations/reference_data"
HEAD = (
    "personnummer;läsår;skolenhetskod;huvudman;skolform;årskurs;program;hemkommun;kön;"
    "född utomlands;nyanländ;föräldrars utbildningsnivå"
)


def _enrolments(folder: Path, year: str) -> None:
    folder.mkdir(parents=True)
    rows = [
        f"x{i};{year};65390344;2120001256;grundskola;{5 if i % 2 else 8};;1384;"
        f"{'FM'[i % 2]};nej;nej;2"
        for i in range(40)
    ]
    (folder / "enrolments.csv").write_text("\n".join([HEAD, *rows]) + "\n", encoding="utf-8")


def _write(out: Path) -> list[tuple[int, Path, int]]:
    _enrolments(out / "2023-24", "2023/24")
    _enrolments(out / "2024-25", "2024/25")
    return write_demo_surveys(REFERENCE, out, seed=7, years=range(2016, 2026))


def test_two_versions_valid_and_deterministic(tmp_path):
    first = _write(tmp_path / "a")
    second = _write(tmp_path / "b")
    # the pupils' survey in 2024 and 2025, the guardians' (one folder down) in 2025
    assert sorted((year, path.parent.name) for year, path, _ in first) == [
        (2024, "2023-24"),
        (2025, "2024-25"),
        (2025, "vardnadshavare"),
    ]
    for (_, a, rows), (_, b, _) in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes()
        assert rows > 20  # most of the 40 pupils answer
        result = ingest_file(a, "survey_answers", pseudonym_key=b"k" * 32)
        assert result.ok, [i.format_cli() for i in result.issues[:3]]
    header_2025 = first[1][1].read_text(encoding="utf-8").splitlines()[0]
    assert ";F10;" in header_2025


def test_a_pupils_guardians_answer_on_their_own_at_most_two(tmp_path):
    [(_, path, rows)] = [w for w in _write(tmp_path) if w[1].parent.name == "vardnadshavare"]
    lines = path.read_text(encoding="utf-8").splitlines()[1:]
    pupils = [line.split(";")[1].rsplit("-", 1)[0] for line in lines]  # unit-pupil-guardian
    per_pupil = {p: pupils.count(p) for p in pupils}
    assert max(per_pupil.values()) == 2  # both guardians of some pupil answered
    assert rows <= 2 * 40  # never more than two per pupil: the response rate's denominator
