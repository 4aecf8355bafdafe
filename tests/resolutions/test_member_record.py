from datetime import date

from django.urls import reverse

from meetings.member_year import member_year
from meetings.models import AttendanceStatus
from tests.helpers import at, mark, review

P, E = AttendanceStatus.PRESENT, AttendanceStatus.ABSENT_EXCUSED


def test_a_members_year_counts_attendance_and_tasks(world, roster, make_meeting, adopt):
    member = roster["official"][1]
    january = make_meeting(when=at(2026, 1, 5))
    mark(january, {member: P})
    _, (on_time, late) = adopt(
        january,
        [
            ("Việc đúng hạn", member, date(2026, 1, 31)),
            ("Việc trễ hạn", member, date(2026, 1, 20)),
        ],
    )
    february = make_meeting(when=at(2026, 2, 5))
    mark(february, {member: (E, "ốm")})
    review(on_time, february, "done", evaluation="praise")
    review(
        late,
        february,
        "not_done",
        decision="carry_over",
        evaluation="reminder",
        new_due_on=date(2026, 2, 28),
    )
    march = make_meeting(when=at(2026, 3, 5))
    review(late, march, "done")  # done in the end, but only after being carried over
    mark(march, {member: P})

    record = member_year(member, 2026)
    assert (record.meetings_summoned, record.meetings_attended) == (3, 2)
    assert record.absent_with_reason == 1
    assert len(record.tasks) == 2
    assert (record.tasks_done, record.tasks_open) == (2, 0)
    assert record.tasks_done_on_time == 1  # the carried-over one is not on time
    assert (record.praises, record.reminders) == (1, 1)
    assert record.attendance_percent == 66.7


def test_an_exempt_period_is_not_counted_against_the_member(world, roster, make_meeting):
    member = roster["official"][2]
    make_meeting(when=at(2026, 1, 5))  # summoned, not marked present
    member.activity_status = "exempt"
    member.save()
    make_meeting(when=at(2026, 2, 5))  # exempt and stayed home: not summoned
    attended = make_meeting(when=at(2026, 3, 5))  # exempt but came: counts
    mark(attended, {member: P})
    record = member_year(member, 2026)
    assert (record.meetings_summoned, record.meetings_attended) == (2, 1)


def test_the_record_page_shows_the_year(world, roster, make_meeting, login):
    meeting = make_meeting(when=at(2026, 1, 5))
    mark(meeting, {world.member: P})
    response = login(world.viewer).get(
        reverse("meetings:member_record", args=[world.member.pk, 2026])
    )
    assert response.status_code == 200
    assert response.context["record"].meetings_attended == 1
