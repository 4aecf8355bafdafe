"""The WSGI entry point for gunicorn (production settings by default)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cellmeet.settings.prod")
application = get_wsgi_application()
