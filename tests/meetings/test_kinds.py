"""Each kind of meeting by its own rules (meetings.kinds): who is summoned, what
finalizing asks, which sections the minutes have, how long the meeting should last,
and what a cell committee meeting prepares for the regular meeting."""

import unicodedata
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from meetings import preparation, services, warnings
from meetings.kinds import KINDS, MeetingKind, Roster, TaskReview
from meetings.models import AttendanceStatus
from meetings.record import record_of
from members.models import Position, PositionRole
from printing import pdf
from resolutions.models import Resolution, ResolutionKind, Task
from resolutions.services import next_resolution_number, tasks_to_review
from tests.factories import MemberFactory
from tests.helpers import at, complete, mark, sign_both
from tests.printing.pdftools import flat, pdf_text


@pytest.fixture(autouse=True)
def in_english():
    """The messages are compared in English (the msgids)."""
    with translation.override("en"):
        yield


def test_every_kind_of_meeting_is_declared_once():
    assert set(KINDS) == set(MeetingKind)
    assert KINDS[MeetingKind.COMMITTEE].roster == Roster.COMMITTEE
    assert KINDS[MeetingKind.REGULAR].task_review == TaskReview.REQUIRED
    assert KINDS[MeetingKind.THEMATIC].task_review == TaskReview.OPTIONAL
    assert KINDS[MeetingKind.EXTRAORDINARY].task_review == TaskReview.OPTIONAL


# ---------------------------------------------------------------- the cell committee


@pytest.fixture
def committee(world, roster):
    """The committee of world.cell on 5/10/2026: a secretary, a deputy and a committee
    member; a former committee member (until 30/9) and one elected later (from 1/11)."""
    official = roster["official"]
    cell = world.cell

    def hold(member, role, started_on, ended_on=None):
        Position.objects.create(
            member=member, organization=cell, role=role, started_on=started_on, ended_on=ended_on
        )

    hold(official[0], PositionRole.SECRETARY, date(2025, 6, 1))
    hold(official[1], PositionRole.DEPUTY_SECRETARY, date(2025, 6, 1))
    hold(official[2], PositionRole.COMMITTEE_MEMBER, date(2025, 6, 1))
    hold(official[3], PositionRole.COMMITTEE_MEMBER, date(2025, 6, 1), date(2026, 9, 30))
    hold(official[4], PositionRole.COMMITTEE_MEMBER, date(2026, 11, 1))
    # A position in another cell makes nobody a member of this committee.
    Position.objects.create(
        member=official[5],
        organization=world.sibling_cell,
        role=PositionRole.COMMITTEE_MEMBER,
        started_on=date(2025, 6, 1),
    )
    return official[:3]


def test_a_committee_meeting_summons_exactly_the_committee_on_its_date(make_meeting, committee):
    meeting = make_meeting(MeetingKind.COMMITTEE, when=at(2026, 10, 1))
    summoned = {row.member for row in meeting.attendances.all()}
    assert summoned == set(committee)


def record_committee_meeting(meeting, committee, *, votes_for=3):
    meeting.attendances.update(status=AttendanceStatus.PRESENT)  # the committee's rows
    meeting.refresh_from_db()
    meeting.chair, meeting.note_taker = committee[0], committee[1]
    meeting.ended_at = meeting.started_at + timedelta(minutes=60)
    meeting.agenda = "1. Thông tin thời sự\n2. Kiểm điểm nghị quyết tháng 9"
    meeting.conclusion = "Chi ủy thống nhất dự thảo nghị quyết tháng 10."
    meeting.vote_method = "hands"
    meeting.votes_for, meeting.votes_against, meeting.votes_other = votes_for, 0, 0
    meeting.minutes_adopted_votes = 3
    meeting.save()
    return meeting


def test_a_committee_meeting_finalizes_with_only_the_committee_marked(
    make_meeting, committee, world
):
    meeting = record_committee_meeting(make_meeting(MeetingKind.COMMITTEE), committee)
    summary = services.summarize_attendance(meeting)
    assert (summary.present, summary.summoned) == (3, 3)
    assert services.missing_for_finalize(meeting) == []
    services.finalize_minutes(meeting, user=world.secretary)
    meeting.refresh_from_db()
    assert (meeting.present_count, meeting.summoned_count) == (3, 3)


