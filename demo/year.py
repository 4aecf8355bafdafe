"""The demo year of meetings: records each demo cell's planned year through the services.

For each of the 13 demo cells of `demo.organization`, the 12 months up to and including
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
the same members, every run builds the same meetings. The minutes are finalized, signed
and accepted a little after each meeting: the demo passes that moment to the services as
`now=` (no clock is patched). Rows the demo saves itself name their author through
simple_history's `_history_user`; every history row is dated when the seeding ran.

The parts: demo.scenario (what happens when), demo.cell (the people and the plan),
demo.minutes (what the minutes say), demo.follow_up (task reviews and resolutions), the
phrases in demo/data/phrases.json (read by demo.phrases).
"""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from demo.cell import DemoCell
from demo.committee import prepare_this_month
from demo.follow_up import TaskFollowUp
from demo.minutes import MinutesWriter
from demo.organization import CELLS, COMMUNE, TERM_START
from demo.phrases import ACCEPT_COMMENTS, GUEST_TITLE, RETURN_COMMENT
from demo.scenario import (
    ACCEPTED_MONTHS_BACK,
    ADMISSION_CANDIDATE,
    CANBO_CELLS,
    DECISIONS_AT,
    DRAFT,
    FINALIZED,
    HALF_SIGNED,
    PLANNED,
    RETURNED,
    REVIEW_BEHIND,
    SHORT_MEETINGS,
    SIGNED,
    MeetingsReport,
    months_window,
)
from meetings import services
from meetings.models import (
    Attendance,
    AttendanceStatus,
    Decision,
    DecisionKind,
    Guest,
    Meeting,
    MeetingKind,
    MeetingStatus,
    SignerRole,
    VoteMethod,
)
from meetings.services import accept_minutes
from members.models import ActivityStatus, DelegateAssignment, MembershipStatus, Organization
from oversight.delegates import assign_delegate, overlapping_assignments
from printing import national_app
from resolutions.models import Resolution, Task, TaskUpdate


