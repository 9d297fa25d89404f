"""Grade equity: final grades against national tests, for principals, organizers and regions."""
