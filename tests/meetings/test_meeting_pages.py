"""The meeting pages around the record page: detail (buttons by state and by user),
signing, the meeting list and its filters, and a cell's year at a glance."""

import re
from datetime import timedelta
from html import unescape
from urllib.parse import parse_qs

import pytest
from django.conf import settings as django_settings
from django.contrib import messages
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings import services
from meetings.models import (
    Guest,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Signature,
    SignatureMethod,
    Speech,
)
from tests.helpers import at, complete

ACTIONS = {
    name: f"meetings:{name}"
    for name in ["start", "plan_edit", "record", "finalize", "reopen", "sign", "correct"]
} | {"return": "oversight:return"}


def detail_url(meeting):
    return reverse("meetings:detail", args=[meeting.pk])


def action_urls(meeting, html):
    """The workflow actions the page links or posts to."""
    return {name for name, url in ACTIONS.items() if reverse(url, args=[meeting.pk]) in html}


def message_levels(response):
    """Levels of the messages waiting for the next page (earlier ones were shown)."""
    return [message.level for message in get_messages(response.wsgi_request)]


def english(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def finalized(meeting, roster, world):
    complete(meeting, roster)
    return services.finalize_minutes(meeting, user=world.secretary)


@pytest.fixture
def chair(roster):
    return roster["official"][0]


@pytest.fixture
def note_taker(roster):
    return roster["official"][1]


def give_account(member, user):
    member.user = user
    member.save()
    return member


# -- detail: which actions show in which state ------------------------------------------


def test_a_planned_meeting_offers_to_start_recording(world, login, make_meeting):
    meeting = make_meeting(start=False)
    response = login(world.secretary).get(detail_url(meeting))
    assert response.status_code == 200
    assert action_urls(meeting, response.content.decode()) == {"start", "plan_edit"}


def test_starting_from_the_detail_page_opens_the_record_page(world, login, make_meeting, roster):
    meeting = make_meeting(start=False)
    response = login(world.secretary).post(reverse("meetings:start", args=[meeting.pk]))
    assert response.status_code == 302
    # the recording flow, at its first unfinished step (meetings/steps.py)
    assert response.url == reverse("meetings:record_step", args=[meeting.pk, "opening"])
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.DRAFT
    assert meeting.attendances.count() == 9


def test_a_draft_offers_to_continue_and_to_finalize_with_what_is_missing(
    world, login, make_meeting
):
    meeting = make_meeting()
    response = english(login(world.secretary)).get(detail_url(meeting))
    html = response.content.decode()
    assert action_urls(meeting, html) == {"record", "finalize"}
    assert "Continue recording" in html
    assert "who chaired the meeting" in response.context["missing"]


def test_a_complete_draft_lists_nothing_missing(world, login, make_meeting, roster):
    meeting = complete(make_meeting(), roster)
    response = login(world.secretary).get(detail_url(meeting))
    assert response.context["missing"] == []


def test_finalized_minutes_offer_each_signer_the_right_button(
    world, login, make_meeting, roster, chair, note_taker
):
    give_account(chair, world.secretary)
    meeting = finalized(make_meeting(), roster, world)
    response = english(login(world.secretary)).get(detail_url(meeting))
    html = response.content.decode()
    assert action_urls(meeting, html) == {"reopen", "sign"}
    panel = {slot["role"]: slot for slot in response.context["signer_panel"]}
    assert panel["chair"]["can_sign_with_account"]
    assert not panel["chair"]["can_record_paper"]
    assert panel["note_taker"]["can_record_paper"]
    assert not panel["note_taker"]["can_sign_with_account"]
    assert html.count("I confirm and sign") == 1
    assert html.count("Record that they signed on paper") == 1


def test_finalized_minutes_without_a_chair_still_open(world, login, make_meeting, roster):
    """Finalizing needs both signers, but minutes loaded another way (an import, a
    restore of old data) may lack one: their page opens, with nobody to sign for her."""
    meeting = finalized(make_meeting(), roster, world)
    Meeting.objects.filter(pk=meeting.pk).update(chair=None)
    response = english(login(world.secretary)).get(detail_url(meeting))
    assert response.status_code == 200
    panel = {slot["role"]: slot for slot in response.context["signer_panel"]}
    assert panel["chair"]["signer"] is None
    assert not panel["chair"]["can_record_paper"] and not panel["chair"]["can_sign_with_account"]
    assert panel["note_taker"]["can_record_paper"]
    assert english(login(world.viewer)).get(detail_url(meeting)).status_code == 200


def test_a_signer_with_another_account_is_waited_for(
    world, login, make_meeting, roster, chair, note_taker
):
    give_account(chair, world.admin)
    give_account(note_taker, world.secretary)
    meeting = finalized(make_meeting(), roster, world)
    response = english(login(world.secretary)).get(detail_url(meeting))
    html = response.content.decode()
    panel = {slot["role"]: slot for slot in response.context["signer_panel"]}
    assert not panel["chair"]["can_sign_with_account"]
    assert not panel["chair"]["can_record_paper"]
    assert "Waiting for them to sign with their own account." in html
    assert html.count("I confirm and sign") == 1  # the note-taker's own slot
    assert "Record that they signed on paper" not in html


def test_signed_minutes_offer_no_action(world, login, make_meeting, roster, chair):
    give_account(chair, world.secretary)
    meeting = finalized(make_meeting(), roster, world)
    services.sign_minutes(meeting, user=world.secretary, role="chair")
    services.sign_minutes(meeting, user=world.secretary, role="note_taker", on_paper=True)
    response = english(login(world.secretary)).get(detail_url(meeting))
    html = response.content.decode()
    assert action_urls(meeting, html) == set()
    assert "Signed minutes cannot be changed." in html
    assert response.context["signer_panel"] == []


@pytest.mark.parametrize("state", ["planned", "draft", "finalized", "signed"])
def test_a_viewer_sees_the_minutes_but_no_action(world, login, make_meeting, roster, chair, state):
    give_account(chair, world.secretary)
    meeting = make_meeting(start=state != "planned")
    if state in ("finalized", "signed"):
        meeting = finalized(meeting, roster, world)
    if state == "signed":
        services.sign_minutes(meeting, user=world.secretary, role="chair")
        services.sign_minutes(meeting, user=world.secretary, role="note_taker", on_paper=True)
    meeting.refresh_from_db()
    assert meeting.status == state

    response = english(login(world.viewer)).get(detail_url(meeting))

    assert response.status_code == 200
    html = response.content.decode()
    assert action_urls(meeting, html) == set()
    assert not response.context["can_record"]
    assert response.context["missing"] == []
    for label in ("Start recording", "Continue recording", "I confirm and sign"):
        assert label not in html


def test_outsiders_get_a_404_for_the_detail_page(world, login, make_meeting):
    # A meeting being recorded, made through the workflow (the matrix's is only planned).
    meeting = make_meeting()
    assert login(world.outsider).get(detail_url(meeting)).status_code == 404
    assert login(world.far_reviewer).get(detail_url(meeting)).status_code == 404


# -- signing through the page -----------------------------------------------------------


def sign(client, meeting, role, on_paper=False, understood_final=False):
    """Press a sign button (with the box "I understand…" ticked if asked); the messages
    are shown (and used up) on the page it leads to."""
    data = {"role": role, **({"on_paper": "1"} if on_paper else {})}
    if understood_final:
        data["understood_final"] = "1"
    response = client.post(reverse("meetings:sign", args=[meeting.pk]), data)
    if response.status_code == 302:
        assert response.url == detail_url(meeting)
        client.get(response.url)
    return response


def test_signing_through_the_page_seals_the_minutes(
    world, login, make_meeting, roster, chair, note_taker
):
    give_account(chair, world.secretary)
    meeting = finalized(make_meeting(), roster, world)
    client = login(world.secretary)

    first = sign(client, meeting, "chair")
    assert first.status_code == 302
    assert first.url == detail_url(meeting)
    assert message_levels(first) == [messages.SUCCESS]
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.FINALIZED
    signature = Signature.objects.get(meeting=meeting)
    assert (signature.role, signature.member, signature.method, signature.recorded_by) == (
        "chair",
        chair,
        SignatureMethod.ACCOUNT,
        world.secretary,
    )

    second = sign(client, meeting, "note_taker", on_paper=True, understood_final=True)
    assert message_levels(second) == [messages.SUCCESS]
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SIGNED
    assert len(meeting.fingerprint) == 64
    paper = Signature.objects.get(meeting=meeting, role="note_taker")
    assert (paper.member, paper.method) == (note_taker, SignatureMethod.PAPER)


def test_the_last_signature_asks_to_confirm_that_signing_is_final(
    world, login, make_meeting, roster, chair, note_taker
):
    give_account(chair, world.secretary)
    meeting = finalized(make_meeting(), roster, world)
    client = login(world.secretary)
    page = client.get(detail_url(meeting)).content.decode()
    # Neither signature seals yet: the first one needs no confirmation.
    assert 'name="understood_final"' not in page

    sign(client, meeting, "chair")
    page = client.get(detail_url(meeting)).content.decode()
    assert page.count('name="understood_final"') == 1
    assert 'id="understood-final-note_taker"' in page and " required " in page
    assert "Tôi hiểu rằng sau khi ký, biên bản không thể sửa" in page
    assert 'for="understood-final-note_taker"' in page


def test_the_last_signature_without_the_box_ticked_does_not_seal(
    world, login, make_meeting, roster, chair, note_taker
):
    give_account(chair, world.secretary)
    meeting = finalized(make_meeting(), roster, world)
    client = login(world.secretary)
    sign(client, meeting, "chair")

    for ticked in ("", "0", "yes"):
        data = {"role": "note_taker", "on_paper": "1", "understood_final": ticked}
        response = client.post(reverse("meetings:sign", args=[meeting.pk]), data)
        assert response.status_code == 302 and response.url == detail_url(meeting)
        shown = client.get(response.url).content.decode()
        assert "Chưa ký." in shown and "niêm phong" in unescape(shown)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.FINALIZED
    assert meeting.fingerprint == ""
    assert not Signature.objects.filter(meeting=meeting, role="note_taker").exists()

    sign(client, meeting, "note_taker", on_paper=True, understood_final=True)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SIGNED


def test_a_planned_meeting_is_titled_as_a_plan_and_minutes_only_once_recorded(
    world, login, make_meeting
):
    meeting = make_meeting(start=False)
    client = login(world.secretary)
    page = client.get(detail_url(meeting)).content.decode()
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1).strip()
    assert heading == "Kế hoạch: Sinh hoạt chi bộ thường kỳ tháng 10/2026"
    assert "Biên bản:" not in page

    services.start_recording(meeting, user=world.secretary)
    page = client.get(detail_url(meeting)).content.decode()
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1).strip()
    assert heading == "Biên bản: Sinh hoạt chi bộ thường kỳ tháng 10/2026"


