"""One definition of "present x/y" and of who votes, on every page.

DOMAIN.md: the vote denominator is "official members summoned, minus those
temporarily active elsewhere, minus exempt members who did not attend", and the
minutes list the away members apart from "present x/y". A member temporarily active
elsewhere who drops in is therefore neither counted present nor an eligible voter.

One meeting of world.cell (6 official, 1 probationary, 1 exempt, 1 away): five
official members and the probationary one come, one official member is absent with
reason, the exempt member stays away, and the away member attends. Right: present
6/7 (85.7 %), 6 official members entitled to vote, at most 5 hands. Before: 7/7 =
100 % in the minutes, 7/9 in the meeting list, and a tally of 6 accepted.
"""

import pytest
from django.db.models import Q
from django.urls import reverse
from django.utils import translation

from meetings import services
from meetings.models import AttendanceStatus, Meeting
from meetings.record import record_of
from oversight.review import awaiting_review, queue_row
from printing import pdf
from tests.helpers import complete, mark, sign_both
from tests.printing.pdftools import flat, pdf_text


@pytest.fixture(autouse=True)
def in_english():
    """The messages are compared in English (the msgids)."""
    with translation.override("en"):
        yield


@pytest.fixture
def meeting(make_meeting, roster):
    meeting = complete(make_meeting(), roster, votes_for=5)
    mark(
        meeting,
        {
            roster["official"][5]: (AttendanceStatus.ABSENT_EXCUSED, "Đi công tác"),
            roster["exempt"]: (AttendanceStatus.ABSENT_EXCUSED, "Tuổi cao"),
            roster["away"]: AttendanceStatus.PRESENT,
        },
    )
    meeting.minutes_adopted_votes = 6
    meeting.save()
    return meeting


def test_an_away_member_who_attends_is_not_counted_present(meeting):
    summary = services.summarize_attendance(meeting)
    assert (summary.present, summary.summoned) == (6, 7)
    assert summary.percent_present == 85.7


def test_an_away_member_who_attends_does_not_vote(meeting):
    vote_count = services.summarize_attendance(meeting).vote_count
    assert vote_count.denominator == 6
    assert vote_count.eligible_present == 5
    assert vote_count.tally_error(5, 0, 0) is None
    assert vote_count.tally_error(6, 0, 0)  # one hand more than the eligible voters
    meeting.votes_for = 6
    meeting.save()
    limit = "Total votes (6) exceed the official members present (5)."
    assert any(limit in item for item in services.missing_for_finalize(meeting))


def test_an_exempt_member_who_attends_counts_present_and_votes(meeting, roster):
    mark(meeting, {roster["exempt"]: AttendanceStatus.PRESENT})
    summary = services.summarize_attendance(meeting)
    assert (summary.present, summary.summoned) == (7, 8)
    assert (summary.vote_count.denominator, summary.vote_count.eligible_present) == (7, 6)


def test_every_page_gives_the_same_attendance_figures(meeting, world, roster, login):
    client = login(world.secretary)
    listing = client.get(reverse("meetings:list")).content.decode()
    assert ">6/7<" in listing.replace(" ", "")
    listed = Meeting.objects.with_attendance_figures().get(pk=meeting.pk)
    assert (listed.attendance_present, listed.attendance_summoned) == (6, 7)

    services.finalize_minutes(meeting, user=world.secretary)
    meeting.refresh_from_db()
    # The board and the statistics add up the counts stored at finalizing.
    assert (meeting.present_count, meeting.summoned_count) == (6, 7)

    detail = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "6/7 (85.7%)" in detail or "6/7 (85,7%)" in detail

    signed = sign_both(meeting, world, roster)
    minutes = record_of(signed).context()["summary"]
    assert (minutes.present, minutes.summoned) == (6, 7)
    printed = flat(pdf_text(pdf.render_minutes(signed)))
    assert "6/7" in printed and "7/7" not in printed

    row = queue_row(awaiting_review(Q(pk=signed.pk)).get())
    assert row.attendance_percent == 85.7
    assert (row.vote_count.denominator, row.vote_count.eligible_present) == (6, 5)
    assert row.vote_error is None
