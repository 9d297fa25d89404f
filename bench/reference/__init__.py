"""Slow, obvious pandas versions of the analytics functions: the oracle for tests and benches."""
