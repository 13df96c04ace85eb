"""Shared set-up of the benchmarks: Django with a throwaway database (SQLite file, or PostgreSQL when DATABASE_URL is
set), migrated from scratch, plus helpers to seed records fast."""

from __future__ import annotations

import datetime
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.setdefault("REPORTING_IMPORT_MAX_ROWS", "200000")


def setup_django():
    import django
    from django.conf import settings

    tmp = tempfile.mkdtemp(prefix="nc-bench-")
    django.setup()
    db = settings.DATABASES["default"]
    from django.db import connection

    test = connection.settings_dict.setdefault("TEST", {})
    test.setdefault("MIGRATE", True)
    test["NAME"] = os.path.join(tmp, "bench.sqlite3") if db["ENGINE"].endswith("sqlite3") else f"bench_{os.getpid()}"
    settings.MEDIA_ROOT = os.path.join(tmp, "media")

    name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    return tmp, name, db["ENGINE"].rsplit(".", 1)[-1]


def teardown_django(name):
    from django.db import connection

    connection.creation.destroy_test_db(name, verbosity=0)


def clerk_and_office(no: int):
    from django.contrib.auth import get_user_model

    from credit.models import Item, Office

    item = Item.objects.get(no=no)
    office = item.offices.first() or Office.objects.first()
    user = get_user_model().objects.create_user(username=f"bench{no}", password="x-Bench-1234", role="clerk")
    user.offices.add(office)
    return item, office, user


def seed_records(no: int, n: int, *, status: str = "approved") -> None:
    """n valid records of item ``no`` inserted in bulk (values from credit.demo.sample_values)."""
    from django.utils import timezone

    from core.django_internals import insert_child_instances
    from credit.demo import sample_values
    from credit.registry import model_for_item

    item, office, user = clerk_and_office(no)
    model = model_for_item(no)
    now = timezone.now()
    keys = model.field_keys()
    chunk = []
    for seq in range(n):
        values = sample_values(no, seq)
        record = model(
            item=item,
            office=office,
            created_by=user,
            updated_by=user,
            created_at=now,
            updated_at=now,
            status=status,
            version=2,
        )
        for key in keys:
            field = model._meta.get_field(key)
            value = values[key]
            if field.get_internal_type() == "DateField":
                value = datetime.date.fromisoformat(value)
            setattr(record, key, value)
        record.business_date = getattr(record, model.BUSINESS_DATE_FIELD) if model.BUSINESS_DATE_FIELD else now.date()
        record.due_date = record.validity_end = record.business_date
        chunk.append(record)
        if len(chunk) == 5000:
            insert_child_instances(chunk)
            chunk = []
    if chunk:
        insert_child_instances(chunk)


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result


def peak_memory(fn, *args, **kwargs):
    """Peak Python heap (tracemalloc) while ``fn`` runs, in MiB."""
    tracemalloc.start()
    try:
        fn(*args, **kwargs)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 2**20


def max_rss_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
