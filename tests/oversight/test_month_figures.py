"""The statistics' figures kept for each cell's month (oversight/month_figures.py)
always equal a count from scratch of the meetings and reviews, through the whole
workflow; a draft's autosave does not touch them."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings import services
from meetings.changes import DraftChanges
from meetings.models import Meeting, MeetingKind, Review
from oversight import month_figures
from oversight.models import MonthFigures
from tests.helpers import at, complete, sign

pytestmark = pytest.mark.django_db


def kept():
    return {
        (row.organization_id, row.year, row.month): {
            name: getattr(row, name) for name in month_figures.FIGURES
        }
        for row in MonthFigures.objects.all()
        if any(getattr(row, name) for name in month_figures.FIGURES)
    }


def from_scratch():
    return month_figures.counted(Meeting.objects.all(), Review.objects.all())


def assert_kept_as_counted():
    assert kept() == from_scratch()


def test_the_kept_figures_follow_the_whole_workflow(world, roster, make_meeting):
    planned = make_meeting(start=False)
    assert_kept_as_counted()
    assert kept() == {}  # planned meetings are not held

    meeting = services.start_recording(planned, user=world.secretary)
    assert_kept_as_counted()
    assert kept()[(world.cell.pk, 2026, 10)]["regular"] == 1

    complete(meeting, roster)
    meeting = sign(meeting, world, roster)
    assert_kept_as_counted()
    october = kept()[(world.cell.pk, 2026, 10)]
    assert october["summoned"] > 0 and october["present"] > 0

    meeting = services.return_minutes(meeting, user=world.reviewer, comment="Ghi rõ biểu quyết")
    assert_kept_as_counted()
    assert kept()[(world.cell.pk, 2026, 10)]["returned"] == 1

    correction = services.start_correction(meeting, user=world.secretary)
    assert_kept_as_counted()
    assert kept()[(world.cell.pk, 2026, 10)]["regular"] == 1  # one current version

    thematic = make_meeting(kind=MeetingKind.THEMATIC, when=at(2026, 11, 12))
    assert_kept_as_counted()
    thematic.scheduled_at = at(2026, 12, 3)  # moved to the next month
    thematic.save()
    assert_kept_as_counted()
    assert (world.cell.pk, 2026, 11) not in kept()
    assert kept()[(world.cell.pk, 2026, 12)]["thematic"] == 1

    thematic.delete()
    assert_kept_as_counted()
    assert correction.pk  # the correction still counts October
    assert kept()[(world.cell.pk, 2026, 10)]["regular"] == 1


def test_an_autosave_of_a_draft_leaves_the_figures_alone(world, make_meeting):
    meeting = make_meeting()
    changes = DraftChanges(
        version=meeting.version, meeting={"news_briefing": "Tin thời sự tháng này."}
    )
    with CaptureQueriesContext(connection) as queries:
        services.save_draft(meeting, changes, user=world.secretary)
    assert not any("oversight_monthfigures" in query["sql"] for query in queries)


def test_the_command_counts_every_month_again(world, make_meeting):
    make_meeting()
    expected = kept()
    MonthFigures.objects.all().delete()
    call_command("rebuild_month_figures", stdout=io.StringIO())
    assert kept() == expected == from_scratch()
