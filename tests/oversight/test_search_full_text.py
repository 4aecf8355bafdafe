"""Search at province scale (issue 13): PostgreSQL's full-text search with the
`cellmeet_vi` configuration (simple + unaccent), ranked; a bounded count everywhere."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings import services
from meetings.models import Meeting, MeetingStatus
from oversight import search
from tests.helpers import at

SEARCH_URL = reverse("oversight:search")
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search is PostgreSQL's"
)


def minutes(cell, day, **texts):
    meeting = Meeting.objects.create(
        organization=cell,
        kind="extraordinary",
        topic="Sinh hoạt bất thường",
        scheduled_at=at(2026, 3, day),
        status=MeetingStatus.DRAFT,
        **texts,
    )
    services.refresh_search_text(meeting)
    return meeting


def found(client, text, **params):
    response = client.get(SEARCH_URL, {"q": text, **params})
    assert response.status_code == 200
    return response, [result.meeting for result in response.context["results"]]


@on_postgresql
@pytest.mark.django_db
def test_the_configuration_ignores_accents_and_keeps_vietnamese_syllables():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT to_tsvector('cellmeet_vi', 'Đảng ủy xã: Nông thôn mới, NÔNG SẢN'),"
            " to_tsvector('cellmeet_vi', 'Nông thôn mới')"
            " @@ to_tsquery('cellmeet_vi', 'nong & thon & moi')"
        )
        vector, matches = cursor.fetchone()
    assert matches is True
    # No stemming, no stop words: every syllable, without its accents, lower case.
    for lexeme in ["'dang'", "'uy'", "'xa'", "'nong':1", "'thon'", "'moi'", "'san'"]:
        assert lexeme.split(":")[0] in vector


@on_postgresql
@pytest.mark.django_db
def test_the_stored_vector_follows_the_text_and_its_index_serves_the_search(world):
    meeting = minutes(world.cell, 5, conclusion="Xây dựng nông thôn mới.")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_vector::text FROM meetings_meeting WHERE id = %s", [meeting.pk]
        )
        assert "'nong'" in cursor.fetchone()[0]
        Meeting.objects.filter(pk=meeting.pk).update(search_text="chuyen de hoc tap")
        cursor.execute(
            "SELECT search_vector::text FROM meetings_meeting WHERE id = %s", [meeting.pk]
        )
        assert "'nong'" not in cursor.fetchone()[0]
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'meetings_meeting_search_fts'"
        )
        assert "gin (search_vector)" in cursor.fetchone()[0]
        cursor.execute("SET enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM meetings_meeting"
            " WHERE search_vector @@ to_tsquery('cellmeet_vi', 'nong:*')"
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "meetings_meeting_search_fts" in plan


@on_postgresql
def test_accentless_words_find_accented_minutes_best_ranked_first(world, login):
    scattered = minutes(
        world.cell,
        20,  # the newest
        news_briefing="Nông dân thu hoạch lúa.",
        state_of_mind="Bà con thôn Đông phấn khởi.",
        conclusion="Năm mới nhiều việc.",
    )
    close = minutes(
        world.cell,
        5,
        conclusion="Xây dựng nông thôn mới: nông thôn mới là nhiệm vụ trọng tâm.",
    )
    minutes(world.cell, 6, conclusion="Chỉ có nông sản.")  # not every word
    _response, meetings = found(login(world.secretary), "nong thon moi")
    assert meetings == [close, scattered]
    _response, meetings = found(login(world.secretary), "Nông Thôn Mới")
    assert meetings == [close, scattered]
    # A word is a prefix of a word of the minutes, as before: "thon" finds "thôn".
    assert found(login(world.secretary), "nong tho")[1] == [close, scattered]


def test_the_count_is_bounded_and_the_page_says_more_than(world, login, monkeypatch):
    monkeypatch.setattr(search, "MAXIMUM_RESULTS", 3)
    for day in range(1, 7):
        minutes(world.cell, day, conclusion=f"Nông thôn mới, lần {day}.")
    client = login(world.secretary)
    client.cookies.load({"django_language": "vi"})
    with CaptureQueriesContext(connection) as queries:
        response, meetings = found(client, "nong thon moi")
    assert len(meetings) == 4  # the newest 3 + 1, which says there are more
    assert response.context["page"].paginator.count == 4
    assert response.context["more_than"] == 3
    assert "Tìm thấy hơn 3 biên bản" in response.content.decode()
    matching = [query for query in queries if "LIKE" in query["sql"] or "@@" in query["sql"]]
    assert len(matching) == 1  # one query finds, counts and ranks
    minutes(world.cell, 10, conclusion="Chuyên đề đặc biệt.")
    few, meetings = found(client, "dac biet")
    assert len(meetings) == 1
    assert few.context["more_than"] is None
