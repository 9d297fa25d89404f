"""People and access: roles, the one permission policy, the release gate and the audit log."""
