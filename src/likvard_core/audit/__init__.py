"""An independent disclosure auditor: what an attacker can solve from released figures.

Plain Python, independent of ``likvard_core.disclosure``: it reads released tables (rows with
a status), derives the linear ties between their cells from the tables' own definitions and
the hierarchy of levels, and bounds every hidden cell with a linear programme (SciPy's HiGHS).
See ``docs/disclosure-audit.md``.
"""
