"""How long printing takes: `python -m tests.bench` (or `make bench`).

Builds a cell of 30 members with a year of signed minutes in a throwaway test
database (never the real one), then times with time.perf_counter:

1. one typical signed monthly minutes (about 3 pages): printing.pdf.render_minutes;
2. the year's minutes book of 16 meetings, assembled from their stored PDFs:
   printing.books.assemble_minutes_book (tests/bench/minutes_book.py compares it with
   laying the book out again, and times a cached request; run after this one);
3. a minimal one-page WeasyPrint document, as the unit of comparison;
4. tests.bench.pdf_render: the minutes against plain HTML of the same page count and
   font (figures merged into bench-results.json).

It prints the median and the minimum of each, and the ratios to (3). No assertions.

The other benchmarks are modules of this package, run on their own (`make bench` runs
them all): concurrent_saves, board_queries, board, recording_page (each step of the
recording flow at 36, 500 and 2,000 members: server time, HTML size, queries) and
monthly_journey (the monthly meeting recorded in chromium: page loads, clicks, fields,
screens).
"""

import argparse
import os
import statistics
import sys
import time
from datetime import date, datetime, timedelta

YEAR = 2025  # wholly in the past: every meeting can be finalized and signed
REGULAR_MONTHS = range(1, 13)
THEMATIC_MONTHS = (3, 6, 9, 12)
TYPICAL_MONTH = 11

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Ngô", "Đặng"]
MIDDLE = ["Văn", "Thị", "Minh", "Đức", "Thu", "Quang"]
GIVEN = [
    "An", "Bình", "Cường", "Dung", "Em", "Gấm", "Hậu", "Kim", "Lan", "Mạnh",
    "Nga", "Oanh", "Phúc", "Quý", "Sơn", "Thủy", "Uyên", "Vinh", "Xuân", "Yến",
    "Hùng", "Hương", "Tuấn", "Hằng", "Long", "Nhung", "Dũng", "Trang", "Khánh", "Liên",
]  # fmt: skip

NEWS = (
    "Thông tin tình hình kinh tế – xã hội của đất nước, của tỉnh và của xã trong tháng: "
    "sản xuất nông nghiệp ổn định, vụ mùa được mùa. Các văn bản mới của cấp trên về công "
    "tác xây dựng Đảng."
)
STATE_OF_MIND = "Đảng viên và nhân dân phấn khởi; còn băn khoăn về giá vật tư nông nghiệp."
NEXT_TASKS = (
    "1. Chỉ đạo thu hoạch vụ mùa, chuẩn bị sản xuất vụ đông.\n"
    "2. Vận động nhân dân hiến đất, ngày công làm đường giao thông nội đồng.\n"
    "3. Thu nộp đảng phí; tổng vệ sinh môi trường vào Chủ nhật cuối tháng."
)
OTHER = "Giới thiệu quần chúng ưu tú Trần Thu Hà đi học lớp nhận thức về Đảng."
CONCLUSION = (
    "Chi bộ đã lãnh đạo hoàn thành cơ bản các nhiệm vụ đề ra. Tháng tới tập trung vào các "
    "nhiệm vụ trọng tâm đã nêu; mỗi đảng viên chịu trách nhiệm về nhiệm vụ được giao."
)
SPEECH = "Đề nghị quan tâm việc {topic}."
SPEECH_TOPICS = [
    "tiêu thụ nông sản",
    "làm đường nội đồng",
    "thu gom rác thải",
    "chăm lo gia đình chính sách",
    "phòng chống tệ nạn xã hội",
    "thu nộp đảng phí đúng hạn",
    "giữ gìn an ninh trật tự",
    "phát triển đảng viên trẻ",
]
# Indices into the members: 5 is exempt, 6 away, 9, 14 and 21 absent, 27–29 probationary.
SPEAKERS = [2, 3, 4, 7, 8, 10, 11, 27]
LEADS = [3, 4, 7, 8, 10]
HELPERS = [None, None, None, None, 28]
TASKS = [
    "Chỉ đạo thu hoạch vụ mùa",
    "Vận động hiến đất làm đường",
    "Thu nộp đảng phí đầy đủ",
    "Tổng vệ sinh môi trường",
    "Thăm hỏi gia đình chính sách",
]


def django_setup():
    os.environ["DJANGO_SETTINGS_MODULE"] = "cellmeet.settings.test"
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    import django

    django.setup()


def at(month, day, hour=19, minute=30):
    from django.utils import timezone

    return timezone.make_aware(datetime(YEAR, month, day, hour, minute))


