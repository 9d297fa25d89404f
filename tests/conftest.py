"""Fixtures shared by every tier: where the shared real data lives, and the CI rule."""

from __future__ import annotations

import contextlib
import fcntl
import gc
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import wordfreq  # noqa: F401  (imported here, where the call stack is short: see below)
from _pytest.nodeid import coerce_node_id  # pytest 9's node ids (see _xdist_groups)

# wordfreq finds its data folder with locate.this_dir(), which calls inspect.stack(): that reads
# the source of every frame of the caller's stack and looks each frame's module up in
# sys.modules. Imported while pytest collects likvard_core.notes (a stack of some 100 frames and
# thousands of modules) it cost 1.1 CPU seconds in every pytest process; from here, 0.15.

REPO = Path(__file__).resolve().parents[1]
TESTS = str(REPO / "tests") + os.sep
DATABASE_FIXTURES = frozenset(
    {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback",
     "live_server"}
)  # fmt: skip
"""pytest-django's fixtures that open the test database; without one of them (or the
``django_db`` mark) pytest-django refuses every query, so the test cannot reach the database."""


def uses_database(item: pytest.Item) -> bool:
    """True when ``item`` may query the test database (pytest-django lets it) and its outcome
    may depend on which database that is (no ``database_neutral`` mark)."""
    if item.get_closest_marker("database_neutral"):
        return False
    if item.get_closest_marker("django_db"):
        return True
    return bool(DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())))


SHARED_CHEAP = frozenset(
    {"shared_dir", "shared_data", "notes_dir", "reference_dir", "make_snapshot",
     "django_db_setup"}
)  # fmt: skip
"""Session fixtures that cost nothing to build again: they do not pull their tests together."""


def _shared_costs(item: pytest.Item) -> set[str]:
    """The costly fixtures ``item`` shares with other tests: a session-scoped fixture of the
    suite (named by itself) or else a module-, class- or package-scoped one (named by its
    module)."""
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return set()
    sessions: set[str] = set()
    modules: set[str] = set()
    for name, defs in info.name2fixturedefs.items():
        fixture = defs[-1]
        code = getattr(fixture.func, "__code__", None)
        if code is None or not code.co_filename.startswith(TESTS) or name in SHARED_CHEAP:
            continue
        if fixture.scope == "session":
            sessions.add(name)
        elif fixture.scope in ("package", "module", "class") and name != "_urlconf_imported":
            modules.add(item.nodeid.split("::")[0])
    return sessions or modules  # a session fixture's group holds its modules' tests too


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The PostgreSQL pass (``LIKVARD_TEST_DB=postgres``, scripts/run_tests.sh) runs the tests that
    can reach the database; the others cannot tell the two databases apart and ran in the SQLite
    pass already. Then xdist's groups (``_xdist_groups``)."""
    if os.environ.get("LIKVARD_TEST_DB") == "postgres":
        other = [item for item in items if not uses_database(item)]
        if other:
            config.hook.pytest_deselected(items=other)
            items[:] = [item for item in items if uses_database(item)]
    _xdist_groups(config, items)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Once the suite is collected, move every object made so far (Django, pandas, the test
    modules: some millions) out of the garbage collector's reach and let it run less often.

    A full collection walked all of them again, some 0.2 CPU seconds each, and the small ones
    ran every 700 allocations. Measured on 29 equity and completion view tests: 3.1 of 35 CPU
    seconds in the collector before, 1.8 after, the same peak memory (602 MB). Cyclic garbage
    is still collected, only in larger steps; nothing a test asserts depends on when."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 10, 10)


def pytest_unconfigure(config: pytest.Config) -> None:
    """Give the frozen objects back to the collector, so that they are finalised at exit."""
    gc.unfreeze()


