"""Reporting to the municipal platform (owned by the reporting app)."""
