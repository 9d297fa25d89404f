"""Outside formats turned into importable tables: Kolada's API, SS 12000, the planning basis."""
