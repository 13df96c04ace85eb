"""Restore drill: back up a populated database and media folder with scripts/backup.sh, restore them with
scripts/restore.sh into a fresh empty database, and find every row and every file again."""

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[2]


def _url(dbname: str) -> str:
    db = settings.DATABASES["default"]
    auth = db.get("USER") or ""
    if db.get("PASSWORD"):
        auth += f":{db['PASSWORD']}"
    host = f"{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}"
    return f"postgres://{auth}@{host}/{dbname}" if auth else f"postgres://{host}/{dbname}"


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(_url("postgres"), autocommit=True) as conn:
        conn.execute(sql)


def _create(name: str) -> None:
    _admin(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'")


def _census(dbname: str) -> tuple[dict[str, int], str]:
    """Row count of every table, and a checksum over the whole audit table."""
    import psycopg

    with psycopg.connect(_url(dbname)) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            ).fetchall()
        ]
        counts = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
        checksum = conn.execute(
            "SELECT md5(coalesce(string_agg(e::text, '|' ORDER BY e.id), '')) FROM audit_auditevent e"
        ).fetchone()[0]
    return counts, checksum


BACKUP_PASSPHRASE = "drill-only passphrase, kept apart from the backups"


def _run(args, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        args,
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "BACKUP_PASSPHRASE": BACKUP_PASSPHRASE,
            **env,
        },
        capture_output=True,
        text=True,
        timeout=600,
    )


def _files(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_a_restore_into_an_empty_database_recovers_every_row_and_file(tmp_path, monkeypatch):
    gnupg_home = tempfile.mkdtemp(prefix="gpg")  # gpg's own state, not the user's; its agent is stopped at the end
    monkeypatch.setenv("GNUPGHOME", gnupg_home)
    suffix = uuid.uuid4().hex[:8]
    source, target = f"nc_drill_src_{suffix}", f"nc_drill_dst_{suffix}"
    _create(source)
    _create(target)
    try:
        src_env = {"DATABASE_URL": _url(source)}
        for command in (["migrate", "--noinput"], ["load_demo"]):
            result = _run([sys.executable, "manage.py", *command], **src_env)
            assert result.returncode == 0, result.stdout + result.stderr
        result = _run(
            [
                sys.executable,
                "manage.py",
                "shell",
                "-c",
                "from audit.services import audit_log; "
                "[audit_log(action='export', object_type='reporting.batch', object_id=i) for i in range(25)]",
            ],
            **src_env,
        )
        assert result.returncode == 0, result.stderr

        media = tmp_path / "media"
        (media / "imports" / "2026").mkdir(parents=True)
        (media / "imports" / "2026" / "a1b2c3.xlsx").write_bytes(os.urandom(4096))
        (media / "exports").mkdir()
        (media / "exports" / "批次-1.xlsx").write_bytes(b"PK\x03\x04" + os.urandom(1024))

        result = _run(["bash", "scripts/backup.sh", str(tmp_path / "backups")], MEDIA_ROOT=str(media), **src_env)
        assert result.returncode == 0, result.stderr
        backup_dir = Path(result.stdout.strip().splitlines()[-1])
        assert (backup_dir / "db.dump.gpg").stat().st_size > 0
        assert not (backup_dir / "db.dump.gpg").read_bytes().startswith(b"PGDMP")  # encrypted (M6)

        restored = tmp_path / "restored"
        result = _run(
            ["bash", "scripts/restore.sh", str(backup_dir)], MEDIA_ROOT=str(restored), DATABASE_URL=_url(target)
        )
        assert result.returncode == 0, result.stderr

        source_counts, source_checksum = _census(source)
        target_counts, target_checksum = _census(target)
        assert source_counts["audit_auditevent"] >= 25 and source_counts["accounts_user"] > 0
        assert sum(source_counts.values()) > 100
        assert target_counts == source_counts
        assert target_checksum == source_checksum
        assert _files(restored) == _files(media)

        # The append-only trigger came back with the data.
        import psycopg

        with pytest.raises(psycopg.errors.RaiseException), psycopg.connect(_url(target)) as conn:
            conn.execute("UPDATE audit_auditevent SET outcome = 'failure'")

        # A restore never merges into a database that has tables.
        again = _run(
            ["bash", "scripts/restore.sh", str(backup_dir)], MEDIA_ROOT=str(tmp_path / "x"), DATABASE_URL=_url(target)
        )
        assert again.returncode == 3 and "not empty" in again.stderr
    finally:
        _admin(f"DROP DATABASE IF EXISTS {source} WITH (FORCE)")
        _admin(f"DROP DATABASE IF EXISTS {target} WITH (FORCE)")
        subprocess.run(["gpgconf", "--homedir", gnupg_home, "--kill", "all"], capture_output=True, check=False)
        shutil.rmtree(gnupg_home, ignore_errors=True)
