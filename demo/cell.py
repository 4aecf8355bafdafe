"""One demo cell: who is in it, which meetings its year holds, who does what at each.

`DemoCell` reads the cell's members and positions once, draws everything from two
random streams seeded by the cell's code (one for the meetings, one for tasks and
their reviews), plans the year (`plans()`) and picks the people: chair, note-taker,
presenter, attendance, helpers. demo.year records the plans; demo.minutes and
demo.follow_up write what the minutes say.
"""

import math
import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from cellmeet.templatetags.cellmeet_tags import person_name
from demo.phrases import (
    ABSENCE_REASONS,
    ELDERLY_REASON,
    FAR_AWAY_REASON,
    GUESTS,
    TOPICS,
    UNIT_TOPICS,
)
from demo.scenario import (
    BITHU_CELL,
    BITHU_THEMATIC_DAYS_AGO,
    CANBO_CELLS,
    DEVELOPMENT,
    DIGITAL,
    DRAFT,
    HCM,
    LAST_MONTH,
    MISSING_MONTH,
    MISSING_QUARTER,
    PLANNED,
    RETURNED,
    RETURNED_MONTH,
    SEED,
    SIGNED,
    START_TIMES,
    THEMATIC_MONTH,
    THEMATIC_THIS_MONTH,
    THIS_MONTH_DRAFTS,
    TOPIC_ROTATION,
    UNIT,
    Plan,
    at,
    day_in,
    months_window,
    soon,
)
from meetings.models import AttendanceStatus, MeetingKind, quality_criteria_for
from meetings.periods import quarter_of
from members.models import (
    ActivityStatus,
    CellType,
    Member,
    MembershipStatus,
    Position,
    PositionRole,
    Role,
    RoleKind,
)


class DemoCell:
    """A demo cell, its people and the plan of its year."""

    def __init__(self, cell, number, today, users):
        self.organization = cell
        self.code = cell.code
        self.number = number
        self.today = today
        self.now = timezone.now()
        self.rng = random.Random(f"{SEED}:{cell.code}")
        # Tasks and their reviews draw from their own stream.
        self.task_rng = random.Random(f"{SEED}:{cell.code}:tasks")
        self.upload_rng = random.Random(f"{SEED}:{cell.code}:national-app")
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
        self.skipped_month = None

    def plans(self):
        months = months_window(self.today)
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
            key = (year, quarter_of(month))
            if key not in quarters:
                quarters.append(key)
        for back, (year, quarter) in enumerate(reversed(quarters)):
            if MISSING_QUARTER.get(self.code) == back:
                continue
            in_window = [m for y, m in months if y == year and quarter_of(m) == quarter]
            preferred = THEMATIC_MONTH[quarter]
            month = min(in_window, key=lambda m, preferred=preferred: abs(m - preferred))
            topic_key = HCM if quarter == 2 else TOPIC_ROTATION[(self.number + year + quarter) % 4]
            day = day_in(year, month, self.rng.randint(14, 22))
            outcome = SIGNED
            if back == 0 and self.code in THEMATIC_THIS_MONTH:
                month = current[1]
                outcome = THEMATIC_THIS_MONTH[self.code]
                if outcome == DRAFT and self.today.day > 1:
                    day = day_in(year, month, min(14, self.today.day - 1))
                else:
                    outcome, day = PLANNED, self._later(4 + self.number % 3)
            elif back == 0 and self.code == BITHU_CELL and self.today.day > BITHU_THEMATIC_DAYS_AGO:
                day = day_in(year, current[1], min(14, self.today.day - BITHU_THEMATIC_DAYS_AGO))
            when = at(self._weekday(day), self.hour, self.minute)
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
        day = soon(self.today, days)
        moved = self._weekday(day)
        return moved if moved > self.today else day

    def _regular_plan(self, year, month, back):
        day = self._weekday(day_in(year, month, self.rng.randint(5, 10)))
        outcome = SIGNED
        if back == 0:
            if self.code == BITHU_CELL:
                outcome, day = PLANNED, soon(self.today, 3)
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
        when = at(day, self.hour, self.minute)
        if when >= self.now:
            outcome = PLANNED
        return Plan(MeetingKind.REGULAR, when, outcome, back, sloppy_tasks=outcome == RETURNED)

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

    def helpers(self, lead, share=0.35):
        """Sometimes one or two members help the lead."""
        rng = self.task_rng
        if rng.random() >= share:
            return ()
        others = [m for m in self.active_official if m != lead]
        return tuple(rng.sample(others, min(len(others), rng.randint(1, 2))))

    def for_bithu(self, tasks, plan):
        """At the last meeting of bithu's cell, bithu leads a task still open today."""
        if not plan.latest or not tasks:
            return tasks
        first = tasks[0]
        others = tuple(m for m in first.others if m != self.secretary)
        due_on = max(first.due_on, self.today + timedelta(days=7))
        return [first._replace(lead=self.secretary, due_on=due_on, others=others), *tasks[1:]]

    def topic(self, key):
        return UNIT_TOPICS[self.type] if key == UNIT else TOPICS[key]