def test_the_committee_vote_counts_against_the_committee_not_the_cell(make_meeting, committee):
    meeting = record_committee_meeting(make_meeting(MeetingKind.COMMITTEE), committee)
    vote_count = services.summarize_attendance(meeting).vote_count
    assert vote_count.denominator == 3  # not the 6 official members of the cell
    assert vote_count.is_adopted(2)
    assert vote_count.tally_error(4, 0, 0)  # one hand more than the committee


def test_a_committee_draft_resolution_takes_no_number_and_is_not_followed_up(
    make_meeting, committee, roster, world
):
    meeting = record_committee_meeting(make_meeting(MeetingKind.COMMITTEE), committee)
    draft = Resolution.objects.create(
        meeting=meeting, number=1, kind=ResolutionKind.DRAFT, title="Dự thảo nghị quyết"
    )
    Task.objects.create(
        resolution=draft, title="Vận động", lead=committee[0], due_on=date(2026, 11, 1)
    )
    services.finalize_minutes(meeting, user=world.secretary)
    regular = make_meeting(when=at(2026, 10, 10))
    assert next_resolution_number(world.cell, "2025–2030") == 1
    assert list(tasks_to_review(regular)) == []


@pytest.fixture
def prepared(make_meeting, committee, world):
    """A finalized committee meeting on 1/10 with a draft resolution of two tasks (one
    with a co-assignee), and the regular meeting of 10/10 being recorded."""
    meeting = record_committee_meeting(
        make_meeting(MeetingKind.COMMITTEE, when=at(2026, 10, 1)), committee
    )
    draft = Resolution.objects.create(
        meeting=meeting,
        number=1,
        kind=ResolutionKind.DRAFT,
        title="Dự thảo nghị quyết lãnh đạo tháng 10",
        body="Tập trung thu hoạch lúa mùa.",
    )
    first = Task.objects.create(
        resolution=draft, title="Vận động thu hoạch", lead=committee[0], due_on=date(2026, 11, 1)
    )
    first.assignees.set([committee[2]])
    Task.objects.create(
        resolution=draft,
        title="Thu đảng phí",
        lead=committee[1],
        due_on=date(2026, 10, 31),
        order=2,
    )
    services.finalize_minutes(meeting, user=world.secretary)
    meeting.refresh_from_db()
    return meeting, make_meeting(when=at(2026, 10, 10))


def test_the_regular_meeting_copies_what_the_committee_prepared(prepared, committee, world):
    committee_meeting, regular = prepared
    assert preparation.committee_meeting_to_copy(regular) == committee_meeting
    copied = preparation.copy_from_committee_meeting(
        regular, committee_meeting, user=world.secretary
    )
    assert copied == (2, True)
    regular.refresh_from_db()
    assert regular.agenda == committee_meeting.agenda
    resolution = Resolution.objects.get(meeting=regular)
    # Adopted, it is the cell's resolution: no longer titled as a draft.
    assert (resolution.title, resolution.kind, resolution.number) == (
        "Nghị quyết lãnh đạo tháng 10",
        ResolutionKind.MONTHLY,
        1,
    )
    tasks = list(resolution.tasks.order_by("order"))
    assert [task.title for task in tasks] == ["Vận động thu hoạch", "Thu đảng phí"]
    assert tasks[0].everyone_assigned() == [committee[0], committee[2]]
    # Once the regular meeting has tasks, nothing more is offered (no double copy).
    assert preparation.committee_meeting_to_copy(regular) is None
    with pytest.raises(services.MeetingError):
        preparation.copy_from_committee_meeting(regular, committee_meeting, user=world.secretary)
    # The committee's own draft is unchanged.
    assert committee_meeting.resolution.tasks.count() == 2


def test_a_committee_meeting_too_long_before_or_a_draft_is_not_offered(
    make_meeting, committee, world
):
    early = record_committee_meeting(
        make_meeting(MeetingKind.COMMITTEE, when=at(2026, 7, 1)), committee
    )
    services.finalize_minutes(early, user=world.secretary)
    unfinished = record_committee_meeting(
        make_meeting(MeetingKind.COMMITTEE, when=at(2026, 10, 1)), committee
    )
    regular = make_meeting(when=at(2026, 10, 10))
    assert unfinished.status == "draft"
    assert preparation.committee_meeting_to_copy(regular) is None


