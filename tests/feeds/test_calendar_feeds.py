"""Calendar feeds: a cell's, a member's and a committee's, read without signing in by
a phone's calendar app, parsed back with icalendar."""

import gzip
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from meetings.models import Meeting, MeetingStatus
from notifications.models import CalendarFeed, FeedKind, create_feed
from tests.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db


def meeting(cell, days, topic, status=MeetingStatus.PLANNED, kind="extraordinary", **fields):
    return Meeting.objects.create(
        organization=cell,
        kind=kind,
        topic=topic,
        location="Nhà văn hóa",
        scheduled_at=timezone.now() + timedelta(days=days),
        status=status,
        **fields,
    )


def url_of(feed):
    return reverse("notifications:calendar_feed", args=[feed.pk, feed.token])


def read(client, feed):
    response = client.get(url_of(feed))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    cache_control = response["Cache-Control"]
    assert "private" in cache_control and "public" not in cache_control
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    # The UID names the meeting ("meeting-<pk>@host"): the same in every message.
    return calendar, {int(str(event["uid"]).split("@")[0].split("-")[1]): event for event in events}


def pks(*items):
    return {item.pk for item in items}


@pytest.fixture
def meetings(world):
    return {
        "coming": meeting(world.cell, 10, "Sắp tới"),
        "recent": meeting(world.cell, -20, "Vừa họp", status=MeetingStatus.SIGNED),
        "old": meeting(world.cell, -200, "Đã lâu", status=MeetingStatus.SIGNED),
        "sibling": meeting(world.sibling_cell, 5, "Thôn Tây"),
        "far": meeting(world.far_cell, 5, "Thôn Bắc"),
    }


def test_the_cell_feed_lists_its_coming_and_recent_meetings_and_no_other_cells(
    client, world, meetings
):
    feed = create_feed(FeedKind.CELL, world.cell, user=world.secretary)
    calendar, events = read(client, feed)
    assert str(calendar["x-wr-calname"]) == world.cell.name
    # Not the meeting older than three months, nor the other cells..
    assert set(events) == pks(meetings["coming"], meetings["recent"])
    coming = events[meetings["coming"].pk]
    assert str(coming["summary"]).startswith(world.cell.name)
    assert coming["location"] == "Nhà văn hóa"
    assert coming.decoded("dtstart") == meetings["coming"].scheduled_at.replace(microsecond=0)
    assert coming.decoded("dtend") > coming.decoded("dtstart")
    assert "last-modified" in coming
    assert "Sắp tới" in str(coming["description"])


def test_the_uid_stays_when_the_meeting_moves(client, world, meetings):
    feed = create_feed(FeedKind.CELL, world.cell, user=world.secretary)
    _calendar, before = read(client, feed)
    moved = meetings["coming"]
    moved.scheduled_at += timedelta(days=2)
    moved.save()
    _calendar, after = read(client, feed)
    uids = lambda events: sorted(str(event["uid"]) for event in events.values())  # noqa: E731
    assert uids(before) == uids(after)


def test_the_member_feed_lists_her_cells_meetings(client, world, meetings):
    user = UserFactory()
    member = MemberFactory(organization=world.cell, full_name="Lê Văn Tư", user=user)
    feed = create_feed(FeedKind.MEMBER, member, user=user)
    calendar, events = read(client, feed)
    assert "Lê Văn Tư" in str(calendar["x-wr-calname"])
    assert set(events) == pks(meetings["coming"], meetings["recent"])


def test_the_subtree_feed_lists_exactly_the_committees_cells(client, world, meetings):
    last_week = meeting(world.cell, -6, "Tuần trước", status=MeetingStatus.SIGNED)
    feed = create_feed(FeedKind.SUBTREE, world.commune, user=world.reviewer)
    _calendar, events = read(client, feed)
    # Not the other commune's cell; of the past, only the last week (planning visits):
    # the meeting of 20 days ago is in the cell's feed, not in the committee's.
    assert set(events) == pks(meetings["coming"], last_week, meetings["sibling"])
    response = client.get(url_of(feed), {"range": "all"})
    listed = Calendar.from_ical(response.content).walk("VEVENT")
    assert len(listed) == len(events) + 2  # the meetings of 20 and 200 days ago
    wide = create_feed(FeedKind.SUBTREE, world.superior, user=world.admin)
    _calendar, everything = read(client, wide)
    assert set(everything) == set(events) | pks(meetings["far"])


