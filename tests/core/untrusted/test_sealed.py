"""Sealed uploads: the clear bytes never on disk, and any change to the sealed file refused."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from likvard_core.untrusted import FileRefused
from likvard_core.untrusted.inspect import Limits
from likvard_core.untrusted.sandbox import run_limited
from likvard_core.untrusted.sealed import (
    CHUNK,
    SealedWriter,
    sealed_file_key,
    unseal_to,
    unseal_to_memory,
)

SECRET = b"serverns hemlighet"
CLEAR = b"personnummer;l\xc3\xa4s\xc3\xa5r\n" + b"19120211-9816;2024/25\n" * 200_000


def _sealed(path: Path, data: bytes = CLEAR, piece: int = 65_536) -> Path:
    writer = SealedWriter(path, SECRET)
    for start in range(0, len(data), piece):
        writer.write(data[start : start + piece])
    writer.close()
    return path


def test_round_trip_in_memory_and_nothing_clear_on_disk(tmp_path: Path):
    path = _sealed(tmp_path / "fil.sealed")
    assert len(CLEAR) > 3 * CHUNK
    assert b"19120211" not in path.read_bytes()
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    descriptor, clear_path = unseal_to_memory(
        path, sealed_file_key(path, SECRET), max_bytes=1 << 30
    )
    try:
        assert str(clear_path).startswith("/proc/self/fd/")
        assert clear_path.read_bytes() == CLEAR
    finally:
        os.close(descriptor)


def test_an_exact_multiple_of_the_chunk_and_an_empty_file(tmp_path: Path):
    for data in (b"", b"x" * (2 * CHUNK)):
        path = _sealed(tmp_path / f"fil-{len(data)}.sealed", data)
        out = io.BytesIO()
        assert unseal_to(path, sealed_file_key(path, SECRET), out, max_bytes=1 << 30) == len(data)
        assert out.getvalue() == data


@pytest.mark.parametrize("change", ["flip", "cut", "append", "drop_last"])
def test_a_changed_sealed_file_is_refused(tmp_path: Path, change: str):
    path = _sealed(tmp_path / "fil.sealed")
    data = bytearray(path.read_bytes())
    if change == "flip":
        data[100] ^= 1
    elif change == "cut":
        data = data[: len(data) // 2]
    elif change == "append":
        data += data[-100:]
    else:
        data = data[: -(len(CLEAR) % CHUNK + 16 + 5)]
    path.write_bytes(bytes(data))
    with pytest.raises(FileRefused) as refused:
        unseal_to(path, sealed_file_key(path, SECRET), io.BytesIO(), max_bytes=1 << 30)
    assert refused.value.code == "file_unreadable"


def test_another_secret_opens_nothing_and_size_is_bounded(tmp_path: Path):
    path = _sealed(tmp_path / "fil.sealed")
    with pytest.raises(FileRefused):
        unseal_to(path, sealed_file_key(path, b"fel"), io.BytesIO(), max_bytes=1 << 30)
    with pytest.raises(FileRefused) as refused:
        unseal_to(path, sealed_file_key(path, SECRET), io.BytesIO(), max_bytes=1000)
    assert refused.value.code == "archive_too_large"


def test_progress_of_a_child_reaches_the_parent(tmp_path: Path):
    from likvard_core.ingest.limited import ChildRequest, ingest_in_child
    from tests.factories.warehouse import enrolment_file

    path = tmp_path / "elever.csv"
    enrolment_file(path, organizer="2120001256", school_unit="65390344", students=25_000)
    seen: list[int] = []
    request = ChildRequest(source=path, name="elever.csv", kind="enrolments",
                           pseudonym_key=b"k" * 32, batch_id="")  # fmt: skip
    outcome = ingest_in_child(request, limits=Limits(seconds=120.0), progress=seen.append)
    assert outcome.rows_read == 25_000, outcome.issues[:3]
    assert seen[-1:] == [25_000]  # the child's count, here, while it ran
    with pytest.raises(ValueError, match="not a sandbox target"):
        run_limited("os:system", "true", limits=Limits())


def test_a_sealed_upload_under_another_secret_is_an_issue_not_an_error(tmp_path: Path):
    from likvard_core.ingest.limited import ChildRequest, ingest_in_child

    path = _sealed(tmp_path / "elever.csv.sealed", CLEAR[:200])
    request = ChildRequest(source=path, name="elever.csv", kind="enrolments",
                           pseudonym_key=b"k" * 32, batch_id="b1",
                           sealed_key=sealed_file_key(path, b"en annan server"),
                           stage_root=tmp_path / "staged")  # fmt: skip
    outcome = ingest_in_child(request, limits=Limits(seconds=60.0))
    assert [issue.code for issue in outcome.issues] == ["file_unreadable"]
    assert not outcome.staged
    assert not (tmp_path / "staged").exists()