def test_the_print_button_shows_a_drawn_icon_not_a_missing_glyph(world, login, make_meeting):
    page = login(world.secretary).get(detail_url(make_meeting())).content.decode()
    button = re.search(r'<a[^>]*minutes\.pdf"[^>]*>(.*?)</a>', page, re.S).group(1)
    assert "\U0001f5b6" not in page
    assert '<svg class="icon"' in button and 'aria-hidden="true"' in button
    assert "In bản nháp (PDF)" in button


def test_nobody_signs_for_a_chair_who_has_an_account(
    world, login, make_meeting, roster, chair, note_taker
):
    give_account(chair, world.admin)
    meeting = finalized(make_meeting(), roster, world)
    client = login(world.secretary)
    for on_paper in (False, True):
        response = sign(client, meeting, "chair", on_paper=on_paper)
        assert response.status_code == 302
        assert message_levels(response) == [messages.ERROR]
    assert not Signature.objects.filter(meeting=meeting).exists()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.FINALIZED


def test_a_signer_without_an_account_is_recorded_on_paper_not_by_account(
    world, login, make_meeting, roster, note_taker
):
    meeting = finalized(make_meeting(), roster, world)
    response = sign(login(world.secretary), meeting, "note_taker")
    assert message_levels(response) == [messages.ERROR]
    assert not Signature.objects.filter(meeting=meeting).exists()


