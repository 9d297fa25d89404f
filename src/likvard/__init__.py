"""Likvärd: the Django project."""