def test_a_wrong_or_revoked_token_answers_404(client, world, meetings):
    feed = create_feed(FeedKind.CELL, world.cell, user=world.secretary)
    wrong = reverse("notifications:calendar_feed", args=[feed.pk, feed.token[:-1] + "x"])
    assert client.get(wrong).status_code == 404
    other = create_feed(FeedKind.CELL, world.sibling_cell, user=world.outsider)
    swapped = reverse("notifications:calendar_feed", args=[feed.pk, other.token])
    assert client.get(swapped).status_code == 404
    assert client.get(url_of(feed)).status_code == 200

    client.force_login(world.secretary)
    page = reverse("notifications:cell_calendar", args=[world.cell.pk])
    response = client.post(
        reverse("notifications:feed_revoke", args=[feed.pk]), {"next": page}, follow=True
    )
    assert response.redirect_chain[-1][0] == page
    client.logout()
    assert client.get(url_of(feed)).status_code == 404
    assert CalendarFeed.objects.get(pk=feed.pk).revoked_at is not None


def test_the_secretary_creates_sees_and_revokes_the_cells_address(client, world):
    client.force_login(world.secretary)
    page = reverse("notifications:cell_calendar", args=[world.cell.pk])
    response = client.post(page)
    assert response.status_code == 302
    feed = CalendarFeed.objects.get(organization=world.cell, kind=FeedKind.CELL)
    assert feed.created_by == world.secretary
    assert len(feed.token) >= 43
    html = client.get(page).content.decode()
    assert url_of(feed) in html and "webcal://" in html
    # The viewer sees the cell but may not manage its feeds, nor revoke them.
    client.force_login(world.viewer)
    assert client.get(page).status_code == 403
    revoke = reverse("notifications:feed_revoke", args=[feed.pk])
    assert client.post(revoke).status_code == 403
    client.force_login(world.outsider)
    assert client.post(revoke).status_code == 404
    feed.refresh_from_db()
    assert feed.is_active


def test_my_calendar_is_the_signed_in_members_own(client, world):
    user = UserFactory()
    member = MemberFactory(organization=world.cell, full_name="Lê Văn Tư", user=user)
    client.force_login(user)
    page = reverse("notifications:my_calendar")
    assert client.post(page).status_code == 302
    feed = CalendarFeed.objects.get(member=member)
    assert url_of(feed) in client.get(page).content.decode()
    # A user without a member record is told so.
    client.force_login(world.reviewer)
    assert client.get(page).context["owner"] is None
    client.post(page)
    assert not CalendarFeed.objects.filter(created_by=world.reviewer).exists()


def test_the_feed_keeps_to_its_window_unless_the_whole_range_is_asked_for(client, world, meetings):
    next_year = meeting(world.cell, 400, "Năm sau")
    feed = create_feed(FeedKind.CELL, world.cell, user=world.secretary)
    _calendar, window = read(client, feed)
    assert set(window) == pks(meetings["coming"], meetings["recent"])

    response = client.get(url_of(feed), {"range": "all"})
    everything = Calendar.from_ical(response.content).walk("VEVENT")
    listed = {int(str(event["uid"]).split("@")[0].split("-")[1]) for event in everything}
    assert listed == pks(meetings["coming"], meetings["recent"], meetings["old"], next_year)


