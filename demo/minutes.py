"""What the demo minutes say: briefing, discussion, conclusion, speeches, tasks, quality.

`MinutesWriter` fills one meeting's text fields from the phrase data
(demo/data/phrases.json) for the `DemoCell` it writes for, drawing from that cell's
random streams in a fixed order so that a run is repeatable.
"""

from collections import Counter

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from demo.phrases import (
    CHARGES,
    CONCERNS,
    DEEDS,
    FAMILY_NAMES,
    FARMING_WORDS,
    FEMALE_GIVEN,
    FEMALE_MIDDLE,
    GUEST_SPEECH,
    GUEST_TITLE,
    GUEST_UNIT,
    ISSUES,
    LOCAL_NEWS,
    MALE_GIVEN,
    MALE_MIDDLE,
    MISSING_MONTH_REASON,
    NEWS,
    PEOPLE,
    REPORT_SPEECH,
    SPEECHES,
    STATE_OF_MIND,
    TASKS,
    TOPIC_TASKS,
    UNIT_TASKS_BY_MONTH,
    VILLAGE_SEASON,
    VILLAGE_TASKS_BY_MONTH,
)
from demo.scenario import ROMAN, TaskPlan, day_in, lower_first, next_month, vn_date, vnd
from meetings.models import Guest, MeetingKind, Speech
from meetings.periods import quarter_of
from meetings.rules import meeting_setting
from members.models import CellType
from oversight.delegates import delegate_choices
from resolutions.models import Evaluation, TaskDecision


