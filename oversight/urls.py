"""The superiors' pages: review queue and verdicts, compliance board, guidance,
thematic plans overview, delegates, statistics, search."""

from django.urls import path

from oversight import (
    board,
    books,
    delegates,
    guidance,
    heads,
    plans,
    review,
    schedule,
    search,
    statistics,
)

app_name = "oversight"

urlpatterns = [
    # review
    path("review/", review.review_queue, name="review_queue"),
    path("meetings/<int:pk>/accept/", review.meeting_accept, name="accept"),
    path("meetings/<int:pk>/return/", review.meeting_return, name="return"),
    path("meetings/<int:pk>/score/", review.meeting_score, name="score"),
    # countersigned chain heads
    path("orgs/<int:pk>/chain-heads/", heads.tree_heads, name="tree_heads"),
    # board
    path("orgs/<int:pk>/board/<year:year>/", board.board, name="board"),
    # guidance
    path("orgs/<int:pk>/guidance/", guidance.guidance_list, name="guidance_list"),
    path("orgs/<int:pk>/guidance/new/", guidance.guidance_create, name="guidance_create"),
    path("guidance/<int:pk>/", guidance.guidance_detail, name="guidance_detail"),
    path("guidance/<int:pk>/edit/", guidance.guidance_edit, name="guidance_edit"),
    path("guidance/<int:pk>/publish/", guidance.guidance_publish, name="guidance_publish"),
    path("guidance/documents/<int:pk>/", guidance.guidance_document, name="guidance_document"),
    # plans
    path(
        "orgs/<int:pk>/thematic-plans/<year:year>/",
        plans.thematic_plans_overview,
        name="thematic_plans_overview",
    ),
    # delegates
    path("orgs/<int:pk>/delegates/", delegates.delegate_list, name="delegates"),
    path("orgs/<int:pk>/delegates/visits/", delegates.delegate_visits, name="delegate_visits"),
    path("delegates/<int:pk>/end/", delegates.delegate_end, name="delegate_end"),
    # statistics
    path("orgs/<int:pk>/statistics/<year:year>/", statistics.statistics_page, name="statistics"),
    path(
        "orgs/<int:pk>/statistics/<year:year>.xlsx",
        statistics.statistics_xlsx,
        name="statistics_xlsx",
    ),
    path(
        "orgs/<int:pk>/statistics/<year:year>.pdf",
        statistics.statistics_report_pdf,
        name="statistics_pdf",
    ),
    # a committee's year of minutes books, as one zip (oversight/books.py)
    path("orgs/<int:pk>/minutes-books/<year:year>/", books.committee_books, name="committee_books"),
    path(
        "orgs/<int:pk>/minutes-books/<year:year>.zip",
        books.committee_books_download,
        name="committee_books_download",
    ),
    # search
    path("search/", search.search, name="search"),
]

# Schedule registration (oversight/schedule.py).
urlpatterns += [
    path(
        "orgs/<int:pk>/schedule/<year:year>/<int:month>/",
        schedule.schedule_month,
        name="schedule_month",
    ),
    path(
        "orgs/<int:pk>/schedule/<year:year>/<int:month>/register/",
        schedule.schedule_register,
        name="schedule_register",
    ),
]
