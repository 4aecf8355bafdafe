"""The demo year of meetings built by `manage.py seed_demo` (demo/year.py).

Seeding a year of minutes through the real services takes several seconds, so the
module seeds once (inside a transaction rolled back at the end) and every test
reads that data in its own savepoint.
"""

from collections import Counter
from datetime import date, timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from demo import organization as demo_organization
from demo import scenario
from meetings import chain, record, services
from meetings.models import (
    Attendance,
    AttendanceStatus,
    Guest,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Review,
    ReviewVerdict,
    SignatureMethod,
    canonical_json,
)
from meetings.year import year_overview
from members.models import DelegateAssignment, Member, Organization
from oversight.delegates import visit_report
from oversight.review import awaiting_review
from resolutions.models import (
    Evaluation,
    Resolution,
    ResolutionKind,
    Task,
    TaskDecision,
    TaskResult,
    TaskStatus,
    TaskUpdate,
)

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
    return list(
        Organization.objects.filter(code__in=[spec.code for spec in demo_organization.CELLS])
    )


def bithu_cell():
    return Organization.objects.get(code=demo_organization.CELLS[0].code)


def window(today):
    """The 12 (year, month) pairs up to and including this month, oldest first."""
    return scenario.months_window(today)


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


def recorded_meetings(cell):
    """The cell's live minutes that were recorded (not only planned), oldest first; not
    the cell committee's, which review no tasks (demo.committee)."""
    return list(
        Meeting.objects.current()
        .filter(organization=cell)
        .exclude(status=MeetingStatus.PLANNED)
        .exclude(kind=MeetingKind.COMMITTEE)
        .order_by("scheduled_at", "pk")
    )


def test_the_command_reports_the_meetings_it_created(seeded):
    assert "Created" in seeded and "meetings" in seeded
    assert f"in {len(demo_organization.CELLS)} cells" in seeded
    assert "resolutions with" in seeded and "task reviews" in seeded


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
        assert chain.fingerprint_of(meeting) == meeting.fingerprint
        assert meeting.signatures.count() == 2


def test_minutes_are_dated_soon_after_their_meeting_not_when_seeded(seeded):
    """The demo passes now= to the services: finalized, signed and accepted a little after
    each meeting (at the latest when seeding ran), in that order."""
    signed = Meeting.objects.filter(status=MeetingStatus.SIGNED).prefetch_related("signatures")
    seeded_at = timezone.now()
    for meeting in signed:
        assert meeting.ended_at <= meeting.finalized_at <= meeting.signed_at <= seeded_at
        assert meeting.signed_at <= meeting.ended_at + timedelta(hours=100)
        assert {s.signed_at for s in meeting.signatures.all()} == {meeting.signed_at}
        if meeting.accepted_at:
            assert meeting.signed_at < meeting.accepted_at <= seeded_at
    # Most were signed long before today, as they would have been.
    assert signed.filter(signed_at__lt=seeded_at - timedelta(days=30)).count() > 100


def test_rows_the_demo_saves_name_their_author(seeded):
    """simple_history's _history_user, not a faked request: the secretary recorded the
    minutes (or admin where a cell has no account), reviewed the tasks and adopted the
    resolutions."""
    recorded = Meeting.history.filter(history_change_reason="record the minutes")
    assert recorded.exists() and not recorded.filter(history_user__isnull=True).exists()
    bithu_recorded = recorded.filter(organization=bithu_cell())
    assert set(bithu_recorded.values_list("history_user__username", flat=True)) == {"bithu"}
    # The copies into the corrected version are the service's own rows (start_correction).
    for model in (Resolution, TaskUpdate):
        adopted = model.history.filter(meeting__revision=1)
        assert adopted.exists() and not adopted.filter(history_user__isnull=True).exists()


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
    assert chain.fingerprint_of(correction) == correction.fingerprint
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


# ---------------------------------------------------------------- resolutions and tasks


def test_every_signed_regular_meeting_adopts_a_monthly_resolution_with_tasks(seeded):
    signed = list(Meeting.objects.current().regular().signed())
    assert len(signed) > 100
    for meeting in signed:
        resolution = Resolution.objects.get(meeting=meeting)
        assert resolution.kind == ResolutionKind.MONTHLY
        assert resolution.title == (
            f"Nghị quyết lãnh đạo thực hiện nhiệm vụ tháng {meeting.month}/{meeting.year}"
        )
        assert resolution.body == meeting.next_tasks
        tasks = list(resolution.tasks.select_related("lead").prefetch_related("assignees"))
        assert 2 <= len(tasks) <= 4, meeting
        for task in tasks:
            assert task.lead.organization_id == meeting.organization_id
            assert task.title in meeting.next_tasks
            assert meeting.meeting_date < task.due_on <= meeting.meeting_date + timedelta(days=62)
            others = list(task.assignees.all())
            assert len(others) <= 2 and task.lead not in others
            assert all(member.organization_id == meeting.organization_id for member in others)
    assert Task.objects.filter(assignees__isnull=False).exists()


