"""Check the subjects of the commits made since the rule was introduced.

Every commit after ``BASELINE`` must have a subject of at most 72 characters and, unless it
is a merge, a body that says why (docs/development.md). Older history is left as it is. In a
clone without git history (an archive) or without the baseline (a shallow clone) the check
says so and passes: it guards the history, not the files.
"""

from __future__ import annotations

import subprocess
import sys

BASELINE = "63a5e15"
"""The last commit before the rule was checked."""
MAX_SUBJECT = 72
MERGE_PARENTS = 2


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], capture_output=True, text=True, check=True).stdout


def problems(log: str) -> list[str]:
    """Problems in ``git log --format=%H%x1f%P%x1f%s%x1f%b%x1e`` output."""
    found: list[str] = []
    for record in filter(str.strip, log.split("\x1e")):
        sha, parents, subject, body = [*record.strip("\n").split("\x1f"), "", "", ""][:4]
        short = sha[:9]
        if len(subject) > MAX_SUBJECT:
            found.append(f"{short}: subject has {len(subject)} characters (at most {MAX_SUBJECT})")
        if len(parents.split()) < MERGE_PARENTS and not body.strip():
            found.append(f"{short}: no body saying why ({subject[:50]})")
    return found


def main() -> int:
    try:
        _git("rev-parse", "--verify", "--quiet", f"{BASELINE}^{{commit}}")
    except (subprocess.CalledProcessError, FileNotFoundError):
        print(f"commit subjects: baseline {BASELINE} not in this clone; not checked")
        return 0
    log = _git("log", "--format=%H%x1f%P%x1f%s%x1f%b%x1e", f"{BASELINE}..HEAD")
    found = problems(log)
    for line in found:
        print(line)
    count = log.count("\x1e")
    print(f"commit subjects: {count} commits since {BASELINE}, {len(found)} problem(s)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
