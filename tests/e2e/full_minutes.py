"""Minutes with something in every section, as wide and as long as real ones get: long
Vietnamese names and titles, guests, a dozen members, earlier tasks to review (one
overdue, one naming a web address), speeches, decisions, several tasks, the vote and
the quality self-score. The phone checks of the recording steps walk it
(tests/e2e/test_recording_steps.py)."""

import datetime

from django.utils import timezone

from meetings import services
from meetings.models import (
    AttendanceStatus,
    Decision,
    DecisionKind,
    Guest,
    MeetingKind,
    Speech,
)
from meetings.rules import meeting_setting
from oversight.models import Guidance
from resolutions.models import Resolution, Task, TaskUpdate
from resolutions.services import save_resolution
from tests.factories import MemberFactory
from tests.helpers import adopt, at, complete, mark, meeting_maker, sign

LONG_NAMES = [
    "Công Tằng Tôn Nữ Thị Ngọc Diệp",
    "Nguyễn Hoàng Phương Thảo Nguyên",
    "Trương Thị Thanh Huyền Trang",
    "Lương Nguyễn Minh Khôi Nguyên",
]
PARAGRAPH = (
    "Chi bộ đã triển khai đầy đủ các văn bản chỉ đạo của Đảng ủy xã; đảng viên gương mẫu "
    "thực hiện chủ trương, đường lối của Đảng, chính sách, pháp luật của Nhà nước; tình hình "
    "an ninh chính trị, trật tự an toàn xã hội trên địa bàn thôn ổn định; nhân dân phấn khởi "
    "tham gia xây dựng nông thôn mới nâng cao, đóng góp ngày công làm đường liên thôn."
)
EARLIER_TASKS = [
    "Vận động nhân dân đăng ký tài khoản định danh điện tử và nộp hồ sơ trực tuyến "
    "trên https://dichvucong.gov.vn/p/home/dvc-trang-chu.html",
    "Phối hợp với Ban công tác Mặt trận thôn rà soát, đề nghị hỗ trợ xóa nhà tạm, "
    "nhà dột nát cho các hộ nghèo, hộ cận nghèo trên địa bàn",
    "Thu đảng phí quý III đầy đủ, đúng hạn",
]
NEW_TASKS = [
    "Tổ chức ra quân vệ sinh môi trường ngày Chủ nhật xanh, khơi thông cống rãnh",
    "Hoàn thiện hồ sơ đề nghị kết nạp quần chúng ưu tú vào Đảng",
    "Vận động nhân dân hiến đất mở rộng đường liên thôn đoạn qua xóm Đình",
    "Thu đảng phí quý IV đầy đủ, đúng hạn",
]


