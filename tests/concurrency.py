"""Calls made at the same moment from several threads, each with its own database connection:
how a test plays several web processes answering at once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from django.db import connections

T = TypeVar("T")


def at_once(call: Callable[[], T], times: int) -> list[T]:
    """``call``'s results when ``times`` threads make it at the same moment (in the order they
    finished); an exception in any of them is raised here."""
    start = threading.Barrier(times)
    results: list[T] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            start.wait()
            results.append(call())
        except BaseException as error:  # kept for the test's thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results
