"""Cross-cutting building blocks every app may use and none owns: scoping, domain errors, transitions.

The lowest layer of the portal: it imports no app of the project (see the import-linter contract in pyproject.toml).
"""
