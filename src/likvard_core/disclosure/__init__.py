"""Disclosure control: aggregates and their suppression before release."""
