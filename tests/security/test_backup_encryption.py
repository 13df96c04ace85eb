"""Backups are encrypted (M6): scripts/backup.sh writes OpenPGP ciphertext only (symmetric passphrase or a public
key), refuses to run without a key, and scripts/restore.sh decrypts it back byte for byte.

PostgreSQL's client tools are stubbed (a fake ``pg_dump`` that prints a dump holding an ID number, a ``psql`` that
finds the target empty, a ``pg_restore`` that keeps the archive it is given); gpg is the real one, in a throw-away
home directory whose agent is stopped afterwards. The PostgreSQL drill with real tools is tests/security/test_backup.py.
"""

import io
import os
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ID_NUMBER = "360102197203030050"
DUMP = f"PGDMP\x01fake custom-format dump {ID_NUMBER}\n".encode()

pytestmark = pytest.mark.skipif(shutil.which("gpg") is None, reason="needs gpg")


@pytest.fixture
def gnupg_home():
    home = tempfile.mkdtemp(prefix="gpg")  # short: the agent's socket path must fit
    yield home
    subprocess.run(["gpgconf", "--homedir", home, "--kill", "all"], capture_output=True, check=False)
    shutil.rmtree(home, ignore_errors=True)


@pytest.fixture
def site(tmp_path, gnupg_home):
    """Stub PostgreSQL tools, a media folder with a workbook holding an ID number, and the environment to run in."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (tmp_path / "dump.bin").write_bytes(DUMP)
    (bin_dir / "pg_dump").write_text(f'#!/bin/sh\ncat "{tmp_path / "dump.bin"}"\n')
    (bin_dir / "psql").write_text("#!/bin/sh\necho 0\n")
    (bin_dir / "pg_restore").write_text('#!/bin/sh\nfor a; do last="$a"; done\ncp "$last" "$RESTORED_DUMP"\n')
    for tool in bin_dir.iterdir():
        tool.chmod(0o755)
    media = tmp_path / "media"
    (media / "reporting" / "batches" / "01").mkdir(parents=True)
    workbook = io.BytesIO()
    with zipfile.ZipFile(workbook, "w") as archive:
        archive.writestr("xl/sharedStrings.xml", f"<sst><si><t>{ID_NUMBER}</t></si></sst>")
    (media / "reporting" / "batches" / "01" / "batch-00000001.xlsx").write_bytes(workbook.getvalue())
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("BACKUP_") and key not in {"DATABASE_URL", "MEDIA_ROOT"}
    }
    env.update(
        PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        GNUPGHOME=gnupg_home,
        DATABASE_URL="postgres://credit@db.invalid:5432/credit",
        RESTORED_DUMP=str(tmp_path / "restored.dump"),
    )
    return {"tmp": tmp_path, "media": media, "env": env}


def _run(script: str, *args: str, env: dict, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", str(ROOT / "scripts" / script), *args],
        env={**env, **extra},
        capture_output=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _assert_ciphertext_only(backup: Path) -> None:
    assert sorted(p.name for p in backup.iterdir()) == ["SHA256SUMS", "db.dump.gpg", "media.tar.gz.gpg"]
    for name in ("db.dump.gpg", "media.tar.gz.gpg"):
        data = (backup / name).read_bytes()
        assert data and not data.startswith((b"PGDMP", b"\x1f\x8b", b"PK"))  # no dump, gzip or zip in clear
        assert ID_NUMBER.encode() not in data
        assert not zipfile.is_zipfile(io.BytesIO(data))


def test_backup_without_a_key_refuses_and_writes_nothing(site):
    result = _run("backup.sh", str(site["tmp"] / "backups"), env=site["env"], MEDIA_ROOT=str(site["media"]))
    assert result.returncode == 4
    assert b"no encryption key" in result.stderr
    assert not (site["tmp"] / "backups").exists()


def test_backup_with_a_passphrase_is_ciphertext_and_restores_byte_for_byte(site):
    env = {**site["env"], "BACKUP_PASSPHRASE": "correct horse battery staple 2026"}
    result = _run("backup.sh", str(site["tmp"] / "backups"), env=env, MEDIA_ROOT=str(site["media"]))
    assert result.returncode == 0, result.stderr
    backup = Path(result.stdout.decode().strip().splitlines()[-1])
    _assert_ciphertext_only(backup)

    restored = site["tmp"] / "restored"
    result = _run("restore.sh", str(backup), env=env, MEDIA_ROOT=str(restored))
    assert result.returncode == 0, result.stderr
    assert (site["tmp"] / "restored.dump").read_bytes() == DUMP
    assert _files(restored) == _files(site["media"])


def test_restore_with_the_wrong_passphrase_fails_and_restores_nothing(site):
    env = {**site["env"], "BACKUP_PASSPHRASE": "right passphrase"}
    result = _run("backup.sh", str(site["tmp"] / "backups"), env=env, MEDIA_ROOT=str(site["media"]))
    backup = Path(result.stdout.decode().strip().splitlines()[-1])
    restored = site["tmp"] / "restored"
    result = _run("restore.sh", str(backup), env={**env, "BACKUP_PASSPHRASE": "wrong"}, MEDIA_ROOT=str(restored))
    assert result.returncode == 4 and b"cannot decrypt" in result.stderr
    assert not (site["tmp"] / "restored.dump").exists() and not restored.exists()


def test_backup_to_a_public_key_needs_the_private_key_to_restore(site, gnupg_home):
    gpg = ["gpg", "--homedir", gnupg_home, "--batch", "--quiet", "--passphrase", ""]
    subprocess.run([*gpg, "--quick-gen-key", "backup@jyj.invalid", "default", "default", "never"], check=True)
    listing = subprocess.run(
        ["gpg", "--homedir", gnupg_home, "--with-colons", "--list-keys", "backup@jyj.invalid"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    fingerprint = next(line.split(":")[9] for line in listing.splitlines() if line.startswith("fpr:"))
    env = {**site["env"], "BACKUP_GPG_RECIPIENT": fingerprint}
    result = _run("backup.sh", str(site["tmp"] / "backups"), env=env, MEDIA_ROOT=str(site["media"]))
    assert result.returncode == 0, result.stderr
    backup = Path(result.stdout.decode().strip().splitlines()[-1])
    _assert_ciphertext_only(backup)

    empty_home = tempfile.mkdtemp(prefix="gpg")
    try:  # a host without the private key cannot read the backup
        refused = _run(
            "restore.sh", str(backup), env={**env, "GNUPGHOME": empty_home}, MEDIA_ROOT=str(site["tmp"] / "x")
        )
        assert refused.returncode == 4
    finally:
        subprocess.run(["gpgconf", "--homedir", empty_home, "--kill", "all"], capture_output=True, check=False)
        shutil.rmtree(empty_home, ignore_errors=True)

    restored = site["tmp"] / "restored"
    result = _run("restore.sh", str(backup), env=env, MEDIA_ROOT=str(restored))
    assert result.returncode == 0, result.stderr
    assert (site["tmp"] / "restored.dump").read_bytes() == DUMP
    assert _files(restored) == _files(site["media"])
