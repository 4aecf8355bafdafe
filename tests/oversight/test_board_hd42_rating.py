"""The compliance board's national app (HD 42) and rating columns: on-time uploads of
those due, before and after, at their deadlines; self-assessments submitted and levels
decided; the totals; and the cache dropped when marks or the rating change."""

import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting, MeetingKind, MeetingStatus
from oversight import board as board_module
from oversight.board import compliance_board
from printing.models import NationalAppStage, NationalAppUpload
from rating import services as rating_services
from rating.models import MemberAssessment, Standing
from tests.helpers import at

TODAY = date(2026, 6, 15)
BEFORE, AFTER = NationalAppStage.BEFORE, NationalAppStage.AFTER


def local(year, month, day, hour=0, minute=0, second=0):
    return timezone.make_aware(datetime(year, month, day, hour, minute, second))


def meeting(cell, month, day, status, kind=MeetingKind.REGULAR, **extra):
    fields = dict(extra)
    if status != MeetingStatus.PLANNED:
        fields.update(started_at=at(2026, month, day), ended_at=at(2026, month, day, 21))
    if status == MeetingStatus.SIGNED:
        fields["signed_at"] = at(2026, month, day, 22)
    return Meeting.objects.create(
        organization=cell,
        kind=kind,
        topic="Chuyên đề" if kind == MeetingKind.THEMATIC else "",
        scheduled_at=at(2026, month, day),
        status=status,
        **fields,
    )


def uploaded(meeting, stage, when):
    return NationalAppUpload.objects.create(meeting=meeting, stage=stage, uploaded_at=when)


@pytest.fixture
def board_today(monkeypatch):
    """The board page's today: 15/6/2026."""
    monkeypatch.setattr(board_module, "timezone", SimpleNamespace(localdate=lambda: TODAY))


def row_of(board, cell):
    return next(row for row in board.rows if row.cell == cell)


@pytest.fixture
def hd42_year(world):
    """world.cell in 2026, seen on 15/6:
    - May, held 5/5: before uploaded at 23:59:59 on 4/5, after at 23:59:59 on 7/5 (on time);
    - April, held 5/4: before uploaded at midnight on 5/4 (late), after never (due);
    - June, held 14/6: before never (due), after not due until the end of 16/6;
    - a thematic meeting planned for 20/6, before uploaded on 18/6 (on time);
    - March planned, never held: not counted."""
    may = meeting(world.cell, 5, 5, MeetingStatus.SIGNED)
    uploaded(may, BEFORE, local(2026, 5, 4, 23, 59, 59))
    uploaded(may, AFTER, local(2026, 5, 7, 23, 59, 59))
    april = meeting(world.cell, 4, 5, MeetingStatus.SIGNED)
    uploaded(april, BEFORE, local(2026, 4, 5, 0, 0, 0))
    meeting(world.cell, 6, 14, MeetingStatus.DRAFT)
    thematic = meeting(world.cell, 6, 20, MeetingStatus.PLANNED, kind=MeetingKind.THEMATIC)
    uploaded(thematic, BEFORE, local(2026, 6, 18, 9))
    meeting(world.cell, 3, 5, MeetingStatus.PLANNED)
    return SimpleNamespace(may=may, april=april)


def test_the_national_app_columns_count_on_time_of_due_at_the_deadlines(world, hd42_year):
    board = compliance_board(world.commune, 2026, today=TODAY)
    tally = row_of(board, world.cell).tally
    assert (tally.before_on_time, tally.before_due) == (2, 4)
    assert (tally.after_on_time, tally.after_due) == (1, 2)
    assert (tally.before_percent, tally.after_percent) == (50.0, 50.0)
    sibling = row_of(board, world.sibling_cell).tally
    assert (sibling.before_due, sibling.after_due) == (0, 0)
    # The group and the total add up.
    assert (board.tally.before_on_time, board.tally.before_due) == (2, 4)
    assert (board.groups[0].tally.after_on_time, board.groups[0].tally.after_due) == (1, 2)


def test_the_after_stage_of_june_falls_due_the_day_after_its_last_day(world, hd42_year):
    on_last_day = row_of(compliance_board(world.commune, 2026, today=date(2026, 6, 16)), world.cell)
    day_after = row_of(compliance_board(world.commune, 2026, today=date(2026, 6, 17)), world.cell)
    assert on_last_day.tally.after_due == 2
    assert day_after.tally.after_due == 3
    assert day_after.tally.after_on_time == 1


def test_one_second_moves_a_mark_from_on_time_to_late(world, hd42_year):
    NationalAppUpload.objects.filter(meeting=hd42_year.may, stage=AFTER).update(
        uploaded_at=local(2026, 5, 8, 0, 0, 0)
    )
    tally = row_of(compliance_board(world.commune, 2026, today=TODAY), world.cell).tally
    assert (tally.after_on_time, tally.after_due) == (0, 2)


