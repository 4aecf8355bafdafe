"""Builders of the thematic plan tests (tests/meetings/test_plans.py, the cell's plan;
tests/oversight/test_plans_overview.py, the superior's overview)."""

from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting, MeetingKind, MeetingStatus, ThematicPlan, ThematicPlanItem
from tests.helpers import at

YEAR = 2026
TOPICS = {
    1: "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    2: "Xây dựng nông thôn mới",
    3: "Phát triển đảng viên",
    4: "Phòng chống suy thoái tư tưởng chính trị, đạo đức, lối sống",
}


def plan_url(cell, year=YEAR):
    return reverse("meetings:thematic_plan", args=[cell.pk, year])


def file_url(cell, year=YEAR):
    return reverse("meetings:thematic_plan_file", args=[cell.pk, year])


def overview_url(organization, year=YEAR):
    return reverse("oversight:thematic_plans_overview", args=[organization.pk, year])


def make_plan(cell, *, quarters=(1, 2, 3, 4), filed=False, presenter=None, year=YEAR):
    plan = ThematicPlan.objects.create(
        organization=cell, year=year, filed_at=timezone.now() if filed else None
    )
    for quarter in quarters:
        ThematicPlanItem.objects.create(
            plan=plan, quarter=quarter, topic=TOPICS[quarter], presenter=presenter
        )
    return plan


def thematic_meeting(cell, month, status=MeetingStatus.PLANNED, year=YEAR):
    return Meeting.objects.create(
        organization=cell,
        kind=MeetingKind.THEMATIC,
        topic="Chuyên đề",
        scheduled_at=at(year, month, 10),
        status=status,
    )
