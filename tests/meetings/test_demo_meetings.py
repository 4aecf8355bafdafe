"""The demo year of meetings built by `manage.py seed_demo` (meetings/demo.py).

Seeding a year of minutes through the real services takes several seconds, so the
module seeds once (inside a transaction rolled back at the end) and every test
reads that data in its own savepoint.
"""

from collections import Counter
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from meetings import demo as meetings_demo
from meetings import services
from meetings.models import (
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
    ReviewVerdict,
    SignatureMethod,
)
from meetings.year import year_overview
from members import demo
from members.models import Organization

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The command's output; the demo data stays until the end of the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("seed_demo", force=True, stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def today(seeded):
    return timezone.localdate()


def demo_cells():
    return list(Organization.objects.filter(code__in=[spec.code for spec in demo.CELLS]))


def bithu_cell():
    return Organization.objects.get(code=demo.CELLS[0].code)


def window(today):
    """The 12 (year, month) pairs up to and including this month, oldest first."""
    return meetings_demo._months_window(today)


def past_regular(cell=None):
    today = timezone.localdate()
    first_year, first_month = window(today)[0]
    meetings = (
        Meeting.objects.current()
        .regular()
        .filter(scheduled_at__date__lt=today.replace(day=1))
        .exclude(year__lt=first_year)
        .exclude(year=first_year, month__lt=first_month)
    )
    return meetings.filter(organization=cell) if cell else meetings


def test_the_command_reports_the_meetings_it_created(seeded):
    assert "Created" in seeded and "meetings" in seeded
    assert f"in {len(demo.CELLS)} cells" in seeded


def test_every_demo_cell_has_a_year_of_meetings(seeded, today):
    cells = demo_cells()
    assert len(cells) == 13
    for cell in cells:
        months = {(m.year, m.month) for m in Meeting.objects.filter(organization=cell)}
        assert months <= set(window(today)), cell
        assert len(months) >= 10, cell
    assert 180 <= Meeting.objects.count() <= 260


def test_at_most_one_current_regular_meeting_per_cell_and_month(seeded):
    counts = Counter(
        Meeting.objects.current().regular().values_list("organization_id", "year", "month")
    )
    assert counts and max(counts.values()) == 1


def test_bithu_cell_misses_exactly_one_past_month_and_has_this_month_planned(seeded, today):
    cell = bithu_cell()
    held = {(m.year, m.month) for m in past_regular(cell).exclude(status=MeetingStatus.PLANNED)}
    past_months = window(today)[:-1]
    assert len([month for month in past_months if month not in held]) == 1

    this_month = Meeting.objects.current().regular().for_month(today.year, today.month)
    planned = this_month.get(organization=cell)
    assert planned.status == MeetingStatus.PLANNED
    assert planned.meeting_date >= today
    assert planned.meeting_date <= today + timedelta(days=7)
    assert not planned.attendances.exists()
    # The other cells have this month's meeting planned or in draft.
    statuses = set(this_month.exclude(organization=cell).values_list("status", flat=True))
    assert statuses <= {MeetingStatus.PLANNED, MeetingStatus.DRAFT}
    if today.day > 12:
        assert statuses == {MeetingStatus.PLANNED, MeetingStatus.DRAFT}


def test_the_gap_shows_on_bithu_cells_year_grid(seeded, today):
    missing = [
        (year, month)
        for year in {year for year, _month in window(today)}
        for month in year_overview(bithu_cell(), year, today).missing_months
        if (year, month) in window(today)
    ]
    assert len(missing) == 1


def test_most_past_regular_meetings_are_signed_with_a_valid_fingerprint(seeded):
    meetings = list(past_regular())
    signed = [m for m in meetings if m.status == MeetingStatus.SIGNED]
    assert len(signed) >= 0.9 * len(meetings)
    for meeting in signed:
        assert meeting.fingerprint
        assert services.fingerprint_of(meeting.signed_content) == meeting.fingerprint
        assert meeting.signatures.count() == 2


def test_every_signed_meeting_has_complete_minutes(seeded):
    signed = Meeting.objects.filter(status=MeetingStatus.SIGNED).select_related("organization")
    assert signed.count() > 150
    for meeting in signed:
        assert services.missing_for_finalize(meeting) == [], meeting


