"""The URLs of the organisation, member and member-import pages."""

from django.urls import path

from members import import_views, views

app_name = "members"

urlpatterns = [
    path("orgs/", views.organization_list, name="organization_list"),
    path("orgs/<int:pk>/", views.organization_detail, name="organization_detail"),
    path("orgs/<int:pk>/edit/", views.organization_edit, name="organization_edit"),
    path("orgs/<int:parent_pk>/new/", views.organization_create, name="organization_create"),
    path("orgs/<int:pk>/members/", views.member_list, name="member_list"),
    path("orgs/<int:pk>/members/new/", views.member_create, name="member_create"),
    path("orgs/<int:pk>/members/import/", import_views.import_upload, name="member_import"),
    path(
        "orgs/<int:pk>/members/import/confirm/",
        import_views.import_confirm,
        name="member_import_confirm",
    ),
    path(
        "orgs/<int:pk>/members/import/template.xlsx",
        import_views.import_template,
        name="member_import_template",
    ),
    path("members/<int:pk>/", views.member_detail, name="member_detail"),
    path("members/<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("members/<int:pk>/transfer/", views.member_transfer, name="member_transfer"),
    path("members/<int:pk>/positions/new/", views.position_create, name="position_create"),
    path(
        "members/<int:pk>/positions/<int:position_pk>/end/",
        views.position_end,
        name="position_end",
    ),
]
