"""Every file Likvärd exports, made in one place: XLSX, PDF, PPTX and DOCX.

An analysis describes what its file shows as a ``document.Document`` (sections of headings,
paragraphs, facts, tables and charts, in Swedish, from released figures only); this package
renders that document in any of the four formats (``files.render``) so that tables fit A4,
slides fit 16:9 and workbooks have native number formats and frozen headers everywhere. It
knows no domain: no analysis, no warehouse, only ``access.release.Released`` and the labels.
"""
