"""core.django_internals leans on Django internals: an upgrade of Django must be followed by a re-check of it."""

import django

from core.django_internals import CHECKED_AGAINST


def test_the_django_internals_were_checked_against_the_installed_django():
    assert django.VERSION[:2] == CHECKED_AGAINST, (
        f"Django {django.get_version()} is installed; core/django_internals.py was checked against "
        f"{'.'.join(map(str, CHECKED_AGAINST))}: re-read the Django code its docstring names, then update CHECKED_AGAINST"
    )
