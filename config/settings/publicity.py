"""The public credit column."""
