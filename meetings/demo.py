"""A fictional year of meetings for the demo cells (`manage.py seed_demo`).

For each of the 13 demo cells of `members.demo`, the 12 months up to and including
the current one: a regular meeting in most months and a thematic meeting in most
quarters, recorded through the real services (`meetings.services`), so attendance
snapshots, signatures, fingerprints and history are what the app itself would make.

- Past meetings are mostly signed: chaired by the cell's secretary, notes taken by the
  deputy or another member, attendance of 85–100 % with a few weaker months, absences
  with plausible reasons, a commune committee member attending now and then, 2–5
  speeches, a vote by show of hands and a quality self-score.
- A few gaps on purpose: one past month without a regular meeting in three cells
  (among them bithu's village cell, so the year grid shows a gap) and one quarter
  without a thematic meeting in two cells.
- Last month: one draft, one finalized minutes nobody signed, one signed by the
  note-taker only. This month: bithu's meeting is planned a few days ahead (to record
  it in the demo); the other cells have drafts or planned meetings.
- One meeting of bithu's cell was returned by canbo and corrected into version 2.
- Each complete regular meeting adopts its monthly leadership resolution (numbered per
  cell and term) with 2–4 tasks from its "next tasks", each led by a member of the cell,
  sometimes with one or two helpers, due within the month; three thematic meetings in
  five adopt a thematic resolution with its 1–2 tasks.
- Every meeting reviews each task still open (`resolutions.services.tasks_to_review`)
  before it is finalized, as the app requires: most done (some praised), some partly
  done and carried over to a new deadline (some with a reminder), a few not done and
  closed with a reason. A thematic meeting reviews them too: a task not due yet is done
  early or reported under way. This month's drafts have
  ticked off half of them; the meetings still planned leave last month's tasks open.
- bithu's cell holds this quarter's thematic meeting a few days ago (from the 4th of the
  month on): it reviews last month's tasks, praises one, carries one over to a deadline
  already past, and gives bithu a task still open; her board shows overdue, open and
  done-this-month tasks.
- canbo follows three cells for the commune (DelegateAssignment): the commune's guest
  there is her, linked to her account. She accepted the signed minutes of two months
  back and older (four in one cell); last month's and the corrected ones wait for her.

Everything is drawn from random generators with fixed seeds: given the same day and
the same members, every run builds the same meetings. Dates of signing are the time
of seeding (the services stamp them with timezone.now()).
"""

import calendar
import math
import random
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from types import SimpleNamespace
from typing import NamedTuple
from unittest.mock import patch

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_create_with_history

from cellmeet.templatetags.cellmeet_tags import person_name
from meetings import services
from meetings.models import (
    Attendance,
    AttendanceStatus,
    Guest,
    Meeting,
    MeetingKind,
    SignerRole,
    Speech,
    VoteMethod,
    quality_criteria_for,
)
from meetings.rules import meeting_setting
from meetings.services import accept_minutes
from members import demo as members_demo
from members.models import (
    ActivityStatus,
    CellType,
    DelegateAssignment,
    Member,
    MembershipStatus,
    Organization,
    Position,
    PositionRole,
    Role,
    RoleKind,
)
from oversight.delegates import assign_delegate, delegate_choices, overlapping_assignments
from resolutions.models import (
    Evaluation,
    Resolution,
    ResolutionKind,
    Task,
    TaskDecision,
    TaskResult,
    TaskUpdate,
    term_of,
)
from resolutions.services import (
    next_resolution_number,
    save_resolution,
    save_task_review,
    tasks_to_review,
)

SEED = f"{members_demo.SEED}:meetings"
MONTHS = 12  # up to and including the current month

# What happens to a meeting.
PLANNED, DRAFT, FINALIZED, HALF_SIGNED, SIGNED, RETURNED = (
    "planned",
    "draft",
    "finalized",
    "half_signed",
    "signed",
    "returned",
)


def _code(number):
    return f"DEMO-YH-{number:02d}"


BITHU_CELL = members_demo.CELLS[0].code
# Cells that skipped the regular meeting of one past month: months back from this one.
MISSING_MONTH = {_code(1): 4, _code(4): 9, _code(12): 2}
MISSING_MONTH_REASON = {
    _code(1): "mưa lớn kéo dài, nhà văn hóa thôn bị ngập",
    _code(4): "trùng dịp nghỉ Tết Nguyên đán",
    _code(12): "lực lượng tập trung bảo vệ các hoạt động kỷ niệm Quốc khánh",
}
# Cells that held no thematic meeting in one past quarter: quarters back from this one.
MISSING_QUARTER = {_code(5): 2, _code(12): 1}
# bithu's cell: the minutes of this month back were returned by canbo and corrected.
RETURNED_MONTH = (BITHU_CELL, 2)
RETURN_COMMENT = (
    "Mục nhiệm vụ tháng tới chưa ghi rõ người thực hiện và thời hạn hoàn thành của "
    "từng nhiệm vụ. Đề nghị chi bộ bổ sung, hoàn chỉnh biên bản và ký lại."
)
# Last month's minutes not signed yet.
LAST_MONTH = {_code(5): DRAFT, _code(8): FINALIZED, _code(10): HALF_SIGNED}
# This month: drafts in these cells (if their day has passed), planned elsewhere.
THIS_MONTH_DRAFTS = {_code(n) for n in (2, 3, 6, 9, 11, 13)}
# This quarter's thematic meeting moved into this month.
THEMATIC_THIS_MONTH = {_code(3): DRAFT, _code(7): PLANNED, _code(9): PLANNED}
# Meetings that ran short of the 90 minutes: (cell, months back).
SHORT_MEETINGS = {(_code(6), 3), (_code(11), 6)}
# bithu's cell holds this quarter's thematic meeting this month, this many days ago (when
# the month is old enough), so that her task board shows tasks done this month.
BITHU_THEMATIC_DAYS_AGO = 3
# canbo, the commune's reviewer, follows these cells: she is the commune's guest there.
CANBO_CELLS = [BITHU_CELL, _code(2), _code(9)]
# canbo accepted the signed minutes of this many months back and older; the recent ones
# wait in her queue, and so do a few older ones of the cells where she is behind.
ACCEPTED_MONTHS_BACK = 2
REVIEW_BEHIND = {_code(6): 4}
# Share of thematic meetings that adopt a resolution of their own.
THEMATIC_RESOLUTION_SHARE = 0.6

START_TIMES = {
    CellType.VILLAGE: (19, 30),
    CellType.SCHOOL: (16, 30),
    CellType.POLICE: (14, 0),
    CellType.HEALTH: (16, 30),
}

# The commune committee members who follow the cells (fictional).
GUESTS = ["Nguyễn Văn Thắng", "Trần Thị Minh Huệ", "Đỗ Quang Hưng", "Hoàng Thị Lan"]
GUEST_TITLE = "Đảng ủy viên, phụ trách chi bộ"
GUEST_UNIT = "Đảng ủy xã Yên Hòa"


# ---------------------------------------------------------------- texts

# News and political briefing: items by month of the meeting.
NEWS = {
    1: [
        "tình hình kinh tế - xã hội năm {prev_year} và mục tiêu, nhiệm vụ năm {year}",
        "hướng dẫn tổ chức đón Tết Nguyên đán vui tươi, lành mạnh, an toàn, tiết kiệm",
        "kết quả đánh giá, xếp loại chất lượng tổ chức đảng và đảng viên năm {prev_year}",
    ],
    2: [
        "kỷ niệm ngày thành lập Đảng Cộng sản Việt Nam (03/02)",
        "tình hình an ninh trật tự, an toàn giao thông dịp Tết Nguyên đán",
        "phát động Tết trồng cây đầu xuân",
        "phòng chống cháy nổ, quản lý lễ hội đầu năm",
    ],
    3: [
        "kỷ niệm ngày Quốc tế Phụ nữ 8/3 và ngày thành lập Đoàn TNCS Hồ Chí Minh 26/3",
        "hướng dẫn học tập, quán triệt các nghị quyết mới của Đảng",
        "tình hình giá cả thị trường sau Tết",
        "phòng trừ rầy nâu, bệnh đạo ôn trên lúa xuân",
    ],
    4: [
        "kỷ niệm ngày Giải phóng miền Nam, thống nhất đất nước 30/4 và Quốc tế Lao động 1/5",
        "kế hoạch phòng chống thiên tai và tìm kiếm cứu nạn năm {year}",
        "tình hình dịch bệnh trên gia súc, gia cầm, nhất là dịch tả lợn châu Phi",
    ],
    5: [
        "kỷ niệm ngày sinh Chủ tịch Hồ Chí Minh (19/5)",
        "phòng chống nắng nóng và đuối nước trẻ em dịp hè",
        "kết quả thu hoạch vụ xuân và kế hoạch sản xuất vụ mùa",
    ],
    6: [
        "công tác phòng chống thiên tai mùa mưa bão theo phương châm “bốn tại chỗ”",
        "sơ kết công tác xây dựng Đảng 6 tháng đầu năm",
        "kỳ thi tốt nghiệp trung học phổ thông năm {year}",
        "ngày Gia đình Việt Nam 28/6",
    ],
    7: [
        "kỷ niệm ngày Thương binh - Liệt sĩ 27/7 và phong trào đền ơn đáp nghĩa",
        "dự báo bão, áp thấp nhiệt đới trên Biển Đông trong mùa mưa bão",
        "phòng chống dịch sốt xuất huyết mùa mưa",
    ],
    8: [
        "kỷ niệm Cách mạng tháng Tám và Quốc khánh 2/9",
        "ngày hội toàn dân bảo vệ an ninh Tổ quốc (19/8)",
        "tình hình mưa lũ, sạt lở đất tại các tỉnh miền núi phía Bắc",
    ],
    9: [
        "kết quả tổ chức các hoạt động kỷ niệm Quốc khánh 2/9",
        "khai giảng năm học mới {year}–{next_year}",
        "phòng chống bão, lũ cuối mùa",
        "tổ chức Tết Trung thu cho thiếu nhi",
    ],
    10: [
        "kỷ niệm ngày thành lập Hội Liên hiệp Phụ nữ Việt Nam (20/10)",
        "kết quả hội nghị Trung ương gần đây",
        "chuyển đổi số và thanh toán không dùng tiền mặt",
        "tình hình sản xuất vụ đông",
    ],
    11: [
        "ngày hội Đại đoàn kết toàn dân tộc (18/11) và ngày Nhà giáo Việt Nam (20/11)",
        "hướng dẫn kiểm điểm, đánh giá, xếp loại chất lượng tổ chức đảng, đảng viên năm {year}",
        "tình hình kinh tế - xã hội 10 tháng đầu năm",
    ],
    12: [
        "kỷ niệm ngày thành lập Quân đội nhân dân Việt Nam (22/12)",
        "tổng kết công tác xây dựng Đảng năm {year}",
        "phòng chống rét đậm, rét hại cho người, gia súc và cây trồng",
        "kế hoạch tổ chức Tết Nguyên đán",
    ],
}
LOCAL_NEWS = {
    CellType.VILLAGE: [
        "tiến độ xây dựng nông thôn mới nâng cao của xã",
        "kết quả thu nộp các khoản đóng góp của nhân dân",
        "hướng dẫn cài đặt ứng dụng Sổ tay đảng viên và định danh điện tử VNeID",
        "kế hoạch làm đường giao thông nội đồng",
    ],
    CellType.SCHOOL: [
        "kế hoạch chuyển đổi số trong ngành giáo dục",
        "hướng dẫn thực hiện chương trình giáo dục phổ thông",
        "kết quả thi đua của các trường trên địa bàn xã",
    ],
    CellType.POLICE: [
        "tình hình an ninh trật tự trên địa bàn xã",
        "kết quả làm sạch dữ liệu dân cư và cấp định danh điện tử",
        "thủ đoạn lừa đảo chiếm đoạt tài sản qua mạng",
    ],
    CellType.HEALTH: [
        "tình hình dịch bệnh trên địa bàn xã",
        "kế hoạch tiêm chủng mở rộng",
        "triển khai sổ sức khỏe điện tử",
    ],
}

