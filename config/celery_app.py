import os

from celery import Celery
from celery.signals import worker_process_init

from workflow.search.words import preload  # jieba itself is imported when preload runs

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("disclosure")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def preload_search_words(**kwargs):
    """jieba's dictionary loads when a worker process starts, not in the first task that cuts
    words (publication and the search both use it)."""
    preload()
