"""The vote boxes (meetings/vote_boxes.py): beside them, how many official members are
present; an empty vote starts as "everyone present agrees"; a tally over that many is
refused naming both numbers. And one formula for the majorities (meetings/rules.py)."""

import pytest
from django.urls import reverse
from django.utils import translation

from meetings.decisions import Threshold
from meetings.models import AttendanceStatus, Decision, vote_count_for
from meetings.rules import (
    HALF,
    TWO_THIRDS,
    VoteCount,
    is_adopted_by,
    is_more_than_half,
    votes_needed,
)
from tests.helpers import complete, mark
from tests.meetings.formdata import attendance_marks, open_record, record_post_data, record_url

P, E, U = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.ABSENT_EXCUSED,
    AttendanceStatus.ABSENT_UNEXCUSED,
)


def closing_url(meeting):
    return reverse("meetings:record_step", args=[meeting.pk, "closing"])


def discussion_url(meeting):
    return reverse("meetings:record_step", args=[meeting.pk, "discussion"])


@pytest.fixture
def secretary(world, login):
    return login(world.secretary)


# ---------------------------------------------------------------- the count


def marks_for(roster, case):
    """The 6 official members present, and one more member as the case says."""
    marks = dict.fromkeys(roster["official"], P)
    extra = {
        "probationary present": {roster["probationary"]: P},
        "exempt attending": {roster["exempt"]: P},
        "exempt absent": {roster["exempt"]: (E, "miễn sinh hoạt")},
        "away member present": {roster["away"]: P},
    }[case]
    return {**marks, **extra}


COUNT_CASES = [
    # (case, official members present, vote denominator)
    ("probationary present", 6, 6),  # only official members vote
    ("exempt attending", 7, 7),  # an exempt member who attends votes and counts
    ("exempt absent", 6, 6),
    ("away member present", 6, 6),  # active elsewhere: outside the vote even if she comes
]


@pytest.mark.parametrize(("case", "present", "denominator"), COUNT_CASES)
def test_the_count_of_official_members_present(make_meeting, roster, case, present, denominator):
    meeting = make_meeting()
    mark(meeting, marks_for(roster, case))
    count = vote_count_for(list(meeting.attendances.all()))
    assert (count.eligible_present, count.denominator) == (present, denominator)


@pytest.mark.parametrize(("case", "present", "denominator"), COUNT_CASES)
def test_the_closing_step_shows_the_official_members_present(
    secretary, make_meeting, roster, case, present, denominator
):
    meeting = make_meeting()
    mark(meeting, marks_for(roster, case))
    html = secretary.get(closing_url(meeting)).content.decode()
    assert f"Đảng viên chính thức có mặt: {present}</" in html
    assert 'id="id_votes_for_helptext"' in html  # read out with the box it stands under