def test_a_signature_is_recorded_once(world, login, make_meeting, roster, chair):
    give_account(chair, world.secretary)
    meeting = finalized(make_meeting(), roster, world)
    client = login(world.secretary)
    sign(client, meeting, "chair")
    again = sign(client, meeting, "chair")
    assert message_levels(again) == [messages.ERROR]
    assert Signature.objects.filter(meeting=meeting).count() == 1


def test_signing_needs_a_known_role(world, login, make_meeting, roster):
    meeting = finalized(make_meeting(), roster, world)
    response = sign(login(world.secretary), meeting, "president", on_paper=True)
    assert message_levels(response) == [messages.ERROR]
    assert not Signature.objects.filter(meeting=meeting).exists()


def test_a_draft_cannot_be_signed_through_the_page(world, login, make_meeting, roster, chair):
    give_account(chair, world.secretary)
    meeting = complete(make_meeting(), roster)
    response = sign(login(world.secretary), meeting, "chair")
    assert message_levels(response) == [messages.ERROR]
    assert not Signature.objects.filter(meeting=meeting).exists()


@pytest.mark.parametrize(
    ("role", "status"), [("viewer", 403), ("reviewer", 403), ("outsider", 404)]
)
def test_people_who_are_not_the_signer_cannot_sign(
    world, login, make_meeting, roster, role, status
):
    meeting = finalized(make_meeting(), roster, world)
    response = sign(login(world.user(role)), meeting, "note_taker", on_paper=True)
    assert response.status_code == status
    assert not Signature.objects.filter(meeting=meeting).exists()


