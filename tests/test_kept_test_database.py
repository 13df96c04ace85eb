"""Two test runs at once in one checkout: the second neither deletes nor shares the first one's kept databases.

The kept SQLite test databases (``var/test-db/``) carry no ``.clean`` marker while a run uses them, which is also how a
crashed run's files look; a second run (one test file beside a ``make test``) deleted them as unusable, and the first
run's tests then failed on an empty database ("no such table"). See ``tests/kept_database.py``.
"""

import os
import subprocess
import sys

from django.conf import settings

from config.env import BASE_DIR
from tests import kept_database


def test_a_second_run_gets_its_own_folder_and_deletes_nothing(tmp_path):
    kept = tmp_path / "kept"
    first = kept_database.take(kept / "abc123.sqlite3")
    assert first.name == kept / "abc123.sqlite3" and first.temporary is None
    in_use = kept / "abc123.sqlite3_gw0"  # the first run's database: no .clean marker until it ends
    in_use.write_bytes(b"SQLite format 3\x00")

    second = kept_database.take(kept / "abc123.sqlite3")
    try:
        assert in_use.exists()
        assert second.temporary is not None and second.name == second.temporary / "abc123.sqlite3"
        assert not second.name.is_relative_to(kept)
    finally:
        second.release()
    assert not second.temporary.exists()  # removed when the second run ends

    first.release()
    third = kept_database.take(kept / "abc123.sqlite3")  # the first run gone and its file never marked clean
    try:
        assert third.temporary is None
        assert not in_use.exists()  # a crashed run's file is still migrated afresh
    finally:
        third.release()


def test_pytest_started_beside_a_running_suite_leaves_its_databases_alone():
    """The real thing: ``pytest`` in a second process while the kept folder is held (by this suite's own run on SQLite,
    else by this test) reports its own databases and deletes no file of the kept folder."""
    kept = settings.KEPT_TEST_DATABASE_DIR
    lock = kept_database.claim(kept)  # None if this suite already holds the folder
    probe = kept / "0000probe000.sqlite3_gw0"  # looks like a database of a run in progress (no .clean marker)
    probe.write_bytes(b"SQLite format 3\x00")
    try:
        env = {k: v for k, v in os.environ.items() if k not in ("CI", "DATABASE_URL", "DATABASE_REPLICA_URL")}
        env.pop(settings.TEST_DATABASE_DIR_ENV, None)
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "--collect-only", "-p", "no:cacheprovider", __file__],
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        assert probe.exists(), "the second run deleted a database of the run in progress"
        assert "另一次测试运行正在使用保留的测试库" in done.stdout
    finally:
        if lock is not None:
            lock.close()
        probe.unlink(missing_ok=True)
