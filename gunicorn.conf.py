"""gunicorn's configuration for cellmeet (README, "Deploying"): `gunicorn -c gunicorn.conf.py`.

Every value can be set from the environment of the service."""

import multiprocessing
import os

wsgi_app = "cellmeet.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Workers render PDFs (a few hundred MB at worst each): two per core is the usual start.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
# WeasyPrint's caches grow a worker's memory with every PDF it renders: replace each
# worker after this many requests, the jitter keeping them from all restarting at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "500"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "50"))
# A printout of long minutes can take several seconds; minutes books are background jobs.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
# The TLS proxy in front sets X-Forwarded-Proto; trust it only from these addresses.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