STATE_OF_MIND = {
    CellType.VILLAGE: [
        "Đảng viên trong chi bộ yên tâm, tin tưởng vào sự lãnh đạo của Đảng, chấp hành tốt "
        "chủ trương, chính sách của Nhà nước.",
        "Nhân dân trong thôn phấn khởi, đoàn kết, tích cực tham gia các phong trào của địa phương.",
        "Đa số đảng viên gương mẫu; một số đảng viên tuổi cao, sức yếu nên hạn chế tham gia "
        "hoạt động.",
    ],
    CellType.SCHOOL: [
        "Cán bộ, giáo viên, nhân viên yên tâm công tác, đoàn kết, tâm huyết với nghề.",
        "Đảng viên gương mẫu trong giảng dạy, được phụ huynh tin tưởng.",
        "Một số giáo viên trẻ còn áp lực vì khối lượng hồ sơ, sổ sách.",
    ],
    CellType.POLICE: [
        "Cán bộ, chiến sĩ có bản lĩnh chính trị vững vàng, yên tâm công tác, sẵn sàng nhận và "
        "hoàn thành nhiệm vụ.",
        "Khối lượng công việc lớn, nhất là làm sạch dữ liệu dân cư, nhưng anh em luôn cố gắng.",
        "Nhân dân tin tưởng, phối hợp tốt với lực lượng công an trong giữ gìn an ninh trật tự.",
    ],
    CellType.HEALTH: [
        "Cán bộ, nhân viên trạm y tế yên tâm công tác, giữ gìn y đức.",
        "Nhân dân hài lòng với việc khám, chữa bệnh ban đầu tại trạm.",
        "Áp lực công việc tăng khi có dịch nhưng anh chị em vẫn bảo đảm trực 24/24 giờ.",
    ],
}
VILLAGE_SEASON = {
    1: "Bà con phấn khởi chuẩn bị đón Tết, song còn lo giá cả hàng hóa tăng.",
    2: "Nhân dân vui Xuân, đón Tết an toàn; nhiều thanh niên đi làm ăn xa đã trở lại nơi làm việc.",
    3: "Bà con lo lắng trước tình hình sâu bệnh trên lúa xuân và giá phân bón tăng.",
    4: "Nhân dân quan tâm đến việc chỉnh trang đường giao thông nội đồng và kênh mương.",
    5: "Bà con phấn khởi vì vụ xuân được mùa, nhưng giá lúa thấp nên thu nhập chưa tăng.",
    6: "Nhân dân lo ngại nắng nóng kéo dài, thiếu nước tưới cho cây màu.",
    7: "Một số hộ ở khu vực thấp trũng lo lắng trước mùa mưa bão.",
    8: "Nhân dân quan tâm tình hình mưa lũ ở các tỉnh miền núi, tích cực ủng hộ đồng bào bị "
    "thiên tai.",
    9: "Phụ huynh phấn khởi khi con em vào năm học mới; một số hộ còn khó khăn về chi phí học tập.",
    10: "Bà con tập trung thu hoạch vụ mùa, phấn khởi vì năng suất khá.",
    11: "Nhân dân đồng tình với chủ trương xây dựng nông thôn mới nâng cao, sẵn sàng đóng góp "
    "ngày công.",
    12: "Một số hộ chăn nuôi lo lắng trước đợt rét đậm, rét hại.",
}

# Tasks for next month: a general pool per kind of cell and a few by month.
TASKS = {
    CellType.VILLAGE: [
        "Vận động nhân dân vệ sinh đường làng, ngõ xóm, thu gom rác thải đúng nơi quy định",
        "Thu nộp đảng phí đầy đủ, đúng hạn",
        "Vận động các hộ hoàn thành các khoản đóng góp xây dựng nông thôn mới nâng cao",
        "Hướng dẫn người dân cài đặt, sử dụng VNeID và thanh toán không dùng tiền mặt",
        "Nắm tình hình tư tưởng nhân dân, hòa giải kịp thời mâu thuẫn ở khu dân cư",
        "Rà soát, giới thiệu quần chúng ưu tú học lớp bồi dưỡng nhận thức về Đảng",
        "Duy trì tổ an ninh xung kích tuần tra ban đêm",
    ],
    CellType.SCHOOL: [
        "Duy trì nề nếp dạy và học, tổ chức dự giờ thăm lớp",
        "Thu nộp đảng phí đầy đủ, đúng hạn",
        "Ứng dụng công nghệ thông tin, chuyển đổi số trong dạy học và quản lý",
        "Phối hợp với cha mẹ học sinh bảo đảm an toàn cho học sinh",
        "Bồi dưỡng chuyên môn cho giáo viên trẻ",
        "Giữ gìn vệ sinh trường lớp, xây dựng cảnh quan xanh - sạch - đẹp",
    ],
    CellType.POLICE: [
        "Duy trì nghiêm chế độ trực ban, trực chiến",
        "Thu nộp đảng phí đầy đủ, đúng hạn",
        "Tuần tra, kiểm soát bảo đảm trật tự an toàn giao thông",
        "Làm sạch dữ liệu dân cư, hướng dẫn nhân dân kích hoạt định danh điện tử",
        "Nắm tình hình an ninh nông thôn, phòng ngừa tội phạm ma túy, cờ bạc",
        "Tuyên truyền phòng chống lừa đảo qua mạng cho người cao tuổi",
    ],
    CellType.HEALTH: [
        "Triển khai tiêm chủng mở rộng đúng lịch",
        "Thu nộp đảng phí đầy đủ, đúng hạn",
        "Giám sát, phòng chống dịch sốt xuất huyết và tay chân miệng",
        "Cập nhật hồ sơ sức khỏe điện tử cho người dân",
        "Khám sức khỏe định kỳ cho người cao tuổi",
        "Bảo đảm đủ thuốc bảo hiểm y tế cho người bệnh",
    ],
}
VILLAGE_TASKS_BY_MONTH = {
    1: ["Thăm hỏi, tặng quà gia đình chính sách, hộ nghèo dịp Tết"],
    2: ["Tổ chức Tết trồng cây đầu xuân", "Bảo đảm an ninh trật tự, phòng chống cháy nổ dịp Tết"],
    3: ["Chỉ đạo gieo cấy lúa xuân đúng khung thời vụ", "Phòng trừ chuột, sâu bệnh hại lúa"],
    4: ["Khơi thông kênh mương nội đồng", "Tiêm phòng vắc xin cho đàn gia súc, gia cầm"],
    5: [
        "Tổ chức các hoạt động kỷ niệm ngày sinh Chủ tịch Hồ Chí Minh",
        "Thu hoạch lúa xuân gọn, nhanh, không đốt rơm rạ",
    ],
    6: ["Kiện toàn tổ xung kích phòng chống thiên tai của thôn"],
    7: [
        "Thăm hỏi, tặng quà gia đình thương binh, liệt sĩ nhân ngày 27/7",
        "Gia cố nhà cửa, cắt tỉa cây xanh trước mùa bão",
    ],
    8: ["Chuẩn bị các hoạt động chào mừng Quốc khánh 2/9"],
    9: ["Vận động học sinh đến trường, hỗ trợ học sinh khó khăn", "Tổ chức vui Tết Trung thu"],
    10: ["Chỉ đạo thu hoạch lúa mùa và gieo trồng cây vụ đông"],
    11: [
        "Tổ chức ngày hội Đại đoàn kết toàn dân tộc ở khu dân cư",
        "Chuẩn bị kiểm điểm, đánh giá, xếp loại đảng viên cuối năm",
    ],
    12: ["Hoàn thành kiểm điểm, đánh giá, xếp loại đảng viên", "Phòng chống rét cho gia súc"],
}
UNIT_TASKS_BY_MONTH = {
    CellType.SCHOOL: {
        1: ["Tổ chức cho học sinh nghỉ Tết an toàn"],
        5: ["Tổng kết năm học, bàn giao học sinh về sinh hoạt hè tại địa phương"],
        8: ["Chuẩn bị cơ sở vật chất cho năm học mới"],
        9: ["Tổ chức lễ khai giảng năm học mới"],
        11: ["Tổ chức các hoạt động chào mừng ngày Nhà giáo Việt Nam 20/11"],
        12: ["Tổ chức kiểm tra cuối học kỳ I"],
    },
    CellType.POLICE: {
        1: ["Bảo đảm an ninh trật tự dịp Tết Nguyên đán"],
        2: ["Bảo đảm an ninh trật tự các lễ hội đầu xuân"],
        8: ["Bảo vệ an toàn các hoạt động kỷ niệm Quốc khánh 2/9"],
        12: ["Tổng kết công tác năm, xây dựng kế hoạch năm mới"],
    },
    CellType.HEALTH: {
        4: ["Chuẩn bị phòng chống dịch bệnh mùa hè"],
        7: ["Tăng cường diệt lăng quăng, bọ gậy phòng sốt xuất huyết"],
        10: ["Tổ chức uống vitamin A cho trẻ em"],
    },
}
NOT_DONE_REASONS = [
    "do thời tiết mưa kéo dài",
    "một số hộ chưa đồng thuận",
    "kinh phí chưa bố trí kịp",
    "còn chờ hướng dẫn của cấp trên",
]

