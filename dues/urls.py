from django.urls import path

from dues import views

app_name = "dues"

MONTH = "<year:year>/<int:month>/"

urlpatterns = [
    path("dues/mine/", views.my_dues, name="mine"),
    path("dues/cells/<int:pk>/reliefs/", views.reliefs, name="reliefs"),
    path(f"dues/cells/<int:pk>/{MONTH}", views.ledger, name="ledger"),
    path(f"dues/cells/<int:pk>/{MONTH}report.pdf", views.report_pdf, name="report_pdf"),
    path(f"dues/cells/<int:pk>/{MONTH}report.xlsx", views.report_xlsx, name="report_xlsx"),
    path(f"dues/cells/<int:pk>/{MONTH}import/", views.import_upload, name="import_upload"),
    path(f"dues/cells/<int:pk>/{MONTH}import/check/", views.import_preview, name="import_preview"),
    path(f"dues/cells/<int:pk>/{MONTH}import/cancel/", views.import_cancel, name="import_cancel"),
    path("dues/meetings/<int:pk>/fill-minutes/", views.fill_minutes, name="fill_minutes"),
    path(f"dues/organizations/<int:pk>/{MONTH}", views.rollup, name="rollup"),
]
