"""The cell committee meeting (họp chi ủy) that prepares this month's regular meeting.

In the cells of `COMMITTEE_CELLS` the committee met a few days before this month's
regular meeting: its own signed minutes, summoning only the committee members, with
the agenda and a draft resolution of the coming meeting. Where the regular meeting is
already a draft, the secretary copied them in (meetings.preparation.
copy_from_committee_meeting); in bithu's cell the meeting is still planned, so the
recording page offers the copy when she starts recording it.
"""

from datetime import timedelta

from django.utils import timezone

from demo.scenario import COMMITTEE_CELLS, SIGNED
from meetings import preparation, services
from meetings.models import (
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Speech,
    VoteMethod,
)
from resolutions.models import Resolution, ResolutionKind, Task
from resolutions.services import save_resolution
from resolutions.titles import draft_title


def prepare_this_month(cell_year):
    """Record the committee meeting before this month's regular one; None elsewhere."""
    if cell_year.code not in COMMITTEE_CELLS or len(cell_year.committee) < 2:
        return None
    today = cell_year.today
    regular = (
        Meeting.objects.current()
        .regular()
        .for_month(today.year, today.month)
        .filter(organization=cell_year.organization)
        .first()
    )
    if regular is None or regular.status not in {MeetingStatus.PLANNED, MeetingStatus.DRAFT}:
        return None
    # Held a few days before, and over by now, so its minutes could be signed.
    when = min(regular.scheduled_at - timedelta(days=5), timezone.now() - timedelta(days=1))
    committee = _record(cell_year, when, regular)
    if regular.status == MeetingStatus.DRAFT:
        preparation.copy_from_committee_meeting(regular, committee, user=cell_year.user)
    return committee


def _record(cell_year, when, regular):
    meeting = Meeting(
        organization=cell_year.organization,
        kind=MeetingKind.COMMITTEE,
        scheduled_at=timezone.localtime(when).replace(hour=14, minute=0, second=0, microsecond=0),
        location=cell_year.location,
    )
    meeting._history_user = cell_year.user
    services.save_planned_meeting(meeting, user=cell_year.user)
    meeting = services.start_recording(meeting, user=cell_year.user)
    # The whole committee came.
    Attendance.objects.filter(meeting=meeting).update(status=AttendanceStatus.PRESENT)
    present = meeting.attendances.count()
    month = timezone.localtime(regular.scheduled_at).month
    secretary = cell_year.secretary
    note_taker = cell_year.deputy or next(m for m in cell_year.committee if m != secretary)
    meeting.chair, meeting.note_taker = secretary, note_taker
    meeting.started_at = meeting.scheduled_at
    meeting.ended_at = meeting.scheduled_at + timedelta(minutes=90)
    meeting.agenda = (
        "1. Thông tin thời sự, chính trị; tình hình tư tưởng của đảng viên và nhân dân.\n"
        "2. Kiểm điểm việc thực hiện nghị quyết tháng trước.\n"
        f"3. Thảo luận, thông qua dự thảo nghị quyết lãnh đạo tháng {month}.\n"
        "4. Biểu quyết; tự đánh giá chất lượng buổi sinh hoạt."
    )
    meeting.agenda_approved = True
    meeting.state_of_mind = (
        "Đảng viên và nhân dân phấn khởi; một số hộ còn băn khoăn về tiến độ làm đường."
    )
    meeting.next_tasks = (
        f"Chi ủy thống nhất dự thảo nghị quyết tháng {month} trình chi bộ: vận động nhân "
        "dân tham gia vệ sinh môi trường, thu đảng phí đúng hạn, chuẩn bị hồ sơ phát "
        "triển đảng viên."
    )
    meeting.conclusion = (
        f"Chi ủy thống nhất chương trình và dự thảo nghị quyết, trình kỳ sinh hoạt "
        f"thường kỳ tháng {month}."
    )
    meeting.vote_method = VoteMethod.SHOW_OF_HANDS
    meeting.votes_for, meeting.votes_against, meeting.votes_other = present, 0, 0
    meeting.minutes_adopted_votes = present
    meeting._change_reason = "record the minutes"
    meeting._history_user = cell_year.user
    meeting.save()
    for order, (speaker, summary) in enumerate(
        [
            (note_taker, "Đề nghị đưa việc thu đảng phí vào nghị quyết tháng tới."),
            (
                cell_year.committee[-1],
                "Đề nghị giới thiệu thêm quần chúng ưu tú đi học lớp bồi dưỡng nhận thức về Đảng.",
            ),
        ],
        start=1,
    ):
        speech = Speech(meeting=meeting, speaker=speaker, summary=summary, order=order)
        speech._history_user = cell_year.user
        speech.save()
    draft = Resolution(
        meeting=meeting,
        number=1,  # a draft takes no number of the term
        kind=ResolutionKind.DRAFT,
        title=draft_title(month, timezone.localtime(regular.scheduled_at).year),
        body=meeting.next_tasks,
    )
    draft._history_user = cell_year.user
    save_resolution(draft)
    due = timezone.localtime(regular.scheduled_at).date() + timedelta(days=30)
    tasks = [
        ("Vận động nhân dân ra quân vệ sinh môi trường ngày Chủ nhật xanh", secretary),
        ("Thu đảng phí đầy đủ, đúng hạn", note_taker),
        ("Chuẩn bị hồ sơ giới thiệu quần chúng ưu tú", cell_year.committee[-1]),
    ]
    for order, (title, lead) in enumerate(tasks, start=1):
        task = Task(resolution=draft, title=title, lead=lead, due_on=due, order=order)
        task._history_user = cell_year.user
        task.save()
    return cell_year._finalize_and_sign(meeting, SIGNED)