def test_signed_minutes_are_realistic(seeded):
    signed = list(Meeting.objects.signed().current())
    summaries = {m.pk: services.summarize_attendance(m) for m in signed}
    percents = [summary.percent_present for summary in summaries.values()]
    assert sum(p >= 85 for p in percents) >= 0.8 * len(percents)
    assert any(p < 85 for p in percents)
    for meeting in signed:
        summary = summaries[meeting.pk]
        assert meeting.chair and meeting.note_taker and meeting.chair != meeting.note_taker
        assert meeting.votes_for + meeting.votes_other <= summary.vote_count.eligible_present
        assert summary.vote_count.is_adopted(meeting.votes_for)
        assert meeting.minutes_adopted_votes == summary.present
        assert 2 <= meeting.speeches.filter(speaker__isnull=False).count() <= 5
        assert all(row.reason for row in summary.absent_excused)
    totals = [m.quality_total for m in signed]
    assert sum(75 <= total <= 95 for total in totals) >= 0.8 * len(totals)
    durations = [m.duration_minutes for m in signed]
    assert 1 <= sum(d < 90 for d in durations) <= 3
    assert Attendance.objects.filter(status=AttendanceStatus.ABSENT_UNEXCUSED).exists()
    assert Meeting.objects.filter(guests__title__contains="phụ trách chi bộ").count() >= 20


def test_bithu_signs_as_chair_with_her_account_the_others_on_paper(seeded):
    cell = bithu_cell()
    for meeting in Meeting.objects.signed().filter(organization=cell):
        chair = meeting.signatures.get(role="chair")
        assert chair.method == SignatureMethod.ACCOUNT
        assert chair.recorded_by.username == "bithu"
        assert meeting.signatures.get(role="note_taker").method == SignatureMethod.PAPER
    other = Meeting.objects.signed().exclude(organization=cell).first()
    assert set(other.signatures.values_list("method", "recorded_by__username")) == {
        (SignatureMethod.PAPER, "admin")
    }


def test_returned_minutes_were_corrected_into_a_signed_version_2(seeded):
    superseded = Meeting.objects.get(status=MeetingStatus.SUPERSEDED)
    review = superseded.reviews.get()
    assert review.verdict == ReviewVerdict.RETURNED and review.reviewer.username == "canbo"
    correction = superseded.superseded_by
    assert correction.status == MeetingStatus.SIGNED and correction.revision == 2
    assert correction.is_current and not superseded.is_current
    assert services.fingerprint_of(correction.signed_content) == correction.fingerprint
    assert correction.next_tasks != superseded.next_tasks
    assert "Người thực hiện" in correction.next_tasks
    history = list(superseded.history.values_list("status", flat=True))
    assert MeetingStatus.RETURNED in history and MeetingStatus.SIGNED in history


def test_a_few_minutes_are_not_signed_yet(seeded, today):
    counts = Counter(Meeting.objects.current().values_list("status", flat=True))
    assert 1 <= counts[MeetingStatus.FINALIZED] <= 3
    assert 1 <= counts[MeetingStatus.DRAFT] <= 12  # this month's drafts come after the 5th
    assert Meeting.objects.filter(status=MeetingStatus.PLANNED, scheduled_at__gt=timezone.now())
    assert not Meeting.objects.filter(
        status=MeetingStatus.PLANNED, scheduled_at__date__lt=today.replace(day=1)
    ).exists(), "a past month's meeting left planned would show as missing"


def test_thematic_meetings_in_most_quarters(seeded, today):
    thematic = Meeting.objects.current().filter(kind=MeetingKind.THEMATIC)
    quarters = {(year, (month - 1) // 3 + 1) for year, month in window(today)}
    held = Counter(
        (m.organization_id, m.year, m.quarter)
        for m in thematic.exclude(status=MeetingStatus.PLANNED)
    )
    expected = len(demo_cells()) * (len(quarters) - 1)  # this quarter may still be to come
    assert len(held) >= 0.8 * expected
    for meeting in thematic.signed():
        assert meeting.topic and meeting.presenter and meeting.lead_report_title
        assert meeting.presenter != meeting.note_taker
    topics = set(thematic.values_list("topic", flat=True))
    assert "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh" in topics
    assert len(topics) >= 5


def test_running_seed_demo_again_keeps_the_meetings(seeded):
    before = Meeting.objects.count(), Attendance.objects.count()
    out = StringIO()

    call_command("seed_demo", force=True, stdout=out)

    assert (Meeting.objects.count(), Attendance.objects.count()) == before
    assert "Created" not in out.getvalue()
    assert "13 cells that already have meetings" in out.getvalue()