class Builder:
    """A cell with a year of signed minutes, made through the workflow services."""

    def __init__(self):
        from django.contrib.auth import get_user_model

        from members.models import Member, Organization, OrganizationKind, Position

        province = Organization.objects.create(
            name="Tỉnh ủy Sơn Nguyên", kind=OrganizationKind.SUPERIOR_COMMITTEE, place="Yên Hòa"
        )
        commune = Organization.objects.create(
            name="Đảng bộ xã Yên Hòa",
            kind=OrganizationKind.GRASSROOTS_COMMITTEE,
            parent=province,
            place="Yên Hòa",
        )
        self.cell = Organization.objects.create(
            name="Chi bộ thôn Đông Hòa",
            kind=OrganizationKind.CELL,
            cell_type="village",
            parent=commune,
            place="Yên Hòa",
        )
        self.user = get_user_model().objects.create_user("bench-secretary", password="x-bench-1")
        self.members = []
        for index, given in enumerate(GIVEN):
            probationary = index in (27, 28, 29)
            activity = {5: "exempt", 6: "away"}.get(index, "active")
            self.members.append(
                Member.objects.create(
                    organization=self.cell,
                    full_name=f"{FAMILY[index % 10]} {MIDDLE[index % 6]} {given}",
                    gender="female" if MIDDLE[index % 6] in ("Thị", "Thu") else "male",
                    admitted_on=date(YEAR, 1, 10) if probationary else date(1990 + index, 3, 2),
                    status="probationary" if probationary else "official",
                    activity_status=activity,
                )
            )
        self.secretary, self.note_taker = self.members[0], self.members[1]
        self.secretary.user = self.user
        self.secretary.save()
        Position.objects.create(
            member=self.secretary,
            organization=self.cell,
            role="secretary",
            started_on=date(2020, 9, 1),
            term="2020–2025",
        )
        self.number = 0

    def year(self):
        """12 regular and 4 thematic meetings, in date order, each one signed."""
        plan = [(month, "regular") for month in REGULAR_MONTHS]
        plan += [(month, "thematic") for month in THEMATIC_MONTHS]
        plan.sort(key=lambda item: (item[0], item[1] == "thematic"))
        meetings = {}
        for month, kind in plan:
            meetings[(month, kind)] = self.meeting(month, kind)
        return meetings

    def meeting(self, month, kind):
        from meetings import services
        from meetings.models import Attendance, Guest, Meeting, Speech

        thematic = kind == "thematic"
        meeting = Meeting(
            organization=self.cell,
            kind=kind,
            scheduled_at=at(month, 20 if thematic else 5, 14 if thematic else 19),
            topic="Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"
            if thematic
            else "",
            location="Nhà văn hóa thôn Đông Hòa",
        )
        services.save_planned_meeting(meeting, user=self.user)
        meeting = services.start_recording(meeting, user=self.user)

        absent = {
            self.members[9].pk: ("absent_excused", "Đi điều trị tại bệnh viện tỉnh"),
            self.members[14].pk: ("absent_excused", "Đi làm ăn xa"),
            self.members[21].pk: ("absent_unexcused", ""),
        }
        present = 0
        for row in Attendance.objects.filter(meeting=meeting):
            if row.is_away or row.is_exempt:
                continue  # not summoned: they stay unmarked
            row.status, row.reason = absent.get(row.member_id, ("present", ""))
            present += row.status == "present"
            row.save()
        meeting.refresh_from_db()

        Guest.objects.create(
            meeting=meeting,
            name="Lê Quang Minh",
            title="Đảng ủy viên",
            unit="Đảng ủy xã Yên Hòa",
            order=1,
        )
        Guest.objects.create(meeting=meeting, name="Vũ Thị Hạnh", title="Bí thư Chi đoàn", order=2)
        for order, (speaker, topic) in enumerate(
            zip(SPEAKERS, SPEECH_TOPICS, strict=True), start=1
        ):
            Speech.objects.create(
                meeting=meeting,
                speaker=self.members[speaker],
                summary=SPEECH.format(topic=topic),
                order=order,
            )
        self.review_open_tasks(meeting, thematic)

        meeting.chair, meeting.note_taker = self.secretary, self.note_taker
        meeting.started_at = meeting.scheduled_at
        meeting.ended_at = meeting.scheduled_at + timedelta(minutes=120 if thematic else 100)
        meeting.dues_report = "đã thu đủ, 1.250.000 đồng."
        meeting.news_briefing = NEWS
        meeting.state_of_mind = STATE_OF_MIND
        meeting.next_tasks = NEXT_TASKS
        meeting.other_business = OTHER
        meeting.conclusion = CONCLUSION
        if thematic:
            meeting.presenter = self.members[2]
            meeting.lead_report_title = "Báo cáo đề dẫn chuyên đề năm " + str(YEAR)
            meeting.lessons_learned = "Chuẩn bị tài liệu sớm hơn; nhiều đảng viên phát biểu."
        meeting.vote_method = "hands"
        meeting.votes_for, meeting.votes_against, meeting.votes_other = 21, 1, 0
        meeting.minutes_adopted_votes = present
        meeting.quality_scores = {
            "time": 5,
            "attendance": 4,
            "preparation": 9,
            "conduct": 27,
            "chairing": 9,
            "principles": 5,
            "results": 26,
            "closing": 5,
        }
        meeting.save()
        if not thematic:
            self.adopt(meeting)

        services.finalize_minutes(meeting, user=self.user)
        services.sign_minutes(meeting, user=self.user, role="chair")
        services.sign_minutes(meeting, user=self.user, role="note_taker", on_paper=True)
        meeting.refresh_from_db()
        return meeting

    def review_open_tasks(self, meeting, thematic):
        from resolutions import services
        from resolutions.models import TaskUpdate

        for index, task in enumerate(services.unreviewed_tasks(meeting)):
            carried = index == 1 and meeting.month in (6, TYPICAL_MONTH)
            update = TaskUpdate(
                task=task,
                meeting=meeting,
                result="partly" if carried else "done",
                decision="carry_over" if carried else "",
                new_due_on=meeting.meeting_date + timedelta(days=30) if carried else None,
                note="Còn vướng mặt bằng, đã họp dân lần hai." if carried else "",
                evaluation="praise" if index == 0 and not carried else "",
            )
            services.save_task_review(update, reviewed=True)

    def adopt(self, meeting):
        from resolutions import services
        from resolutions.models import Resolution, Task

        self.number += 1
        resolution = services.save_resolution(
            Resolution(
                meeting=meeting,
                number=self.number,
                title=f"Nghị quyết lãnh đạo thực hiện nhiệm vụ tháng {meeting.month % 12 + 1}",
            )
        )
        for order, (title, lead, other) in enumerate(
            zip(TASKS, LEADS, HELPERS, strict=True), start=1
        ):
            task = Task.objects.create(
                resolution=resolution,
                title=title,
                lead=self.members[lead],
                due_on=meeting.meeting_date + timedelta(days=25),
                order=order,
            )
            if other is not None:
                task.assignees.set([self.members[other]])


