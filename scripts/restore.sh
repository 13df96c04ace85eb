#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into an EMPTY database and an empty MEDIA_ROOT.
# Decrypts with the same settings as the backup (scripts/backup-crypto.sh): BACKUP_PASSPHRASE_FILE / BACKUP_PASSPHRASE,
# or the private key of BACKUP_GPG_RECIPIENT in the gpg keyring (GNUPGHOME).
#
#   DATABASE_URL=postgres://user@host:5432/credit_restored MEDIA_ROOT=/srv/credit/media scripts/restore.sh BACKUP_DIR
#
# Refuses to run when the checksums do not match, when the target database already has tables, or when MEDIA_ROOT
# is not empty: a restore never merges into, or overwrites, live data. Create the empty database first, e.g.
#   createdb -T template0 -E UTF8 --lc-collate=C.UTF-8 --lc-ctype=C.UTF-8 credit_restored
set -euo pipefail
umask 027

backup="${1:?usage: scripts/restore.sh BACKUP_DIR}"
: "${DATABASE_URL:?DATABASE_URL must point at the EMPTY PostgreSQL database to restore into}"
MEDIA_ROOT="${MEDIA_ROOT:-$(cd "$(dirname "$0")/.." && pwd)/var/media}"
PG_URL="${DATABASE_URL%%\?*}"
# shellcheck source=scripts/backup-crypto.sh
. "$(dirname "$0")/backup-crypto.sh"

(cd "$backup" && sha256sum --check --quiet SHA256SUMS) || { echo "restore: checksum mismatch in $backup" >&2; exit 2; }

tables="$(psql --no-psqlrc --tuples-only --no-align --dbname="$PG_URL" \
    --command="SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")"
if [ "$tables" != "0" ]; then
    echo "restore: the target database is not empty ($tables tables); restore only into an empty database" >&2
    exit 3
fi
if [ -d "$MEDIA_ROOT" ] && [ -n "$(ls -A "$MEDIA_ROOT")" ]; then
    echo "restore: MEDIA_ROOT $MEDIA_ROOT is not empty" >&2
    exit 3
fi

# One transaction: either the whole database is restored or nothing is. Triggers (the audit log's append-only
# trigger included) are created after the data is loaded, so loading is not refused by them.
# The dump is decrypted to a private temporary file (pg_restore needs a seekable archive) deleted on exit.
work="$(mktemp -d)"
trap 'rm -rf -- "$work"' EXIT
backup_decrypt < "$backup/db.dump.gpg" > "$work/db.dump" || { echo "restore: cannot decrypt $backup/db.dump.gpg" >&2; exit 4; }
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$PG_URL" "$work/db.dump"

mkdir -p "$MEDIA_ROOT"
backup_decrypt < "$backup/media.tar.gz.gpg" | tar -C "$MEDIA_ROOT" --no-same-owner -xzf -
echo "restore: $backup restored into the database and $MEDIA_ROOT"