def test_resolution_numbers_follow_each_other_in_each_cell_and_term(seeded):
    # The cell committee's drafts take no number (resolutions.models.ResolutionKind.DRAFT).
    resolutions = Resolution.objects.current().numbered().order_by("meeting__scheduled_at", "pk")
    numbers = {}
    for organization_id, term, number in resolutions.values_list(
        "organization_id", "term", "number"
    ):
        numbers.setdefault((organization_id, term), []).append(number)
    assert len({cell for cell, _term in numbers}) == len(demo_organization.CELLS)
    for sequence in numbers.values():
        assert sequence == list(range(1, len(sequence) + 1))


def test_some_thematic_meetings_adopt_a_thematic_resolution(seeded):
    thematic = list(Meeting.objects.current().signed().filter(kind=MeetingKind.THEMATIC))
    resolutions = Resolution.objects.filter(meeting__in=thematic)
    assert 0.3 * len(thematic) <= resolutions.count() < len(thematic)
    for resolution in resolutions:
        assert resolution.kind == ResolutionKind.THEMATIC
        assert resolution.meeting.topic in resolution.title
        assert 1 <= resolution.tasks.count() <= 2


def test_every_task_of_signed_minutes_was_reviewed_at_the_next_meeting_or_is_open(seeded):
    """This month's drafts have ticked off only some tasks: a meeting after such a
    draft reviews the others."""
    checked = 0
    for cell in demo_cells():
        meetings = recorded_meetings(cell)
        for index, meeting in enumerate(meetings):
            if meeting.status != MeetingStatus.SIGNED:
                continue
            following = meetings[index + 1 : index + 2]
            if following and following[0].status == MeetingStatus.DRAFT:
                following = meetings[index + 1 :]
            for task in Task.objects.filter(resolution__meeting=meeting):
                reviewed = task.updates.filter(meeting__in=following).exists()
                assert task.is_open or reviewed, (meeting, task)
                checked += 1
    assert checked > 400


def test_task_statuses_follow_their_latest_review(seeded):
    tasks = Task.objects.of_current_minutes().prefetch_related("updates__meeting")
    for task in tasks:
        updates = [u for u in task.updates.all() if u.meeting.is_current]
        if not updates:
            assert task.status == TaskStatus.OPEN and task.current_due_on == task.due_on
            continue
        latest = max(updates, key=lambda update: (update.meeting.scheduled_at, update.pk))
        assert task.status == latest.resulting_status, task
        assert task.current_due_on == (latest.new_due_on or task.due_on)
        assert all(u.meeting.scheduled_at > task.resolution.meeting.scheduled_at for u in updates)


def test_the_reviews_are_a_realistic_mix(seeded):
    updates = TaskUpdate.objects.filter(meeting__is_current=True).select_related("task")
    results = Counter(update.result for update in updates)
    total = sum(results.values())
    assert total > 400
    assert results[TaskResult.DONE] >= 0.6 * total
    assert results[TaskResult.PARTLY] and results[TaskResult.NOT_DONE]
    evaluations = Counter(update.evaluation for update in updates)
    assert evaluations[Evaluation.PRAISE] >= 20 and evaluations[Evaluation.REMINDER] >= 10
    carried = [u for u in updates if u.decision == TaskDecision.CARRY_OVER]
    closed = [u for u in updates if u.decision == TaskDecision.CLOSE]
    assert carried and all(u.new_due_on for u in carried)
    assert 5 <= len(closed) <= 0.15 * total
    assert all(u.closed_reason and u.result != TaskResult.DONE for u in closed)
    assert any("kinh phí" in u.closed_reason for u in closed)
    # Carried over with a later deadline, not only "in progress" until the same day.
    assert any(u.new_due_on > u.task.due_on for u in carried)
    # The minutes' own words follow the reviews.
    regular = Meeting.objects.current().regular().signed().filter(task_updates__isnull=False)
    for meeting in regular.distinct()[:30]:
        for update in meeting.task_updates.select_related("task"):
            assert update.task.title in meeting.last_resolution_review