def test_a_phone_with_the_current_copy_gets_304_until_a_meeting_changes(client, world, meetings):
    feed = create_feed(FeedKind.CELL, world.cell, user=world.secretary)
    first = client.get(url_of(feed))
    etag = first["ETag"]
    assert etag and first["Last-Modified"]

    again = client.get(url_of(feed), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert "private" in again["Cache-Control"]

    moved = meetings["coming"]
    moved.location = "Hội trường thôn"
    moved.save()
    changed = client.get(url_of(feed), HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert "Hội trường thôn".encode() in changed.content


def test_the_feed_is_gzipped_for_a_phone_that_accepts_it(client, world, meetings):
    feed = create_feed(FeedKind.CELL, world.cell, user=world.secretary)
    response = client.get(url_of(feed), HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert Calendar.from_ical(gzip.decompress(response.content)).walk("VEVENT")


def test_a_cached_entry_follows_its_cell_being_renamed(client, world, meetings):
    feed = create_feed(FeedKind.CELL, world.cell, user=world.secretary)
    _calendar, before = read(client, feed)
    world.cell.name = "Chi bộ thôn Đông Mới"
    world.cell.save()
    feed.refresh_from_db()
    _calendar, after = read(client, feed)
    summary = str(after[meetings["coming"].pk]["summary"])
    assert summary.startswith("Chi bộ thôn Đông Mới")
    assert str(before[meetings["coming"].pk]["summary"]) != summary


def test_the_feed_costs_the_same_queries_for_3_or_30_meetings(client, world):
    feed = create_feed(FeedKind.SUBTREE, world.commune, user=world.reviewer)
    for days in range(3):
        meeting(world.cell, days + 1, f"Họp {days}")
    with CaptureQueriesContext(connection) as few:
        assert client.get(url_of(feed)).status_code == 200
    for days in range(27):
        meeting(world.sibling_cell, days + 1, f"Họp thêm {days}")
    with CaptureQueriesContext(connection) as many:
        assert client.get(url_of(feed)).status_code == 200
    assert len(many) == len(few)


def test_a_feed_entry_says_what_the_invitation_says(client, world):
    """The feed writes its entries itself (notifications/ics.py); icalendar, which
    writes the invitations, reads them back to the same values, commas, semicolons,
    line breaks and long Vietnamese lines included."""
    from icalendar import Event

    from notifications.calendar import meeting_event

    long_agenda = "1. Kiểm điểm, đánh giá; rút kinh nghiệm\n" + "Nhiệm vụ tháng tới " * 12
    held = meeting(world.cell, 3, "Chuyên đề: học tập, làm theo; tư tưởng", agenda=long_agenda)
    feed = create_feed(FeedKind.CELL, world.cell, user=world.secretary)
    response = client.get(url_of(feed))
    for line in response.content.split(b"\r\n"):
        assert len(line) <= 75, line
    entry = read(client, feed)[1][held.pk]
    invitation = Event.from_ical(meeting_event(held).to_ical())  # as a phone reads it
    for name in ("uid", "summary", "location", "description", "url", "status"):
        assert str(entry[name]) == str(invitation[name]), name
    for name in ("dtstart", "dtend"):
        assert entry.decoded(name) == invitation.decoded(name), name
    assert long_agenda in str(entry["description"])


def test_a_phone_with_the_current_copy_hears_of_its_cell_being_renamed(client, world, meetings):
    """The entries name the cell: renaming one of a committee's cells is a new version
    of its feed, not a 304 (the version once counted only the meetings)."""
    feed = create_feed(FeedKind.SUBTREE, world.commune, user=world.reviewer)
    etag = client.get(url_of(feed))["ETag"]
    world.cell.name = "Chi bộ thôn Đông Mới"
    world.cell.save()
    renamed = client.get(url_of(feed), HTTP_IF_NONE_MATCH=etag)
    assert renamed.status_code == 200
    assert "Chi bộ thôn Đông Mới".encode() in renamed.content


def _reads_the_entries(queries):
    return any('"topic"' in query["sql"] for query in queries.captured_queries)


def test_the_whole_text_is_built_once_per_version(client, world, meetings):
    """A committee's phones poll after a change: the first builds the text, the others
    get it without the meetings being read again; a change builds it anew."""
    feed = create_feed(FeedKind.SUBTREE, world.commune, user=world.reviewer)
    first = client.get(url_of(feed))
    with CaptureQueriesContext(connection) as again:
        second = client.get(url_of(feed))
    assert second.content == first.content
    assert not _reads_the_entries(again)

    meetings["coming"].topic = "Sắp tới đổi chủ đề"
    meetings["coming"].save()
    with CaptureQueriesContext(connection) as after_change:
        third = client.get(url_of(feed))
    assert _reads_the_entries(after_change)
    assert "Sắp tới đổi chủ đề".encode() in third.content


def test_the_window_is_whole_local_days(world):
    """The same list all day long (the version names only the day): from the start of
    the day SUBTREE_RECENT_DAYS back to the end of the day AHEAD_DAYS ahead."""
    from notifications.models import AHEAD_DAYS, SUBTREE_RECENT_DAYS, start_of_day

    today = timezone.localdate()
    first = start_of_day(today - timedelta(days=SUBTREE_RECENT_DAYS))
    after_last = start_of_day(today + timedelta(days=AHEAD_DAYS + 1))
    minute = timedelta(minutes=1)
    at = {
        "first minute": first,
        "before": first - minute,
        "last minute": after_last - minute,
        "after": after_last,
    }
    created = {
        name: Meeting.objects.create(
            organization=world.cell, kind="extraordinary", scheduled_at=moment
        )
        for name, moment in at.items()
    }
    feed = create_feed(FeedKind.SUBTREE, world.commune, user=world.reviewer)
    listed = set(feed.meetings(today).values_list("pk", flat=True))
    assert listed == pks(created["first minute"], created["last minute"])
