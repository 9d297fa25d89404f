"""Services of the networks app: meetings, snapshots, notes import, search, minutes."""