def test_a_chair_with_a_member_account_signs_with_it(world, login, make_meeting, roster, chair):
    give_account(chair, world.viewer)
    meeting = finalized(make_meeting(), roster, world)
    # The secretary may not record a paper signature for someone with an account ...
    sign(login(world.secretary), meeting, "chair", on_paper=True)
    assert not Signature.objects.filter(meeting=meeting).exists()
    # ... so the chair must be able to sign with their own account.
    client = english(login(world.viewer))
    response = sign(client, meeting, "chair")
    assert response.status_code == 302
    assert Signature.objects.get(meeting=meeting).member == chair
    page = client.get(detail_url(meeting))
    assert page.context["signer_panel"]


def test_reopening_finalized_minutes_drops_the_signatures(
    world, login, make_meeting, roster, chair
):
    give_account(chair, world.secretary)
    meeting = finalized(make_meeting(), roster, world)
    client = login(world.secretary)
    sign(client, meeting, "chair")
    response = client.post(reverse("meetings:reopen", args=[meeting.pk]))
    # complete minutes: nothing is missing, the flow opens at its review step
    assert response.url == reverse("meetings:record_step", args=[meeting.pk, "review"])
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.DRAFT
    assert not Signature.objects.filter(meeting=meeting).exists()


# -- the meeting list -------------------------------------------------------------------


def listed(response):
    return {meeting.pk for meeting in response.context["page"].object_list}


