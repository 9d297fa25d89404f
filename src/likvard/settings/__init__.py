"""Settings split per environment (base, dev, test, production); env.py reads the environment."""
