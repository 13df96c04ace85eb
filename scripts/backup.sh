#!/usr/bin/env bash
# Back up the portal: the PostgreSQL database (pg_dump custom format) and the uploaded/exported files (MEDIA_ROOT).
#
#   DATABASE_URL=postgres://user@host:5432/credit MEDIA_ROOT=/srv/credit/media scripts/backup.sh [BACKUP_ROOT]
#
# Writes BACKUP_ROOT/YYYYmmdd-HHMMSS/{db.dump.gpg,media.tar.gz.gpg,SHA256SUMS} (BACKUP_ROOT defaults to ./backups)
# and prints that directory. Both files are OpenPGP-encrypted as they are written (nothing in clear touches the disk):
# to BACKUP_GPG_RECIPIENT's public key, or with the passphrase of BACKUP_PASSPHRASE_FILE / BACKUP_PASSPHRASE (see
# scripts/backup-crypto.sh); with no key the script refuses. Keep the key apart from the backups. The dump is taken in one snapshot (pg_dump is transactionally consistent); files written
# while the backup runs may be newer than the dump, which restore tolerates (rows never point at missing files
# because files are written before their rows are committed). See docs/security.md for the schedule and the drill.
set -euo pipefail
umask 077

: "${DATABASE_URL:?DATABASE_URL must point at the PostgreSQL database to back up}"
# shellcheck source=scripts/backup-crypto.sh
. "$(dirname "$0")/backup-crypto.sh"
backup_crypto_mode >/dev/null || exit 4
MEDIA_ROOT="${MEDIA_ROOT:-$(cd "$(dirname "$0")/.." && pwd)/var/media}"
BACKUP_ROOT="${1:-${BACKUP_ROOT:-backups}}"

# libpq understands postgres:// and postgresql:// URLs; drop Django-only query options such as ?conn_max_age=.
PG_URL="${DATABASE_URL%%\?*}"

stamp="$(date +%Y%m%d-%H%M%S)"
out="${BACKUP_ROOT%/}/${stamp}"
mkdir -p "$out"

# A failed step leaves no half backup behind that could pass for a good one.
trap 'rm -rf -- "$out"' ERR

pg_dump --format=custom --compress=6 --no-owner --no-privileges --dbname="$PG_URL" | backup_encrypt > "$out/db.dump.gpg"

if [ -d "$MEDIA_ROOT" ]; then
    tar -C "$MEDIA_ROOT" -czf - . | backup_encrypt > "$out/media.tar.gz.gpg"
else
    tar -czf - --files-from /dev/null | backup_encrypt > "$out/media.tar.gz.gpg"
fi

(cd "$out" && sha256sum db.dump.gpg media.tar.gz.gpg > SHA256SUMS)
trap - ERR
echo "$out"
