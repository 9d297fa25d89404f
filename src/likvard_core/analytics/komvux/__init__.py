"""Komvux follow-up: application pressure, fill rate, completion, interruption and outcomes."""
