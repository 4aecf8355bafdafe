"""The sync of captures made offline (meetings/offline.py, issue 24): each applied
through the recording step's form and save_draft, once, and a conflict or a refusal
kept with her entries for her to resolve."""

import json
import uuid

import pytest
from django.urls import reverse

from cellmeet.models import KeptSubmission
from meetings.models import Meeting, MeetingStatus, OfflineCapture
from tests.meetings.formdata import record_post_data


def step_url(meeting, step):
    return reverse("meetings:record_step", args=[meeting.pk, step])


def sync_url(meeting):
    return reverse("meetings:offline_sync", args=[meeting.pk])


@pytest.fixture
def secretary(world, login):
    return login(world.secretary)


def capture(client, meeting, step, *, after=None, **changes):
    """What the browser stores when she presses Save offline on a step."""
    page = client.get(step_url(meeting, step))
    data = record_post_data(page, **changes)
    data.pop("save", None)
    data["go"] = "next"
    fields = []
    for name, value in data.items():
        for one in value if isinstance(value, list) else [value]:
            fields.append([name, one])
    return {
        "client_id": str(uuid.uuid4()),
        "meeting": meeting.pk,
        "step": step,
        "base_version": int(data["version"]),
        "after": after,
        "fields": fields,
    }


def send(client, meeting, *captures, **headers):
    response = client.post(
        sync_url(meeting),
        json.dumps({"captures": list(captures)}),
        content_type="application/json",
        **headers,
    )
    return response


def results(response):
    assert response.status_code == 200, response.content[:300]
    return response.json()["results"]


def test_captures_of_several_steps_are_saved_in_order(secretary, make_meeting):
    meeting = make_meeting()
    first = capture(secretary, meeting, "opening", agenda="Chương trình: sửa đường liên thôn")
    # Made offline on the next page, from the same version: it follows the first.
    second = capture(
        secretary, meeting, "closing", after=first["client_id"], conclusion="Đồng ý sửa đường"
    )
    answers = results(send(secretary, meeting, first, second))
    assert [answer["status"] for answer in answers] == ["saved", "saved"]
    meeting.refresh_from_db()
    assert meeting.agenda == "Chương trình: sửa đường liên thôn"
    assert meeting.conclusion == "Đồng ý sửa đường"
    assert OfflineCapture.objects.filter(outcome="saved").count() == 2


def test_the_same_capture_sent_twice_is_applied_once(secretary, make_meeting, world):
    meeting = make_meeting()
    one = capture(secretary, meeting, "opening", agenda="Chương trình lần một")
    assert results(send(secretary, meeting, one))[0]["status"] == "saved"
    version = Meeting.objects.get(pk=meeting.pk).version
    history = meeting.history.count()
    # Her answer was lost on the way back: the browser sends it again, twice.
    again = results(send(secretary, meeting, one, one))
    assert [answer["status"] for answer in again] == ["saved", "saved"]
    assert Meeting.objects.get(pk=meeting.pk).version == version  # nothing saved again
    assert meeting.history.count() == history
    assert OfflineCapture.objects.filter(client_id=one["client_id"]).count() == 1


def test_a_capture_made_while_someone_else_saved_is_a_conflict_with_both_texts(
    secretary, make_meeting, world, client
):
    meeting = make_meeting()
    hers = capture(secretary, meeting, "closing", conclusion="Kết luận của bí thư")
    # Meanwhile the deputy saves the same box online.
    page = secretary.get(step_url(meeting, "closing"))
    data = record_post_data(page, conclusion="Kết luận của phó bí thư")
    data.pop("save", None)
    data["stay"] = ""
    assert secretary.post(step_url(meeting, "closing"), data).status_code == 302

    answer = results(send(secretary, meeting, hers))[0]
    assert answer["status"] == "conflict"
    assert Meeting.objects.get(pk=meeting.pk).conclusion == "Kết luận của phó bí thư"
    # Her text is kept; the link opens the step with both versions side by side.
    assert answer["resolve"].startswith(step_url(meeting, "closing") + "?restore=")
    kept = KeptSubmission.objects.get(user=world.secretary)
    assert ["conclusion", "Kết luận của bí thư"] in kept.fields
    html = secretary.get(answer["resolve"]).content.decode()
    assert 'id="conflicts"' in html
    assert "Kết luận của bí thư" in html and "Kết luận của phó bí thư" in html
    # Her later capture on the same page is a conflict too: never over the other save.
    later = capture(secretary, meeting, "opening", after=hers["client_id"], agenda="Khác")
    later["base_version"] = hers["base_version"]
    assert results(send(secretary, meeting, later))[0]["status"] == "conflict"
    assert Meeting.objects.get(pk=meeting.pk).agenda != "Khác"


