"""The installable web app (issue 24): the service worker at the site's root, so that
it may keep the recording pages of every meeting for offline use, and the manifest.

The worker is a small hand-written file (static/js/offline-sw.js) served from a view:
a static file under /static/ could only control /static/. No build step, nothing
third-party; the README ("Recording offline") says why.
"""

import functools
import json

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from cellmeet.middleware import PRIVATE_CACHE_CONTROL

WORKER = "js/offline-sw.js"


@functools.cache
def _worker_source():
    found = finders.find(WORKER)
    if found:
        with open(found, encoding="utf-8") as source:
            return source.read()
    with staticfiles_storage.open(WORKER) as source:
        return source.read().decode()


@require_safe
def service_worker(request):
    response = HttpResponse(_worker_source(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    # Never kept by an HTTP cache: a new version reaches the browsers at once.
    response["Cache-Control"] = PRIVATE_CACHE_CONTROL
    return response


@require_safe
def manifest(request):
    icon = static("img/cellmeet-icon.svg")
    content = {
        "name": _("cellmeet — Party cell meetings and minutes"),
        "short_name": "cellmeet",
        "lang": "vi",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#b71c1c",
        "icons": [{"src": icon, "sizes": "any", "type": "image/svg+xml", "purpose": "any"}],
    }
    response = HttpResponse(
        json.dumps(content, ensure_ascii=False), content_type="application/manifest+json"
    )
    response["Cache-Control"] = PRIVATE_CACHE_CONTROL
    return response
