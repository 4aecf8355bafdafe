"""The root URLconf: every app's URLs, the sign-in pages and the admin."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from cellmeet import help as help_pages
from cellmeet import kept, offline, redirects
from members import views as member_views

admin.site.site_header = _("cellmeet administration")
admin.site.site_title = _("cellmeet")

urlpatterns = [
    path("", member_views.home, name="home"),
    # At the root, so that the service worker may control every page (issue 24).
    path("sw.js", offline.service_worker, name="service_worker"),
    path("manifest.webmanifest", offline.manifest, name="web_manifest"),
    path(
        "accounts/login/",
        redirects.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", redirects.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("help/", include((help_pages.urlpatterns, help_pages.app_name))),
    path("kept/<str:token>/discard/", kept.discard, name="kept_discard"),
    path("i18n/setlang/", redirects.set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("", include("members.urls")),
    path("", include("meetings.urls")),
    path("", include("printing.urls")),
    path("", include("oversight.urls")),
    path("", include("rating.urls")),
    path("", include("resolutions.urls")),
    path("", include("dues.urls")),
    path("", include("notifications.urls")),
]
