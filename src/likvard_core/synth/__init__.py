"""Deterministic synthetic data: the demo region's import files and a national-scale warehouse.

``likvard_core.synth.demo.demo_region_files`` writes the demo's CSV import files;
``likvard_core.synth.national.national_dataset`` writes national-scale Parquet (not imported
here, so that ``python -m likvard_core.synth.national`` runs without a double import).
"""

from __future__ import annotations

from likvard_core.synth.demo import DemoFile, demo_region_files

__all__ = ["DemoFile", "demo_region_files"]
