"""Celery. The broker, the result backend and in-process execution follow REDIS_URL, in base.py next to the cache."""

from config.env import env

CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The queue the web nodes send to and the workers take from: deployments (or test runs) sharing one Redis keep their
# tasks apart by naming their own.
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", default="celery")