def new_meeting(organization, when, kind=MeetingKind.EXTRAORDINARY, status="planned", **fields):
    return Meeting.objects.create(
        organization=organization, kind=kind, scheduled_at=when, status=status, **fields
    )


@pytest.fixture
def spread(world):
    """Meetings of both cells of the commune, of several kinds, years and states."""
    cell, sibling = world.cell, world.sibling_cell
    return {
        "regular_2025": new_meeting(cell, at(2025, 3, 5), "regular", "signed"),
        "thematic_2025": new_meeting(cell, at(2025, 5, 20), "thematic", "draft", topic="Chủ đề"),
        "regular_2026": new_meeting(cell, at(2026, 4, 5), "regular", "draft"),
        "extra_2026": new_meeting(cell, at(2026, 4, 18), "extraordinary", "finalized"),
        "sibling_2026": new_meeting(sibling, at(2026, 4, 6), "regular", "signed"),
        "sibling_2025": new_meeting(sibling, at(2025, 4, 6), "thematic", "planned", topic="X"),
    }


def pks(spread, *names):
    return {spread[name].pk for name in names}


def test_a_secretary_lists_only_the_meetings_of_their_cell(world, login, spread):
    response = login(world.secretary).get(reverse("meetings:list"))
    assert response.status_code == 200
    assert listed(response) == pks(
        spread, "regular_2025", "thematic_2025", "regular_2026", "extra_2026"
    )


def test_a_secretary_cannot_filter_their_way_into_another_cell(world, login, spread):
    response = login(world.secretary).get(reverse("meetings:list"), {"cell": world.sibling_cell.pk})
    assert response.status_code == 200
    assert "cell" in response.context["form"].errors
    assert not listed(response) & pks(spread, "sibling_2026", "sibling_2025")
    assert world.sibling_cell.name not in response.content.decode()


def test_the_reviewer_lists_every_cell_of_the_commune(world, login, spread):
    response = login(world.reviewer).get(reverse("meetings:list"))
    assert listed(response) == {meeting.pk for meeting in spread.values()}
    far = login(world.far_reviewer).get(reverse("meetings:list"))
    assert listed(far) == set()


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"cell": "sibling"}, {"sibling_2026", "sibling_2025"}),
        ({"cell": "cell"}, {"regular_2025", "thematic_2025", "regular_2026", "extra_2026"}),
        ({"kind": "thematic"}, {"thematic_2025", "sibling_2025"}),
        ({"kind": "regular"}, {"regular_2025", "regular_2026", "sibling_2026"}),
        ({"year": "2025"}, {"regular_2025", "thematic_2025", "sibling_2025"}),
        ({"status": "signed"}, {"regular_2025", "sibling_2026"}),
        ({"status": "draft"}, {"thematic_2025", "regular_2026"}),
        ({"kind": "regular", "year": "2026", "cell": "cell"}, {"regular_2026"}),
        ({"status": "returned"}, set()),
        (
            {},
            {
                "regular_2025",
                "thematic_2025",
                "regular_2026",
                "extra_2026",
                "sibling_2026",
                "sibling_2025",
            },
        ),
    ],
)
def test_the_list_filters(world, login, spread, filters, expected):
    cells = {"cell": world.cell.pk, "sibling": world.sibling_cell.pk}
    query = {
        key: cells.get(value, value) if key == "cell" else value for key, value in filters.items()
    }
    response = login(world.reviewer).get(reverse("meetings:list"), query)
    assert not response.context["form"].errors
    assert listed(response) == pks(spread, *expected)


def test_the_list_shows_only_the_current_version_of_corrected_minutes(world, login, spread):
    old = spread["regular_2025"]
    Meeting.objects.filter(pk=old.pk).update(status="returned")  # the workflow's steps
    Meeting.objects.filter(pk=old.pk).update(is_current=False, status="superseded")
    response = login(world.secretary).get(reverse("meetings:list"))
    assert old.pk not in listed(response)


