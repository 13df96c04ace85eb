# Sourced by scripts/backup.sh and scripts/restore.sh: how backups are encrypted (GnuPG, OpenPGP).
#
# One of, in this order:
#   BACKUP_GPG_RECIPIENT   a public key (fingerprint preferred) in the gpg keyring (GNUPGHOME): the backup host holds
#                          only the public key; the private key, kept off the server, decrypts at restore.
#   BACKUP_PASSPHRASE_FILE a file holding a symmetric passphrase (mode 0600, not inside MEDIA_ROOT or the backups).
#   BACKUP_PASSPHRASE      the passphrase itself (for schedulers that inject secrets as variables).
# With none of them the scripts refuse to run: a backup is never written in clear.

gpg_common=(--batch --yes --no-tty --quiet --no-greeting)

backup_crypto_mode() {
    if [ -n "${BACKUP_GPG_RECIPIENT:-}" ]; then
        echo recipient
    elif [ -n "${BACKUP_PASSPHRASE_FILE:-}" ]; then
        [ -r "$BACKUP_PASSPHRASE_FILE" ] || { echo "backup: BACKUP_PASSPHRASE_FILE $BACKUP_PASSPHRASE_FILE is not readable" >&2; return 1; }
        echo passphrase-file
    elif [ -n "${BACKUP_PASSPHRASE:-}" ]; then
        echo passphrase
    else
        echo "backup: no encryption key: set BACKUP_GPG_RECIPIENT (public key) or BACKUP_PASSPHRASE_FILE /" \
            "BACKUP_PASSPHRASE (symmetric); backups are never written in clear" >&2
        return 1
    fi
}

# stdin (plaintext) -> stdout (OpenPGP message). Already-compressed data: no second compression.
backup_encrypt() {
    case "$(backup_crypto_mode)" in
        recipient)
            gpg "${gpg_common[@]}" --trust-model always --compress-algo none --encrypt \
                --recipient "$BACKUP_GPG_RECIPIENT" --output - ;;
        passphrase-file)
            gpg "${gpg_common[@]}" --pinentry-mode loopback --passphrase-file "$BACKUP_PASSPHRASE_FILE" \
                --symmetric --cipher-algo AES256 --s2k-digest-algo SHA512 --s2k-count 65011712 \
                --compress-algo none --output - ;;
        passphrase)
            gpg "${gpg_common[@]}" --pinentry-mode loopback --passphrase-fd 3 \
                --symmetric --cipher-algo AES256 --s2k-digest-algo SHA512 --s2k-count 65011712 \
                --compress-algo none --output - 3<<<"$BACKUP_PASSPHRASE" ;;
        *) return 1 ;;
    esac
}

# stdin (OpenPGP message) -> stdout (plaintext). A passphrase also unlocks a protected private key.
backup_decrypt() {
    if [ -n "${BACKUP_PASSPHRASE_FILE:-}" ]; then
        gpg "${gpg_common[@]}" --pinentry-mode loopback --passphrase-file "$BACKUP_PASSPHRASE_FILE" --decrypt
    elif [ -n "${BACKUP_PASSPHRASE:-}" ]; then
        gpg "${gpg_common[@]}" --pinentry-mode loopback --passphrase-fd 3 --decrypt 3<<<"$BACKUP_PASSPHRASE"
    else
        gpg "${gpg_common[@]}" --decrypt  # the private key of BACKUP_GPG_RECIPIENT, from the keyring
    fi
}
