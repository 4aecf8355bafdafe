"""The public calendar feed (a secret address, no sign-in: notifications/feeds.py)."""

from django.urls import path

from notifications import feeds

app_name = "notifications"

urlpatterns = [
    path("calendar/<int:pk>/<str:token>.ics", feeds.calendar_feed, name="calendar_feed"),
]
