"""Search across minutes: accents do not matter, every word must be there, and nobody
finds minutes outside their subtree. Runs on SQLite and on PostgreSQL (DATABASE_URL)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings import services
from meetings.models import Guest, Meeting, MeetingStatus, Speech
from oversight import search
from tests.helpers import at

SEARCH_URL = reverse("oversight:search")


def minutes(cell, day, **texts):
    return Meeting.objects.create(
        organization=cell,
        kind="extraordinary",
        topic="Sinh hoạt bất thường",
        scheduled_at=at(2026, 3, day),
        status=MeetingStatus.DRAFT,
        **texts,
    )


def indexed(meeting, status=None):
    """The folded text kept up to date, as saving the minutes does."""
    services.refresh_search_text(meeting)
    if status:
        Meeting.objects.filter(pk=meeting.pk).update(status=status)
    meeting.refresh_from_db()
    return meeting


@pytest.fixture
def library(world):
    cell = indexed(
        minutes(
            world.cell,
            5,
            news_briefing="Kết quả xây dựng Nông thôn mới của xã năm 2026.",
            conclusion="Đảng ủy xã giao chi bộ vận động bà con hiến đất làm đường.",
        )
    )
    Speech.objects.create(meeting=cell, guest_name="Khách", summary="Ý kiến về <đường> liên thôn")
    indexed(cell)
    cell_guest = minutes(world.cell, 6)
    Guest.objects.create(meeting=cell_guest, name="Phạm Minh Tuấn", unit="Đảng ủy xã Yên Hòa")
    indexed(cell_guest, status=MeetingStatus.SIGNED)
    sibling = indexed(minutes(world.sibling_cell, 7, state_of_mind="Bàn về nông thôn mới."))
    far = indexed(minutes(world.far_cell, 8, next_tasks="Tiếp tục xây dựng nông thôn mới."))
    returned = indexed(minutes(world.cell, 9, agenda="Bản cũ: nông thôn mới, bị trả lại."))
    Meeting.objects.filter(pk=returned.pk).update(status=MeetingStatus.SUPERSEDED, is_current=False)
    return {
        "cell": cell,
        "cell_guest": cell_guest,
        "sibling": sibling,
        "far": far,
        "returned": returned,
    }


def found(client, text, **params):
    response = client.get(SEARCH_URL, {"q": text, **params})
    assert response.status_code == 200
    return response, [result.meeting for result in response.context["results"]]


@pytest.mark.parametrize(
    "text", ["nong thon moi", "nông thôn mới", "NÔNG THÔN MỚI", "Nong Thon  Moi", "thôn moi"]
)
def test_accents_and_case_do_not_matter(world, login, library, text):
    _response, meetings = found(login(world.secretary), text)
    assert meetings == [library["cell"]]


def test_dang_uy_finds_dang_uy_with_its_accents_and_the_d_with_a_stroke(world, login, library):
    _response, meetings = found(login(world.secretary), "Dang uy")
    assert meetings == [library["cell_guest"], library["cell"]]  # newest first


def test_every_word_must_be_in_the_same_minutes(world, login, library):
    client = login(world.secretary)
    assert found(client, "nong thon hien dat")[1] == [library["cell"]]
    assert found(client, "nong thon tuan")[1] == []  # the words are in different minutes


def test_speeches_and_guests_are_searched_too(world, login, library):
    client = login(world.secretary)
    assert found(client, "lien thon")[1] == [library["cell"]]
    assert found(client, "pham minh tuan")[1] == [library["cell_guest"]]


def test_the_snippet_shows_the_match_with_its_accents_highlighted(world, login, library):
    response, _meetings = found(login(world.secretary), "nong thon moi")
    html = response.content.decode()
    assert "<mark>Nông</mark> <mark>thôn</mark> <mark>mới</mark>" in html
    assert world.cell.name in html
    assert "05/03/2026" in html
    assert reverse("meetings:detail", args=[library["cell"].pk]) in html


def test_the_snippet_is_escaped(world, login, library):
    response, _meetings = found(login(world.secretary), "duong lien")
    html = response.content.decode()
    assert "&lt;<mark>đường</mark>&gt; <mark>liên</mark> thôn" in html
    assert "<đường>" not in html


def test_nobody_finds_minutes_outside_their_subtree(world, login, library):
    everywhere = {library["cell"], library["sibling"], library["far"]}
    expected = {
        "secretary": {library["cell"]},
        "viewer": {library["cell"]},
        "outsider": {library["sibling"]},  # the sibling cell's own secretary
        "reviewer": {library["cell"], library["sibling"]},
        "far_reviewer": {library["far"]},
        "admin": everywhere,
    }
    for role, meetings in expected.items():
        assert set(found(login(world.user(role)), "nong thon moi")[1]) == meetings, role


def test_replaced_minutes_are_not_found(world, login, library):
    assert library["returned"] not in found(login(world.admin), "ban cu tra lai")[1]
    assert found(login(world.admin), "ban cu tra lai")[1] == []


def test_an_empty_query_shows_the_form_only(world, login, library):
    with CaptureQueriesContext(connection) as queries:
        response, meetings = found(login(world.secretary), "")
    assert meetings == []
    assert response.context["page"] is None
    assert not response.context["too_short"]
    assert not any("search_text" in query["sql"] for query in queries)


@pytest.mark.parametrize("text", ["a", "đ ê", "  ", "!!"])
def test_a_too_short_query_says_so(world, login, library, text):
    response, meetings = found(login(world.secretary), text)
    assert meetings == []
    if text.strip():
        assert response.context["too_short"]
        assert 'role="status"' in response.content.decode()


def test_the_results_come_25_to_a_page_for_a_fixed_number_of_queries(world, login):
    for day in range(1, 29):
        indexed(minutes(world.cell, day, conclusion=f"Nông thôn mới, lần {day}."))
    indexed(minutes(world.cell, 29, conclusion="Nông thôn mới."), status=MeetingStatus.SIGNED)
    client = login(world.secretary)
    with CaptureQueriesContext(connection) as first_page_queries:
        response, meetings = found(client, "nong thon moi")
    assert len(meetings) == 25
    assert response.context["page"].paginator.count == 29
    assert "page=2" in response.content.decode()
    with CaptureQueriesContext(connection) as last_page_queries:
        _response, meetings = found(client, "nong thon moi", page=2)
    assert len(meetings) == 4
    assert len(first_page_queries) == len(last_page_queries)


# -- the pieces ------------------------------------------------------------------------


def test_query_words_are_folded_deduplicated_and_short_ones_dropped():
    assert search.query_words("Đảng ủy, đảng   ỦY x") == ["dang", "uy"]
    assert search.query_words("a b") == []
    assert len(search.query_words(" ".join(f"tu{n}" for n in range(20)))) == 8


def test_the_snippet_is_cut_around_the_first_match():
    text = "Mở đầu. " + "Nội dung không liên quan. " * 10 + "Bàn về Nông thôn mới. " + "Hết. " * 60
    snippet = search.highlighted_snippet(text, ["nong", "thon"])
    assert snippet.startswith("…")
    assert snippet.endswith("…")
    assert "<mark>Nông</mark> <mark>thôn</mark> mới" in snippet
    assert len(snippet) < 300
    assert search.highlighted_snippet(text, ["xyz"]) is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigram index is PostgreSQL's")
@pytest.mark.django_db
def test_postgresql_has_the_trigram_index_and_uses_it_for_contains():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'meetings_meeting_search_trgm'"
        )
        (definition,) = cursor.fetchone()
        cursor.execute("SELECT extname FROM pg_extension")
        extensions = {row[0] for row in cursor.fetchall()}
    assert "gin_trgm_ops" in definition
    assert {"pg_trgm", "unaccent"} <= extensions
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        sql, params = Meeting.objects.filter(
            search_text__contains="nong thon"
        ).query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = " ".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "meetings_meeting_search_trgm" in plan
