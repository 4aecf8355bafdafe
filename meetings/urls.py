"""The minutes core's URLs: meetings, the recording page, printing, verification."""

from django.urls import path

from meetings import books, decision_views, feed_views, plans, views

app_name = "meetings"

urlpatterns = [
    path("meetings/", views.meeting_list, name="list"),
    path("orgs/<int:pk>/meetings/new/", views.meeting_plan, name="plan"),
    path("orgs/<int:pk>/year/<year:year>/", views.cell_year, name="cell_year"),
    path("meetings/<int:pk>/", views.meeting_detail, name="detail"),
    path("meetings/<int:pk>/plan/", views.meeting_plan_edit, name="plan_edit"),
    path("meetings/<int:pk>/start/", views.meeting_start, name="start"),
    path("meetings/<int:pk>/record/", views.meeting_record, name="record"),
    path(
        "meetings/<int:pk>/record/<slug:step>/",
        views.meeting_record_step,
        name="record_step",
    ),
    path("meetings/<int:pk>/finalize/", views.meeting_finalize, name="finalize"),
    path(
        "meetings/<int:pk>/copy-from-committee/<int:committee_pk>/",
        views.meeting_copy_from_committee,
        name="copy_from_committee",
    ),
    path("meetings/<int:pk>/reopen/", views.meeting_reopen, name="reopen"),
    path("meetings/<int:pk>/sign/", views.meeting_sign, name="sign"),
    path("meetings/<int:pk>/correct/", views.meeting_correct, name="correct"),
    path("meetings/<int:pk>/lead-report/", views.meeting_lead_report, name="lead_report"),
    path("meetings/<int:pk>/minutes.pdf", views.meeting_minutes_pdf, name="minutes_pdf"),
    path("meetings/<int:pk>/resolution.pdf", views.meeting_resolution_pdf, name="resolution_pdf"),
    path(
        "meetings/<int:pk>/attendance-sheet.pdf",
        views.meeting_attendance_sheet,
        name="attendance_sheet",
    ),
    path("members/<int:pk>/record/<year:year>/", views.member_record, name="member_record"),
    path("orgs/<int:pk>/thematic-plan/<year:year>/", plans.thematic_plan, name="thematic_plan"),
    path(
        "orgs/<int:pk>/thematic-plan/<year:year>/file/",
        plans.thematic_plan_file,
        name="thematic_plan_file",
    ),
    path("verify/", views.verify, name="verify_form"),
    path("verify/<str:fingerprint>/", views.verify, name="verify"),
]

# The year's minutes book, printed by a background job (meetings/books.py).
urlpatterns += books.urlpatterns

# The superior's decision on what adopted decisions propose (meetings/decision_views.py).
urlpatterns += decision_views.urlpatterns

# Calendar feeds' secret addresses: created, shown, revoked (meetings/feed_views.py).
urlpatterns += [
    path("orgs/<int:pk>/calendar/", feed_views.cell_calendar, name="cell_calendar"),
    path("my-calendar/", feed_views.my_calendar, name="my_calendar"),
    path("calendar-feeds/<int:pk>/revoke/", feed_views.feed_revoke, name="feed_revoke"),
]
