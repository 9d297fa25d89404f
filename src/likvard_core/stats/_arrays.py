"""Conversion of Arrow columns, sequences and scalars to float arrays for the stats helpers."""

from __future__ import annotations

from typing import TypeAlias

import numpy as np
import numpy.typing as npt
import pyarrow as pa

FloatArray: TypeAlias = npt.NDArray[np.float64]
ArrayLike: TypeAlias = pa.Array | pa.ChunkedArray | npt.ArrayLike
"""Anything the helpers accept as a column: Arrow arrays, NumPy arrays, sequences, scalars."""


def as_float_array(values: ArrayLike) -> FloatArray:
    """``values`` as a float64 NumPy array of at least one dimension; Arrow nulls become NaN."""
    if isinstance(values, pa.ChunkedArray | pa.Array):
        floats = values.cast(pa.float64())
        return np.atleast_1d(np.asarray(floats.to_numpy(zero_copy_only=False), dtype=np.float64))
    return np.atleast_1d(np.asarray(values, dtype=np.float64))
