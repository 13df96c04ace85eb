"""The README's first command (``make demo``) prints the addresses and the accounts, not Django's warnings.

``make demo`` migrates the embedded SQLite database, and ``migrate`` runs the system checks against it first: a
warning there (an index option SQLite ignores) was the first thing a new user read.
"""

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_the_checks_migrate_runs_print_nothing():
    """On the embedded SQLite (the demo) as on PostgreSQL (CI)."""
    out, err = StringIO(), StringIO()
    call_command("check", database=["default"], stdout=out, stderr=err)
    assert err.getvalue() == ""
    assert out.getvalue().startswith("System check identified no issues")
