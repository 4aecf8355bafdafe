"""The minutes core's URLs: meetings, the recording page, decisions, thematic plans."""

from django.urls import path

from meetings import decision_views, list_views, plans, views

app_name = "meetings"

urlpatterns = [
    path("meetings/", list_views.meeting_list, name="list"),
    path("orgs/<int:pk>/meetings/new/", views.meeting_plan, name="plan"),
    path("orgs/<int:pk>/year/<year:year>/", list_views.cell_year, name="cell_year"),
    path("meetings/<int:pk>/", views.meeting_detail, name="detail"),
    path("meetings/<int:pk>/plan/", views.meeting_plan_edit, name="plan_edit"),
    path("meetings/<int:pk>/start/", views.meeting_start, name="start"),
    path("meetings/<int:pk>/record/", views.meeting_record, name="record"),
    path(
        "meetings/<int:pk>/record/<slug:step>/",
        views.meeting_record_step,
        name="record_step",
    ),
    path("meetings/<int:pk>/offline-sync/", views.meeting_offline_sync, name="offline_sync"),
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
    path("members/<int:pk>/record/<year:year>/", list_views.member_record, name="member_record"),
    path("orgs/<int:pk>/thematic-plan/<year:year>/", plans.thematic_plan, name="thematic_plan"),
    path(
        "orgs/<int:pk>/thematic-plan/<year:year>/file/",
        plans.thematic_plan_file,
        name="thematic_plan_file",
    ),
]

# The superior's decision on what adopted decisions propose (meetings/decision_views.py).
urlpatterns += decision_views.urlpatterns
