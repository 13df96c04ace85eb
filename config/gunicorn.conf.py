"""Gunicorn settings of the web container (``gunicorn -c config/gunicorn.conf.py config.wsgi:application``).

Which peer may say what the client's scheme was: only the reverse proxies in ``FORWARDED_ALLOW_IPS`` (comma-separated
addresses or CIDR networks; default 127.0.0.1, the proxy on the same host). Gunicorn sets ``wsgi.url_scheme`` to https
from their ``X-Forwarded-Proto`` only, and Django reads the scheme from there (production settings set no
``SECURE_PROXY_SSL_HEADER``, which would believe the header from anyone who reaches gunicorn). The client's address in
the audit log and the lockout comes from ``REMOTE_ADDR`` and, from ``AUDIT_TRUSTED_PROXIES`` only, ``X-Forwarded-For``
(``audit.services.client_ip``).
"""

import os
from pathlib import Path

import environ

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")


class _SettingsEnvironment(environ.Env):
    """The environment the Django settings will read (``config/env.py``: the process's, then the project's ``.env``),
    read here into a copy: the master imports nothing of the project (the image's installed copy would shadow /app)."""

    ENVIRON = dict(os.environ)


_SettingsEnvironment.read_env(Path(__file__).resolve().parent.parent / ".env", overwrite=False)
# The cache is shared between processes only in Redis (REDIS_URL; config/settings/base.py). Without it (the embedded
# default, ``make demo``) each process has a local-memory cache of its own, and a second process went on serving the
# public pages it had cached before a withdrawal or a correction made through the first (the invalidation reaches
# only the cache of the process that made the change), and counted the per-address limits apart (twice the limit).
# So: one process, its threads sharing one cache; ``nworkers_changed`` below holds it at one whatever asks for more.
SHARED_CACHE = bool(_SettingsEnvironment.ENVIRON.get("REDIS_URL"))
workers = int(os.environ.get("GUNICORN_WORKERS", "3" if SHARED_CACHE else "1"))
# ``gthread`` with GUNICORN_THREADS > 1: a long response (an open-data CSV to a slow client, when the proxy does not
# send it by X-Accel-Redirect: PUBLICITY_OPEN_DATA_ACCEL_PREFIX) holds one thread, not a whole worker.
# The default: under wrk at 1M records (bench/RESULTS_scale.md) 4 sync workers left the public list and the
# 2-character search at 0.40 and 0.30 of a trivial view's requests/s (each worker idle while Redis answers);
# 4 gthread workers × 4 threads reached 0.67 and 0.87.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
# One process without Redis: twice the threads, the concurrency of the two processes the demo ran before.
threads = int(os.environ.get("GUNICORN_THREADS", "4" if SHARED_CACHE else "8"))
accesslog = "-"

forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# The one header the proxy sets for the scheme; gunicorn's default also believes X-Forwarded-Protocol/-Ssl.
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}
# No SCRIPT_NAME or PATH_INFO from any peer (gunicorn's default takes them from the trusted ones), and headers with
# an underscore, which would map onto the same WSGI key as their dashed twin (X_Forwarded_For), are dropped.
forwarder_headers = ""
header_map = "drop"
# The longest request line gunicorn takes (its default, 4094 bytes, answered a search for a pasted paragraph, some 450
# Chinese characters percent-encoded, with its own English "Request Line is too large" page; the portal searches by
# the first 100 characters and says so, publicity.selectors.MAX_TERM). 8190 is gunicorn's largest bounded value; the
# search boxes take at most 100 characters (maxlength) besides.
limit_request_line = 8190
# No "Server: gunicorn" version banner is configurable here; the proxy replaces the header.


def nworkers_changed(server, new_value: int, old_value: int | None) -> None:
    """Without a shared cache, one worker process: ``--workers``, ``GUNICORN_WORKERS`` or a TTIN signal asking for
    more are refused with a warning (a second process would serve what the first has withdrawn: ``SHARED_CACHE``)."""
    if not SHARED_CACHE and new_value > 1:
        server.log.warning(
            "%d worker processes asked for, one started: without REDIS_URL each process would keep a cache of its own "
            "(public pages, request limits); raise GUNICORN_THREADS instead",
            new_value,
        )
        server.num_workers = 1
