"""Finding 9 of #17: data versions numbered max + 1 without a lock collided under concurrent
commits (on SQLite the second commit failed with "database is locked"; on PostgreSQL its
unique violation was misreported as "the same file committed meanwhile").

Two processes commit different batches at the same moment, many times over; every commit
must succeed, and the versions must be numbered 1..n without a gap or a repeat.
"""

from __future__ import annotations

import multiprocessing
import uuid

import pytest
from django.db import connections

from likvard.warehouse.models import DataVersion, ImportBatch

COMMITS_PER_PROCESS = 6


def _commit_many(worker: int, start, results) -> None:
    from likvard.warehouse.services import _commit  # in the child

    connections.close_all()  # never share the parent's connection
    start.wait()
    done = 0
    try:
        for index in range(COMMITS_PER_PROCESS):
            _commit(
                ImportBatch(
                    id=uuid.uuid4(),
                    kind="public_stats",
                    file_name=f"fil-{worker}-{index}.csv",
                    content_hash=f"{worker:02d}{index:062d}",
                    rows={"school_results": 1},
                    files={"school_results": ["batches/x/school_results.parquet"]},
                )
            )
            done += 1
        results.put((worker, done, ""))
    except Exception as error:  # reported to the parent, which fails the test
        results.put((worker, done, f"{type(error).__name__}: {error}"))
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_two_processes_committing_at_once_get_distinct_versions():
    context = multiprocessing.get_context("fork")
    start = context.Event()
    results = context.Queue()
    connections.close_all()
    workers = [context.Process(target=_commit_many, args=(n, start, results)) for n in (1, 2)]
    for worker in workers:
        worker.start()
    start.set()
    outcomes = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
    assert [error for _worker, _done, error in outcomes] == ["", ""]
    assert ImportBatch.objects.count() == 2 * COMMITS_PER_PROCESS
    numbers = sorted(DataVersion.objects.values_list("number", flat=True))
    assert numbers == list(range(1, 2 * COMMITS_PER_PROCESS + 1))
    last = DataVersion.objects.get(number=2 * COMMITS_PER_PROCESS)
    assert last.batches.count() == 2 * COMMITS_PER_PROCESS
