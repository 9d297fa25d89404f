"""Mutated files fed to every kind: a clear issue list or a correct result, never a traceback."""

from __future__ import annotations

import json
import random
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from likvard_core.ingest import KINDS, ingest_file
from likvard_core.ingest.issues import TEMPLATES
from likvard_core.synth.kolada import demo_kolada_answer
from tests.core.ingest import komvux_samples, synthetic

SEED = 20251123
CASES_PER_KIND = 40
_PNR = re.compile(r"\d{6,8}[-+]?\d{4}")


def _valid_file(kind: str) -> bytes:  # noqa: PLR0911 (one sample per kind)
    if kind in synthetic.HEADERS:
        lines = [";".join(synthetic.HEADERS[kind])]
        lines += [";".join(synthetic.row(kind, i)) for i in range(12)]
        return ("\n".join(lines) + "\n").encode("utf-8")
    if kind == "kolada":
        answer = demo_kolada_answer(("1384", "1480"), range(2024, 2025), seed=SEED)
        return json.dumps(answer, indent=1).encode("utf-8")
    if kind == "komvux_starts":
        return komvux_samples.starts_file().encode("utf-8")
    if kind == "komvux_followup":
        return komvux_samples.followup_file().encode("utf-8")
    if kind == "incidents":
        text = "skolenhetskod;ärendenummer;anmäld;typ;utredd;åtgärdad;avslutad\n" + "".join(
            f"55529681;K-{i};2024-10-{i + 1:02d};elev mot elev;2024-10-20;;2024-11-0{i % 9 + 1}\n"
            for i in range(12)
        )
        return text.encode("utf-8")
    if kind == "survey_answers":
        head = "enkät;respondent;läsår;skolenhetskod;årskurs;kön;F1;F2;F3;F4;F5;F6;F7;F8;F10;F9;B1"
        text = (
            head
            + "\n"
            + "".join(
                f"gr-elev/2025;r{i};2024/25;55529681;{5 + 3 * (i % 2)};{'FM'[i % 2]};"
                "4;1;3;3;4;4;3;2;4;4;1\n"
                for i in range(12)
            )
        )
        return text.encode("utf-8")
    if kind == "population":
        text = "region;ålder;kön;2023;2024\n" + "".join(
            f"1480 Göteborg;{age} år;{sex};{1000 + age};{1010 + age}\n"
            for age in range(6)
            for sex in ("män", "kvinnor")
        )
        return text.encode("utf-8")
    buffer = synthetic.STATS_PREAMBLE + "\n".join(synthetic.stats_line(i) for i in range(12))
    return (buffer + "\n\nRapportbeskrivning\n").encode("utf-8")


def _truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(len(data))]


def _recode(data: bytes, rng: random.Random) -> bytes:
    text = data.decode("utf-8-sig")
    return text.encode(
        rng.choice(["cp1252", "utf-16", "latin-1", "utf-16-le", "mac_roman"]), errors="replace"
    )


def _swap_columns(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    index = next((i for i, line in enumerate(lines) if line.count(b";") >= 3), 0)
    cells = lines[index].split(b";")
    if len(cells) < 2:  # a JSON file (kolada) has no delimited line
        return data
    a, b = rng.sample(range(len(cells)), 2)
    cells[a], cells[b] = cells[b], cells[a]
    lines[index] = b";".join(cells)
    return b"\n".join(lines)


def _swap_data_cells(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    index = rng.randrange(len(lines))
    cells = lines[index].split(b";")
    rng.shuffle(cells)
    lines[index] = b";".join(cells)
    return b"\n".join(lines)


def _huge_field(data: bytes, rng: random.Random) -> bytes:
    position = rng.randrange(len(data))
    return data[:position] + b"x" * rng.choice([5_000, 150_000]) + data[position:]


def _formula(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    index = rng.randrange(1, len(lines))
    cells = lines[index].split(b";")
    cells[rng.randrange(len(cells))] = rng.choice(
        [b"=cmd|' /C calc'!A0", b'=HYPERLINK("http://x")', b"@SUM(1)", b"+cmd|x", b"-2+3+cmd|x"]
    )
    lines[index] = b";".join(cells)
    return b"\n".join(lines)


def _garbage(data: bytes, rng: random.Random) -> bytes:
    return rng.randbytes(rng.choice([1, 17, 4096]))


def _flip_bytes(data: bytes, rng: random.Random) -> bytes:
    mutable = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        mutable[rng.randrange(len(mutable))] = rng.randrange(256)
    return bytes(mutable)


def _fake_workbook(data: bytes, rng: random.Random) -> bytes:
    prefix = rng.choice([b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"])
    return prefix + data[: rng.randrange(1, len(data))]


def _duplicate_and_drop_lines(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    lines.insert(rng.randrange(len(lines)), lines[rng.randrange(len(lines))])
    del lines[rng.randrange(len(lines))]
    return b"\n".join(lines)


def _quotes(data: bytes, rng: random.Random) -> bytes:
    position = rng.randrange(len(data))
    return data[:position] + rng.choice([b'"', b"\r", b"\x00", b'""x"']) + data[position:]


MUTATIONS: list[Callable[[bytes, random.Random], bytes]] = [
    _truncate,
    _recode,
    _swap_columns,
    _swap_data_cells,
    _huge_field,
    _formula,
    _garbage,
    _flip_bytes,
    _fake_workbook,
    _duplicate_and_drop_lines,
    _quotes,
    lambda data, rng: b"",
    lambda data, rng: data.split(b"\n", 1)[0] + b"\n",
]


def _cases() -> list[tuple[str, int]]:
    return [(kind, case) for kind in sorted(KINDS) for case in range(CASES_PER_KIND)]


def _check(path: Path, kind: str, original: bytes, key: bytes) -> None:
    result = ingest_file(path, kind, pseudonym_key=key, batch_id="f")
    if result.issues:
        assert result.tables == {}
        for issue in result.issues:
            assert issue.code in TEMPLATES
            assert issue.code != "internal_error", issue
            text = issue.format_cli() + issue.message_sv
            assert not _PNR.search(text), text
        return
    table = result.tables[KINDS[kind].tables[0].name]
    assert table.schema.equals(KINDS[kind].tables[0].schema)
    assert table.num_rows > 0
    assert result.rows_read > 0


@pytest.mark.slow
@pytest.mark.parametrize(("kind", "case"), _cases())
def test_mutated_file_never_raises(tmp_path, key, kind, case):
    rng = random.Random(f"{SEED}-{kind}-{case}")
    original = _valid_file(kind)
    mutated = MUTATIONS[case % len(MUTATIONS)](original, rng)
    path = tmp_path / rng.choice(["data.csv", "data.xlsx", "data.txt"])
    path.write_bytes(mutated)
    _check(path, kind, original, key)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_unmutated_samples_import(tmp_path, key, kind):
    path = tmp_path / "data.csv"
    path.write_bytes(_valid_file(kind))
    result = ingest_file(path, kind, pseudonym_key=key)
    assert result.issues == []
    assert result.tables[KINDS[kind].tables[0].name].num_rows > 0


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_corrupt_zip_members(tmp_path, key, kind):
    path = tmp_path / "book.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook><sheets><sheet name='x'/></sheets>")
        archive.writestr("[Content_Types].xml", "not xml")
    result = ingest_file(path, kind, pseudonym_key=key)
    assert result.tables == {}
    expected = "unsupported_format" if kind == "kolada" else "file_unreadable"  # JSON only
    assert [i.code for i in result.issues] == [expected]