def test_the_list_counts_who_was_present(world, login, make_meeting, roster):
    from tests.helpers import mark

    meeting = make_meeting()
    mark(meeting, dict.fromkeys(roster["official"][:4], "present"))
    response = login(world.secretary).get(reverse("meetings:list"))
    assert len(response.context["page"].object_list) == 1
    # Present / summoned, as the minutes say: the exempt and the away members are on the
    # attendance list (9 rows) but not summoned (tests/meetings/test_attendance_figures.py).
    assert "4/7</td>" in response.content.decode()


def bulk_meetings(organization, count, start=0):
    """Extraordinary meetings, one a day: bulk_create skips save(), so year and month by hand."""
    first = at(2020, 1, 1)
    meetings = []
    for index in range(start, start + count):
        when = first + timedelta(days=index)
        meetings.append(
            Meeting(
                organization=organization,
                kind=MeetingKind.EXTRAORDINARY,
                scheduled_at=when,
                year=when.year,
                month=when.month,
                topic=f"Cuộc họp số {index}",
            )
        )
    return Meeting.objects.bulk_create(meetings)


def count_queries(client, url, data=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, data)
    assert response.status_code == 200
    return len(queries), response


def test_the_list_runs_as_many_queries_for_500_meetings_as_for_10(world, login):
    client = login(world.reviewer)
    bulk_meetings(world.cell, 10)
    few, _ = count_queries(client, reverse("meetings:list"))
    bulk_meetings(world.cell, 490, start=10)
    bulk_meetings(world.sibling_cell, 10)
    many, response = count_queries(client, reverse("meetings:list"))
    assert response.context["page"].paginator.count == 510
    assert many == few
    filtered, _ = count_queries(
        client, reverse("meetings:list"), {"kind": "extraordinary", "year": "2020", "page": "3"}
    )
    assert filtered == few


def test_the_list_shows_50_meetings_a_page(world, login):
    bulk_meetings(world.cell, 120)
    client = login(world.secretary)
    first = client.get(reverse("meetings:list"))
    page = first.context["page"]
    assert (len(page.object_list), page.paginator.num_pages) == (50, 3)
    html = first.content.decode()
    assert html.count(reverse("meetings:detail", args=[page.object_list[0].pk])) == 1
    assert "page=2" in html
    last = client.get(reverse("meetings:list"), {"page": "3"})
    assert len(last.context["page"].object_list) == 20
    newest_first = [m.scheduled_at for m in page.object_list]
    assert newest_first == sorted(newest_first, reverse=True)


def test_the_next_page_link_keeps_the_filters(world, login):
    bulk_meetings(world.cell, 60)
    response = login(world.secretary).get(
        reverse("meetings:list"), {"kind": "extraordinary", "year": "2020"}
    )
    html = response.content.decode()
    [link] = re.findall(r'rel="next" href="\?([^"]*)"', html)
    assert parse_qs(unescape(link)) == {"kind": ["extraordinary"], "year": ["2020"], "page": ["2"]}
    [last] = re.findall(r'href="\?([^"]*page=2)"[^>]*>[^<]*»', html)  # "Last »", page 2 of 2
    assert parse_qs(unescape(last))["kind"] == ["extraordinary"]


# -- detail page queries ----------------------------------------------------------------


def add_speeches(meeting, members, count):
    Speech.objects.bulk_create(
        Speech(
            meeting=meeting,
            speaker=members[index % len(members)] if index % 3 else None,
            guest_name="" if index % 3 else f"Khách {index}",
            summary=f"Ý kiến số {index}",
            order=index,
        )
        for index in range(count)
    )


