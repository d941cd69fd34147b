import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_wsgi_application()

# jieba's dictionary loads now, when the web process starts (gunicorn's workers, runserver), not
# on a visitor's first search (about half a second: bench/catalogue.py).
from workflow.search import preload  # noqa: E402

preload()
