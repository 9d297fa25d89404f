"""The disclosure audit of what a viewer can obtain: gathered through the pages' services.

``gather`` calls the same services as the pages and the API for one viewer and region and
describes each released table by the auditor's own definitions (``catalogue``), never by the
release gate's cube; ``likvard_core.audit`` then bounds every hidden cell by LP.
"""
