# The portal's image for docker-compose.yml: web (gunicorn), worker and beat (Celery) all run it.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    # Import the apps from /app (templates, static and fixtures live beside them), not from site-packages.
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=config.settings.production

RUN groupadd --system --gid 10001 credit \
    && useradd --system --uid 10001 --gid credit --home-dir /app --shell /usr/sbin/nologin credit

# The CJK TrueType font the 信用报告 PDF embeds (CREDIT_REPORT_FONT, vetting.services.reports).
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-wqy-zenhei \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Only what the portal runs on: no .env, .venv, db.sqlite3 or .git in the image.
COPY pyproject.toml requirements-prod.lock manage.py ./
COPY config ./config
COPY core ./core
COPY accounts ./accounts
COPY credit ./credit
COPY reporting ./reporting
COPY publicity ./publicity
COPY oversight ./oversight
COPY vetting ./vetting
COPY audit ./audit
COPY demo ./demo
COPY templates ./templates
COPY static ./static
COPY fixtures ./fixtures

# Exact versions with their sha256 hashes (make lock); the project itself adds no unpinned dependency (--no-deps).
RUN pip install --require-hashes --no-deps -r requirements-prod.lock \
    && pip install --no-deps --no-build-isolation . \
    && mkdir -p /app/var/static /app/var/media \
    && chown -R credit:credit /app/var

USER credit

EXPOSE 8000

CMD ["gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi:application"]
