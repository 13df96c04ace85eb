"""Gunicorn settings of the web container (``gunicorn -c config/gunicorn.conf.py config.wsgi:application``).

Which peer may say what the client's scheme was: only the reverse proxies in ``FORWARDED_ALLOW_IPS`` (comma-separated
addresses or CIDR networks; default 127.0.0.1, the proxy on the same host). Gunicorn sets ``wsgi.url_scheme`` to https
from their ``X-Forwarded-Proto`` only, and Django reads the scheme from there (production settings set no
``SECURE_PROXY_SSL_HEADER``, which would believe the header from anyone who reaches gunicorn). The client's address in
the audit log and the lockout comes from ``REMOTE_ADDR`` and, from ``AUDIT_TRUSTED_PROXIES`` only, ``X-Forwarded-For``
(``audit.services.client_ip``).
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
# ``gthread`` with GUNICORN_THREADS > 1: a long response (an open-data CSV to a slow client, when the proxy does not
# send it by X-Accel-Redirect: PUBLICITY_OPEN_DATA_ACCEL_PREFIX) holds one thread, not a whole worker.
# The default: under wrk at 1M records (bench/RESULTS_scale.md) 4 sync workers left the public list and the
# 2-character search at 0.40 and 0.30 of a trivial view's requests/s (each worker idle while Redis answers);
# 4 gthread workers × 4 threads reached 0.67 and 0.87.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
accesslog = "-"

forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# The one header the proxy sets for the scheme; gunicorn's default also believes X-Forwarded-Protocol/-Ssl.
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}
# No SCRIPT_NAME or PATH_INFO from any peer (gunicorn's default takes them from the trusted ones), and headers with
# an underscore, which would map onto the same WSGI key as their dashed twin (X_Forwarded_For), are dropped.
forwarder_headers = ""
header_map = "drop"
# No "Server: gunicorn" version banner is configurable here; the proxy replaces the header.
