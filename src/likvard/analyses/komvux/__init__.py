"""Komvux (municipal adult education): application pressure, fill rate and outcomes."""
