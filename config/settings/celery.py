"""Celery: Redis broker when REDIS_URL is set, otherwise tasks run in-process (the embedded default)."""

from config.env import env

_redis = env("REDIS_URL", default="")

CELERY_BROKER_URL = _redis or "memory://"
CELERY_RESULT_BACKEND = _redis or None
CELERY_TASK_ALWAYS_EAGER = not _redis
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