class MinutesWriter:
    """Writes the minutes of the meetings of one `DemoCell`."""

    def __init__(self, cell):
        self.cell = cell
        self.task_reports = {}  # lead's member pk -> ReviewPlan, for their report speech

    def fill_regular(self, meeting, plan, present_ids, on_roster, reviews):
        rng = self.cell.rng
        local = timezone.localtime(plan.when)
        year, month = local.year, local.month
        values = {
            "year": year,
            "prev_year": year - 1,
            "next_year": year + 1,
        }
        meeting.agenda = (
            f"1. Thông tin thời sự; tình hình tư tưởng {PEOPLE[self.cell.type]}.\n"
            "2. Đánh giá kết quả thực hiện nghị quyết tháng trước.\n"
            f"3. Thảo luận, thống nhất nhiệm vụ tháng {month}/{year}.\n"
            "4. Biểu quyết thông qua kết luận; tự đánh giá chất lượng buổi sinh hoạt."
        )
        per_member = (5, 40) if self.cell.type == CellType.VILLAGE else (60, 160)
        dues = sum(rng.randint(*per_member) for _ in range(on_roster)) * 1000
        dues_text = f"Đảng phí tháng {month}/{year}: chi bộ đã thu {vnd(dues)} đồng"
        late = [pk for pk in self.cell.far_away if pk not in present_ids]
        if late and rng.random() < 0.5:
            dues_text += (
                f"; còn {len(late)} đồng chí đi làm ăn xa chưa nộp, chi ủy liên hệ nhắc nộp. "
                "Đã nộp số thu về Đảng ủy xã."
            )
        else:
            dues_text += ", đạt 100%; đã nộp về Đảng ủy xã."
        meeting.dues_report = dues_text

        items = NEWS[month]
        if self.cell.type != CellType.VILLAGE:
            items = [item for item in items if not any(w in item for w in FARMING_WORDS)]
        news = [item.format(**values) for item in rng.sample(items, min(2, len(items)))]
        local_news = rng.choice(LOCAL_NEWS[self.cell.type])
        meeting.news_briefing = (
            f"Đồng chí {self.cell.secretary.full_name} thông tin thời sự tháng {month}/{year}: "
            f"{'; '.join(news)}.\nThông tin của Đảng ủy xã: {local_news}."
        )
        mind = rng.sample(STATE_OF_MIND[self.cell.type], 2)
        if self.cell.type == CellType.VILLAGE:
            mind.append(VILLAGE_SEASON[month])
        meeting.state_of_mind = " ".join(mind)

        meeting.last_resolution_review = self._review_text(reviews, month, year)
        self.task_reports = {review.task.lead_id: review for review in reviews}
        tasks = self.cell.for_bithu(self._next_tasks(month, year), plan)
        meeting.next_tasks = self.tasks_text(tasks, sloppy=plan.sloppy_tasks)
        meeting.other_business = self._other_business(present_ids)
        people = PEOPLE[self.cell.type]
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
            f"Đồng chí {self.cell.secretary.full_name} kết luận: tháng qua, chi bộ đã lãnh đạo "
            f"{people} {done}. Chi bộ thống nhất các nhiệm vụ trọng tâm tháng {month}/{year}: "
            f"{'; '.join(lower_first(t.title) for t in tasks)}{go_on}. Yêu cầu các đồng chí "
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
        if self.cell.skipped_month and next_month(*self.cell.skipped_month) == (year, month):
            skipped_year, skipped_month = self.cell.skipped_month
            lines.append(
                f"Tháng {skipped_month}/{skipped_year} chi bộ không tổ chức sinh hoạt thường kỳ "
                f"do {MISSING_MONTH_REASON[self.cell.code]}; các nhiệm vụ được chuyển sang tháng "
                "này."
            )
        by_resolution = {}
        for review in reviews:
            by_resolution.setdefault(review.task.resolution, []).append(review)
        for resolution, items in sorted(by_resolution.items(), key=lambda item: item[0].number):
            lines.append(
                f"Nghị quyết số {resolution.document_number} ({lower_first(resolution.title)}): "
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
            due = vn_date(task.current_due_on)
            return f"{task.title} (đồng chí {lead}): đang triển khai, thời hạn {due}."
        if review.decision == TaskDecision.CLOSE:
            return (
                f"{task.title} (đồng chí {lead}): chưa thực hiện được do "
                f"{lower_first(review.closed_reason)}; chi bộ thống nhất dừng thực hiện."
            )
        line = (
            f"{task.title} (đồng chí {lead}): mới hoàn thành một phần ({review.reason}); giao "
            f"tiếp tục thực hiện, thời hạn mới {vn_date(review.new_due_on)}."
        )
        if review.evaluation == Evaluation.REMINDER:
            line += f" Chi bộ nhắc nhở đồng chí {lead} khẩn trương hoàn thành."
        return line

    def _next_tasks(self, month, year):
        rng = self.cell.rng
        by_month = (
            VILLAGE_TASKS_BY_MONTH
            if self.cell.type == CellType.VILLAGE
            else UNIT_TASKS_BY_MONTH.get(self.cell.type, {})
        )
        seasonal = by_month.get(month, [])
        chosen = rng.sample(seasonal, min(len(seasonal), rng.randint(1, 2)))
        pool = [task for task in TASKS[self.cell.type] if task not in chosen]
        chosen += rng.sample(pool, max(0, rng.randint(2, 4) - len(chosen)))
        assignees = self.cell.committee or [self.cell.secretary]
        tasks = []
        for task in chosen:
            lead = rng.choice(assignees + self.cell.active_official[:6])
            deadline = day_in(year, month, rng.choice([20, 25, 28, 31]))
            tasks.append(TaskPlan(task, lead, deadline, self.cell.helpers(lead)))
        return tasks

    @staticmethod
    def tasks_text(tasks, sloppy=False):
        if sloppy:
            return "\n".join(f"{n}. {task.title}." for n, task in enumerate(tasks, 1))
        lines = []
        for n, task in enumerate(tasks, 1):
            who = f"đồng chí {task.lead.full_name}"
            if task.others:
                helpers = ", ".join(f"đồng chí {m.full_name}" for m in task.others)
                who += f" chủ trì, phối hợp với {helpers}"
            lines.append(
                f"{n}. {task.title}. Người thực hiện: {who}; thời hạn: {vn_date(task.due_on)}."
            )
        return "\n".join(lines)

    def _other_business(self, present_ids):
        rng = self.cell.rng
        roll = rng.random()
        members = [m for m in self.cell.members if m.pk in present_ids and m != self.cell.secretary]
        if roll < 0.2 and members:
            member = rng.choice(members)
            return f"Biểu dương đồng chí {member.full_name} đã {rng.choice(DEEDS[self.cell.type])}."
        if roll < 0.3 and self.cell.far_away:
            member = next(m for m in self.cell.members if m.pk in self.cell.far_away)
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
        rng = self.cell.rng
        family = rng.choice(list(FAMILY_NAMES))
        if rng.random() < 0.5:
            middle, given = MALE_MIDDLE, MALE_GIVEN
        else:
            middle, given = FEMALE_MIDDLE, FEMALE_GIVEN
        return f"{family} {rng.choice(middle)} {rng.choice(given)}"

    def fill_thematic(self, meeting, plan, presenter, reviews):
        rng = self.cell.rng
        topic, subject, _speeches, conclusion, lessons = self.cell.topic(plan.topic_key)
        local = timezone.localtime(plan.when)
        quarter = quarter_of(local.month)
        meeting.presenter = presenter
        meeting.lead_report_title = "Báo cáo đề dẫn: " + subject.format(place=self.cell.place)
        meeting.agenda = (
            "1. Nêu mục đích, yêu cầu của buổi sinh hoạt chuyên đề.\n"
            f"2. Đồng chí {presenter.full_name} trình bày báo cáo đề dẫn.\n"
            "3. Thảo luận, liên hệ bản thân và đơn vị.\n"
            "4. Kết luận; biểu quyết thông qua; rút kinh nghiệm."
        )
        meeting.conclusion = (
            f"Đồng chí {self.cell.secretary.full_name} kết luận chuyên đề quý {ROMAN[quarter]}/"
            f"{local.year} “{topic}”: chi bộ thống nhất với báo cáo đề dẫn và các ý kiến thảo "
            f"luận. {conclusion}"
        )
        meeting.lessons_learned = lessons
        if reviews:
            meeting.last_resolution_review = self._quick_review_text(reviews)
        key = plan.topic_key
        assignees = self.cell.committee or [self.cell.secretary]
        tasks = []
        # By the end of the month, now and then of the next one.
        this_end = day_in(local.year, local.month, 31)
        next_end = day_in(*next_month(local.year, local.month), 31)
        for task in TOPIC_TASKS[key]:
            deadline = rng.choice([this_end, this_end, next_end])
            lead = rng.choice(assignees)
            tasks.append(TaskPlan(task, lead, deadline, self.cell.helpers(lead, share=0.25)))
        tasks = self.cell.for_bithu(tasks, plan)
        meeting.next_tasks = self.tasks_text(tasks)
        return tasks

    def add_speeches(self, meeting, plan, present_ids, tasks, guest):
        rng = self.cell.rng
        speakers = [
            m
            for m in self.cell.members
            if m.pk in present_ids and m.pk not in {self.cell.secretary.pk, meeting.note_taker_id}
        ]
        small = len(self.cell.members) <= 10
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
            templates = list(self.cell.topic(plan.topic_key).speeches)
        else:
            templates = list(SPEECHES)
        rng.shuffle(templates)
        rows = []
        for order, speaker in enumerate(chosen, 1):
            if speaker.pk in assigned:
                review = assigned[speaker.pk]
                summary = REPORT_SPEECH.format(
                    task=lower_first(review.task.title), result=self._report_result(review)
                )
            else:
                template = templates[(order - 1) % len(templates)]
                others = [m for m in self.cell.members if m.pk in present_ids and m != speaker]
                summary = template.format(
                    concern=rng.choice(CONCERNS[self.cell.type]),
                    issue=rng.choice(ISSUES[self.cell.type]),
                    other=rng.choice(others).full_name if others else self.cell.secretary.full_name,
                    deed=rng.choice(DEEDS[self.cell.type]),
                    place=self.cell.place,
                    charge=CHARGES[self.cell.type],
                )
            rows.append(Speech(meeting=meeting, speaker=speaker, summary=summary, order=order))
        if guest:
            bulk_create_with_history([self._guest_row(meeting)], Guest, default_user=self.cell.user)
            focus = lower_first(tasks[0].title) if tasks else "quan tâm công tác xây dựng Đảng"
            rows.append(
                Speech(
                    meeting=meeting,
                    guest_name=self.cell.guest,
                    summary=GUEST_SPEECH.format(focus=focus),
                    order=len(rows) + 1,
                )
            )
        bulk_create_with_history(rows, Speech, default_user=self.cell.user)

    def _report_result(self, review):
        """What the lead says of their task when reporting to the meeting."""
        if review.early:
            if review.is_done:
                return "đã hoàn thành trước thời hạn"
            return "đang triển khai, bảo đảm hoàn thành đúng thời hạn"
        if review.is_done:
            done = "đã hoàn thành, được nhân dân đồng tình ủng hộ"
            if self.cell.type != CellType.VILLAGE:
                done = "đã hoàn thành đúng thời hạn"
            return self.cell.rng.choice(["đã hoàn thành", done])
        if review.decision == TaskDecision.CLOSE:
            return (
                f"chưa thực hiện được vì {lower_first(review.closed_reason)}; xin rút kinh nghiệm"
            )
        return (
            f"mới hoàn thành một phần vì {review.reason.removeprefix('do ')}; xin rút kinh "
            "nghiệm và tiếp tục thực hiện trong tháng này"
        )

    def _guest_row(self, meeting):
        """The commune's guest; in the cells canbo follows, added from her assignment
        (delegate_choices), so that the row keeps the link to her account."""
        if self.cell.delegate:
            for choice in delegate_choices(meeting):
                if choice.delegate_id == self.cell.delegate.pk:
                    return Guest(
                        meeting=meeting,
                        name=choice.name,
                        title=choice.title,
                        unit=choice.unit,
                        delegate_id=choice.delegate_id,
                    )
        return Guest(meeting=meeting, name=self.cell.guest, title=GUEST_TITLE, unit=GUEST_UNIT)

    def quality(self, percent, minutes, late):
        rng = self.cell.rng
        maxima = {str(c["code"]): int(c["max"]) for c in self.cell.criteria}
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
