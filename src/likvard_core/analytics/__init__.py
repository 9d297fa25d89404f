"""Analytics: deterministic functions of (snapshot, parameters) that return ``Aggregate`` s.

Each analysis is a sub-package (``equity``, ``adjusted``, ...). Analytics read the warehouse
only through a read-only ``likvard_core.warehouse.snapshot.Snapshot``, do their group-bys in
DuckDB SQL, and never import Django.
"""