def test_bithus_task_board_shows_overdue_open_and_done_tasks(seeded, today, login):
    cell = bithu_cell()
    latest = recorded_meetings(cell)[-1]
    assert latest.status == MeetingStatus.SIGNED
    assert latest.task_updates.filter(result=TaskResult.DONE).exists()
    carried_overdue = Task.objects.of_current_minutes().filter(
        organization=cell, status=TaskStatus.CARRIED_OVER, current_due_on__lt=today
    )
    assert carried_overdue.exists()

    bithu = get_user_model().objects.get(username="bithu")
    response = login(bithu).get(reverse("resolutions:task_board", args=[cell.pk]))
    assert response.status_code == 200
    assert response.context["overdue"] and response.context["open"]
    if today.day > scenario.BITHU_THEMATIC_DAYS_AGO:
        # This quarter's thematic meeting was held a few days ago and reviewed tasks.
        assert (latest.year, latest.month) == (today.year, today.month)
        assert response.context["done_this_month"]


def test_bithu_has_an_open_task_of_her_own(seeded, today, login):
    bithu = get_user_model().objects.get(username="bithu")
    member = Member.objects.get(user=bithu)
    mine = Task.objects.of_current_minutes().open().filter(Q(lead=member) | Q(assignees=member))
    assert mine.filter(current_due_on__gte=today).exists()
    response = login(bithu).get(reverse("resolutions:my_tasks"))
    assert response.status_code == 200 and response.context["tasks"]


def test_some_tasks_are_open_and_a_few_overdue_across_the_commune(seeded, today):
    tasks = Task.objects.of_current_minutes()
    open_count, overdue_count = tasks.open().count(), tasks.overdue(today).count()
    assert 10 <= open_count <= 80
    assert 3 <= overdue_count < open_count
    assert tasks.filter(status=TaskStatus.DONE).count() > 5 * open_count


def test_a_members_year_shows_tasks_done_and_praise(seeded, login):
    praised = (
        TaskUpdate.objects.filter(
            evaluation=Evaluation.PRAISE,
            meeting__is_current=True,
            task__organization=bithu_cell(),
            task__resolution__meeting__is_current=True,
        )
        .select_related("task__resolution__meeting")
        .latest("meeting__scheduled_at")
    )
    member, year = praised.task.lead, praised.task.resolution.meeting.year
    response = login(get_user_model().objects.get(username="bithu")).get(
        reverse("meetings:member_record", args=[member.pk, year])
    )
    record = response.context["record"]
    assert praised.task in record.tasks
    assert record.tasks_done >= 1 and record.praises >= 1
    assert record.meetings_attended >= 1


def test_signed_minutes_still_match_their_fingerprint_after_the_follow_up(seeded):
    """Later reviews move the status of tasks, never the signed content."""
    signed = list(Meeting.objects.current().signed().filter(organization=bithu_cell()))
    assert any(meeting.task_updates.exists() for meeting in signed)
    for meeting in signed:
        content = canonical_json(services.minutes_content(meeting))
        assert content == meeting.signed_content, meeting
        assert meeting.fingerprint == chain.link_fingerprint(
            content,
            cell=meeting.organization_id,
            sequence=meeting.chain_sequence,
            previous=meeting.previous_fingerprint,
        )
        if meeting.kind == MeetingKind.REGULAR:
            assert '"resolution":{' in content and '"task_reviews":[' in content


# ---------------------------------------------------------------- canbo: delegate and reviewer


def test_canbo_follows_a_few_cells_and_is_their_commune_guest(seeded, today):
    canbo = get_user_model().objects.get(username="canbo")
    assignments = DelegateAssignment.objects.filter(delegate=canbo)
    cells = set(assignments.values_list("cell_id", flat=True))
    assert 2 <= len(cells) <= 3 and bithu_cell().pk in cells
    visits = Guest.objects.filter(delegate=canbo, meeting__is_current=True)
    assert visits.count() >= 5
    assert set(visits.values_list("meeting__organization_id", flat=True)) == cells
    assert set(visits.values_list("name", flat=True)) == {"Lê Thị Thanh Hương"}
    # Elsewhere the commune's guests are other committee members, without an account.
    others = Guest.objects.exclude(meeting__organization_id__in=cells)
    assert others.exists() and not others.filter(delegate__isnull=False).exists()

    commune = Organization.objects.get(code=demo_organization.COMMUNE.code)
    first_year, first_month = window(today)[0]
    report = visit_report(commune, date(first_year, first_month, 1), today)
    (row,) = [row for row in report.by_delegate if row.delegate_id == canbo.pk]
    assert row.visits == visits.count() and row.cells_visited == cells


