"""Likvärd's analytics core: plain Python over DuckDB and Arrow. Never imports Django."""
