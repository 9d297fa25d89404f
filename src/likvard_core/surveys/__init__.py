"""Surveys: definitions with versions and revisions, and the Skolinspektionen-style index.

Plain Python (no Django): the import kind ``survey_answers`` validates vendor files against a
definition, and ``likvard.surveys`` computes and releases results with ``index``.
"""