def _xdist_groups(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under ``--dist loadgroup`` (scripts/run_tests.sh), on each xdist worker: keep the tests
    that share a costly fixture on one worker, and hand out the slow tests first.

    xdist puts an ``xdist_group`` test in its group by adding ``@group`` to the node id, but it
    sets ``item._nodeid``, which pytest 9 no longer reads (``Node.nodeid`` is ``str(self._id)``):
    the groups came apart. So this hook names the groups itself, for the ``xdist_group`` marks
    and for every test that uses a module-scoped (or session-scoped) fixture of the suite, which
    was otherwise built again on each worker that drew one of its tests (the benchmark report, a
    published file set, a demo). xdist hands out the groups largest first, then the single tests
    in collection order: the ``slow`` ones go first in that order, so that no long test starts
    while the other worker has nothing left to do.
    """
    if not getattr(config.option, "loadgroup", False):
        return
    single: list[pytest.Item] = []
    for item in items:
        groups = {str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
                  for mark in item.iter_markers("xdist_group")}  # fmt: skip
        groups |= _shared_costs(item)
        if not groups:
            single.append(item)
            continue
        item._id = coerce_node_id(f"{item.nodeid}@{'_'.join(sorted(groups))}")
    slow = {id(item) for item in single if item.get_closest_marker("slow") and not _flushes(item)}
    items.sort(key=lambda item: id(item) not in slow)  # stable: otherwise collection order


def _flushes(item: pytest.Item) -> bool:
    """True for a test that empties the database after it (a transactional one): pytest-django
    orders these after the others, and the slow-first order keeps them there."""
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    flushing = {"transactional_db", "live_server", "django_db_reset_sequences"}
    return bool(flushing & set(getattr(item, "fixturenames", ())))


def in_ci() -> bool:
    """True when ``CI`` is set to anything: there a missing dependency fails, never skips."""
    return "CI" in os.environ


def skip_or_fail(reason: str) -> None:
    """Skip with ``reason`` locally; fail in CI (a skip there would hide a broken set-up)."""
    if in_ci():
        pytest.fail(f"CI is set and {reason}")
    pytest.skip(reason)


def shared_root() -> Path:
    """The shared folder: ``LIKVARD_SHARED_DIR`` or ``../shared`` beside the repository."""
    return Path(os.environ.get("LIKVARD_SHARED_DIR", REPO.parent / "shared")).resolve()


def require_shared(part: str) -> Path:
    """``../shared/<part>``, or a skip locally and a failure in CI when it is absent."""
    path = shared_root() / part
    if not path.exists():
        skip_or_fail(f"../shared/{part} is absent (looked in {path}; set LIKVARD_SHARED_DIR)")
    return path


def require_tool(name: str) -> str:
    """The path of the program ``name``, or a skip locally and a failure in CI."""
    found = shutil.which(name)
    if found is None:
        skip_or_fail(f"{name} is not installed (make system-deps)")
    return str(found)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared folder (holding data/, notes/ and reference/)."""
    require_shared("data")
    return shared_root()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The shared real public data folder (../shared/data)."""
    return require_shared("data")


@pytest.fixture(scope="session")
def notes_dir() -> Path:
    """The shared real meeting notes (../shared/notes)."""
    return require_shared("notes")


@pytest.fixture(scope="session")
def django_db_setup(  # noqa: PLR0917  (pytest-django's fixtures, by name)
    request: pytest.FixtureRequest,
    django_test_environment: None,
    django_db_blocker: Any,
    django_db_use_migrations: bool,
    django_db_keepdb: bool,
    django_db_createdb: bool,
    django_db_modify_db_settings: None,
) -> Iterator[None]:
    """pytest-django's test databases, migrated once per run instead of once per xdist worker.

    Migrating costs some 6 CPU seconds on SQLite (more with PostgreSQL's server), and
    ``make test`` ran it on each worker of each pass. Under xdist the first worker to need a
    database migrates a template (under a lock, in a folder named by xdist's run id), and each
    worker clones it the way Django's own parallel runner does: a file copy on SQLite, ``CREATE
    DATABASE … TEMPLATE`` on PostgreSQL. Without xdist, or with ``--reuse-db`` or
    ``--nomigrations``, this is pytest-django's own set-up.
    """
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _disable_migrations, _get_databases_for_setup

    worker = os.environ.get("PYTEST_XDIST_WORKER")
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    aliases, serialized = _get_databases_for_setup(request.session.items)
    plain = aliases != {"default"} or serialized or django_db_keepdb
    if not worker or not run or plain or not django_db_use_migrations:
        if not django_db_use_migrations:
            _disable_migrations()
        verbosity = request.config.option.verbose
        with django_db_blocker.unblock():
            db_cfg = setup_databases(
                verbosity=verbosity,
                interactive=False,
                keepdb=django_db_keepdb and not django_db_createdb,
                aliases=aliases,
                serialized_aliases=serialized,
            )
        yield
        if not django_db_keepdb:
            with django_db_blocker.unblock():
                teardown_databases(db_cfg, verbosity=verbosity)
        return
    with django_db_blocker.unblock():
        original = _clone_template_database(
            Path(tempfile.gettempdir()) / f"likvard-db-{run}", worker
        )
    yield
    with django_db_blocker.unblock():
        from django.db import connection

        connection.creation.destroy_test_db(original, verbosity=0)
        _release_template_database(Path(tempfile.gettempdir()) / f"likvard-db-{run}")


def _clone_template_database(folder: Path, worker: str) -> str:
    """Point the default connection at ``worker``'s clone of the run's migrated template
    (migrating it first if no worker has), and return the database name it had before."""
    from django.conf import settings
    from django.db import connection

    original = str(connection.settings_dict["NAME"])
    with _locked(folder):
        made = folder / "template"
        users = folder / "users"
        if made.exists():
            template = made.read_text()
        else:
            test = connection.settings_dict["TEST"]
            if connection.vendor == "sqlite":
                test["NAME"] = str(folder / "template.sqlite3")
            else:
                test["NAME"] = f"test_{original}_{folder.name[-8:]}"
            template = connection.creation.create_test_db(
                verbosity=0, autoclobber=True, serialize=False
            )
            made.write_text(template)
        connection.close()
        connection.settings_dict["NAME"] = template
        connection.creation.clone_test_db(suffix=worker, verbosity=0)
        clone = connection.creation.get_test_db_clone_settings(worker)["NAME"]
        connection.settings_dict["NAME"] = clone
        settings.DATABASES[connection.alias]["NAME"] = clone
        count = int(users.read_text()) if users.exists() else 0
        users.write_text(str(count + 1))
    return original


def _release_template_database(folder: Path) -> None:
    """The last worker to finish destroys the template and its folder."""
    from django.db import connection

    with _locked(folder):
        users = folder / "users"
        count = int(users.read_text()) - 1
        users.write_text(str(count))
        if count:
            return
        template = (folder / "template").read_text()
        saved = connection.settings_dict["NAME"]
        connection.creation._destroy_test_db(template, verbosity=0)
        connection.settings_dict["NAME"] = saved
        shutil.rmtree(folder, ignore_errors=True)  # under the lock: see _locked


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold the lock of ``folder`` (made if absent). The last worker removes the folder, lock
    and all, while it holds the lock: a worker that opened the lock file before that waits on a
    file no longer in the folder, so it makes the folder again and retries."""
    while True:
        folder.mkdir(exist_ok=True)
        with open(folder / "lock", "a+") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                current = os.stat(folder / "lock").st_ino == os.fstat(lock.fileno()).st_ino
            except FileNotFoundError:
                current = False
            if current:
                yield
                return