# Why a task was closed without being done.
CLOSE_REASONS = {
    CellType.VILLAGE: [
        "Chưa bố trí được kinh phí",
        "Nhân dân chưa đồng thuận, chờ phương án mới của xã",
        "Xã điều chỉnh kế hoạch, nhiệm vụ không còn phù hợp",
        "Lồng ghép vào kế hoạch xây dựng nông thôn mới năm sau",
    ],
    CellType.SCHOOL: [
        "Chưa bố trí được kinh phí",
        "Phòng Giáo dục điều chỉnh kế hoạch, nhiệm vụ không còn phù hợp",
        "Chuyển sang kế hoạch của học kỳ sau",
    ],
    CellType.POLICE: [
        "Chưa bố trí được kinh phí",
        "Công an huyện điều chỉnh kế hoạch, nhiệm vụ không còn phù hợp",
        "Lồng ghép vào đợt cao điểm của quý sau",
    ],
    CellType.HEALTH: [
        "Chưa bố trí được kinh phí",
        "Chưa được cấp đủ vắc xin, thuốc và vật tư",
        "Trung tâm Y tế huyện điều chỉnh kế hoạch",
    ],
}
IN_PROGRESS_NOTE = "Đang triển khai, chưa đến thời hạn; tiếp tục thực hiện theo thời hạn đã giao."
ACCEPT_COMMENTS = [
    "Biên bản ghi đầy đủ nội dung, đúng quy trình sinh hoạt chi bộ.",
    "Đồng ý. Nghị quyết có phân công cụ thể người thực hiện và thời hạn hoàn thành.",
    "Biên bản đạt yêu cầu. Đề nghị chi bộ tiếp tục nâng cao chất lượng thảo luận.",
    "Đạt yêu cầu; lưu ý ghi rõ hơn ý kiến phát biểu của từng đảng viên.",
    "Đồng ý với biên bản. Chi bộ đã rà soát kỹ việc thực hiện nghị quyết tháng trước.",
]

ABSENCE_REASONS = {
    CellType.VILLAGE: ["Ốm", "Đi công tác", "Việc gia đình", "Chăm người thân ốm", "Đi thăm con"],
    CellType.SCHOOL: ["Đi tập huấn chuyên môn", "Con ốm", "Ốm", "Việc gia đình"],
    CellType.POLICE: ["Trực ban", "Đi công tác", "Tuần tra theo kế hoạch", "Ốm"],
    CellType.HEALTH: ["Trực ca", "Đi tập huấn", "Ốm", "Việc gia đình"],
}
FAR_AWAY_REASON = "Đi làm ăn xa"
ELDERLY_REASON = "Tuổi cao, sức yếu"

ISSUES = {
    CellType.VILLAGE: [
        "đoạn đường trục thôn xuống cấp sau mưa lũ",
        "việc thu gom rác thải chưa đúng lịch",
        "đèn chiếu sáng còn thiếu ở một số ngõ xóm",
        "xe chở vật liệu làm hư hỏng đường nội đồng",
        "nước tưới chưa chủ động ở khu đồng trũng",
    ],
    CellType.SCHOOL: [
        "một số phòng học xuống cấp",
        "an toàn giao thông trước cổng trường giờ tan học",
        "thiết bị dạy học còn thiếu",
    ],
    CellType.POLICE: [
        "thanh thiếu niên tụ tập, đua xe ban đêm",
        "lừa đảo qua mạng nhắm vào người cao tuổi",
        "vi phạm hành lang an toàn giao thông ở khu chợ",
    ],
    CellType.HEALTH: [
        "thuốc bảo hiểm y tế cung ứng chưa kịp thời",
        "thời gian chờ khám buổi sáng còn dài",
        "một số gia đình chưa đưa trẻ đi tiêm chủng đúng lịch",
    ],
}
CONCERNS = {
    CellType.VILLAGE: [
        "công tác vệ sinh môi trường",
        "việc giữ gìn an ninh trật tự ban đêm",
        "phòng chống đuối nước cho trẻ em",
        "vận động thanh niên tham gia sinh hoạt đoàn",
        "việc chăm sóc người cao tuổi neo đơn",
    ],
    CellType.SCHOOL: [
        "đổi mới phương pháp dạy học",
        "công tác phối hợp với cha mẹ học sinh",
        "bồi dưỡng giáo viên trẻ",
    ],
    CellType.POLICE: [
        "tuyên truyền phòng chống lừa đảo trực tuyến",
        "nắm tình hình người nghiện ma túy trên địa bàn",
        "xây dựng phong trào toàn dân bảo vệ an ninh Tổ quốc",
    ],
    CellType.HEALTH: [
        "tiêm chủng đầy đủ cho trẻ",
        "phòng chống sốt xuất huyết",
        "tư vấn dinh dưỡng cho trẻ dưới 5 tuổi",
    ],
}
DEEDS = {
    CellType.VILLAGE: [
        "vận động gia đình hiến đất mở rộng đường ngõ",
        "tham gia tổ an ninh xung kích của thôn",
        "giúp đỡ hộ nghèo sửa chữa nhà",
        "hướng dẫn bà con cài đặt VNeID",
    ],
    CellType.SCHOOL: [
        "có học sinh đạt giải cao trong kỳ thi học sinh giỏi",
        "soạn nhiều bài giảng điện tử chất lượng",
        "giúp đỡ học sinh có hoàn cảnh khó khăn",
    ],
    CellType.POLICE: [
        "phát hiện, xử lý kịp thời một vụ trộm cắp tài sản",
        "hoàn thành sớm việc làm sạch dữ liệu dân cư được giao",
    ],
    CellType.HEALTH: [
        "tích cực tham gia chiến dịch tiêm chủng",
        "tận tình chăm sóc người bệnh",
    ],
}
SPEECHES = [
    "Nhất trí với báo cáo đánh giá kết quả tháng qua; đề nghị chi bộ quan tâm hơn đến {concern}.",
    "Phản ánh ý kiến về {issue}; đề nghị chi ủy kiến nghị cấp trên xem xét, giải quyết.",
    "Nhất trí với dự thảo nhiệm vụ tháng tới; đề nghị bổ sung nội dung về {concern}.",
    "Đề nghị phân công cụ thể từng đảng viên {charge} để nắm tình hình, kịp thời báo cáo chi bộ.",
    "Tự phê bình việc thực hiện nhiệm vụ được giao còn chậm; xin hứa khắc phục trong tháng tới.",
    "Đề nghị đảng viên trẻ hướng dẫn người cao tuổi sử dụng định danh điện tử VNeID.",
    "Đề nghị chi bộ biểu dương đồng chí {other} đã {deed}.",
    "Đồng tình với ý kiến các đồng chí; băn khoăn về {issue}, mong chi bộ sớm có giải pháp.",
]
PEOPLE = {
    CellType.VILLAGE: "đảng viên và nhân dân",
    CellType.SCHOOL: "cán bộ, giáo viên, nhân viên",
    CellType.POLICE: "cán bộ, chiến sĩ",
    CellType.HEALTH: "cán bộ, nhân viên y tế",
}
# National news a school, police or health cell would leave to the villages.
FARMING_WORDS = ("lúa", "gia súc", "vụ xuân", "vụ mùa", "vụ đông")
CHARGES = {
    CellType.VILLAGE: "phụ trách nhóm hộ",
    CellType.SCHOOL: "phụ trách từng khối lớp",
    CellType.POLICE: "phụ trách địa bàn từng thôn",
    CellType.HEALTH: "theo dõi sức khỏe người dân từng thôn",
}
REPORT_SPEECH = "Báo cáo kết quả nhiệm vụ được phân công: {task} {result}."
GUEST_SPEECH = (
    "Ghi nhận kết quả chi bộ đạt được; đề nghị chi bộ tiếp tục {focus}, nâng cao chất lượng "
    "sinh hoạt và hoàn thành tốt nhiệm vụ Đảng ủy xã giao."
)

