"""A writer killed half-way leaves no visible batch, and the sweep cleans up after it."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from likvard_core.warehouse.writer import stage_batch, sweep_orphans
from tests.core.warehouse.builders import enrolments

SRC = Path(__file__).resolve().parents[3] / "src"

CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    sys.path.insert(0, sys.argv[2])
    from likvard_core.warehouse.writer import stage_batch
    from tests.core.warehouse.builders import enrolments

    chunk = enrolments(100_000).to_batches()[0]

    def endless():
        for _ in range(100_000):  # 10 G rows: never finishes before the kill
            yield chunk

    stage_batch(Path(sys.argv[1]), "big", {"enrolments": endless()})
    """
)


def _wait_for_partial_file(root: Path, child: subprocess.Popen[bytes]) -> Path:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert child.poll() is None, "the writer ended before it could be killed"
        for path in (root / ".staging").glob("big.*/enrolments.parquet"):
            if path.stat().st_size > 1_000_000:  # at least one row group on disk
                return path
        time.sleep(0.05)
    raise AssertionError("the writer never started writing")


@pytest.mark.slow
def test_sigkill_during_staging_leaves_no_batch_and_sweep_recovers(tmp_path):
    repo = Path(__file__).resolve().parents[3]
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(tmp_path), str(SRC)], cwd=repo, stderr=subprocess.PIPE
    )
    try:
        partial = _wait_for_partial_file(tmp_path, child)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)

    assert child.returncode == -signal.SIGKILL
    assert list((tmp_path / "batches").iterdir()) == []
    assert partial.exists()
    with pytest.raises(Exception, match=r"(?i)parquet"):  # no footer: never a readable file
        pq.read_table(partial)

    removed = sweep_orphans(tmp_path, [])
    assert removed == [partial.parent]
    assert list((tmp_path / ".staging").iterdir()) == []

    staged = stage_batch(tmp_path, "big", {"enrolments": enrolments(1000)})
    assert staged.files[0].rows == 1000
    assert pq.read_table(tmp_path / staged.files[0].path).num_rows == 1000
