"""The Celery application. Without REDIS_URL tasks run in-process (see settings/celery.py)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("nc_edu_credit")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