# Thematic topics: (topic, lead report subject, speeches, conclusion, lessons learned).
HCM, QUALITY, DEVELOPMENT, UNIT, DIGITAL = "hcm", "quality", "development", "unit", "digital"
TOPICS = {
    HCM: (
        "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về tinh thần trách "
        "nhiệm, gần dân, trọng dân gắn với thực tiễn {place}",
        [
            "Liên hệ bản thân: cần gương mẫu hơn trong sinh hoạt, nói đi đôi với làm.",
            "Đề nghị mỗi đảng viên đăng ký một việc làm cụ thể để học và làm theo Bác.",
            "Kể lại tấm gương người tốt việc tốt trong {place}, đề nghị nhân rộng.",
            "Việc học tập còn hình thức ở một số đảng viên; cần gắn với nhiệm vụ hằng ngày.",
        ],
        "Mỗi đảng viên đăng ký ít nhất một việc làm cụ thể làm theo gương Bác; chi ủy theo "
        "dõi, đánh giá khi kiểm điểm cuối năm.",
        "Báo cáo đề dẫn được chuẩn bị chu đáo, gửi trước cho đảng viên; thảo luận sôi nổi, "
        "nhiều ý kiến liên hệ bản thân. Cần mời thêm đảng viên trẻ phát biểu.",
    ),
    QUALITY: (
        "Nâng cao chất lượng sinh hoạt chi bộ",
        "Nâng cao chất lượng sinh hoạt chi bộ {place}: thực trạng và giải pháp",
        [
            "Nội dung sinh hoạt đôi khi còn dàn trải; đề nghị chọn một, hai vấn đề trọng tâm.",
            "Cần chuẩn bị dự thảo nghị quyết từ cuộc họp chi ủy để đảng viên góp ý trước.",
            "Đề nghị tăng cường tự phê bình và phê bình, tránh nể nang.",
            "Đảng viên đi làm ăn xa cần được thông báo lịch sinh hoạt sớm để thu xếp về dự.",
        ],
        "Chi bộ duy trì sinh hoạt đúng kỳ, đủ thời lượng; chi ủy chuẩn bị nội dung trước ít "
        "nhất 3 ngày; mỗi buổi sinh hoạt chọn một vấn đề trọng tâm để thảo luận.",
        "Buổi sinh hoạt đúng quy trình; tỉ lệ đảng viên phát biểu cao. Hạn chế: thời gian "
        "thảo luận còn ngắn so với dự kiến.",
    ),
    DEVELOPMENT: (
        "Phát triển đảng viên",
        "Công tác tạo nguồn, bồi dưỡng và phát triển đảng viên của chi bộ {place}",
        [
            "Đề nghị giới thiệu đoàn viên ưu tú tham gia lớp bồi dưỡng nhận thức về Đảng.",
            "Nguồn kết nạp còn ít vì thanh niên đi làm ăn xa nhiều; cần giữ liên lạc với họ.",
            "Đề nghị phân công đảng viên chính thức giúp đỡ từng quần chúng ưu tú.",
            "Đảng viên dự bị cần được giao nhiệm vụ cụ thể để rèn luyện, thử thách.",
        ],
        "Chi bộ phấn đấu giới thiệu ít nhất hai quần chúng ưu tú học lớp bồi dưỡng nhận thức "
        "về Đảng trong năm; phân công đảng viên giúp đỡ từng người.",
        "Các ý kiến sát thực tế; chi bộ cần lập danh sách nguồn cụ thể và theo dõi hằng quý.",
    ),
    DIGITAL: (
        "Chuyển đổi số trong công tác đảng",
        "Ứng dụng công nghệ thông tin, chuyển đổi số trong sinh hoạt và quản lý đảng viên của "
        "chi bộ {place}",
        [
            "Một số đảng viên còn lúng túng khi dùng ứng dụng; cần hướng dẫn cụ thể từng người.",
            "Đề nghị dùng ứng dụng Sổ tay đảng viên để gửi tài liệu trước buổi sinh hoạt.",
            "Đề nghị lập nhóm trao đổi của chi bộ để thông báo lịch sinh hoạt nhanh hơn.",
            "Cần chú ý bảo mật thông tin, không chia sẻ tài liệu nội bộ lên mạng xã hội.",
        ],
        "Đến cuối quý, 100% đảng viên có điện thoại thông minh cài đặt và sử dụng ứng dụng Sổ "
        "tay đảng viên; đảng viên thành thạo hỗ trợ các đồng chí còn lúng túng.",
        "Nội dung thiết thực; có hướng dẫn thực hành ngay tại buổi sinh hoạt.",
    ),
}
UNIT_TOPICS = {
    CellType.VILLAGE: (
        "Xây dựng nông thôn mới nâng cao",
        "Vai trò của chi bộ trong xây dựng nông thôn mới nâng cao tại {place}",
        [
            "Đề nghị vận động các hộ chỉnh trang tường rào, cổng ngõ, trồng cây xanh.",
            "Tiêu chí thu nhập còn khó; đề nghị phát triển thêm mô hình trồng rau an toàn.",
            "Đảng viên phải gương mẫu đi đầu trong hiến đất, góp công làm đường.",
            "Cần công khai các khoản đóng góp để nhân dân đồng thuận.",
        ],
        "Chi bộ lãnh đạo thôn hoàn thành các tiêu chí nông thôn mới nâng cao theo kế hoạch của "
        "xã; mỗi đảng viên vận động ít nhất năm hộ tham gia.",
        "Thảo luận sôi nổi, nhiều ý kiến thiết thực; cần mời thêm trưởng các đoàn thể dự.",
    ),
    CellType.SCHOOL: (
        "Nâng cao chất lượng giáo dục toàn diện",
        "Nâng cao chất lượng giáo dục toàn diện, xây dựng trường học hạnh phúc tại {place}",
        [
            "Đề nghị tăng cường dự giờ, trao đổi kinh nghiệm giữa giáo viên.",
            "Cần quan tâm hơn đến giáo dục kỹ năng sống cho học sinh.",
            "Đảng viên phải đi đầu trong đổi mới phương pháp dạy học.",
        ],
        "Mỗi đảng viên đăng ký một giải pháp nâng cao chất lượng dạy học; chi bộ đánh giá "
        "vào cuối học kỳ.",
        "Nội dung gắn với nhiệm vụ chính trị của nhà trường; nhiều ý kiến tâm huyết.",
    ),
    CellType.POLICE: (
        "Xây dựng lực lượng Công an xã trong sạch, vững mạnh",
        "Xây dựng lực lượng Công an xã trong sạch, vững mạnh, bám cơ sở, gần dân",
        [
            "Cần tăng cường xuống cơ sở, nắm tình hình từ người dân.",
            "Đề nghị giữ nghiêm điều lệnh, tác phong khi tiếp xúc với nhân dân.",
            "Đảng viên phải gương mẫu, không để xảy ra vi phạm kỷ luật.",
        ],
        "Mỗi đảng viên phụ trách địa bàn một thôn, nắm chắc tình hình, báo cáo hằng tuần.",
        "Các ý kiến thẳng thắn, có tự phê bình; cần theo dõi việc thực hiện sau sinh hoạt.",
    ),
    CellType.HEALTH: (
        "Nâng cao y đức và chất lượng chăm sóc sức khỏe ban đầu",
        "Nâng cao y đức, chất lượng khám chữa bệnh và chăm sóc sức khỏe ban đầu tại {place}",
        [
            "Cần niềm nở, tận tình hơn khi tiếp đón người bệnh.",
            "Đề nghị tăng cường khám sức khỏe lưu động cho người cao tuổi.",
            "Đảng viên phải gương mẫu thực hiện quy tắc ứng xử của ngành y tế.",
        ],
        "Trạm bố trí khám lưu động mỗi quý ở các thôn xa; đảng viên gương mẫu về y đức.",
        "Nội dung thiết thực; cần lấy thêm ý kiến người bệnh trước buổi sinh hoạt.",
    ),
}
TOPIC_ROTATION = [QUALITY, DEVELOPMENT, UNIT, DIGITAL]
TOPIC_TASKS = {
    HCM: ["Đăng ký việc làm cụ thể học tập và làm theo Bác", "Tổng hợp bản đăng ký của đảng viên"],
    QUALITY: ["Xây dựng lịch họp chi ủy trước mỗi kỳ sinh hoạt", "Chuẩn bị dự thảo nghị quyết"],
    DEVELOPMENT: ["Lập danh sách quần chúng ưu tú", "Phân công đảng viên giúp đỡ quần chúng"],
    UNIT: ["Triển khai giải pháp đã thống nhất tại buổi sinh hoạt chuyên đề"],
    DIGITAL: ["Hỗ trợ đảng viên cài đặt, sử dụng Sổ tay đảng viên", "Lập nhóm thông tin chi bộ"],
}
THEMATIC_MONTH = {1: 3, 2: 5, 3: 8, 4: 10}  # the month of each quarter preferred for it
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


# ---------------------------------------------------------------- report


@dataclass
class MeetingsReport:
    cells_filled: list = field(default_factory=list)
    cells_skipped: list = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    kinds: Counter = field(default_factory=Counter)
    attendance_rows: int = 0
    resolutions: int = 0
    tasks: int = 0
    task_reviews: int = 0
    accepted: int = 0
    delegate_visits: int = 0
    warnings: list = field(default_factory=list)

    @property
    def meetings_created(self):
        return sum(self.statuses.values())

    def summary(self):
        parts = []
        if self.cells_filled:
            statuses = ", ".join(
                f"{count} {status}" for status, count in sorted(self.statuses.items())
            )
            parts.append(
                f"Created {self.meetings_created} meetings ({self.kinds['regular']} regular, "
                f"{self.kinds['thematic']} thematic; {statuses}) with "
                f"{self.attendance_rows} attendance rows in {len(self.cells_filled)} cells."
            )
            parts.append(
                f"{self.resolutions} resolutions with {self.tasks} tasks, {self.task_reviews} "
                f"task reviews; {self.accepted} minutes accepted by the commune, "
                f"{self.delegate_visits} visits of an assigned delegate."
            )
        if self.cells_skipped:
            parts.append(
                f"Left the meetings of {len(self.cells_skipped)} cells that already have "
                "meetings as they are."
            )
        parts.extend(self.warnings)
        return " ".join(parts) or "No demo cells to add meetings to."


# ---------------------------------------------------------------- plan


@dataclass
class Plan:
    kind: str
    when: datetime
    outcome: str
    months_back: int
    topic_key: str = ""
    sloppy_tasks: bool = False  # the version canbo returns
    latest: bool = False  # the last meeting recorded in bithu's cell


class TaskPlan(NamedTuple):
    """A task to adopt: what, who leads it, by when, who else helps."""

    title: str
    lead: Member
    due_on: date
    others: tuple = ()


@dataclass
class ReviewPlan:
    """How a meeting reviews one open task (a TaskUpdate to be)."""

    task: Task
    result: str
    evaluation: str = ""
    decision: str = ""
    new_due_on: date | None = None
    closed_reason: str = ""
    note: str = ""
    reason: str = ""  # why it is only partly done
    early: bool = False  # reviewed before its deadline

    @property
    def is_done(self):
        return self.result == TaskResult.DONE

    @property
    def unfinished(self):
        """Due and not done: what the minutes count as not completed."""
        return not self.is_done and not self.early


def _months_window(today):
    months = []
    year, month = today.year, today.month
    for _ in range(MONTHS):
        months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(months))


def _at(day, hour, minute):
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


def _day_in(year, month, day):
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _soon(today, days):
    """A day a few days ahead but still in this month (today at the latest)."""
    last = _day_in(today.year, today.month, 31)
    return max(today, min(today + timedelta(days=days), last))


def _next_month(year, month):
    return (year, month + 1) if month < 12 else (year + 1, 1)


def _lower_first(text):
    return text[:1].lower() + text[1:]


def _vnd(amount):
    return f"{amount:,}".replace(",", ".")


def _vn_date(day):
    return f"{day:%d/%m/%Y}"


@contextmanager
def _clock_at(moment):
    """Record what happens now as happening at `moment` (timestamps, history)."""
    with patch("django.utils.timezone.now", return_value=moment):
        yield


@contextmanager
def _acting_as(user):
    """Record `user` as the author of history rows, like HistoryRequestMiddleware."""
    context = HistoricalRecords.context
    outer = getattr(context, "request", None)
    context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        if outer is None:
            del context.request
        else:
            context.request = outer


# ---------------------------------------------------------------- one cell


