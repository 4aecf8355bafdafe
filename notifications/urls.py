"""Calendar feeds: the public feed at a secret address (no sign-in:
notifications/feeds.py) and the pages that create, show and revoke those addresses
(notifications/feed_views.py)."""

from django.urls import path

from notifications import feed_views, feeds

app_name = "notifications"

urlpatterns = [
    path("calendar/<int:pk>/<str:token>.ics", feeds.calendar_feed, name="calendar_feed"),
    path("orgs/<int:pk>/calendar/", feed_views.cell_calendar, name="cell_calendar"),
    path("orgs/<int:pk>/calendar/cells/", feed_views.subtree_calendar, name="subtree_calendar"),
    path("my-calendar/", feed_views.my_calendar, name="my_calendar"),
    path("calendar-feeds/<int:pk>/revoke/", feed_views.feed_revoke, name="feed_revoke"),
]
