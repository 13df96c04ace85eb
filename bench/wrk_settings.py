"""Settings of the gunicorn that ``bench/bench_wrk.py`` starts: production's, plus a trivial view beside the site."""

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "wrk_urls"
