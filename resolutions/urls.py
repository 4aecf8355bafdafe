"""The task board and a member's own tasks."""

from django.urls import path

from resolutions import views

app_name = "resolutions"

urlpatterns = [
    path("orgs/<int:pk>/tasks/", views.task_board, name="task_board"),
    path("tasks/mine/", views.my_tasks, name="my_tasks"),
]
