#!/usr/bin/env bash
# Back up the portal: the PostgreSQL database (pg_dump custom format) and the uploaded/exported files (MEDIA_ROOT).
#
#   DATABASE_URL=postgres://user@host:5432/credit MEDIA_ROOT=/srv/credit/media scripts/backup.sh [BACKUP_ROOT]
#
# Writes BACKUP_ROOT/YYYYmmdd-HHMMSS/{db.dump,media.tar.gz,SHA256SUMS} (BACKUP_ROOT defaults to ./backups) and
# prints that directory. The dump is taken in one snapshot (pg_dump is transactionally consistent); files written
# while the backup runs may be newer than the dump, which restore tolerates (rows never point at missing files
# because files are written before their rows are committed). See docs/security.md for the schedule and the drill.
set -euo pipefail
umask 077

: "${DATABASE_URL:?DATABASE_URL must point at the PostgreSQL database to back up}"
MEDIA_ROOT="${MEDIA_ROOT:-$(cd "$(dirname "$0")/.." && pwd)/var/media}"
BACKUP_ROOT="${1:-${BACKUP_ROOT:-backups}}"

# libpq understands postgres:// and postgresql:// URLs; drop Django-only query options such as ?conn_max_age=.
PG_URL="${DATABASE_URL%%\?*}"

stamp="$(date +%Y%m%d-%H%M%S)"
out="${BACKUP_ROOT%/}/${stamp}"
mkdir -p "$out"

pg_dump --format=custom --compress=6 --no-owner --no-privileges --dbname="$PG_URL" --file="$out/db.dump"

if [ -d "$MEDIA_ROOT" ]; then
    tar -C "$MEDIA_ROOT" -czf "$out/media.tar.gz" .
else
    tar -czf "$out/media.tar.gz" --files-from /dev/null
fi

(cd "$out" && sha256sum db.dump media.tar.gz > SHA256SUMS)
echo "$out"