def build_full_minutes(world, roster, kind=MeetingKind.REGULAR):
    """An October meeting being recorded (regular, or thematic with its lead report and
    lessons), every section filled; returns it."""
    newer = [
        MemberFactory(
            organization=world.cell, full_name=name, admitted_on=datetime.date(1995, 1, 1)
        )
        for name in LONG_NAMES
    ]
    official = roster["official"]
    make = meeting_maker(world)

    def recorded(when, kind=MeetingKind.REGULAR, topic=""):
        meeting = make(kind, when=when, topic=topic)
        mark(meeting, dict.fromkeys(newer, AttendanceStatus.PRESENT))
        return complete(meeting, roster)

    september = recorded(at(2026, 9, 5))
    adopt(
        september,
        [
            (title, official[index + 1], datetime.date(2026, 9, 30 - 10 * index))
            for index, title in enumerate(EARLIER_TASKS)
        ],
        title="Nghị quyết lãnh đạo thực hiện nhiệm vụ chính trị tháng 9/2026",
    )
    sign(september, world, roster)
    Guidance.objects.create(
        organization=world.commune,
        year=2026,
        month=10,
        news_material=PARAGRAPH,
        orientation=PARAGRAPH,
        published_at=timezone.now(),
    )

    meeting = recorded(
        at(2026, 10, 5),
        kind,
        topic="Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về xây dựng "
        "Đảng trong sạch, vững mạnh gắn với xây dựng nông thôn mới nâng cao",
    )
    mark(
        meeting,
        {
            official[4]: (AttendanceStatus.ABSENT_EXCUSED, "Đi công tác tại Thành phố Hồ Chí Minh"),
            official[5]: (AttendanceStatus.ABSENT_EXCUSED, "Ốm, nằm viện điều trị dài ngày"),
        },
    )
    meeting.refresh_from_db()
    meeting.agenda = (
        "1. Thông tin thời sự, chính trị; tình hình tư tưởng của đảng viên và nhân dân.\n"
        "2. Kiểm điểm việc thực hiện nghị quyết tháng trước, từng nhiệm vụ một.\n"
        "3. Thảo luận, thông qua nghị quyết lãnh đạo tháng 10; biểu quyết kết nạp đảng viên.\n"
        "4. Tự đánh giá chất lượng buổi sinh hoạt."
    )
    meeting.agenda_approved = True
    meeting.dues_report = "Đã thu đảng phí của 11/13 đồng chí; 2 đồng chí đi vắng nộp sau."
    meeting.news_briefing = PARAGRAPH
    meeting.state_of_mind = PARAGRAPH
    meeting.other_business = PARAGRAPH
    meeting.conclusion = PARAGRAPH
    if kind == MeetingKind.THEMATIC:
        meeting.lead_report_title = (
            "Báo cáo đề dẫn chuyên đề: nâng cao chất lượng sinh hoạt chi bộ ở khu dân cư"
        )
        meeting.lessons_learned = PARAGRAPH
    meeting.quality_scores = {
        criterion["code"]: criterion["max"] for criterion in meeting_setting("QUALITY_CRITERIA")
    }
    meeting.save()
    for order, (name, title, unit) in enumerate(
        [
            ("Nguyễn Thị Phương Thảo Nguyên", "Phó Bí thư Thường trực Đảng ủy", "Đảng ủy xã"),
            ("Hoàng Trọng Minh Khôi", "Trưởng Ban công tác Mặt trận", "Ủy ban Mặt trận Tổ quốc"),
        ],
        start=1,
    ):
        Guest.objects.create(meeting=meeting, name=name, title=title, unit=unit, order=order)
    for order, member in enumerate(official[:4], start=1):
        Speech.objects.create(meeting=meeting, speaker=member, summary=PARAGRAPH, order=order)
    Decision.objects.create(
        meeting=meeting,
        kind=DecisionKind.ADMISSION,
        candidate_name="Nguyễn Hoàng Phương Thảo Nguyên",
        candidate_birth_date=datetime.date(1998, 4, 30),
        note="Quần chúng ưu tú đã hoàn thành lớp bồi dưỡng nhận thức về Đảng.",
        vote_method="hands",
        votes_for=4,
        votes_against=0,
        votes_other=0,
        order=1,
    )
    Decision.objects.create(
        meeting=meeting,
        kind=DecisionKind.EXEMPTION,
        member=roster["exempt"],
        period_until=datetime.date(2027, 12, 31),
        note="Tuổi cao, sức yếu, tự nguyện đề nghị miễn sinh hoạt.",
        vote_method="hands",
        votes_for=4,
        votes_against=0,
        votes_other=0,
        order=2,
    )
    for task in Task.objects.filter(resolution__meeting=september).order_by("order")[:2]:
        TaskUpdate.objects.create(
            task=task, meeting=meeting, result="in_progress", note=PARAGRAPH, evaluation="praise"
        )
    resolution = save_resolution(
        Resolution(
            meeting=meeting,
            number=2,
            title="Nghị quyết lãnh đạo thực hiện nhiệm vụ chính trị tháng 10/2026",
            body=PARAGRAPH,
        )
    )
    members = list(world.cell.members.order_by("pk"))
    for order, title in enumerate(NEW_TASKS, start=1):
        task = Task.objects.create(
            resolution=resolution,
            title=title,
            description=PARAGRAPH[:160],
            lead=members[-order],
            due_on=datetime.date(2026, 11, 30),
            order=order,
        )
        task.assignees.set(members[:2])
    services.refresh_search_text(meeting)
    return meeting
