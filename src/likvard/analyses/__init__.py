"""Analyses for users: one sub-package per analysis (``equity`` first)."""
