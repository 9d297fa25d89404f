"""The ``likvard`` command line: one module per command group."""
