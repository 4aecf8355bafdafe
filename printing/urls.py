"""Printing's URLs: a meeting's PDFs, the verify page, the minutes book, the national
app's package and marks."""

from django.urls import path

from printing import views

app_name = "printing"

urlpatterns = [
    path("meetings/<int:pk>/minutes.pdf", views.meeting_minutes_pdf, name="minutes_pdf"),
    path("meetings/<int:pk>/resolution.pdf", views.meeting_resolution_pdf, name="resolution_pdf"),
    path(
        "meetings/<int:pk>/attendance-sheet.pdf",
        views.meeting_attendance_sheet,
        name="attendance_sheet",
    ),
    path(
        "meetings/<int:pk>/national-app.zip",
        views.national_app_package,
        name="national_app_package",
    ),
    path(
        "meetings/<int:pk>/national-app/<str:stage>/mark/",
        views.national_app_mark,
        name="national_app_mark",
    ),
    path("verify/", views.verify, name="verify_form"),
    path("verify/<str:fingerprint>/", views.verify, name="verify"),
    path("cells/<int:pk>/minutes-book/<year:year>.pdf", views.minutes_book, name="minutes_book"),
    path("minutes-books/<int:pk>/", views.minutes_book_status, name="minutes_book_status"),
    path(
        "minutes-books/<int:pk>/book.pdf",
        views.minutes_book_download,
        name="minutes_book_download",
    ),
]
