"""Counts of enrolled students: the first thing an organizer checks after an import."""