class CellYear(DemoCell):
    """Records the planned year of one demo cell through the real services."""

    def __init__(self, cell, number, today, users):
        super().__init__(cell, number, today, users)
        self.writer = MinutesWriter(self)
        self.follow_up = TaskFollowUp(self)

    def build(self, report):
        for plan in self.plans():
            meeting = self._record(plan)
            self._mark_national_app(meeting)
            if plan.outcome == RETURNED:
                self._return_and_correct(meeting)
        report.accepted += self._accept_older_minutes()
        prepare_this_month(self)  # after the acceptances: it waits in canbo's queue
        for status, kind in Meeting.objects.filter(organization=self.organization).values_list(
            "status", "kind"
        ):
            report.statuses[status] += 1
            report.kinds[kind] += 1
        report.attendance_rows += Attendance.objects.filter(
            meeting__organization=self.organization
        ).count()
        resolutions = Resolution.objects.current().filter(organization=self.organization)
        report.resolutions += resolutions.count()
        report.tasks += (
            Task.objects.of_current_minutes().filter(organization=self.organization).count()
        )
        report.task_reviews += TaskUpdate.objects.filter(
            meeting__organization=self.organization, meeting__is_current=True
        ).count()
        report.delegate_visits += Guest.objects.filter(
            meeting__organization=self.organization,
            meeting__is_current=True,
            delegate__isnull=False,
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
            .filter(organization=self.organization, revision=1, accepted_at__isnull=True)
            .filter(Q(year__lt=year) | Q(year=year, month__lte=month))
            .order_by("scheduled_at", "pk")
        )
        accepted = 0
        for meeting in meetings:
            # Reviewed a few days after signing: the queue's waiting days are real.
            reviewed_at = meeting.signed_at + timedelta(days=self.task_rng.randint(3, 12))
            accept_minutes(
                meeting,
                user=self.reviewer,
                comment=self.task_rng.choice(ACCEPT_COMMENTS),
                now=min(reviewed_at, timezone.now()),
            )
            accepted += 1
        return accepted

    def _return_and_correct(self, meeting):
        """canbo returns the signed minutes; the cell corrects them into version 2."""
        meeting = services.return_minutes(meeting, user=self.reviewer, comment=RETURN_COMMENT)
        correction = services.start_correction(meeting, user=self.user)
        correction.next_tasks = self.writer.tasks_text(self.previous_tasks)
        correction._change_reason = "add who does each task and by when"
        correction._history_user = self.user
        correction.save()
        resolution = Resolution.objects.filter(meeting=correction).first()
        if resolution is not None:
            resolution.body = correction.next_tasks
            resolution._history_user = self.user
            resolution.save()
        self._finalize_and_sign(correction, SIGNED)

    def _record(self, plan):
        meeting = Meeting(
            organization=self.organization,
            kind=plan.kind,
            scheduled_at=plan.when,
            location=self.location,
            topic=self.topic(plan.topic_key).topic if plan.topic_key else "",
        )
        meeting._history_user = self.user
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
        reviews = self.follow_up.plan_reviews(meeting, plan, complete)
        if plan.kind == MeetingKind.REGULAR:
            tasks = self.writer.fill_regular(meeting, plan, present_ids, len(rows), reviews)
        else:
            tasks = self.writer.fill_thematic(meeting, plan, presenter, reviews)
        self.writer.add_speeches(meeting, plan, present_ids, tasks, guest)

        if complete:
            meeting.ended_at = started + timedelta(minutes=minutes)
            meeting.vote_method = VoteMethod.SHOW_OF_HANDS
            other = 1 if official_present > 4 and self.rng.random() < 0.08 else 0
            meeting.votes_for = official_present - other
            meeting.votes_against = 0
            meeting.votes_other = other
            if plan.outcome != DRAFT:
                meeting.minutes_adopted_votes = len(present)
                meeting.quality_scores = self.writer.quality(percent, minutes, started - plan.when)
        else:  # recorded during the meeting, to be completed afterwards
            meeting.next_tasks = meeting.conclusion = meeting.lessons_learned = ""
        meeting._change_reason = "record the minutes"
        meeting._history_user = self.user
        meeting.save()
        # Minutes completed later: the secretary has ticked off only some tasks yet.
        self.follow_up.save_reviews(
            meeting, reviews if complete else reviews[: (len(reviews) + 1) // 2]
        )
        regular = plan.kind == MeetingKind.REGULAR
        if complete and regular and (self.code, plan.months_back) == DECISIONS_AT:
            self._vote_decisions(meeting, official_present)
        if complete:
            self.follow_up.adopt(meeting, plan, tasks)
            if plan.kind == MeetingKind.REGULAR:
                self.previous_tasks = tasks
        if plan.outcome == DRAFT:
            return meeting
        return self._finalize_and_sign(meeting, plan.outcome)

    def _mark_national_app(self, meeting):
        """HD 42: most documents went up to the national app on time (the day before
        the meeting; within hours of the signature), some late, a few not at all, so
        the board's columns and the meeting page show each case."""
        if meeting.kind not in (MeetingKind.REGULAR, MeetingKind.THEMATIC):
            return
        if meeting.status == MeetingStatus.PLANNED:
            return
        now = timezone.now()
        before = self.upload_rng.choice([timedelta(days=-1)] * 8 + [timedelta(hours=-2), None])
        if before is not None:
            national_app.mark_uploaded(
                meeting,
                national_app.BEFORE,
                user=self.user,
                now=min(meeting.scheduled_at + before, now),
            )
        if meeting.status == MeetingStatus.SIGNED and meeting.signed_at:
            after = self.upload_rng.choice([timedelta(hours=3)] * 7 + [timedelta(days=4), None])
            if after is not None:
                national_app.mark_uploaded(
                    meeting,
                    national_app.AFTER,
                    user=self.user,
                    now=min(meeting.signed_at + after, now),
                )

    def _vote_decisions(self, meeting, official_present):
        """An admission and a recognition, each adopted by every official present."""
        name, born = ADMISSION_CANDIDATE
        votes = {"vote_method": VoteMethod.SHOW_OF_HANDS, "votes_against": 0, "votes_other": 0}
        Decision.objects.create(
            meeting=meeting,
            kind=DecisionKind.ADMISSION,
            candidate_name=name,
            candidate_birth_date=date(*born),
            note="Đã học lớp bồi dưỡng nhận thức về Đảng; hai đảng viên chính thức giới thiệu.",
            votes_for=official_present,
            order=1,
            **votes,
        )
        for order, member in enumerate(
            (m for m in self.members if m.status == MembershipStatus.PROBATIONARY), start=2
        ):
            Decision.objects.create(
                meeting=meeting,
                kind=DecisionKind.RECOGNITION,
                member=member,
                votes_for=official_present,
                order=order,
                **{**votes, "vote_method": VoteMethod.BALLOT},
            )

    def _finalize_and_sign(self, meeting, outcome):
        # The minutes are signed soon after the meeting, as they would have been, so
        # the board's "signed within 2 days" and the queue's waiting days are real.
        delay = timedelta(hours=self.task_rng.choice([1, 2, 20, 26, 40, 70, 100]))
        now = min(meeting.ended_at + delay, timezone.now())
        meeting = services.finalize_minutes(meeting, user=self.user, now=now)
        roles = {
            FINALIZED: [],
            HALF_SIGNED: [SignerRole.NOTE_TAKER],
        }.get(outcome, [SignerRole.NOTE_TAKER, SignerRole.CHAIR])
        for role in roles:
            signer_id = meeting.chair_id if role == SignerRole.CHAIR else meeting.note_taker_id
            account = self.accounts.get(signer_id)
            if account:
                meeting = services.sign_minutes(meeting, user=account, role=role, now=now)
            else:
                meeting = services.sign_minutes(
                    meeting, user=self.user, role=role, on_paper=True, now=now
                )
        return meeting


# ---------------------------------------------------------------- entry point


def _demo_cells():
    codes = [spec.code for spec in CELLS]
    cells = {cell.code: cell for cell in Organization.objects.filter(code__in=codes)}
    return [(number, cells[code]) for number, code in enumerate(codes, 1) if code in cells]


def _assign_canbo(users, today):
    """canbo follows a few cells for the commune committee, since the term began."""
    commune = Organization.objects.filter(code=COMMUNE.code).first()
    if commune is None:
        return
    first_year, first_month = months_window(today)[0]
    started_on = min(TERM_START, date(first_year, first_month, 1))
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