class CellYear:
    """Plans and records a year of meetings of one cell."""

    def __init__(self, cell, number, today, users):
        self.cell = cell
        self.code = cell.code
        self.number = number
        self.today = today
        self.now = timezone.now()
        self.rng = random.Random(f"{SEED}:{cell.code}")
        # Tasks and their reviews draw from their own stream.
        self.task_rng = random.Random(f"{SEED}:{cell.code}:tasks")
        self.type = cell.cell_type if cell.cell_type in START_TIMES else CellType.VILLAGE
        unit = cell.name.removeprefix("Chi bộ ").strip()
        self.place = unit
        if self.type == CellType.VILLAGE:
            self.location = f"Nhà văn hóa {unit}"
        else:
            self.location = f"Phòng họp {unit}"
        self.hour, self.minute = START_TIMES[self.type]
        self.delegate = users["canbo"] if cell.code in CANBO_CELLS else None
        if self.delegate:
            self.guest = person_name(self.delegate)
        else:
            self.guest = GUESTS[(number - 1) % len(GUESTS)]
        self.criteria = quality_criteria_for(cell)

        positions = list(
            Position.objects.current(today)
            .filter(organization=cell, member__organization=cell)
            .select_related("member")
            .in_rank_order()
        )
        by_role = {}
        for position in positions:
            by_role.setdefault(position.role, []).append(position.member)
        self.secretary = (by_role.get(PositionRole.SECRETARY) or [None])[0]
        self.deputy = (by_role.get(PositionRole.DEPUTY_SECRETARY) or [None])[0]
        self.committee = [position.member for position in positions]
        self.members = list(Member.objects.filter(organization=cell).on_roster().order_by("pk"))
        active_official = [
            m
            for m in self.members
            if m.activity_status == ActivityStatus.ACTIVE
            and m.status == MembershipStatus.OFFICIAL
            and m.official_on
            and m.official_on <= today - timedelta(days=400)
        ]
        self.active_official = active_official
        others = [m for m in active_official if m not in self.committee]
        if self.deputy:
            self.note_takers = [self.deputy, *self.committee[2:3]]
        else:
            self.note_takers = self.rng.sample(others, min(2, len(others)))
        young = [m for m in others if m.birth_date and m.birth_date.year >= 1982]
        self.far_away = set()
        if self.type == CellType.VILLAGE and young:
            self.far_away = {m.pk for m in self.rng.sample(young, min(len(young), 1 + number % 2))}
        self.elderly = {m.pk for m in self.members if m.birth_date and m.birth_date.year < 1950}

        secretary_user = (
            Role.objects.filter(organization=cell, kind=RoleKind.CELL_SECRETARY)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        self.user = secretary_user.user if secretary_user else users["admin"]
        self.reviewer = users["canbo"]
        signers = [m for m in (self.secretary, *self.note_takers) if m and m.user_id]
        users_by_pk = get_user_model().objects.in_bulk([m.user_id for m in signers])
        self.accounts = {m.pk: users_by_pk[m.user_id] for m in signers}
        self.previous_tasks = []  # [TaskPlan] of the last regular meeting
        self.task_reports = {}  # lead's member pk -> ReviewPlan, for their report speech
        self.skipped_month = None

    # -- planning

    def plans(self):
        months = _months_window(self.today)
        current = months[-1]
        plans = []
        missing = self._missing_month_back()
        for back, (year, month) in enumerate(reversed(months)):
            if back == missing:
                self.skipped_month = (year, month)
                continue
            plans.append(self._regular_plan(year, month, back))
        quarters = []
        for year, month in months:
            key = (year, (month - 1) // 3 + 1)
            if key not in quarters:
                quarters.append(key)
        for back, (year, quarter) in enumerate(reversed(quarters)):
            if MISSING_QUARTER.get(self.code) == back:
                continue
            in_window = [m for y, m in months if y == year and (m - 1) // 3 + 1 == quarter]
            preferred = THEMATIC_MONTH[quarter]
            month = min(in_window, key=lambda m, preferred=preferred: abs(m - preferred))
            topic_key = HCM if quarter == 2 else TOPIC_ROTATION[(self.number + year + quarter) % 4]
            day = _day_in(year, month, self.rng.randint(14, 22))
            outcome = SIGNED
            if back == 0 and self.code in THEMATIC_THIS_MONTH:
                month = current[1]
                outcome = THEMATIC_THIS_MONTH[self.code]
                if outcome == DRAFT and self.today.day > 1:
                    day = _day_in(year, month, min(14, self.today.day - 1))
                else:
                    outcome, day = PLANNED, self._later(4 + self.number % 3)
            elif back == 0 and self.code == BITHU_CELL and self.today.day > BITHU_THEMATIC_DAYS_AGO:
                day = _day_in(year, current[1], min(14, self.today.day - BITHU_THEMATIC_DAYS_AGO))
            when = _at(self._weekday(day), self.hour, self.minute)
            if when >= self.now:
                outcome = PLANNED
            months_back = (current[0] - day.year) * 12 + current[1] - day.month
            plans.append(Plan(MeetingKind.THEMATIC, when, outcome, months_back, topic_key))
        plans.sort(key=lambda plan: plan.when)
        if self.code == BITHU_CELL:
            recorded = [plan for plan in plans if plan.outcome != PLANNED]
            if recorded:
                recorded[-1].latest = True
        return plans

    def _missing_month_back(self):
        """Months back to the skipped regular meeting; in bithu's cell, a month of this
        year when there is one, so this year's grid shows the gap."""
        back = MISSING_MONTH.get(self.code)
        if back is None or self.code != BITHU_CELL:
            return back
        this_year = [
            b
            for b in range(back, 0, -1)
            if b < self.today.month and (self.code, b) != RETURNED_MONTH
        ]
        return this_year[0] if this_year else back

    def _weekday(self, day):
        """Schools, police and the health station meet on working days."""
        if self.type != CellType.VILLAGE and day.weekday() >= 5:
            moved = day + timedelta(days=7 - day.weekday())
            if moved.month == day.month:
                return moved
            return day - timedelta(days=day.weekday() - 4)
        return day

    def _later(self, days):
        """A working day a few days ahead, still this month if possible."""
        day = _soon(self.today, days)
        moved = self._weekday(day)
        return moved if moved > self.today else day

    def _regular_plan(self, year, month, back):
        day = self._weekday(_day_in(year, month, self.rng.randint(5, 10)))
        outcome = SIGNED
        if back == 0:
            if self.code == BITHU_CELL:
                outcome, day = PLANNED, _soon(self.today, 3)
            elif day >= self.today:
                outcome = PLANNED
            elif self.code in THIS_MONTH_DRAFTS:
                outcome = DRAFT
            else:  # postponed to later this month
                outcome, day = PLANNED, self._later(2 + self.number % 5)
        elif back == 1:
            outcome = LAST_MONTH.get(self.code, SIGNED)
        if (self.code, back) == RETURNED_MONTH:
            outcome = RETURNED
        when = _at(day, self.hour, self.minute)
        if when >= self.now:
            outcome = PLANNED
        return Plan(MeetingKind.REGULAR, when, outcome, back, sloppy_tasks=outcome == RETURNED)

    # -- recording

    def build(self, report):
        for plan in self.plans():
            with _acting_as(self.user):
                meeting = self._record(plan)
            if plan.outcome == RETURNED:
                self._return_and_correct(meeting)
        report.accepted += self._accept_older_minutes()
        for status, kind in Meeting.objects.filter(organization=self.cell).values_list(
            "status", "kind"
        ):
            report.statuses[status] += 1
            report.kinds[kind] += 1
        report.attendance_rows += Attendance.objects.filter(meeting__organization=self.cell).count()
        resolutions = Resolution.objects.current().filter(organization=self.cell)
        report.resolutions += resolutions.count()
        report.tasks += Task.objects.of_current_minutes().filter(organization=self.cell).count()
        report.task_reviews += TaskUpdate.objects.filter(
            meeting__organization=self.cell, meeting__is_current=True
        ).count()
        report.delegate_visits += Guest.objects.filter(
            meeting__organization=self.cell, meeting__is_current=True, delegate__isnull=False
        ).count()

    def _accept_older_minutes(self):
        """canbo accepted the older signed minutes; the recent ones and corrected
        minutes (to be checked again) wait in her queue."""
        back = REVIEW_BEHIND.get(self.code, ACCEPTED_MONTHS_BACK)
        year, month = self.today.year, self.today.month - back
        while month < 1:
            year, month = year - 1, month + 12
        meetings = (
            Meeting.objects.current()
            .signed()
            .filter(organization=self.cell, revision=1, accepted_at__isnull=True)
            .filter(Q(year__lt=year) | Q(year=year, month__lte=month))
            .order_by("scheduled_at", "pk")
        )
        accepted = 0
        with _acting_as(self.reviewer):
            for meeting in meetings:
                reviewed_at = meeting.signed_at + timedelta(days=self.task_rng.randint(3, 12))
                with _clock_at(min(reviewed_at, timezone.now())):
                    accept_minutes(
                        meeting, user=self.reviewer, comment=self.task_rng.choice(ACCEPT_COMMENTS)
                    )
                accepted += 1
        return accepted

    def _return_and_correct(self, meeting):
        """canbo returns the signed minutes; the cell corrects them into version 2."""
        with _acting_as(self.reviewer):
            meeting = services.return_minutes(meeting, user=self.reviewer, comment=RETURN_COMMENT)
        with _acting_as(self.user):
            correction = services.start_correction(meeting, user=self.user)
            correction.next_tasks = self._tasks_text(self.previous_tasks)
            correction._change_reason = "add who does each task and by when"
            correction.save()
            resolution = Resolution.objects.filter(meeting=correction).first()
            if resolution is not None:
                resolution.body = correction.next_tasks
                resolution.save()
            self._finalize_and_sign(correction, SIGNED)

    def _record(self, plan):
        meeting = Meeting(
            organization=self.cell,
            kind=plan.kind,
            scheduled_at=plan.when,
            location=self.location,
            topic=self._topic(plan.topic_key)[0] if plan.topic_key else "",
        )
        services.save_planned_meeting(meeting, user=self.user)
        if plan.outcome == PLANNED:
            return meeting
        meeting = services.start_recording(meeting, user=self.user)
        rows = list(
            Attendance.objects.filter(meeting=meeting).values_list(
                "pk", "member_id", "membership_at_meeting", "activity_at_meeting"
            )
        )
        chair = self.secretary
        note_taker = self._pick_note_taker()
        presenter = None
        if plan.kind == MeetingKind.THEMATIC:
            presenter = self._pick_presenter(plan, note_taker)
        must_attend = {m.pk for m in (chair, note_taker, presenter) if m}
        marks = self._attendance(rows, must_attend)
        # One update per (status, reason), before finalizing: signed rows refuse updates.
        groups = {}
        for pk, mark in marks:
            if mark[0] != AttendanceStatus.UNMARKED:
                groups.setdefault(mark, []).append(pk)
        for (status, reason), pks in groups.items():
            Attendance.objects.filter(pk__in=pks).update(status=status, reason=reason)
        status_of = dict(marks)
        present = [row for row in rows if status_of[row[0]][0] == AttendanceStatus.PRESENT]
        summoned = [
            row
            for row in rows
            if row[3] == ActivityStatus.ACTIVE or status_of[row[0]][0] == AttendanceStatus.PRESENT
        ]
        official_present = sum(1 for row in present if row[2] == MembershipStatus.OFFICIAL)
        percent = 100 * len(present) / len(summoned) if summoned else 100

        meeting.chair, meeting.note_taker = chair, note_taker
        started = plan.when + timedelta(minutes=self.rng.choice([0, 0, 0, 5, 5, 10]))
        meeting.started_at = started
        short = plan.kind == MeetingKind.REGULAR and (self.code, plan.months_back) in SHORT_MEETINGS
        minutes = self.rng.randint(70, 85) if short else self.rng.randint(95, 150)
        meeting.agenda_approved = True
        present_ids = [row[1] for row in present]
        guest = self.rng.random() < (0.5 if plan.kind == MeetingKind.THEMATIC else 0.3)
        complete = plan.outcome != DRAFT or plan.months_back > 0
        reviews = self._plan_reviews(meeting, plan, complete)
        if plan.kind == MeetingKind.REGULAR:
            tasks = self._fill_regular(meeting, plan, present_ids, len(rows), reviews)
        else:
            tasks = self._fill_thematic(meeting, plan, presenter, reviews)
        self._add_speeches(meeting, plan, present_ids, tasks, guest)

        if complete:
            meeting.ended_at = started + timedelta(minutes=minutes)
            meeting.vote_method = VoteMethod.SHOW_OF_HANDS
            other = 1 if official_present > 4 and self.rng.random() < 0.08 else 0
            meeting.votes_for = official_present - other
            meeting.votes_against = 0
            meeting.votes_other = other
            if plan.outcome != DRAFT:
                meeting.minutes_adopted_votes = len(present)
                meeting.quality_scores = self._quality(percent, minutes, started - plan.when)
        else:  # recorded during the meeting, to be completed afterwards
            meeting.next_tasks = meeting.conclusion = meeting.lessons_learned = ""
        meeting._change_reason = "record the minutes"
        meeting.save()
        # Minutes completed later: the secretary has ticked off only some tasks yet.
        self._save_reviews(meeting, reviews if complete else reviews[: (len(reviews) + 1) // 2])
        if complete:
            self._adopt(meeting, plan, tasks)
            if plan.kind == MeetingKind.REGULAR:
                self.previous_tasks = tasks
        if plan.outcome == DRAFT:
            return meeting
        return self._finalize_and_sign(meeting, plan.outcome)

    def _finalize_and_sign(self, meeting, outcome):
        # The minutes are signed soon after the meeting, as they would have been, so
        # the board's "signed within 2 days" and the queue's waiting days are real.
        delay = timedelta(hours=self.task_rng.choice([1, 2, 20, 26, 40, 70, 100]))
        with _clock_at(min(meeting.ended_at + delay, timezone.now())):
            return self._finalize_and_sign_now(meeting, outcome)

    def _finalize_and_sign_now(self, meeting, outcome):
        meeting = services.finalize_minutes(meeting, user=self.user)
        roles = {
            FINALIZED: [],
            HALF_SIGNED: [SignerRole.NOTE_TAKER],
        }.get(outcome, [SignerRole.NOTE_TAKER, SignerRole.CHAIR])
        for role in roles:
            signer_id = meeting.chair_id if role == SignerRole.CHAIR else meeting.note_taker_id
            account = self.accounts.get(signer_id)
            if account:
                with _acting_as(account):
                    meeting = services.sign_minutes(meeting, user=account, role=role)
            else:
                meeting = services.sign_minutes(meeting, user=self.user, role=role, on_paper=True)
        return meeting

    # -- people

    def _pick_note_taker(self):
        if len(self.note_takers) > 1 and self.rng.random() < 0.2:
            return self.note_takers[1]
        return self.note_takers[0] if self.note_takers else self.secretary

    def _pick_presenter(self, plan, note_taker):
        """Who prepared the lead report: a younger member for digital work, the deputy
        for member development, otherwise a committee member (never the note-taker)."""
        if plan.topic_key == DIGITAL:
            young = [
                m
                for m in self.active_official
                if m.birth_date and m.birth_date.year >= 1980 and m != note_taker
            ]
            if young:
                return self.rng.choice(young)
        if plan.topic_key == DEVELOPMENT and self.deputy and self.deputy != note_taker:
            return self.deputy
        leaders = [m for m in self.committee[:3] if m != note_taker]
        return self.rng.choice(leaders or [self.secretary])

    def _attendance(self, rows, must_attend):
        """[(attendance pk, (status, reason))] for every row."""
        rng = self.rng
        active = [row for row in rows if row[3] == ActivityStatus.ACTIVE]
        exempt = [row for row in rows if row[3] == ActivityStatus.EXEMPT]
        # Mostly 85–100 % present, now and then fewer (rounded so that it stays so).
        if rng.random() < 0.08:
            absent_count = math.ceil(len(active) * (1 - rng.uniform(0.72, 0.84)))
        else:
            absent_count = int(len(active) * (1 - rng.uniform(0.86, 1.0)))
        candidates = [row for row in active if row[1] not in must_attend]
        weights = [6 if row[1] in self.far_away else 1 for row in candidates]
        absent = []
        while candidates and len(absent) < absent_count:
            row = rng.choices(candidates, weights=weights)[0]
            index = candidates.index(row)
            candidates.pop(index)
            weights.pop(index)
            absent.append(row)
        unexcused = None
        if absent and rng.random() < 0.15:
            unexcused = rng.choice([row for row in absent if row[1] not in self.far_away] or absent)
        marks = {}
        for row in active:
            marks[row[0]] = (AttendanceStatus.PRESENT, "")
        for row in absent:
            if row is unexcused:
                marks[row[0]] = (AttendanceStatus.ABSENT_UNEXCUSED, "")
            elif row[1] in self.far_away:
                marks[row[0]] = (AttendanceStatus.ABSENT_EXCUSED, FAR_AWAY_REASON)
            elif row[1] in self.elderly and rng.random() < 0.6:
                marks[row[0]] = (AttendanceStatus.ABSENT_EXCUSED, ELDERLY_REASON)
            else:
                reason = rng.choice(ABSENCE_REASONS[self.type])
                marks[row[0]] = (AttendanceStatus.ABSENT_EXCUSED, reason)
        comes = rng.choice(exempt) if exempt and rng.random() < 0.07 else None
        for row in rows:
            if row[0] not in marks:  # exempt and away members stay unmarked
                marks[row[0]] = (
                    (AttendanceStatus.PRESENT, "")
                    if row is comes
                    else (AttendanceStatus.UNMARKED, "")
                )
        return [(row[0], marks[row[0]]) for row in rows]

    # -- content

    def _fill_regular(self, meeting, plan, present_ids, on_roster, reviews):
        rng = self.rng
        local = timezone.localtime(plan.when)
        year, month = local.year, local.month
        values = {
            "year": year,
            "prev_year": year - 1,
            "next_year": year + 1,
        }
        meeting.agenda = (
            f"1. Thông tin thời sự; tình hình tư tưởng {PEOPLE[self.type]}.\n"
            "2. Đánh giá kết quả thực hiện nghị quyết tháng trước.\n"
            f"3. Thảo luận, thống nhất nhiệm vụ tháng {month}/{year}.\n"
            "4. Biểu quyết thông qua kết luận; tự đánh giá chất lượng buổi sinh hoạt."
        )
        per_member = (5, 40) if self.type == CellType.VILLAGE else (60, 160)
        dues = sum(rng.randint(*per_member) for _ in range(on_roster)) * 1000
        dues_text = f"Đảng phí tháng {month}/{year}: chi bộ đã thu {_vnd(dues)} đồng"
        late = [pk for pk in self.far_away if pk not in present_ids]
        if late and rng.random() < 0.5:
            dues_text += (
                f"; còn {len(late)} đồng chí đi làm ăn xa chưa nộp, chi ủy liên hệ nhắc nộp. "
                "Đã nộp số thu về Đảng ủy xã."
            )
        else:
            dues_text += ", đạt 100%; đã nộp về Đảng ủy xã."
        meeting.dues_report = dues_text

        items = NEWS[month]
        if self.type != CellType.VILLAGE:
            items = [item for item in items if not any(w in item for w in FARMING_WORDS)]
        news = [item.format(**values) for item in rng.sample(items, min(2, len(items)))]
        local_news = rng.choice(LOCAL_NEWS[self.type])
        meeting.news_briefing = (
            f"Đồng chí {self.secretary.full_name} thông tin thời sự tháng {month}/{year}: "
            f"{'; '.join(news)}.\nThông tin của Đảng ủy xã: {local_news}."
        )
        mind = rng.sample(STATE_OF_MIND[self.type], 2)
        if self.type == CellType.VILLAGE:
            mind.append(VILLAGE_SEASON[month])
        meeting.state_of_mind = " ".join(mind)

        meeting.last_resolution_review = self._review_text(reviews, month, year)
        self.task_reports = {review.task.lead_id: review for review in reviews}
        tasks = self._for_bithu(self._next_tasks(month, year), plan)
        meeting.next_tasks = self._tasks_text(tasks, sloppy=plan.sloppy_tasks)
        meeting.other_business = self._other_business(present_ids)
        people = PEOPLE[self.type]
        unfinished = [review for review in reviews if review.unfinished]
        done = (
            "hoàn thành các nhiệm vụ đề ra"
            if not unfinished
            else f"cơ bản hoàn thành các nhiệm vụ đề ra; còn {len(unfinished)} nhiệm vụ chưa "
            "hoàn thành"
        )
        carried = [r for r in reviews if r.decision == TaskDecision.CARRY_OVER and not r.early]
        go_on = (
            f", tiếp tục thực hiện {len(carried)} nhiệm vụ chuyển sang từ tháng trước"
            if carried
            else ""
        )
        meeting.conclusion = (
            f"Đồng chí {self.secretary.full_name} kết luận: tháng qua, chi bộ đã lãnh đạo {people} "
            f"{done}. Chi bộ thống nhất các nhiệm vụ trọng tâm tháng {month}/{year}: "
            f"{'; '.join(_lower_first(t.title) for t in tasks)}{go_on}. Yêu cầu các đồng chí "
            "được phân công chủ động triển khai, báo cáo kết quả tại kỳ sinh hoạt tháng sau."
        )
        return tasks

    def _review_text(self, reviews, month, year):
        """The review of the earlier resolutions, task by task, as the minutes say it."""
        if not reviews:
            return (
                "Chi bộ rà soát việc thực hiện nghị quyết tháng trước: các nhiệm vụ cơ bản hoàn "
                "thành theo kế hoạch."
            )
        lines = []
        if self.skipped_month and _next_month(*self.skipped_month) == (year, month):
            skipped_year, skipped_month = self.skipped_month
            lines.append(
                f"Tháng {skipped_month}/{skipped_year} chi bộ không tổ chức sinh hoạt thường kỳ "
                f"do {MISSING_MONTH_REASON[self.code]}; các nhiệm vụ được chuyển sang tháng này."
            )
        by_resolution = {}
        for review in reviews:
            by_resolution.setdefault(review.task.resolution, []).append(review)
        for resolution, items in sorted(by_resolution.items(), key=lambda item: item[0].number):
            lines.append(
                f"Nghị quyết số {resolution.document_number} ({_lower_first(resolution.title)}): "
                f"{len(items)} nhiệm vụ đến kỳ đánh giá."
            )
            lines.extend(f"- {self._review_line(review)}" for review in items)
        return "\n".join(lines)

    @staticmethod
    def _quick_review_text(reviews):
        """At a thematic meeting: the tasks followed, in one sentence."""
        counts = Counter()
        for review in reviews:
            if review.is_done:
                counts["nhiệm vụ đã hoàn thành"] += 1
            elif review.early:
                counts["nhiệm vụ đang triển khai, chưa đến thời hạn"] += 1
            elif review.decision == TaskDecision.CARRY_OVER:
                counts["nhiệm vụ chưa xong, được gia hạn"] += 1
            else:
                counts["nhiệm vụ dừng thực hiện"] += 1
        parts = ", ".join(f"{count} {what}" for what, count in counts.items())
        return (
            f"Trước khi vào chuyên đề, chi bộ rà soát {len(reviews)} nhiệm vụ đang theo dõi: "
            f"{parts}."
        )

    def _review_line(self, review):
        task, lead = review.task, review.task.lead.full_name
        if review.is_done:
            result = "đã hoàn thành trước thời hạn" if review.early else review.note
            line = f"{task.title} (đồng chí {lead}): {result}."
            if review.evaluation == Evaluation.PRAISE:
                line += f" Chi bộ biểu dương đồng chí {lead}."
            return line
        if review.early:
            due = _vn_date(task.current_due_on)
            return f"{task.title} (đồng chí {lead}): đang triển khai, thời hạn {due}."
        if review.decision == TaskDecision.CLOSE:
            return (
                f"{task.title} (đồng chí {lead}): chưa thực hiện được do "
                f"{_lower_first(review.closed_reason)}; chi bộ thống nhất dừng thực hiện."
            )
        line = (
            f"{task.title} (đồng chí {lead}): mới hoàn thành một phần ({review.reason}); giao "
            f"tiếp tục thực hiện, thời hạn mới {_vn_date(review.new_due_on)}."
        )
        if review.evaluation == Evaluation.REMINDER:
            line += f" Chi bộ nhắc nhở đồng chí {lead} khẩn trương hoàn thành."
        return line

    def _next_tasks(self, month, year):
        rng = self.rng
        by_month = (
            VILLAGE_TASKS_BY_MONTH
            if self.type == CellType.VILLAGE
            else UNIT_TASKS_BY_MONTH.get(self.type, {})
        )
        seasonal = by_month.get(month, [])
        chosen = rng.sample(seasonal, min(len(seasonal), rng.randint(1, 2)))
        pool = [task for task in TASKS[self.type] if task not in chosen]
        chosen += rng.sample(pool, max(0, rng.randint(2, 4) - len(chosen)))
        assignees = self.committee or [self.secretary]
        tasks = []
        for task in chosen:
            lead = rng.choice(assignees + self.active_official[:6])
            deadline = _day_in(year, month, rng.choice([20, 25, 28, 31]))
            tasks.append(TaskPlan(task, lead, deadline, self._helpers(lead)))
        return tasks

    def _helpers(self, lead, share=0.35):
        """Sometimes one or two members help the lead."""
        rng = self.task_rng
        if rng.random() >= share:
            return ()
        others = [m for m in self.active_official if m != lead]
        return tuple(rng.sample(others, min(len(others), rng.randint(1, 2))))

    def _for_bithu(self, tasks, plan):
        """At the last meeting of bithu's cell, bithu leads a task still open today."""
        if not plan.latest or not tasks:
            return tasks
        first = tasks[0]
        others = tuple(m for m in first.others if m != self.secretary)
        due_on = max(first.due_on, self.today + timedelta(days=7))
        return [first._replace(lead=self.secretary, due_on=due_on, others=others), *tasks[1:]]

    @staticmethod
    def _tasks_text(tasks, sloppy=False):
        if sloppy:
            return "\n".join(f"{n}. {task.title}." for n, task in enumerate(tasks, 1))
        lines = []
        for n, task in enumerate(tasks, 1):
            who = f"đồng chí {task.lead.full_name}"
            if task.others:
                helpers = ", ".join(f"đồng chí {m.full_name}" for m in task.others)
                who += f" chủ trì, phối hợp với {helpers}"
            lines.append(
                f"{n}. {task.title}. Người thực hiện: {who}; thời hạn: {_vn_date(task.due_on)}."
            )
        return "\n".join(lines)

    # -- resolutions and the review of their tasks

    def _plan_reviews(self, meeting, plan, complete):
        """How this meeting reviews each task still open from earlier resolutions.

        Finalizing refuses minutes that leave one unreviewed, whatever the kind of
        meeting, so thematic meetings review them too; a task not due yet is either
        done early or reported under way.
        """
        if plan.kind == MeetingKind.THEMATIC and not complete:
            return []
        day = meeting.meeting_date
        reviews = [self._decide(task, day) for task in tasks_to_review(meeting)]
        if plan.latest:
            self._force_latest(reviews, day)
        return reviews

    def _decide(self, task, day):
        rng = self.task_rng
        dues = "đảng phí" in task.title
        if task.current_due_on >= day:  # not due yet
            if rng.random() < (0.7 if dues else 0.35):
                praise = not dues and rng.random() < 0.3
                return ReviewPlan(
                    task,
                    TaskResult.DONE,
                    evaluation=Evaluation.PRAISE if praise else "",
                    note="Hoàn thành trước thời hạn.",
                    early=True,
                )
            return ReviewPlan(task, TaskResult.IN_PROGRESS, note=IN_PROGRESS_NOTE, early=True)
        extended = task.current_due_on != task.due_on  # carried over once already
        roll = rng.random()
        if dues or roll < (0.7 if extended else 0.76):
            praise = not dues and rng.random() < 0.25
            return ReviewPlan(
                task,
                TaskResult.DONE,
                evaluation=Evaluation.PRAISE if praise else "",
                note=rng.choice(["đã hoàn thành", "hoàn thành tốt", "đã hoàn thành đúng hạn"]),
            )
        if extended or roll > 0.93:
            return ReviewPlan(
                task,
                TaskResult.PARTLY if extended and rng.random() < 0.5 else TaskResult.NOT_DONE,
                evaluation=Evaluation.REMINDER if rng.random() < 0.3 else "",
                decision=TaskDecision.CLOSE,
                closed_reason=rng.choice(CLOSE_REASONS[self.type]),
            )
        return ReviewPlan(
            task,
            TaskResult.PARTLY,
            evaluation=Evaluation.REMINDER if rng.random() < 0.4 else "",
            decision=TaskDecision.CARRY_OVER,
            new_due_on=self._new_deadline(day),
            reason=rng.choice(NOT_DONE_REASONS),
        )

    def _new_deadline(self, day):
        """Later this month, or mid next month for a review late in the month."""
        if day.day <= 18:
            return _day_in(day.year, day.month, self.task_rng.choice([25, 28, 31]))
        year, month = _next_month(day.year, day.month)
        return _day_in(year, month, self.task_rng.choice([10, 15]))

    def _force_latest(self, reviews, day):
        """bithu's last meeting: a task done and praised, and one past its deadline
        carried over to a day that has passed by today, so her board shows both."""
        past = [
            r for r in reviews if r.task.current_due_on < day and "đảng phí" not in r.task.title
        ]
        candidates = past or [r for r in reviews if "đảng phí" not in r.task.title] or reviews
        if not candidates:
            return
        done = candidates[0]
        if not done.is_done:
            done.result, done.decision, done.new_due_on = TaskResult.DONE, "", None
            done.closed_reason, done.reason = "", ""
            done.note = "Hoàn thành trước thời hạn." if done.early else "hoàn thành tốt"
        done.evaluation = Evaluation.PRAISE
        if len(past) < 2:
            return
        carried = past[1]
        new_due_on = min(day + timedelta(days=6), self.today - timedelta(days=1))
        if new_due_on <= day:
            new_due_on = self._new_deadline(day)
        carried.result, carried.decision = TaskResult.PARTLY, TaskDecision.CARRY_OVER
        carried.new_due_on, carried.closed_reason = new_due_on, ""
        carried.evaluation, carried.reason = Evaluation.REMINDER, NOT_DONE_REASONS[1]

    def _save_reviews(self, meeting, reviews):
        for review in reviews:
            note = review.note if review.early else ""
            if review.reason:
                note = f"Mới thực hiện được một phần vì {review.reason.removeprefix('do ')}."
            update = TaskUpdate(
                task=review.task,
                meeting=meeting,
                result=review.result,
                note=note,
                evaluation=review.evaluation,
                decision=review.decision,
                new_due_on=review.new_due_on,
                closed_reason=review.closed_reason,
            )
            update.clean()
            save_task_review(update, reviewed=True)

    def _adopt(self, meeting, plan, tasks):
        """The resolution of a complete meeting, with its tasks."""
        if not tasks:
            return None
        local = timezone.localtime(plan.when)
        if plan.kind == MeetingKind.REGULAR:
            kind = ResolutionKind.MONTHLY
            title = f"Nghị quyết lãnh đạo thực hiện nhiệm vụ tháng {local.month}/{local.year}"
            body = meeting.next_tasks
        else:
            if not plan.latest and self.task_rng.random() >= THEMATIC_RESOLUTION_SHARE:
                return None
            topic, _subject, _speeches, conclusion, _lessons = self._topic(plan.topic_key)
            kind = ResolutionKind.THEMATIC
            title = f"Nghị quyết chuyên đề “{topic}”"
            body = f"{conclusion}\n{meeting.next_tasks}"
        resolution = save_resolution(
            Resolution(
                meeting=meeting,
                number=next_resolution_number(self.cell, term_of(meeting.meeting_date)),
                kind=kind,
                title=title,
                body=body,
            )
        )
        for order, spec in enumerate(tasks, 1):
            task = Task(
                resolution=resolution,
                title=spec.title,
                lead=spec.lead,
                due_on=spec.due_on,
                order=order,
            )
            task.save()
            if spec.others:
                task.assignees.set(spec.others)
        return resolution

    def _other_business(self, present_ids):
        rng = self.rng
        roll = rng.random()
        members = [m for m in self.members if m.pk in present_ids and m != self.secretary]
        if roll < 0.2 and members:
            member = rng.choice(members)
            return f"Biểu dương đồng chí {member.full_name} đã {rng.choice(DEEDS[self.type])}."
        if roll < 0.3 and self.far_away:
            member = next(m for m in self.members if m.pk in self.far_away)
            return (
                f"Nhắc nhở đồng chí {member.full_name} tham gia sinh hoạt chưa đều, đề nghị thu "
                "xếp về dự sinh hoạt hoặc báo cáo bằng văn bản."
            )
        if roll < 0.38:
            return (
                f"Chi bộ thống nhất giới thiệu quần chúng {self._candidate_name()} tham gia lớp "
                "bồi dưỡng nhận thức về Đảng."
            )
        return ""

    def _candidate_name(self):
        rng = self.rng
        family = rng.choice(list(members_demo.FAMILY_NAMES))
        if rng.random() < 0.5:
            middle, given = members_demo.MALE_MIDDLE, members_demo.MALE_GIVEN
        else:
            middle, given = members_demo.FEMALE_MIDDLE, members_demo.FEMALE_GIVEN
        return f"{family} {rng.choice(middle)} {rng.choice(given)}"

    def _fill_thematic(self, meeting, plan, presenter, reviews):
        rng = self.rng
        topic, subject, _speeches, conclusion, lessons = self._topic(plan.topic_key)
        local = timezone.localtime(plan.when)
        quarter = (local.month - 1) // 3 + 1
        meeting.presenter = presenter
        meeting.lead_report_title = "Báo cáo đề dẫn: " + subject.format(place=self.place)
        meeting.agenda = (
            "1. Nêu mục đích, yêu cầu của buổi sinh hoạt chuyên đề.\n"
            f"2. Đồng chí {presenter.full_name} trình bày báo cáo đề dẫn.\n"
            "3. Thảo luận, liên hệ bản thân và đơn vị.\n"
            "4. Kết luận; biểu quyết thông qua; rút kinh nghiệm."
        )
        meeting.conclusion = (
            f"Đồng chí {self.secretary.full_name} kết luận chuyên đề quý {ROMAN[quarter]}/"
            f"{local.year} “{topic}”: chi bộ thống nhất với báo cáo đề dẫn và các ý kiến thảo "
            f"luận. {conclusion}"
        )
        meeting.lessons_learned = lessons
        if reviews:
            meeting.last_resolution_review = self._quick_review_text(reviews)
        key = plan.topic_key
        assignees = self.committee or [self.secretary]
        tasks = []
        # By the end of the month, now and then of the next one.
        this_end = _day_in(local.year, local.month, 31)
        next_end = _day_in(*_next_month(local.year, local.month), 31)
        for task in TOPIC_TASKS[key]:
            deadline = rng.choice([this_end, this_end, next_end])
            lead = rng.choice(assignees)
            tasks.append(TaskPlan(task, lead, deadline, self._helpers(lead, share=0.25)))
        tasks = self._for_bithu(tasks, plan)
        meeting.next_tasks = self._tasks_text(tasks)
        return tasks

    def _topic(self, key):
        return UNIT_TOPICS[self.type] if key == UNIT else TOPICS[key]

    def _add_speeches(self, meeting, plan, present_ids, tasks, guest):
        rng = self.rng
        speakers = [
            m
            for m in self.members
            if m.pk in present_ids and m.pk not in {self.secretary.pk, meeting.note_taker_id}
        ]
        small = len(self.members) <= 10
        count = min(len(speakers), rng.randint(2, 3) if small else rng.choice([2, 3, 3, 4, 4, 5]))
        # Those who had a task last month report on it first.
        assigned = {}
        if plan.kind == MeetingKind.REGULAR:
            assigned = self.task_reports
        reporting = [m for m in speakers if m.pk in assigned]
        chosen = rng.sample(reporting, min(len(reporting), 1 if count < 4 else 2))
        rest = [m for m in speakers if m not in chosen]
        chosen += rng.sample(rest, count - len(chosen))
        if plan.kind == MeetingKind.THEMATIC:
            templates = list(self._topic(plan.topic_key)[2])
        else:
            templates = list(SPEECHES)
        rng.shuffle(templates)
        rows = []
        for order, speaker in enumerate(chosen, 1):
            if speaker.pk in assigned:
                review = assigned[speaker.pk]
                summary = REPORT_SPEECH.format(
                    task=_lower_first(review.task.title), result=self._report_result(review)
                )
            else:
                template = templates[(order - 1) % len(templates)]
                others = [m for m in self.members if m.pk in present_ids and m != speaker]
                summary = template.format(
                    concern=rng.choice(CONCERNS[self.type]),
                    issue=rng.choice(ISSUES[self.type]),
                    other=rng.choice(others).full_name if others else self.secretary.full_name,
                    deed=rng.choice(DEEDS[self.type]),
                    place=self.place,
                    charge=CHARGES[self.type],
                )
            rows.append(Speech(meeting=meeting, speaker=speaker, summary=summary, order=order))
        if guest:
            bulk_create_with_history([self._guest_row(meeting)], Guest, default_user=self.user)
            focus = _lower_first(tasks[0].title) if tasks else "quan tâm công tác xây dựng Đảng"
            rows.append(
                Speech(
                    meeting=meeting,
                    guest_name=self.guest,
                    summary=GUEST_SPEECH.format(focus=focus),
                    order=len(rows) + 1,
                )
            )
        bulk_create_with_history(rows, Speech, default_user=self.user)

    def _report_result(self, review):
        """What the lead says of their task when reporting to the meeting."""
        if review.early:
            if review.is_done:
                return "đã hoàn thành trước thời hạn"
            return "đang triển khai, bảo đảm hoàn thành đúng thời hạn"
        if review.is_done:
            done = "đã hoàn thành, được nhân dân đồng tình ủng hộ"
            if self.type != CellType.VILLAGE:
                done = "đã hoàn thành đúng thời hạn"
            return self.rng.choice(["đã hoàn thành", done])
        if review.decision == TaskDecision.CLOSE:
            return (
                f"chưa thực hiện được vì {_lower_first(review.closed_reason)}; xin rút kinh nghiệm"
            )
        return (
            f"mới hoàn thành một phần vì {review.reason.removeprefix('do ')}; xin rút kinh "
            "nghiệm và tiếp tục thực hiện trong tháng này"
        )

    def _guest_row(self, meeting):
        """The commune's guest; in the cells canbo follows, added from her assignment
        (delegate_choices), so that the row keeps the link to her account."""
        if self.delegate:
            for choice in delegate_choices(meeting):
                if choice.delegate_id == self.delegate.pk:
                    return Guest(
                        meeting=meeting,
                        name=choice.name,
                        title=choice.title,
                        unit=choice.unit,
                        delegate_id=choice.delegate_id,
                    )
        return Guest(meeting=meeting, name=self.guest, title=GUEST_TITLE, unit=GUEST_UNIT)

    def _quality(self, percent, minutes, late):
        rng = self.rng
        maxima = {str(c["code"]): int(c["max"]) for c in self.criteria}
        scores = dict(maxima)
        fixed = set()
        if "attendance" in scores:
            scores["attendance"] -= 0 if percent >= 95 else 1 if percent >= 85 else 2
            fixed.add("attendance")
        if "time" in scores:
            minimum = meeting_setting("REGULAR_MEETING_MINIMUM_MINUTES")
            scores["time"] -= 2 if minutes < minimum else 1 if late.total_seconds() > 300 else 0
            fixed.add("time")
        target = rng.randint(76, 95)
        if percent < 85 or minutes < 90:
            target -= rng.randint(3, 7)
        adjustable = [code for code in scores if code not in fixed]
        while sum(scores.values()) > target:
            open_codes = [c for c in adjustable if scores[c] > maxima[c] * 0.6]
            if not open_codes:
                break
            code = rng.choices(open_codes, weights=[maxima[c] for c in open_codes])[0]
            scores[code] -= 1
        return scores


# ---------------------------------------------------------------- entry point


def _demo_cells():
    codes = [spec.code for spec in members_demo.CELLS]
    cells = {cell.code: cell for cell in Organization.objects.filter(code__in=codes)}
    return [(number, cells[code]) for number, code in enumerate(codes, 1) if code in cells]


def _assign_canbo(users, today):
    """canbo follows a few cells for the commune committee, since the term began."""
    commune = Organization.objects.filter(code=members_demo.COMMUNE.code).first()
    if commune is None:
        return
    first_year, first_month = _months_window(today)[0]
    started_on = min(members_demo.TERM_START, date(first_year, first_month, 1))
    cells = Organization.objects.filter(code__in=CANBO_CELLS, parent=commune).order_by("code")
    for cell in cells:
        assignment = DelegateAssignment(
            superior=commune,
            delegate=users["canbo"],
            cell=cell,
            title=GUEST_TITLE,
            started_on=started_on,
        )
        if not overlapping_assignments(assignment).exists():
            assign_delegate(assignment, user=users["admin"])


def seed_meetings(today=None, stdout=None):
    """A year of meetings for each demo cell that has none yet; call inside a transaction."""
    today = today or timezone.localdate()
    report = MeetingsReport()
    User = get_user_model()
    users = {user.username: user for user in User.objects.filter(username__in=["admin", "canbo"])}
    if len(users) == 2:
        _assign_canbo(users, today)
    for number, cell in _demo_cells():
        if Meeting.objects.filter(organization=cell).exists():
            report.cells_skipped.append(cell)
            continue
        if len(users) < 2:
            report.warnings.append("The demo accounts admin and canbo are missing: no meetings.")
            break
        year = CellYear(cell, number, today, users)
        if year.secretary is None or not year.note_takers:
            report.warnings.append(f"{cell.name} has no current secretary: no meetings.")
            continue
        year.build(report)
        report.cells_filled.append(cell)
    if stdout is not None:
        stdout.write(report.summary())
    return report
