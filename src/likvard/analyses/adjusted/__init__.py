"""Adjusted results: school results against what the students' background predicts."""
