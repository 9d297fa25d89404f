"""Exporters of a released ``AnalysisBasis``: ``basis_xlsx``, ``basis_pdf``, ``basis_pptx``."""
