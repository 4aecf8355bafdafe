from django.urls import path

from rating import views

app_name = "rating"

urlpatterns = [
    path("orgs/<int:pk>/rating/", views.cell_rounds, name="cell_rounds"),
    path("orgs/<int:pk>/rating/open/", views.round_open, name="round_open"),
    path("rating/<int:pk>/", views.round_detail, name="round"),
    path("rating/<int:pk>/refresh/", views.round_refresh, name="round_refresh"),
    path("rating/<int:pk>/review/", views.cell_review, name="cell_review"),
    path("rating/<int:pk>/decide/", views.round_decide, name="round_decide"),
    path("rating/<int:pk>/list.pdf", views.list_pdf, name="list_pdf"),
    path(
        "rating/<int:pk>/mau-01.pdf", views.organization_report_pdf, name="organization_report_pdf"
    ),
    path("rating/<int:pk>/list.xlsx", views.list_xlsx, name="list_xlsx"),
    path("assessments/mine/", views.my_assessments, name="mine"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment"),
    path("assessments/<int:pk>/mau-2c.pdf", views.assessment_pdf, name="assessment_pdf"),
]
