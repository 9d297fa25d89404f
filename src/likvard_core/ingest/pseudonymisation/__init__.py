"""Personnummer to ``student_key``: keyed hashing, the key on disk, its locked-down DuckDB."""
