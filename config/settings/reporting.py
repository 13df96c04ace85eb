"""Reporting to the municipal platform (owned by the reporting app): transports, import limits, batch storage."""

from config.env import BASE_DIR, env

# How export batches reach the platform: "dropfolder" (a mounted share of the exchange server) or "http".
REPORTING_TRANSPORT = env("REPORTING_TRANSPORT", default="dropfolder")
REPORTING_DROP_DIR = env.path("REPORTING_DROP_DIR", default=BASE_DIR / "var" / "dropfolder")
REPORTING_HTTP_URL = env("REPORTING_HTTP_URL", default="")
REPORTING_HTTP_TOKEN = env("REPORTING_HTTP_TOKEN", default="")
REPORTING_HTTP_TIMEOUT = env.int("REPORTING_HTTP_TIMEOUT", default=60)
# Automatic retries (exponential back-off) of a failed delivery before the batch is marked failed.
REPORTING_DELIVERY_RETRIES = env.int("REPORTING_DELIVERY_RETRIES", default=5)
# Hosts an address set in 报送设置 may point to (comma-separated); the host of REPORTING_HTTP_URL always may. Empty:
# only that one. Every delivery also refuses non-https addresses and hosts resolving to loopback, private, link-local,
# multicast, reserved or unspecified addresses (batches carry full ID numbers; see reporting/transports.py).
REPORTING_DELIVERY_ALLOWED_HOSTS = env.list("REPORTING_DELIVERY_ALLOWED_HOSTS", default=[])
# Test suite only, never read from the environment: lets plain http and loopback addresses through for the fake
# platform of tests/reporting/fake_platform.py.
REPORTING_DELIVERY_TEST_LOOPBACK = False
# The system admin's 报送设置 (reporting.DeliverySettings, in the admin) override the five settings above when saved;
# an empty field there falls back to the environment.

# The semiannual delivery (item 1, 一年两次) leaves at least this many days before each due date of
# SEMIANNUAL_DUE_DATES: its beat entry is derived from both (rule in reporting/schedules.py; after a change run
# ``manage.py sync_semiannual_schedule``).
REPORTING_SEMIANNUAL_LEAD_DAYS = env.int("REPORTING_SEMIANNUAL_LEAD_DAYS", default=10)

# A delivery claimed longer ago than this is taken to belong to a worker that died, and may be claimed again.
REPORTING_DELIVERY_LEASE_SECONDS = env.int("REPORTING_DELIVERY_LEASE_SECONDS", default=15 * 60)

# Upload limits of a filled template (安全：文件大小、压缩包条目数、解压后大小、压缩比).
REPORTING_IMPORT_MAX_BYTES = env.int("REPORTING_IMPORT_MAX_BYTES", default=20 * 1024 * 1024)
REPORTING_IMPORT_MAX_ENTRIES = env.int("REPORTING_IMPORT_MAX_ENTRIES", default=200)
REPORTING_IMPORT_MAX_UNCOMPRESSED = env.int("REPORTING_IMPORT_MAX_UNCOMPRESSED", default=300 * 1024 * 1024)
REPORTING_IMPORT_MAX_RATIO = env.int("REPORTING_IMPORT_MAX_RATIO", default=200)
REPORTING_IMPORT_MAX_ROWS = env.int("REPORTING_IMPORT_MAX_ROWS", default=100_000)
# Columns read past the upload template's last one (the header check names stray columns there); a value further
# right is refused before the sheet is parsed, as is one below row REPORTING_IMPORT_MAX_ROWS + 1.
REPORTING_IMPORT_EXTRA_COLUMNS = env.int("REPORTING_IMPORT_EXTRA_COLUMNS", default=10)
# An import job still waiting or running this long after its upload is taken to belong to a worker that died: it is
# marked failed (beat task reporting.tasks.fail_stale_import_jobs, and when its page is opened).
REPORTING_IMPORT_STALE_SECONDS = env.int("REPORTING_IMPORT_STALE_SECONDS", default=2 * 60 * 60)
# Uploads up to this size are checked inside the request; larger ones run as a background task with a progress bar.
REPORTING_IMPORT_INLINE_BYTES = env.int("REPORTING_IMPORT_INLINE_BYTES", default=256 * 1024)

# Retention of files holding personal data (beat task reporting.tasks.purge_expired_files, daily): import uploads and
# error copies older than this many days are deleted, and so are the files of batches delivered with a platform
# receipt (回执号) this many days ago; the ledger keeps each batch's SHA-256, size, row count and receipt.
FILE_RETENTION_DAYS = env.int("FILE_RETENTION_DAYS", default=90)
