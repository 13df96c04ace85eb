"""The public credit column."""

from config.env import env


def postgres_apps(databases: dict) -> list[str]:
    """The apps of the column's search that ``databases`` allow (for base.py's INSTALLED_APPS).

    pg_trgm search (GIN trigram indexes on the public columns) needs django.contrib.postgres, on PostgreSQL only.
    """
    return ["django.contrib.postgres"] if databases["default"]["ENGINE"].endswith("postgresql") else []


# Evidence uploads of objections and repair applications: type by extension *and* leading bytes, at most 5 MB by default.
PUBLICITY_EVIDENCE_MAX_BYTES = env.int("PUBLICITY_EVIDENCE_MAX_BYTES", default=5 * 1024 * 1024)
# A whole objection or repair request: the evidence plus room for the text fields (at most ~13 KB) and the multipart
# framing. Anything larger carries more than one file, which the form would never use.
# A repair application carries two files (evidence and the 信用承诺书), each within the evidence limit.
PUBLICITY_REQUEST_MAX_BYTES = env.int(
    "PUBLICITY_REQUEST_MAX_BYTES", default=2 * PUBLICITY_EVIDENCE_MAX_BYTES + 1024 * 1024
)
PUBLICITY_EVIDENCE_TYPES = {
    "pdf": b"%PDF-",
    "jpg": b"\xff\xd8\xff",
    "jpeg": b"\xff\xd8\xff",
    "png": b"\x89PNG\r\n\x1a\n",
}
# Objections and repairs are decided within ten working days.
PUBLICITY_DECISION_WORKING_DAYS = 10
# Decisions are published within seven working days; the workspace flags them this many working days ahead.
PUBLICITY_PUBLISH_WORKING_DAYS = 7
# Working days the reviewers need between an office's submission and publication: oversight flags a 双公示 item whose
# submission deadline (the item's working days, tunable in the admin) leaves fewer before the publication deadline.
OVERSIGHT_REVIEW_WORKING_DAYS = 2
PUBLICITY_DUE_SOON_DAYS = 3
# NDRC order No. 58 (2023): penalty publicity lasts 3 months … 3 years after the decision. These are the envelope; the
# period of each penalty comes from the rule table (publicity.PublicityPeriodRule, kept by the system admin) and
# defaults to the minimum its rule allows.
PUBLICITY_PENALTY_MIN_MONTHS = 3
PUBLICITY_PENALTY_MAX_MONTHS = 36
# Whether the public column finds natural persons' entries by name alone. Off (default): only by the decision number,
# or by the full name together with the last four characters of the masked ID or the decision number.
PUBLICITY_NAME_SEARCH_NATURAL_PERSONS = env.bool("PUBLICITY_NAME_SEARCH_NATURAL_PERSONS", default=False)
PUBLICITY_PAGE_SIZE = 20
# Public institutional numbers (the bureau's published hotline, offices' public lines) the column shows unmasked
# wherever quoted; any other ID, mobile or landline number in public text is masked. Compared by digits, so any
# spelling of a listed number stays as typed. Comma-separated in the environment, e.g. "0791-86123456,12345".
PUBLIC_INSTITUTION_NUMBERS: list[str] = env.list("PUBLIC_INSTITUTION_NUMBERS", default=[])
# Objections and repair applications filed per client address, and by everybody together, in each window (seconds).
# Up to the limit a visitor simply files; beyond it each filing needs a solved challenge (a question in Chinese on the
# form); at the ceiling the form answers 429 and saves nothing. Counted in the cache (Redis in production).
PUBLICITY_REQUEST_LIMIT_PER_ADDRESS = env.int("PUBLICITY_REQUEST_LIMIT_PER_ADDRESS", default=5)
PUBLICITY_REQUEST_CEILING_PER_ADDRESS = env.int("PUBLICITY_REQUEST_CEILING_PER_ADDRESS", default=20)
PUBLICITY_REQUEST_LIMIT_GLOBAL = env.int("PUBLICITY_REQUEST_LIMIT_GLOBAL", default=200)
PUBLICITY_REQUEST_CEILING_GLOBAL = env.int("PUBLICITY_REQUEST_CEILING_GLOBAL", default=1000)
PUBLICITY_REQUEST_WINDOW_SECONDS = env.int("PUBLICITY_REQUEST_WINDOW_SECONDS", default=3600)
# How long a challenge question may be answered (seconds); each one is good for one try.
PUBLICITY_CHALLENGE_MAX_AGE_SECONDS = env.int("PUBLICITY_CHALLENGE_MAX_AGE_SECONDS", default=1800)
# Open (not yet decided) objections and repairs at once: per contact (phone digits or e-mail, normalised) and per
# public entry. Each opens a ten-working-day case, so one contact or a campaign cannot fill the reviewers' queue.
PUBLICITY_OPEN_REQUESTS_PER_CONTACT = env.int("PUBLICITY_OPEN_REQUESTS_PER_CONTACT", default=3)
PUBLICITY_OPEN_REQUESTS_PER_ENTRY = env.int("PUBLICITY_OPEN_REQUESTS_PER_ENTRY", default=20)
# Evidence bytes the column accepts from visitors per calendar day (Beijing time), all filings together.
PUBLICITY_EVIDENCE_DAILY_QUOTA_BYTES = env.int("PUBLICITY_EVIDENCE_DAILY_QUOTA_BYTES", default=500 * 1024 * 1024)
# The column's footer identifiers, required of government websites (政府网站发展指引): 网站标识码, ICP备案号 and
# 公安机关互联网站安全管理服务平台备案号 (with the number its link looks up). Shown in the footer when set.
PUBLICITY_SITE_CODE = env("PUBLICITY_SITE_CODE", default="")
PUBLICITY_ICP_NUMBER = env("PUBLICITY_ICP_NUMBER", default="")
PUBLICITY_PSB_NUMBER = env("PUBLICITY_PSB_NUMBER", default="")
# The public statistics page (/statistics/) offers the years from this one to the current year (Beijing time): the
# year the bureau's credit column began (洪教办字〔2018〕13号).
PUBLICITY_STATISTICS_FIRST_YEAR = env.int("PUBLICITY_STATISTICS_FIRST_YEAR", default=2018)
# Anonymous public pages (home, lists, search, details, open-data JSON, feeds) are kept in the cache this long at most
# (seconds); every change to the column's data replaces the versions they are keyed by at once (publicity.pagecache),
# so this only bounds what nothing announces. 0 turns the page cache off.
PUBLICITY_PAGE_CACHE_SECONDS = env.int("PUBLICITY_PAGE_CACHE_SECONDS", default=300)
# The full open-data CSVs are files written by a Celery task (publicity.opendata_files) after a change, at most once
# per this many seconds per list, and every night; downloads are served from the last file meanwhile.
PUBLICITY_OPEN_DATA_DEBOUNCE_SECONDS = env.int("PUBLICITY_OPEN_DATA_DEBOUNCE_SECONDS", default=60)
# Where those files are kept (public, already-masked data; the web and worker containers share it like media).
PUBLICITY_OPEN_DATA_DIR = env("PUBLICITY_OPEN_DATA_DIR", default="")
# When the reverse proxy serves that directory as an internal location (nginx ``internal;`` alias), its URL prefix:
# the response is then an X-Accel-Redirect and no Python worker streams the file. Empty: Django streams the file.
PUBLICITY_OPEN_DATA_ACCEL_PREFIX = env("PUBLICITY_OPEN_DATA_ACCEL_PREFIX", default="")
# Bytes a second each download of those files is sent at, after its first MiB (core/downloads.py; also given to the
# proxy as X-Accel-Limit-Rate): 4 MiB/s, a 45 MB list in about 11 s, and four visitors downloading at once take
# 134 Mbit/s of the line and almost none of the cores that serve pages. 0: as fast as the client reads.
PUBLICITY_OPEN_DATA_RATE = env.int("PUBLICITY_OPEN_DATA_RATE", default=4 * 1024 * 1024)
# Anonymous open-data CSV downloads per client address in each window (seconds); beyond it 429 with Retry-After.
PUBLICITY_CSV_DOWNLOADS_PER_ADDRESS = env.int("PUBLICITY_CSV_DOWNLOADS_PER_ADDRESS", default=10)
PUBLICITY_CSV_DOWNLOAD_WINDOW_SECONDS = env.int("PUBLICITY_CSV_DOWNLOAD_WINDOW_SECONDS", default=600)
# A CSV of search results (``?q=``) is built while the visitor waits, so it stops at this many rows.
PUBLICITY_CSV_SEARCH_MAX_ROWS = env.int("PUBLICITY_CSV_SEARCH_MAX_ROWS", default=5000)