def test_a_capture_the_form_refuses_is_refused_with_its_message(secretary, make_meeting):
    meeting = make_meeting()
    bad = capture(secretary, meeting, "opening", start_time="25:99", agenda="Chương trình mới")
    answer = results(send(secretary, meeting, bad, HTTP_ACCEPT_LANGUAGE="vi"))[0]
    assert answer["status"] == "refused"
    assert answer["messages"] and all(message.strip() for message in answer["messages"])
    assert any("thời gian hợp lệ" in message for message in answer["messages"]), answer["messages"]
    assert Meeting.objects.get(pk=meeting.pk).agenda != "Chương trình mới"
    html = secretary.get(answer["resolve"]).content.decode()
    assert 'value="25:99"' in html  # her entries, with the form's message
    # Refused, it does not block the captures after it: they start from the same version.
    good = capture(secretary, meeting, "closing", after=bad["client_id"], conclusion="Xong")
    good["base_version"] = bad["base_version"]
    assert results(send(secretary, meeting, good))[0]["status"] == "saved"


def test_captures_reaching_minutes_no_longer_a_draft_are_refused_and_kept(secretary, make_meeting):
    meeting = make_meeting()
    late = capture(secretary, meeting, "closing", conclusion="Viết khi mất mạng")
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.FINALIZED)
    answer = results(send(secretary, meeting, late))[0]
    assert answer["status"] == "refused"
    assert answer["resolve"] == reverse("meetings:detail", args=[meeting.pk])


def test_signed_out_outsiders_and_other_roles_keep_their_queue(world, login, make_meeting):
    meeting = make_meeting()
    one = capture(login(world.secretary), meeting, "opening", agenda="Không được lưu")
    assert send(login(None), meeting, one).status_code == 401
    assert send(login(world.user("outsider")), meeting, one).status_code == 404
    assert send(login(world.user("viewer")), meeting, one).status_code == 403
    assert not OfflineCapture.objects.exists()
    assert Meeting.objects.get(pk=meeting.pk).agenda != "Không được lưu"


def _one(**fields):
    item = {"client_id": str(uuid.uuid4()), "step": "opening", "base_version": 1, "fields": []}
    return json.dumps({"captures": [{**item, **fields}]})


@pytest.mark.parametrize(
    "body",
    [
        "",
        "[]",
        '{"captures": 3}',
        _one(client_id="x"),
        _one(step="nope"),
        _one(fields=[["a", 1]]),
        _one(base_version="1"),
        _one(meeting=999999),
    ],
)
def test_a_body_that_is_not_captures_is_a_bad_request(secretary, make_meeting, body):
    meeting = make_meeting()
    response = secretary.post(sync_url(meeting), body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["reason"] == "bad_request"


def test_a_stale_csrf_token_answers_json_so_the_browser_keeps_its_queue(world, make_meeting):
    from django.test import Client

    meeting = make_meeting()
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.secretary)
    response = client.post(
        sync_url(meeting),
        "{}",
        content_type="application/json",
        HTTP_X_CELLMEET_OFFLINE_SYNC="1",
    )
    assert response.status_code == 403
    assert response.json()["reason"] == "stale_page"