def test_the_detail_page_runs_as_many_queries_for_40_speeches_as_for_5(
    world, login, make_meeting, roster
):
    client = login(world.secretary)
    few_meeting = complete(make_meeting(when=at(2026, 9, 5)), roster)
    many_meeting = complete(make_meeting(when=at(2026, 10, 5)), roster)
    add_speeches(few_meeting, roster["official"], 5)
    add_speeches(many_meeting, roster["official"], 40)
    Guest.objects.bulk_create(
        Guest(meeting=many_meeting, name=f"Khách {n}", order=n) for n in range(10)
    )
    Guest.objects.create(meeting=few_meeting, name="Khách", order=1)

    few, _ = count_queries(client, detail_url(few_meeting))
    many, response = count_queries(client, detail_url(many_meeting))

    assert len(response.context["speeches"]) == 40
    assert many == few
    assert "Ý kiến số 39" in response.content.decode()


# -- a cell's year at a glance ----------------------------------------------------------


def signed_meeting_in(make_meeting, roster, world, when):
    meeting = complete(make_meeting(when=when), roster)
    meeting.minutes_adopted_votes = meeting.attendances.filter(status="present").count()
    meeting.save()
    services.finalize_minutes(meeting, user=world.secretary)
    give_account(roster["official"][0], world.secretary)
    services.sign_minutes(meeting, user=world.secretary, role="chair")
    services.sign_minutes(meeting, user=world.secretary, role="note_taker", on_paper=True)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SIGNED
    return meeting


def year_page(client, world, year):
    return client.get(reverse("meetings:cell_year", args=[world.cell.pk, year]))


def test_the_year_shows_signed_held_and_missing_months(world, login, make_meeting, roster):
    signed = signed_meeting_in(make_meeting, roster, world, at(2025, 3, 5))
    held = make_meeting(when=at(2025, 5, 5))  # recorded, not signed yet
    never_held = make_meeting(when=at(2025, 6, 5), start=False)  # planned, the month is over
    extra = make_meeting(kind="extraordinary", when=at(2025, 4, 12), topic="Kết nạp")

    response = english(login(world.secretary)).get(
        reverse("meetings:cell_year", args=[world.cell.pk, 2025])
    )

    assert response.status_code == 200
    months = {cell.month: cell for cell in response.context["overview"].months}
    assert months[3].state == "signed"
    assert months[3].regular == signed
    assert months[5].state == "held"
    assert months[5].regular == held
    assert months[6].state == "missing"
    assert months[6].regular == never_held
    assert months[4].state == "missing"  # an extraordinary meeting does not replace it
    assert months[4].others == [extra]
    assert response.context["overview"].missing_months == [1, 2, 4, 6, 7, 8, 9, 10, 11, 12]
    assert [quarter.state for quarter in response.context["overview"].quarters] == ["missing"] * 4
    html = response.content.decode()
    assert html.count("held and signed") == 1
    assert html.count("held, not signed") == 1
    assert "missing" in html
    assert detail_url(signed) in html


def test_a_year_far_ahead_has_nothing_missing(world, login):
    response = login(world.secretary).get(reverse("meetings:cell_year", args=[world.cell.pk, 2099]))
    overview = response.context["overview"]
    assert overview.missing_months == []
    assert {cell.state for cell in overview.months} == {"future"}


def test_the_year_page_is_for_cells_the_user_may_see(world, login):
    url = reverse("meetings:cell_year", args=[world.cell.pk, 2025])
    assert login(world.outsider).get(url).status_code == 404
    assert login(world.reviewer).get(url).status_code == 200
    commune = reverse("meetings:cell_year", args=[world.commune.pk, 2025])
    assert login(world.reviewer).get(commune).status_code == 404
    anonymous = login(None).get(url)
    assert anonymous.status_code == 302
    assert anonymous.url.startswith(reverse("login"))


def test_a_foreign_cell_in_the_address_does_not_switch_off_the_other_filters(world, login, spread):
    response = login(world.secretary).get(
        reverse("meetings:list"), {"cell": world.sibling_cell.pk, "year": "2025"}
    )
    assert "cell" in response.context["form"].errors
    assert listed(response) == pks(spread, "regular_2025", "thematic_2025")
