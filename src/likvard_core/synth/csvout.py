"""Writing generated columns as import files: UTF-8 CSV, `;`-separated, Swedish headers."""

from __future__ import annotations

from pathlib import Path
from typing import TypeAlias

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.csv as pacsv

Column: TypeAlias = pa.Array | npt.NDArray[np.generic]

_OPTIONS = pacsv.WriteOptions(
    include_header=False, delimiter=";", quoting_style="none", batch_size=65_536
)


def yes_no(values: npt.NDArray[np.bool_]) -> npt.NDArray[np.str_]:
    """``ja``/``nej`` for booleans, as the import files write them."""
    return np.where(values, "ja", "nej")


def write_csv(path: Path, columns: dict[str, Column]) -> int:
    """Write ``columns`` (header → values) to ``path``; returns the number of data rows.

    The bytes depend only on the values, so the same values always give the same file.
    """
    arrays = {
        name: values if isinstance(values, pa.Array) else pa.array(values)
        for name, values in columns.items()
    }
    table = pa.table(arrays)
    path.parent.mkdir(parents=True, exist_ok=True)
    with pa.OSFile(str(path), "wb") as sink:
        sink.write((";".join(arrays) + "\n").encode("utf-8"))
        pacsv.write_csv(table, sink, write_options=_OPTIONS)
    return int(table.num_rows)
