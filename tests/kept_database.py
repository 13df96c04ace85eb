"""The kept SQLite test databases (``--reuse-db``; their names: ``config/settings/test.py``): which run uses them.

One run at a time owns the kept databases of a checkout (``var/test-db/``): the first to lock the folder. A run started
while another holds it (one test file run beside a ``make test``, say) gets databases of its own in a temporary folder,
migrated afresh and removed when it ends. It must neither delete the running one's files (while in use they carry no
``.clean`` marker, which is how a crashed run's files are told apart) nor share them: a transactional test of one run
would empty the tables under the other's tests.

``copy_to`` copies a test database as committed: the snapshot transactional tests are restored from
(``tests/conftest.py``), a database for a server process a test starts.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

LOCK = ".in-use"


@dataclass
class Databases:
    """Where this run's SQLite test database lives, and what keeps it there until the run ends."""

    name: Path
    lock: IO[str] | None = None  # held while this run owns the kept databases
    temporary: Path | None = None  # the folder of a run that could not own them

    def release(self) -> None:
        if self.lock is not None:
            self.lock.close()  # closing the file gives up the lock (so does the process's end, however it ends)
            self.lock = None
        if self.temporary is not None:
            shutil.rmtree(self.temporary, ignore_errors=True)


def take(name: Path) -> Databases:
    """The database this run should use for the kept ``name``: ``name`` itself if no other run holds the kept folder
    (after deleting the files there that a reuse would be misled by), else the same name in a new temporary folder."""
    lock = claim(name.parent)
    if lock is None:
        temporary = Path(tempfile.mkdtemp(prefix="nc-test-db-"))
        return Databases(name=temporary / name.name, temporary=temporary)
    drop_unusable(name)
    return Databases(name=name, lock=lock)


def claim(directory: Path) -> IO[str] | None:
    """The lock of the kept folder ``directory``, held until the file is closed, or None if another run holds it."""
    directory.mkdir(parents=True, exist_ok=True)
    handle = (directory / LOCK).open("a")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    return handle


def clean_marker(database: Path) -> Path:
    return database.with_name(database.name + ".clean")


def drop_unusable(current: Path) -> None:
    """Delete kept SQLite test databases that would mislead a ``--reuse-db`` run.

    The file name carries a digest of the migrations and seed data (``config/settings/test.py``): files of another
    digest belong to another checkout. A file is reused only if the run that used it last ended cleanly and left its
    ``.clean`` marker (``tests/conftest.py``, ``_serialized_contents_survive_context_switches``); a run killed during a
    transactional test, which commits, leaves none, and its file is migrated afresh. Only the run that owns the folder
    (``take``) may call this.
    """
    for path in current.parent.glob("*.sqlite3*"):
        if path.suffix == ".clean":
            continue
        marker = clean_marker(path)
        if not path.name.startswith(current.name) or not marker.exists():
            path.unlink(missing_ok=True)
            marker.unlink(missing_ok=True)
    for marker in current.parent.glob("*.clean"):  # left by a run that deleted its database (no --reuse-db)
        if not marker.with_name(marker.name.removesuffix(".clean")).exists():
            marker.unlink()


def use(databases: Databases, settings_dict: dict) -> None:
    """Point this process (and the xdist workers it starts) at ``databases``: the workers load the settings later and
    read the folder from the environment variable ``config/settings/test.py`` names."""
    from django.conf import settings

    if databases.temporary is not None:
        os.environ[settings.TEST_DATABASE_DIR_ENV] = str(databases.temporary)
        settings_dict.setdefault("TEST", {})["NAME"] = str(databases.name)


def copy_to(database: Path, path: Path) -> Path:
    """A copy at ``path`` of the SQLite ``database`` as committed, page by page (the SQLite backup API: milliseconds).

    Read through a connection of its own: a test's connection inside its transaction cannot be the source (SQLite's
    backup answers "locked" to a connection that holds the write lock, which every transaction takes when it begins:
    ``config/settings/base.py``)."""
    import sqlite3

    source, target = sqlite3.connect(database), sqlite3.connect(path)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
    return path
