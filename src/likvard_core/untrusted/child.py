"""The child process of ``run_limited``: limit itself, run one allowed function, answer JSON.

Run as ``python -m likvard_core.untrusted.child`` with the request on stdin.
"""

from __future__ import annotations

import importlib
import json
import os
import signal
import sys
from collections.abc import Callable

from likvard_core.untrusted.inspect import FileRefused, Limits
from likvard_core.untrusted.sandbox import TARGETS, limit_self


def _on_cpu_limit(_signum: int, _frame: object) -> None:
    sys.stdout.write(json.dumps({"error": "CPU"}))
    sys.stdout.flush()
    os._exit(3)


def _progress(request: dict[str, object]) -> Callable[[int], None]:
    descriptor = int(str(request["progress_fd"]))

    def report(count: int) -> None:
        os.write(descriptor, f"{int(count)}\n".encode())

    return report


def main() -> int:
    """The child: read the request from stdin, limit itself, run, answer on stdout."""
    request = json.loads(sys.stdin.read())
    limits = Limits(**request["limits"])
    limit_self(limits)
    signal.signal(signal.SIGXCPU, _on_cpu_limit)
    target = str(request["target"])
    if target not in TARGETS:
        sys.stdout.write(json.dumps({"error": "target"}))
        return 2
    module_name, _sep, function_name = target.partition(":")
    try:
        function = getattr(importlib.import_module(module_name), function_name)
        if "progress_fd" in request:
            result = function(*request["args"], limits=limits, progress=_progress(request))
        else:
            result = function(*request["args"], limits=limits)
    except FileRefused as refused:
        sys.stdout.write(json.dumps({"refused": refused.code, "detail": refused.detail}))
        return 0
    except MemoryError:
        sys.stdout.write(json.dumps({"error": "MemoryError"}))
        return 1
    except Exception as error:  # a parser's failure on a bad file: named, never re-raised
        sys.stdout.write(json.dumps({"error": type(error).__name__}))
        return 1
    sys.stdout.write(json.dumps({"result": result}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
