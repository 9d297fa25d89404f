"""Services of the knowledge bank: items and their files, search, import and export, hooks."""
