"""Checks shared by every kind: cell parsers, table marks, personnummer, table-level checks."""
