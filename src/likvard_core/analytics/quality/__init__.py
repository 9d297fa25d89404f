"""Skolverket's national quality system, plain Python: catalogue, indicators, analysis basis.

- ``catalogue``: the versioned catalogue file (goals, indicators with revisions, success
  factors, conditions), ``load_catalogue`` / ``parse_catalogue`` / ``indicator_revision``.
- ``indicators``: warehouse indicator values per level, year and group as ``Aggregate``s;
  ``narrow``: re-cut them (regions, comparison groups) without SQL; ``public``: values read
  from imported public statistics; ``comparison``: similar municipalities; ``expected``:
  expected values from the shared SALSA-style model; ``assess``: trends and flags.
- ``basis`` (the data), ``basis_build.build_basis`` and ``basis_context.basis_context``;
  ``charts`` (the one Vega-Lite definition); ``export.xlsx/pdf/pptx``.
- ``published``: municipal results rebuilt from Skolverket's school-unit file.
"""