def test_the_recording_page_offers_the_copy_and_the_button_copies(prepared, login, world):
    committee_meeting, regular = prepared
    client = login(world.secretary)
    page = client.get(reverse("meetings:record", args=[regular.pk]))
    copy_url = reverse("meetings:copy_from_committee", args=[regular.pk, committee_meeting.pk])
    assert copy_url in page.content.decode()
    response = client.post(copy_url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("meetings:record", args=[regular.pk])
    assert Resolution.objects.get(meeting=regular).tasks.count() == 2
    assert copy_url not in response.content.decode()


@pytest.mark.parametrize(
    "draft_title",
    [
        "dự thảo nghị quyết lãnh đạo tháng 10",
        "DỰ THẢO: Nghị quyết lãnh đạo tháng 10",
        unicodedata.normalize("NFD", "Dự thảo nghị quyết lãnh đạo tháng 10"),
        "Nghị quyết lãnh đạo tháng 10 (dự thảo)",
    ],
)
def test_the_copied_resolution_drops_draft_however_it_was_written(draft_title, prepared, world):
    committee_meeting, regular = prepared
    Resolution.objects.filter(pk=committee_meeting.resolution.pk).update(title=draft_title)
    preparation.copy_from_committee_meeting(regular, committee_meeting, user=world.secretary)
    assert Resolution.objects.get(meeting=regular).title == "Nghị quyết lãnh đạo tháng 10"


def test_a_draft_titled_only_draft_resolution_becomes_the_cells_resolution_of_the_month(
    prepared, world
):
    committee_meeting, regular = prepared
    Resolution.objects.filter(pk=committee_meeting.resolution.pk).update(title="Dự thảo nghị quyết")
    preparation.copy_from_committee_meeting(regular, committee_meeting, user=world.secretary)
    assert Resolution.objects.get(meeting=regular).title == "Nghị quyết chi bộ tháng 10/2026"


@pytest.mark.parametrize("step", ["opening", "closing"])
def test_copying_from_a_step_lands_back_on_that_step(step, prepared, login, world):
    """Not on the one-page form, which offers to finalize."""
    committee_meeting, regular = prepared
    client = login(world.secretary)
    page = client.get(reverse("meetings:record_step", args=[regular.pk, step]))
    assert f'<input type="hidden" name="step" value="{step}">' in page.content.decode()
    copy_url = reverse("meetings:copy_from_committee", args=[regular.pk, committee_meeting.pk])
    response = client.post(copy_url, {"step": step})
    assert response.url == reverse("meetings:record_step", args=[regular.pk, step])
    assert Resolution.objects.get(meeting=regular).tasks.count() == 2


def test_a_refused_copy_also_goes_back_to_the_step(prepared, login, world):
    committee_meeting, regular = prepared
    preparation.copy_from_committee_meeting(regular, committee_meeting, user=world.secretary)
    client = login(world.secretary)
    copy_url = reverse("meetings:copy_from_committee", args=[regular.pk, committee_meeting.pk])
    response = client.post(copy_url, {"step": "closing"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "meetings:record_step", args=[regular.pk, "closing"]
    )
    # The page speaks the secretary's language (Vietnamese), whatever this test's.
    assert "Không có nội dung nào của cuộc họp chi ủy" in response.content.decode()


def test_an_unknown_step_goes_back_to_the_one_page_form(prepared, login, world):
    committee_meeting, regular = prepared
    client = login(world.secretary)
    copy_url = reverse("meetings:copy_from_committee", args=[regular.pk, committee_meeting.pk])
    response = client.post(copy_url, {"step": "https://example.com/"})
    assert response.url == reverse("meetings:record", args=[regular.pk])


def test_a_committee_meeting_of_another_cell_cannot_be_copied(prepared, login, world):
    committee_meeting, regular = prepared
    client = login(world.outsider)
    url = reverse("meetings:copy_from_committee", args=[regular.pk, committee_meeting.pk])
    assert client.post(url).status_code == 404
    assert not Task.objects.filter(resolution__meeting=regular).exists()


# ---------------------------------------------------------------- the review of open tasks


@pytest.fixture
def open_task(make_meeting, roster, world, adopt):
    """A signed September meeting whose resolution left one task open."""
    september = complete(make_meeting(when=at(2026, 9, 5)), roster)
    adopt(september, [("Làm đường liên thôn", roster["official"][0], date(2026, 12, 31))])
    services.finalize_minutes(september, user=world.secretary)
    sign_both(september, world, roster)
    return september


@pytest.mark.parametrize("kind", [MeetingKind.THEMATIC, MeetingKind.EXTRAORDINARY])
def test_thematic_and_extraordinary_meetings_finalize_with_open_tasks_unreviewed(
    kind, open_task, make_meeting, roster, world
):
    meeting = complete(make_meeting(kind, when=at(2026, 10, 20), topic="Kết nạp đảng viên"), roster)
    assert services.missing_for_finalize(meeting) == []
    services.finalize_minutes(meeting, user=world.secretary)


def test_a_regular_meeting_still_waits_for_the_review_of_open_tasks(
    open_task, make_meeting, roster
):
    meeting = complete(make_meeting(when=at(2026, 10, 5)), roster)
    assert services.missing_for_finalize(meeting) == [
        "the review of 1 open task from earlier resolutions"
    ]


def test_thematic_minutes_have_no_review_section_when_none_was_recorded(
    open_task, make_meeting, roster
):
    thematic = complete(make_meeting(MeetingKind.THEMATIC, when=at(2026, 10, 20)), roster)
    minutes = record_of(thematic)
    assert "last_resolution_review" not in minutes.section_names()
    assert not minutes.shows_task_review
    thematic.last_resolution_review = "Chi bộ điểm lại việc làm đường liên thôn."
    thematic.save()
    assert "last_resolution_review" in record_of(thematic).section_names()
    regular = complete(make_meeting(when=at(2026, 10, 5)), roster)
    assert record_of(regular).shows_task_review  # required: even when empty


def test_the_printed_thematic_minutes_leave_out_the_review_section(make_meeting, roster, world):
    thematic = complete(make_meeting(MeetingKind.THEMATIC, when=at(2026, 10, 20)), roster)
    text = flat(pdf_text(pdf.render_minutes(thematic)))
    assert "Kiểm điểm việc thực hiện nghị quyết tháng trước" not in text
    assert "Báo cáo đề dẫn" in text
    regular = complete(make_meeting(when=at(2026, 10, 5)), roster)
    assert "Kiểm điểm việc thực hiện nghị quyết tháng trước" in flat(
        pdf_text(pdf.render_minutes(regular))
    )


# ---------------------------------------------------------------- the lead report


def test_a_thematic_meeting_needs_its_presenter_and_lead_report(make_meeting, roster):
    meeting = complete(make_meeting(MeetingKind.THEMATIC), roster)
    meeting.presenter = None
    meeting.lead_report_title = ""
    meeting.save()
    missing = services.missing_for_finalize(meeting)
    assert "who presented the lead report" in missing
    assert "the lead report" in missing
    regular = complete(make_meeting(when=at(2026, 11, 5)), roster)
    assert services.missing_for_finalize(regular) == []  # no lead report asked of it


# ---------------------------------------------------------------- duration


def test_a_45_minute_regular_meeting_finalizes_with_a_warning(make_meeting, roster, world, login):
    meeting = complete(make_meeting(), roster)
    meeting.ended_at = meeting.started_at + timedelta(minutes=45)
    meeting.save()
    warning = (
        "The meeting lasted 45 minutes; the minimum for this kind of meeting "
        "(regular monthly meeting) is 90 minutes."
    )
    assert warnings.duration_warnings(meeting) == [warning]
    assert warning in services.summarize_attendance(meeting).warnings  # while recording
    client = login(world.secretary)
    response = client.post(
        reverse("meetings:finalize", args=[meeting.pk]), follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    meeting.refresh_from_db()
    assert meeting.status == "finalized"  # a warning, not a block
    shown = [str(message) for message in response.context["messages"]]
    assert any("45" in message and "90" in message for message in shown), shown


def test_a_95_minute_regular_meeting_has_no_duration_warning(make_meeting, roster):
    assert warnings.duration_warnings(complete(make_meeting(), roster)) == []


def test_a_thematic_and_a_regular_meeting_the_same_day_need_120_minutes_together(
    make_meeting, roster
):
    regular = complete(make_meeting(when=at(2026, 10, 5, 8, 0)), roster)
    thematic = complete(make_meeting(MeetingKind.THEMATIC, when=at(2026, 10, 5, 9, 35)), roster)
    thematic.ended_at = thematic.started_at + timedelta(minutes=20)
    thematic.save()
    shown = warnings.duration_warnings(thematic)
    assert any("115" in warning and "120" in warning for warning in shown), shown
    assert any("20 minutes" in warning for warning in shown)  # under its own 30
    assert any("115" in warning for warning in warnings.duration_warnings(regular))
    thematic.ended_at = thematic.started_at + timedelta(minutes=40)
    thematic.save()
    assert warnings.duration_warnings(thematic) == []


def test_meetings_on_different_days_are_not_added_together(make_meeting, roster):
    complete(make_meeting(when=at(2026, 10, 5)), roster)
    thematic = complete(make_meeting(MeetingKind.THEMATIC, when=at(2026, 10, 6)), roster)
    thematic.ended_at = thematic.started_at + timedelta(minutes=20)
    thematic.save()
    assert all("together" not in warning for warning in warnings.duration_warnings(thematic))


# ---------------------------------------------------------------- the absence streak


def test_a_member_absent_with_reason_three_meetings_running_is_named(make_meeting, roster):
    member = roster["official"][3]
    for month in (8, 9):
        earlier = complete(make_meeting(when=at(2026, month, 5)), roster)
        mark(earlier, {member: (AttendanceStatus.ABSENT_EXCUSED, "Ốm")})
    meeting = complete(make_meeting(when=at(2026, 10, 5)), roster)
    mark(meeting, {member: (AttendanceStatus.ABSENT_EXCUSED, "Ốm")})
    warning = f"{member.full_name} has been absent with reason 3 meetings running."
    assert warning in services.summarize_attendance(meeting).warnings
    # Present once in between: the streak is broken.
    september = meeting.organization.meetings.get(month=9)
    mark(september, {member: AttendanceStatus.PRESENT})
    assert warning not in services.summarize_attendance(meeting).warnings


def test_two_absences_running_are_not_yet_a_streak(make_meeting, roster):
    member = roster["official"][3]
    earlier = complete(make_meeting(when=at(2026, 9, 5)), roster)
    mark(earlier, {member: (AttendanceStatus.ABSENT_EXCUSED, "Ốm")})
    meeting = complete(make_meeting(when=at(2026, 10, 5)), roster)
    mark(meeting, {member: (AttendanceStatus.ABSENT_EXCUSED, "Ốm")})
    assert not any(member.full_name in w for w in services.summarize_attendance(meeting).warnings)


# ---------------------------------------------------------------- names in order


def test_the_attendance_list_orders_names_by_tone(world, make_meeting):
    cell = world.cell
    for name in ["Lê Văn Hạ", "Lê Văn Há", "Lê Văn Hà", "Lê Văn Hã", "Lê Văn Ha", "Lê Văn Hả"]:
        MemberFactory(organization=cell, full_name=name)
    meeting = make_meeting()
    names = [row.member.full_name for row in meeting.attendances.select_related("member")]
    tones = [name for name in names if name.startswith("Lê Văn H")]
    assert tones == ["Lê Văn Ha", "Lê Văn Hà", "Lê Văn Hả", "Lê Văn Hã", "Lê Văn Há", "Lê Văn Hạ"]


def test_the_committee_minutes_print_a_draft_not_a_numbered_resolution(prepared):
    committee_meeting, _regular = prepared
    text = flat(pdf_text(pdf.render_minutes(committee_meeting)))
    assert "Họp chi ủy" in text
    assert "Tổng số chi ủy viên: 3 đồng chí" in text  # the committee, not the cell
    assert "dự thảo nghị quyết trình kỳ sinh hoạt thường kỳ tới" in text
    assert "Nghị quyết số" not in text
    assert "Kiểm điểm việc thực hiện nghị quyết tháng trước" not in text


def test_every_list_of_the_minutes_texts_takes_the_proceedings_from_kinds():
    """meetings.kinds is the one home of the proceedings sections: the sealed content,
    the search, the recording step and the form list them in its order."""
    from meetings import record, search_text, steps
    from meetings.forms import MinutesForm
    from meetings.kinds import ALL_PROCEEDINGS
    from meetings.models import Meeting

    proceedings_step = next(step for step in steps.STEPS if step.name == "proceedings")
    lists = {
        "sealed content": record.TEXT_SECTIONS,
        "search": search_text.SEARCHED_FIELDS,
        "recording step": proceedings_step.minutes_fields,
        "form": MinutesForm._meta.fields,
    }
    for where, names in lists.items():
        names = list(names)
        start = names.index(ALL_PROCEEDINGS[0])
        assert tuple(names[start : start + len(ALL_PROCEEDINGS)]) == ALL_PROCEEDINGS, where
    for rules in KINDS.values():
        assert [name for name in ALL_PROCEEDINGS if name in rules.sections] == list(rules.sections)
    assert all(Meeting._meta.get_field(name) for name in ALL_PROCEEDINGS)
