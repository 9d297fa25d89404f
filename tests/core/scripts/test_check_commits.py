"""The commit check in make lint: subjects of at most 72 characters, a body that says why."""

from __future__ import annotations

import importlib.util

from tests.conftest import REPO

_spec = importlib.util.spec_from_file_location("check_commits", REPO / "scripts/check_commits.py")
assert _spec is not None
assert _spec.loader is not None
check_commits = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_commits)


def _record(sha, parents, subject, body):
    return f"{sha}\x1f{parents}\x1f{subject}\x1f{body}\x1e\n"


def test_a_long_subject_and_a_missing_body_are_problems():
    log = (
        _record("a" * 40, "p1", "x" * 73, "why")
        + _record("b" * 40, "p1", "ok subject", "")
        + _record("c" * 40, "p1", "y" * 72, "because")
    )
    found = check_commits.problems(log)
    assert found == [
        "aaaaaaaaa: subject has 73 characters (at most 72)",
        "bbbbbbbbb: no body saying why (ok subject)",
    ]


def test_a_merge_needs_no_body():
    assert check_commits.problems(_record("d" * 40, "p1 p2", "Merge branch 'gate'", "")) == []