@pytest.fixture
def rating_round(world, roster):
    return rating_services.open_round(
        world.cell, year=2026, deadline=date(2026, 12, 20), user=world.secretary
    )


def write(assessment, user):
    return rating_services.write_self_assessment(
        assessment,
        user=user,
        strengths="Gương mẫu.",
        shortcomings="Chưa có.",
        general_score=Decimal("8"),
        task_score=Decimal("8"),
        proposed_level="good",
    )


def test_the_rating_columns_count_submitted_and_decided_of_those_rated(world, rating_round):
    rated = list(rating_round.assessments.exclude(standing=Standing.EXEMPT).order_by("pk"))
    assert rating_round.assessments.filter(standing=Standing.EXEMPT).exists()
    write(rated[0], world.secretary)
    write(rated[1], world.secretary)
    MemberAssessment.objects.filter(pk=rated[0].pk).update(final_level="good")
    board = compliance_board(world.commune, 2026, today=TODAY)
    tally = row_of(board, world.cell).tally
    assert (tally.rated, tally.submitted, tally.decided) == (len(rated), 2, 1)
    assert (board.tally.rated, board.tally.submitted, board.tally.decided) == (len(rated), 2, 1)
    assert row_of(board, world.sibling_cell).tally.rated == 0
    # Another year's board does not count this round.
    assert row_of(compliance_board(world.commune, 2025, today=TODAY), world.cell).tally.rated == 0


def test_the_columns_show_on_the_grid_and_on_the_summary(
    world, login, hd42_year, rating_round, board_today
):
    client = login(world.admin)
    grid = client.get(reverse("oversight:board", args=[world.commune.pk, 2026]))
    html = grid.content.decode()
    rated = rating_round.assessments.exclude(standing=Standing.EXEMPT).count()
    # The row's last four cells: before, after, self-assessed, decided.
    assert last_cells(html, f'id="board-cell-{world.cell.pk}"') == [
        "2/4",
        "1/2",
        f"0/{rated}",
        f"0/{rated}",
    ]
    summary = client.get(reverse("oversight:board", args=[world.superior.pk, 2026]))
    assert last_cells(summary.content.decode(), f'id="board-org-{world.commune.pk}"') == [
        "50,0% (2/4)",
        "50,0% (1/2)",
        f"0/{rated}",
        f"0/{rated}",
    ]
    assert last_cells(summary.content.decode(), 'id="board-total"')[-4:] == [
        "50,0% (2/4)",
        "50,0% (1/2)",
        f"0/{rated}",
        f"0/{rated}",
    ]


def last_cells(html, row_marker):
    row = html[html.index(row_marker) :]
    row = row[: row.index("</tr>")]
    return [cell.strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)][-4:]


def test_marks_and_rating_steps_drop_the_cached_board(
    world, login, hd42_year, rating_round, board_today
):
    reviewer = login(world.reviewer)
    url = reverse("oversight:board", args=[world.commune.pk, 2026])

    def computed():
        return "board" in reviewer.get(url).context

    assert computed()
    assert not computed()  # cached
    NationalAppUpload.objects.create(
        meeting=hd42_year.april, stage=AFTER, uploaded_at=local(2026, 4, 20)
    )
    assert computed()
    NationalAppUpload.objects.get(meeting=hd42_year.april, stage=AFTER).delete()
    assert computed()
    assert not computed()
    write(rating_round.assessments.exclude(standing=Standing.EXEMPT).first(), world.secretary)
    assert computed()
    assert not computed()
    rating_round.delete()
    assert computed()


def test_the_board_day_is_in_the_cache_key(world):
    from oversight import board_cache

    first = board_cache.key(world.commune, 2026, "", "vi", date(2026, 6, 16))
    second = board_cache.key(world.commune, 2026, "", "vi", date(2026, 6, 17))
    assert first != second
    assert first == board_cache.key(world.commune, 2026, "", "vi", date(2026, 6, 16))


def test_a_meeting_page_marks_through_the_view_and_the_board_follows(world, login, board_today):
    held = meeting(world.cell, 6, 10, MeetingStatus.SIGNED, fingerprint="a" * 64)
    reviewer = login(world.reviewer)
    url = reverse("oversight:board", args=[world.commune.pk, 2026])
    before = reviewer.get(url).context["board"]
    assert row_of(before, world.cell).tally.after_due == 1
    secretary = login(world.secretary)
    secretary.post(reverse("printing:national_app_mark", args=[held.pk, "after"]))
    assert NationalAppUpload.objects.filter(meeting=held, stage=AFTER).exists()
    reviewer = login(world.reviewer)
    after = reviewer.get(url).context["board"]
    # Marked now (after 12/6): due and late.
    tally = row_of(after, world.cell).tally
    assert (tally.after_on_time, tally.after_due) == (0, 1)
    assert timedelta(0) <= timezone.now() - held.national_app_uploads.get().uploaded_at
