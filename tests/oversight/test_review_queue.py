"""The review queue, accepting minutes, and the cell's notice of returned minutes
(oversight/review.py)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import (
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingStatus,
    Review,
    ReviewVerdict,
    Speech,
)
from meetings.rules import QUALITY_LEVEL_LABELS
from meetings.services import accept_minutes
from members.models import MembershipStatus
from tests.factories import MemberFactory
from tests.helpers import at, sign_both, signed

QUEUE = reverse("oversight:review_queue")


def queued(client):
    response = client.get(QUEUE)
    assert response.status_code == 200
    return [row.meeting for row in response.context["rows"]]


# -- who sees what ---------------------------------------------------------------------


def test_queue_holds_exactly_the_reviewers_subtree_oldest_first(world, login):
    newer = signed(world.cell, signed_days_ago=1)
    older = signed(world.sibling_cell, signed_days_ago=5)
    far = signed(world.far_cell, signed_days_ago=9)
    assert queued(login(world.reviewer)) == [older, newer]
    assert queued(login(world.far_reviewer)) == [far]
    assert queued(login(world.admin)) == [far, older, newer]


def test_queue_leaves_out_what_is_not_awaiting_review(world, login):
    waiting = signed(world.cell, month=1)
    signed(world.cell, month=2, accepted_at=timezone.now())
    signed(world.cell, month=3, status=MeetingStatus.RETURNED)
    signed(world.cell, month=4, status=MeetingStatus.FINALIZED, signed_at=None)
    signed(world.cell, month=5, status=MeetingStatus.SUPERSEDED, is_current=False)
    assert queued(login(world.reviewer)) == [waiting]


def test_secretary_cannot_accept(world, login):
    meeting = signed(world.cell)
    response = login(world.secretary).post(
        reverse("oversight:accept", args=[meeting.pk]), {"comment": "Tốt"}
    )
    assert response.status_code == 403
    meeting.refresh_from_db()
    assert meeting.accepted_at is None and not meeting.reviews.exists()


# -- accepting ------------------------------------------------------------------------


def test_accepting_records_the_review_and_empties_the_queue(signed_meeting, world, login):
    client = login(world.reviewer)
    assert queued(client) == [signed_meeting]
    response = client.post(
        reverse("oversight:accept", args=[signed_meeting.pk]),
        {"comment": "Biên bản đầy đủ, đúng quy định.", "next": QUEUE},
    )
    assert response.status_code == 302 and response["Location"] == QUEUE
    signed_meeting.refresh_from_db()
    assert signed_meeting.status == MeetingStatus.SIGNED
    assert signed_meeting.accepted_at is not None
    review = signed_meeting.reviews.get()
    assert (review.verdict, review.reviewer, review.comment) == (
        ReviewVerdict.ACCEPTED,
        world.reviewer,
        "Biên bản đầy đủ, đúng quy định.",
    )
    assert signed_meeting.accepted_at == review.created_at
    assert queued(client) == []
    page = client.get(reverse("meetings:detail", args=[signed_meeting.pk])).content.decode()
    assert 'id="accepted"' in page and "Biên bản đầy đủ, đúng quy định." in page
    assert 'id="accept-form"' not in page


def test_accepting_keeps_the_signed_content(signed_meeting, world):
    fingerprint = signed_meeting.fingerprint
    accept_minutes(signed_meeting, user=world.reviewer, comment="Đạt")
    signed_meeting.refresh_from_db()
    assert signed_meeting.fingerprint == fingerprint
    assert signed_meeting.history.first().history_change_reason == "accepted by the superior"


def test_accepting_needs_a_comment_and_happens_once(world, login):
    meeting = signed(world.cell)
    client = login(world.reviewer)
    url = reverse("oversight:accept", args=[meeting.pk])
    client.post(url, {"comment": "   "})
    meeting.refresh_from_db()
    assert meeting.accepted_at is None
    with pytest.raises(services.MeetingError):
        accept_minutes(meeting, user=world.reviewer, comment=" ")
    accept_minutes(meeting, user=world.reviewer, comment="Đạt")
    with pytest.raises(services.MeetingError):
        accept_minutes(meeting, user=world.reviewer, comment="Lần nữa")
    client.post(url, {"comment": "Lần nữa"})
    assert Review.objects.filter(meeting=meeting).count() == 1


@pytest.mark.parametrize("status", ["draft", "finalized", "returned"])
def test_only_signed_minutes_can_be_accepted(world, status):
    meeting = signed(world.cell, status=status)
    with pytest.raises(services.MeetingError):
        accept_minutes(meeting, user=world.reviewer, comment="Đạt")


def test_reviewer_sees_accept_beside_return_and_the_secretary_sees_neither(
    signed_meeting,
    world,
    login,
):
    url = reverse("meetings:detail", args=[signed_meeting.pk])
    page = login(world.reviewer).get(url).content.decode()
    assert 'id="accept-form"' in page and 'id="return-form"' in page
    page = login(world.secretary).get(url).content.decode()
    assert 'id="accept-form"' not in page and 'id="return-form"' not in page


# -- return, correct, sign again ------------------------------------------------------


def test_the_corrected_version_comes_back_to_the_queue(signed_meeting, world, roster, login):
    reviewer = login(world.reviewer)
    reviewer.post(
        reverse("oversight:return", args=[signed_meeting.pk]),
        {"comment": "Ghi rõ ý kiến phát biểu."},
    )
    assert queued(reviewer) == []

    correction = services.start_correction(signed_meeting, user=world.secretary)
    Speech.objects.create(meeting=correction, speaker=roster["official"][2], summary="Ý kiến.")
    services.finalize_minutes(correction, user=world.secretary)
    correction = sign_both(correction, world, roster)
    assert queued(reviewer) == [correction]
    row = login(world.reviewer).get(QUEUE).context["rows"][0]
    assert (row.meeting.revision, row.speaker_count) == (2, 1)

    reviewer.post(reverse("oversight:accept", args=[correction.pk]), {"comment": "Đã sửa đúng."})
    assert queued(reviewer) == []
    verdicts = Review.objects.filter(meeting__in=[signed_meeting, correction]).order_by("pk")
    assert [(r.meeting, r.verdict) for r in verdicts] == [
        (signed_meeting, ReviewVerdict.RETURNED),
        (correction, ReviewVerdict.ACCEPTED),
    ]
    page = reviewer.get(reverse("meetings:detail", args=[correction.pk])).content.decode()
    assert "Ghi rõ ý kiến phát biểu." in page and "Đã sửa đúng." in page


# -- the facts a reviewer checks ------------------------------------------------------


def test_queue_shows_what_a_reviewer_checks(signed_meeting, world, login):
    row = login(world.reviewer).get(QUEUE).context["rows"][0]
    # complete(): 6 official and the probationary member present; the exempt member
    # stayed home and the away member is not summoned.
    assert (signed_meeting.present_count, signed_meeting.summoned_count) == (7, 7)
    assert (row.attendance_percent, row.attendance_low) == (100.0, False)
    assert (row.duration_minutes, row.too_short) == (95, False)
    assert row.speaker_count == 0
    assert (row.vote_count.denominator, row.vote_count.eligible_present) == (6, 6)
    assert (row.adopted, row.vote_error, row.vote_percent) == (True, None, 83.3)
    assert row.tasks_reviewed
    assert row.quality_total is None


def test_queue_flags_short_meetings_low_attendance_and_failed_votes(world, login):
    meeting = signed(
        world.cell,
        ended_at=at(2026, 10, 5) + timedelta(minutes=60),
        present_count=6,
        summoned_count=10,
        votes_for=2,
        quality_scores={"time": 5, "attendance": 3, "conduct": 25, "results": 30},
    )
    members = [MemberFactory(organization=world.cell) for _ in range(5)]
    # Bypass the frozen guard: the rows signed minutes would have had.
    Attendance.objects.bulk_create(
        Attendance(
            meeting=meeting,
            member=member,
            status=AttendanceStatus.PRESENT if index < 3 else AttendanceStatus.ABSENT_EXCUSED,
            membership_at_meeting=MembershipStatus.OFFICIAL,
            activity_at_meeting="active",
        )
        for index, member in enumerate(members)
    )
    Speech.objects.bulk_create(
        [
            Speech(meeting=meeting, speaker=members[0], summary="Một", order=1),
            Speech(meeting=meeting, speaker=members[0], summary="Hai", order=2),
            Speech(meeting=meeting, speaker=members[1], summary="Ba", order=3),
            Speech(meeting=meeting, guest_name="Khách", summary="Bốn", order=4),
        ]
    )
    row = login(world.reviewer).get(QUEUE).context["rows"][0]
    assert (row.attendance_percent, row.attendance_low) == (60.0, True)
    assert (row.duration_minutes, row.too_short) == (60, True)
    assert row.speaker_count == 2  # members who spoke, once each
    assert (row.vote_count.denominator, row.vote_count.eligible_present) == (5, 3)
    assert (row.adopted, row.vote_error) == (False, None)
    assert (row.quality_total, row.quality_level) == (63, QUALITY_LEVEL_LABELS["average"])


def test_queue_flags_an_impossible_tally(world, login):
    signed(world.cell, votes_for=4)  # nobody on the attendance list
    row = login(world.reviewer).get(QUEUE).context["rows"][0]
    assert row.vote_error and not row.adopted


def test_queue_costs_the_same_queries_for_5_and_200_minutes(world, login):
    member = MemberFactory(organization=world.cell)

    def make(count):
        meetings = Meeting.objects.bulk_create(
            Meeting(
                organization=world.cell,
                kind="extraordinary",
                year=2026,
                month=10,
                scheduled_at=at(2026, 10, 5),
                started_at=at(2026, 10, 5),
                ended_at=at(2026, 10, 5) + timedelta(minutes=100),
                status=MeetingStatus.SIGNED,
                signed_at=timezone.now() - timedelta(hours=index),
                present_count=1,
                summoned_count=1,
                votes_for=1,
            )
            for index in range(count)
        )
        Attendance.objects.bulk_create(
            Attendance(
                meeting=meeting,
                member=member,
                status=AttendanceStatus.PRESENT,
                membership_at_meeting=MembershipStatus.OFFICIAL,
                activity_at_meeting="active",
            )
            for meeting in meetings
        )
        Speech.objects.bulk_create(
            Speech(meeting=meeting, speaker=member, summary="Ý kiến") for meeting in meetings
        )

    client = login(world.reviewer)
    make(5)
    client.get(QUEUE)
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(QUEUE).context["rows"]) == 5
    make(195)
    with CaptureQueriesContext(connection) as many:
        response = client.get(QUEUE)
    assert response.context["page"].paginator.count == 200
    assert len(response.context["rows"]) == 50
    assert len(few) == len(many)
    with CaptureQueriesContext(connection) as last_page:
        client.get(QUEUE, {"page": 4})
    assert len(last_page) == len(few)


# -- the cell's notice ----------------------------------------------------------------


def test_secretary_sees_returned_minutes_on_her_cell_page(signed_meeting, world, login):
    cell_page = reverse("members:organization_detail", args=[world.cell.pk])
    assert 'id="returned-minutes"' not in login(world.secretary).get(cell_page).content.decode()
    services.return_minutes(signed_meeting, user=world.reviewer, comment="Bổ sung lý do vắng.")
    page = login(world.secretary).get(cell_page).content.decode()
    notice = page[page.index('id="returned-minutes"') :]
    assert "Bổ sung lý do vắng." in notice
    assert reverse("meetings:detail", args=[signed_meeting.pk]) in notice
    # Once the correction is opened, the notice goes: the draft is on the cell's year.
    services.start_correction(signed_meeting, user=world.secretary)
    assert 'id="returned-minutes"' not in login(world.secretary).get(cell_page).content.decode()


def test_returned_minutes_of_another_cell_stay_there(world, login):
    meeting = signed(world.sibling_cell, status=MeetingStatus.RETURNED)
    Review.objects.create(
        meeting=meeting, reviewer=world.reviewer, verdict="returned", comment="Sửa lại."
    )
    cell_page = reverse("members:organization_detail", args=[world.cell.pk])
    assert "Sửa lại." not in login(world.secretary).get(cell_page).content.decode()