def timed(function, runs):
    """Seconds of each run; the renders made for the page counts were the warm-up."""
    times = []
    for _ in range(max(1, runs)):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def page_count(content):
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(content)).pages)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__)
    parser.add_argument("--runs", type=int, default=7, help="timed runs of each (default 7)")
    parser.add_argument("--book-runs", type=int, default=5, help="timed runs of the book")
    parser.add_argument("--save", metavar="FOLDER", help="also write the PDFs into FOLDER")
    args = parser.parse_args(argv)

    django_setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        status = run(args, settings)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
    from tests.bench import minutes_book

    print()
    return status or minutes_book.main(["--runs", str(args.book_runs)])


def run(args, settings):
    import weasyprint

    from printing import pdf
    from printing.books import assemble_minutes_book

    settings.SITE_URL = "https://chibo.example.vn"
    started = time.perf_counter()
    builder = Builder()
    meetings = builder.year()
    typical = meetings[(TYPICAL_MONTH, "regular")]
    built = time.perf_counter() - started

    minutes = pdf.render_minutes(typical)
    book = assemble_minutes_book(builder.cell, YEAR).content
    minimal = weasyprint.HTML(string="<p>Xin chào</p>").write_pdf()
    if args.save:
        os.makedirs(args.save, exist_ok=True)
        for name, content in [("minutes", minutes), ("book", book), ("minimal", minimal)]:
            with open(os.path.join(args.save, f"bench-{name}.pdf"), "wb") as handle:
                handle.write(content)

    print(f"cellmeet printing benchmark — WeasyPrint {weasyprint.__version__}")
    print(
        f"data: {len(builder.members)} members, {len(meetings)} signed meetings in {YEAR} "
        f"(built in {built:.1f} s)"
    )
    print(
        f"typical minutes: {page_count(minutes)} pages, {len(minutes) // 1024} KiB; "
        f"book: {page_count(book)} pages, {len(book) // 1024} KiB; "
        f"minimal: {page_count(minimal)} page"
    )

    cases = [
        ("(1) typical minutes", lambda: pdf.render_minutes(typical), args.runs),
        (
            f"(2) minutes book, {len(meetings)} meetings",
            lambda: assemble_minutes_book(builder.cell, YEAR),
            args.book_runs,
        ),
        (
            "(3) minimal WeasyPrint page",
            lambda: weasyprint.HTML(string="<p>Xin chào</p>").write_pdf(),
            args.runs,
        ),
    ]
    results = []
    for label, function, runs in cases:
        times = timed(function, runs)
        results.append((label, runs, statistics.median(times), min(times)))

    width = max(len(label) for label, *_ in results)
    print()
    print(f"{'':{width}}  runs  median (s)  min (s)")
    for label, runs, median, best in results:
        print(f"{label:{width}}  {runs:>4}  {median:>10.3f}  {best:>7.3f}")
    unit = results[2][2]
    print()
    print(f"ratio (1)/(3), medians: {results[0][2] / unit:6.1f}×")
    print(f"ratio (2)/(3), medians: {results[1][2] / unit:6.1f}×")
    print()
    from tests.bench import pdf_render

    # Our minutes against WeasyPrint on plain HTML of the same pages (bench-results.json).
    pdf_render.measure(typical, args.runs)
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"total time: {time.perf_counter() - started:.1f} s (load average {load}, ", end="")
    print(f"{os.cpu_count()} CPUs: a busy machine makes the medians noisy)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