def test_canbo_accepted_the_older_minutes_and_the_recent_ones_wait(seeded, today):
    accepted = Review.objects.filter(verdict=ReviewVerdict.ACCEPTED)
    assert accepted.count() >= 100
    assert set(accepted.values_list("reviewer__username", flat=True)) == {"canbo"}
    for review in accepted.select_related("meeting"):
        assert review.meeting.accepted_at == review.created_at
        assert review.meeting.status == MeetingStatus.SIGNED and review.meeting.is_current

    waiting = list(awaiting_review(Q()))
    assert 5 <= len(waiting) <= 60
    last_month = window(today)[-2]
    recent = Meeting.objects.current().signed().filter(year=last_month[0], month=last_month[1])
    assert recent.exists() and not recent.filter(accepted_at__isnull=False).exists()
    # The corrected minutes wait for canbo to check them again.
    assert Meeting.objects.get(status=MeetingStatus.SUPERSEDED).superseded_by in waiting


def test_bithus_cell_voted_an_admission_and_a_recognition_awaiting_the_superior(
    seeded, today, login
):
    from meetings.decisions import probation_reminders
    from meetings.models import DecisionKind, MemberConsequence

    cell = bithu_cell()
    pending = MemberConsequence.objects.filter(organization=cell).pending()
    assert sorted(pending.values_list("kind", flat=True)) == [
        DecisionKind.ADMISSION,
        DecisionKind.RECOGNITION,
    ]
    meeting = pending.first().decision.meeting
    sealed = record.record_of(meeting).context()["decisions"]
    assert [decision.adopted for decision in sealed] == [True, True]
    # The member made official by the vote is no longer reminded; Trung Hòa's is.
    assert probation_reminders(cell) == []
    trung_hoa = Organization.objects.get(code=demo_organization.CELLS[2].code)
    assert len(probation_reminders(trung_hoa)) == 1
    page = login(get_user_model().objects.get(username="bithu")).get(
        reverse("members:organization_detail", args=[cell.pk])
    )
    assert scenario.ADMISSION_CANDIDATE[0] in page.content.decode()


def test_bithus_cell_has_this_years_rating_drafted_from_its_meetings(seeded, today, login):
    from meetings.member_year import member_year
    from rating.models import RatingRound

    rating_round = RatingRound.objects.get(organization=bithu_cell(), year=today.year)
    roster = Member.objects.roster_of(bithu_cell())
    assert rating_round.assessments.count() == roster.count()
    bithu = get_user_model().objects.get(username="bithu")
    own = rating_round.assessments.get(member__user=bithu)
    assert own.is_written and not own.written_on_behalf
    assert rating_round.assessments.filter(written_on_behalf=True).count() == 2
    record = member_year(own.member, today.year)
    assert own.evidence["meetings"]["present"] == record.meetings_attended >= 1
    assert own.evidence["tasks"]["done"] == record.tasks_done
    response = login(bithu).get(reverse("rating:round", args=[rating_round.pk]))
    assert response.status_code == 200
    assert f"Rating of {today.year} open in {bithu_cell().name}" in seeded


def test_the_statistics_figures_of_the_demo_equal_a_count_from_scratch(seeded):
    """The demo's year of minutes went through the receivers that keep each cell's
    month for the statistics (oversight/month_figures.py)."""
    from meetings.models import Meeting, Review
    from oversight import month_figures
    from oversight.models import MonthFigures

    kept = {
        (row.organization_id, row.year, row.month): {
            name: getattr(row, name) for name in month_figures.FIGURES
        }
        for row in MonthFigures.objects.all()
        if any(getattr(row, name) for name in month_figures.FIGURES)
    }
    assert kept
    assert kept == month_figures.counted(Meeting.objects.all(), Review.objects.all())


def test_the_demo_marks_uploads_to_the_national_app_on_time_late_and_not_at_all(seeded):
    """HD 42: the board's columns and the meeting page have every case to show."""
    from printing import national_app
    from printing.models import NationalAppUpload

    uploads = list(NationalAppUpload.objects.select_related("meeting"))
    assert {upload.stage for upload in uploads} == set(national_app.STAGES)
    on_time = [
        national_app.is_on_time(upload.stage, upload.meeting.held_on, upload.uploaded_at)
        for upload in uploads
    ]
    assert on_time.count(True) > on_time.count(False) > 0
    assert all(upload.uploaded_at <= timezone.now() for upload in uploads)
    held = Meeting.objects.filter(kind__in=["regular", "thematic"]).exclude(status="planned")
    assert held.exclude(national_app_uploads__stage=national_app.BEFORE).exists()
