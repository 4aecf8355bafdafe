"""The main pages a secretary and a reviewer use, with enough in them to show every
part: a cell with its roster, minutes in each state, a resolution with tasks, published
guidance, a delegate. Used by the accessibility, phone-width and HTML checks."""

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from meetings import services
from members.models import DelegateAssignment
from oversight.models import Guidance
from tests.helpers import adopt, at, complete, meeting_maker, sign

YEAR = 2026


@dataclass
class Page:
    name: str
    url: str


def build_pages_world(world, roster):
    """Minutes signed in August, finalized in September, being recorded in October,
    planned for November; a resolution with tasks; published guidance; a delegate."""
    make = meeting_maker(world)
    signed = sign(complete(make(when=at(YEAR, 8, 5)), roster), world, roster)
    finalized = complete(make(when=at(YEAR, 9, 5)), roster)
    services.finalize_minutes(finalized, user=world.secretary)
    draft = make(when=at(YEAR, 10, 5))
    adopt(
        draft,
        [
            (
                "Vận động bà con tham gia vệ sinh môi trường",
                roster["official"][1],
                datetime.date(YEAR, 11, 30),
            ),
            ("Thu đảng phí quý IV", roster["official"][2], datetime.date(YEAR, 12, 15)),
        ],
    )
    planned = make(when=at(YEAR, 11, 5), start=False)
    guidance = Guidance.objects.create(
        organization=world.commune,
        year=YEAR,
        month=10,
        news_material="Thông tin thời sự tháng 10.",
        orientation="Tập trung thu hoạch vụ mùa.",
        published_at=timezone.now(),
    )
    DelegateAssignment.objects.create(
        superior=world.commune,
        delegate=world.reviewer,
        cell=world.cell,
        title="Đảng ủy viên",
        started_on=datetime.date(YEAR, 1, 1),
    )
    return {
        "signed": signed,
        "finalized": finalized,
        "draft": draft,
        "planned": planned,
        "guidance": guidance,
    }


def _detail(meeting):
    return reverse("meetings:detail", args=[meeting.pk])


def shared_pages(world, made):
    cell = world.cell
    return [
        Page("landing (after login)", reverse("home")),
        Page("meeting list", reverse("meetings:list")),
        Page("meeting detail (planned)", _detail(made["planned"])),
        Page("meeting detail (draft)", _detail(made["draft"])),
        Page("meeting detail (finalized)", _detail(made["finalized"])),
        Page("meeting detail (signed)", _detail(made["signed"])),
        Page("cell page", reverse("members:organization_detail", args=[cell.pk])),
        Page("organisation list", reverse("members:organization_list")),
        Page("member list", reverse("members:member_list", args=[cell.pk])),
        Page("member detail", reverse("members:member_detail", args=[world.member.pk])),
        Page("task board", reverse("resolutions:task_board", args=[cell.pk])),
        Page("my tasks", reverse("resolutions:my_tasks")),
        Page("search", reverse("oversight:search") + "?q=th%C3%B4n"),
        Page("guidance list", reverse("oversight:guidance_list", args=[cell.pk])),
        Page("guidance detail", reverse("oversight:guidance_detail", args=[made["guidance"].pk])),
        Page("help", reverse("help:index")),
        Page("help for secretaries", reverse("help:secretary")),
        Page("help for reviewers", reverse("help:reviewer")),
        Page("quick guide", reverse("help:quick_guide")),
    ]


def secretary_pages(world, made):
    return [
        *shared_pages(world, made),
        Page("plan a meeting", reverse("meetings:plan", args=[world.cell.pk])),
        Page("year at a glance", reverse("meetings:cell_year", args=[world.cell.pk, YEAR])),
        Page("cell calendar", reverse("notifications:cell_calendar", args=[world.cell.pk])),
        Page(
            "register the schedule",
            reverse("oversight:schedule_register", args=[world.cell.pk, YEAR, 12]),
        ),
        *recording_pages(made),
    ]


def reviewer_pages(world, made):
    commune = world.commune
    shared = shared_pages(world, made)
    shared[0] = Page("landing (after login): review queue", reverse("home"))
    return [
        *shared,
        Page("review queue", reverse("oversight:review_queue")),
        Page("superior's score", reverse("oversight:score", args=[made["signed"].pk])),
        Page("board", reverse("oversight:board", args=[commune.pk, YEAR])),
        Page(
            "schedule of the month",
            reverse("oversight:schedule_month", args=[commune.pk, YEAR, 12]),
        ),
        Page(
            "committee's minutes books",
            reverse("oversight:committee_books", args=[commune.pk, YEAR]),
        ),
        Page("committee calendar", reverse("notifications:subtree_calendar", args=[commune.pk])),
        Page("statistics", reverse("oversight:statistics", args=[commune.pk, YEAR])),
        Page(
            "plans overview",
            reverse("oversight:thematic_plans_overview", args=[commune.pk, YEAR]),
        ),
        Page("delegates", reverse("oversight:delegates", args=[commune.pk])),
        Page("committee page", reverse("members:organization_detail", args=[commune.pk])),
        Page("committee guidance", reverse("oversight:guidance_list", args=[commune.pk])),
    ]


def recording_pages(made):
    """Every step of the recording flow, its review step and the one-page form."""
    from meetings.steps import NAMES, REVIEW

    pk = made["draft"].pk
    return [
        *(
            Page(f"recording: {name}", reverse("meetings:record_step", args=[pk, name]))
            for name in [*NAMES, REVIEW]
        ),
        Page("recording: all parts on one page", reverse("meetings:record", args=[pk])),
    ]


def pages_for(role, world, made):
    return secretary_pages(world, made) if role == "secretary" else reviewer_pages(world, made)
