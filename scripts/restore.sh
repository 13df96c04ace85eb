#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into an EMPTY database and an empty MEDIA_ROOT.
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
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$PG_URL" "$backup/db.dump"

mkdir -p "$MEDIA_ROOT"
tar -C "$MEDIA_ROOT" --no-same-owner -xzf "$backup/media.tar.gz"
echo "restore: $backup restored into the database and $MEDIA_ROOT"