def test_the_one_page_form_counts_the_attendance_as_sent(secretary, make_meeting, roster):
    """Beside the boxes of the one-page form, the count follows the attendance sent with
    them: one official member marked absent on the same page makes 5, not 6."""
    meeting = make_meeting()
    mark(meeting, marks_for(roster, "probationary present"))
    page = open_record(secretary, meeting)
    assert "Đảng viên chính thức có mặt: 6</" in page.content.decode()
    absent = {roster["official"][5]: (E, "đi công tác")}
    response = secretary.post(
        record_url(meeting),
        record_post_data(page, **attendance_marks(page, absent), votes_for="6"),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Đảng viên chính thức có mặt: 5</" in html
    assert response.context["editor"].minutes.errors["votes_for"] == [
        "Tổng số phiếu (6) nhiều hơn số đảng viên chính thức có mặt (5)."
    ]


# ---------------------------------------------------------------- the suggestion


def test_an_empty_vote_starts_as_everyone_present_agrees(secretary, make_meeting, roster):
    meeting = make_meeting()
    mark(meeting, marks_for(roster, "probationary present"))  # 7 present, 6 vote
    response = secretary.get(closing_url(meeting))
    form = response.context["editor"].minutes
    assert [form[name].value() for name in ("votes_for", "votes_against", "votes_other")] == [
        6,
        0,
        0,
    ]
    assert 'name="votes_for" value="6"' in response.content.decode()


def test_the_suggestion_is_saved_as_shown(secretary, make_meeting, roster):
    meeting = make_meeting()
    mark(meeting, marks_for(roster, "exempt attending"))
    page = secretary.get(closing_url(meeting))
    data = record_post_data(page, conclusion="Thống nhất", vote_method="hands")
    data.pop("save")
    data["stay"] = ""
    assert secretary.post(closing_url(meeting), data).status_code == 302
    meeting.refresh_from_db()
    assert (meeting.votes_for, meeting.votes_against, meeting.votes_other) == (7, 0, 0)


def test_a_counted_vote_is_never_replaced(secretary, make_meeting, roster):
    meeting = complete(make_meeting(), roster, votes_for=5)  # 6 present
    form = secretary.get(closing_url(meeting)).context["editor"].minutes
    assert (form["votes_for"].value(), form["votes_against"].value()) == (5, 0)


def test_nothing_is_suggested_before_anyone_is_marked_present(secretary, make_meeting):
    meeting = make_meeting()
    response = secretary.get(closing_url(meeting))
    assert response.context["editor"].minutes["votes_for"].value() is None
    assert "Đảng viên chính thức có mặt: 0</" in response.content.decode()


# ---------------------------------------------------------------- the limit


def test_the_error_names_both_numbers_in_english_and_in_vietnamese():
    count = VoteCount(denominator=36, eligible_present=34)
    with translation.override("en"):
        assert str(count.tally_error(33, 1, 1)) == (
            "Total votes (35) exceed the official members present (34)."
        )
    with translation.override("vi"):
        assert str(count.tally_error(33, 1, 1)) == (
            "Tổng số phiếu (35) nhiều hơn số đảng viên chính thức có mặt (34)."
        )
    assert count.tally_error(34, 0, 0) is None  # exactly everyone present is right


def test_a_tally_over_the_limit_comes_back_on_the_box_with_her_entries(
    secretary, make_meeting, roster
):
    meeting = make_meeting()
    mark(meeting, marks_for(roster, "probationary present"))  # 6 official present
    page = secretary.get(closing_url(meeting))
    data = record_post_data(
        page, conclusion="Thống nhất", votes_for="6", votes_against="1", votes_other="0"
    )
    response = secretary.post(closing_url(meeting), data)
    assert response.status_code == 200
    message = "Tổng số phiếu (7) nhiều hơn số đảng viên chính thức có mặt (6)."
    assert response.context["editor"].minutes.errors["votes_for"] == [message]
    # The list at the top names the limit, not only the box, and links to the box.
    assert response.context["errors"] == [(f"Tán thành: {message}", "id_votes_for")]
    html = response.content.decode()
    assert 'id="id_votes_for_error"' in html
    assert 'name="votes_against" value="1"' in html
    assert "Thống nhất" in html
    meeting.refresh_from_db()
    assert (meeting.votes_for, meeting.conclusion) == (None, "")


# ---------------------------------------------------------------- decisions


def test_a_decision_row_shows_the_count_and_a_new_row_the_suggestion(
    secretary, make_meeting, roster
):
    meeting = make_meeting()
    mark(meeting, marks_for(roster, "probationary present"))
    Decision.objects.create(meeting=meeting, kind="recognition", member=roster["probationary"])
    response = secretary.get(discussion_url(meeting))
    decisions = response.context["editor"].extra_parts[-1].decisions
    row = decisions.forms[0]
    assert [row[name].value() for name in ("votes_for", "votes_against", "votes_other")] == [
        6,
        0,
        0,
    ]
    assert decisions.empty_form["votes_for"].value() == 6  # the row "Add a decision" adds
    html = response.content.decode()
    assert 'id="id_decisions-0-votes_for_helptext"' in html
    assert "Đảng viên chính thức có mặt: 6</" in html


def with_an_added_decision_row(page, **row):
    """The discussion step sent with one row added by "Add a decision", as shown
    (the suggested tally) with `row` typed into it."""
    data = record_post_data(page)
    data.pop("save")
    data["stay"] = ""
    data["decisions-TOTAL_FORMS"] = "1"
    data.update({"decisions-0-votes_for": "6", "decisions-0-votes_against": "0"})
    data["decisions-0-votes_other"] = "0"
    data.update({f"decisions-0-{name}": value for name, value in row.items()})
    return data


def test_a_decision_row_added_and_left_as_suggested_is_skipped(secretary, make_meeting, roster):
    meeting = make_meeting()
    mark(meeting, marks_for(roster, "probationary present"))
    page = secretary.get(discussion_url(meeting))
    response = secretary.post(discussion_url(meeting), with_an_added_decision_row(page))
    assert response.status_code == 302
    assert not Decision.objects.filter(meeting=meeting).exists()
    page = secretary.get(discussion_url(meeting))
    data = with_an_added_decision_row(
        page, kind="recognition", member=str(roster["probationary"].pk)
    )
    assert secretary.post(discussion_url(meeting), data).status_code == 302
    decision = Decision.objects.get(meeting=meeting)
    assert (decision.votes_for, decision.votes_against, decision.votes_other) == (6, 0, 0)


def test_a_decisions_tally_over_the_limit_names_both_numbers(secretary, make_meeting, roster):
    meeting = make_meeting()
    mark(meeting, marks_for(roster, "exempt attending"))  # 7 official present
    Decision.objects.create(meeting=meeting, kind="recognition", member=roster["probationary"])
    page = secretary.get(discussion_url(meeting))
    data = record_post_data(page, **{"decisions-0-votes_other": "1"})
    data.pop("save")
    data["stay"] = ""
    response = secretary.post(discussion_url(meeting), data)
    assert response.status_code == 200
    form = response.context["editor"].extra_parts[-1].decisions.forms[0]
    message = "Tổng số phiếu (8) nhiều hơn số đảng viên chính thức có mặt (7)."
    assert form.errors["votes_for"] == [message]
    assert response.context["errors"] == [
        (f"Nội dung biểu quyết 1 — Tán thành: {message}", "id_decisions-0-votes_for")
    ]
    assert Decision.objects.get(meeting=meeting).votes_for is None


# ---------------------------------------------------------------- the majorities


@pytest.mark.parametrize(
    ("votes_for", "denominator", "adopted"),
    [
        (5, 10, False),  # exactly half is not more than half
        (6, 10, True),  # half + 1
        (4, 9, False),
        (5, 9, True),
        (1, 1, True),
        (0, 1, False),
        (None, 10, False),
        (0, 0, False),  # nobody entitled to vote adopts nothing
    ],
)
def test_more_than_half(votes_for, denominator, adopted):
    assert is_more_than_half(votes_for, denominator) is adopted
    assert VoteCount(denominator, denominator).is_adopted(votes_for) is adopted
    assert Threshold(1, 2, at_least=False).is_adopted(votes_for, denominator) is adopted


@pytest.mark.parametrize(
    ("votes_for", "denominator", "adopted"),
    [
        (24, 36, True),  # exactly two thirds is enough ("≥ 2/3")
        (23, 36, False),
        (2, 3, True),
        (1, 3, False),
        (24, 35, True),  # 23.3 rounds up
        (23, 35, False),
        (None, 3, False),
        (0, 0, False),
    ],
)
def test_at_least_two_thirds(votes_for, denominator, adopted):
    assert is_adopted_by(votes_for, denominator, TWO_THIRDS, at_least=True) is adopted
    assert Threshold(2, 3, at_least=True).is_adopted(votes_for, denominator) is adopted


def test_the_closing_vote_and_the_decisions_count_one_majority():
    """The minutes' vote and a "more than half" decision need the same votes for every
    size of cell: one formula, not two."""
    for voters in range(0, 60):
        needed = votes_needed(voters, HALF, at_least=False)
        assert VoteCount(voters, voters).majority == needed
        assert Threshold(1, 2, at_least=False).votes_needed(voters) == needed
