"""Thin views of the networks' work: parse, authorise (``access.policy``), call a service."""
