"""Recording with no connection (issue 24): the captures a secretary's browser made
offline, applied when it is back online.

Each capture is one save of a recording step made offline: {client_id (a UUID the
browser chose), step, base_version (the minutes' version on the page she typed over),
after (the client id of the capture she made just before on the same meeting, if
any), fields (the step form's fields, as the Save button would have sent them)}.

They are applied in order through the same form (meetings.forms.MinutesEditor) and
service (services.save_draft) as the Save button, and each gets one answer:

- "saved": applied; sent again, the same answer, never applied twice (OfflineCapture);
- "conflict": someone else saved the minutes since the version she started from: her
  entries are kept (cellmeet.kept) and the step opens with both versions side by side;
- "refused": the form refused it (its translated messages), or the minutes are no
  longer a draft: kept as well, for her to correct.

A capture made after another one on the same page starts from the version that one
made (or from the version it was checked against, when it was not applied): so her
own earlier captures never make a conflict, but another person's save does.
"""

import json
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _

from cellmeet import kept
from cellmeet.forms import StaleRecordError, error_messages
from meetings import services, steps
from meetings.forms import MinutesEditor
from meetings.models import CaptureOutcome, Meeting, MeetingStatus, OfflineCapture

ALL_PARTS = "all"  # a capture made on the one-page recording form
MAX_CAPTURES = 100  # per sync: the browser sends the rest next time


@dataclass(frozen=True)
class Capture:
    client_id: uuid.UUID
    step: str
    base_version: int
    after: uuid.UUID | None
    fields: list


def read_captures(body, meeting):
    """The captures of a sync request's JSON body; ValueError if it is not one."""
    try:
        payload = json.loads(body)
    except (TypeError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError("not JSON") from error
    items = payload.get("captures") if isinstance(payload, dict) else None
    if not isinstance(items, list) or len(items) > MAX_CAPTURES:
        raise ValueError("no list of captures")
    return [_read_capture(item, meeting) for item in items]


def _read_capture(item, meeting):
    if not isinstance(item, dict):
        raise ValueError("not a capture")
    if item.get("meeting") not in (None, meeting.pk, str(meeting.pk)):
        raise ValueError("another meeting")
    step = item.get("step")
    if step != ALL_PARTS and step not in steps.NAMES:
        raise ValueError("no such step")
    version = item.get("base_version")
    if isinstance(version, bool) or not isinstance(version, int) or not 0 <= version < 2**31:
        raise ValueError("bad version")
    fields = item.get("fields")
    if not isinstance(fields, list) or len(fields) > settings.DATA_UPLOAD_MAX_NUMBER_FIELDS:
        raise ValueError("bad fields")
    for pair in fields:
        if not (
            isinstance(pair, list) and len(pair) == 2 and all(isinstance(v, str) for v in pair)
        ):
            raise ValueError("bad field")
    after = item.get("after")
    return Capture(
        client_id=uuid.UUID(str(item.get("client_id"))),
        step=step,
        base_version=version,
        after=uuid.UUID(str(after)) if after else None,
        fields=[[name.replace("\x00", ""), value.replace("\x00", "")] for name, value in fields],
    )


def sync(meeting, captures, *, user):
    """Apply the captures in order; one answer each."""
    return [apply_capture(meeting.pk, capture, user=user) for capture in captures]


def apply_capture(meeting_pk, capture, *, user):
    known = OfflineCapture.objects.filter(client_id=capture.client_id).first()
    if known is not None:
        if known.meeting_id != meeting_pk or known.user_id != user.pk:
            return _answer(capture, CaptureOutcome.REFUSED, [_("This entry was not found.")])
        return known.answer()  # sent again: the answer it had, nothing applied twice
    meeting = Meeting.objects.select_related("organization").get(pk=meeting_pk)
    step = None if capture.step == ALL_PARTS else steps.step_named(capture.step)
    expected = _expected_version(meeting_pk, capture)
    fields = [pair for pair in capture.fields if pair[0] != "version"] + [
        ["version", str(expected)]
    ]
    if meeting.status != MeetingStatus.DRAFT:
        message = _("The minutes are no longer a draft: this part was not saved.")
        return _not_applied(meeting, step, capture, expected, fields, user, [message])
    data = QueryDict(mutable=True)
    for name, value in fields:
        data.appendlist(name, value)
    editor = MinutesEditor(meeting, data, None, step=step)
    if not editor.is_valid():
        outcome = CaptureOutcome.CONFLICT if editor.minutes.stale else CaptureOutcome.REFUSED
        texts = error_messages([*editor.parts, *editor.extra_parts])
        return _not_applied(meeting, step, capture, expected, fields, user, texts, outcome)
    try:
        with transaction.atomic():
            saved = services.save_draft(meeting, editor.changes(), user=user)
            record = OfflineCapture.objects.create(
                client_id=capture.client_id,
                meeting_id=meeting_pk,
                user=user,
                step=capture.step,
                outcome=CaptureOutcome.SAVED,
                version=saved.version,
            )
    except StaleRecordError:
        texts = [str(editor.minutes.conflict_message)]
        return _not_applied(
            meeting, step, capture, expected, fields, user, texts, CaptureOutcome.CONFLICT
        )
    except ValidationError as error:  # a rule checked again at the save, a seal
        texts = [str(message) for message in error.messages]
        return _not_applied(meeting, step, capture, expected, fields, user, texts)
    except IntegrityError:
        # The same capture sent twice at once (two tabs): the other one applied it.
        return _stored_answer(capture)
    kept.forget(user, _path(meeting, step))
    return record.answer()


def _expected_version(meeting_pk, capture):
    """The version the capture started from: the one her previous capture made."""
    if capture.after is not None:
        previous = OfflineCapture.objects.filter(
            client_id=capture.after, meeting_id=meeting_pk
        ).first()
        if previous is not None and previous.version is not None:
            return previous.version
    return capture.base_version


def _path(meeting, step):
    if step is None:
        return reverse("meetings:record", args=[meeting.pk])
    return reverse("meetings:record_step", args=[meeting.pk, step.name])


def _not_applied(
    meeting, step, capture, expected, fields, user, texts, outcome=CaptureOutcome.REFUSED
):
    """Kept for her to see again with her entries (the existing conflict page when it is
    a conflict), and the answer remembered."""
    path = _path(meeting, step)
    resolve = reverse("meetings:detail", args=[meeting.pk])
    if meeting.status == MeetingStatus.DRAFT:
        copy = kept.keep_fields(fields, path=path, user=user)
        resolve = f"{path}?restore={copy.token}" if copy is not None else path
    try:
        with transaction.atomic():
            record = OfflineCapture.objects.create(
                client_id=capture.client_id,
                meeting_id=meeting.pk,
                user=user,
                step=capture.step,
                outcome=outcome,
                version=expected,
                messages=texts or [_("This part could not be saved.")],
                resolve_url=resolve,
            )
    except IntegrityError:
        return _stored_answer(capture)
    return record.answer()


def _stored_answer(capture):
    return OfflineCapture.objects.get(client_id=capture.client_id).answer()


def _answer(capture, outcome, texts):
    return {
        "client_id": str(capture.client_id),
        "status": outcome,
        "messages": texts,
        "resolve": "",
    }


def offline_pages(meeting, step_name=None):
    """The data of the page's #offline-meeting element (meetings/_offline_meeting.html):
    what the browser keeps for recording offline (the meeting's page, and under it the
    one-page form, the steps and the review; static/js/offline-sw.js adds the files
    they load), and where each step's buttons lead."""
    pk = meeting.pk
    detail = reverse("meetings:detail", args=[pk])
    step_url = {name: reverse("meetings:record_step", args=[pk, name]) for name in steps.NAMES}
    review = reverse("meetings:record_step", args=[pk, steps.REVIEW])
    one_page = reverse("meetings:record", args=[pk])
    kept = [url.removeprefix(detail) for url in [one_page, *step_url.values(), review]]
    this_url = step_url.get(step_name) or (one_page if step_name == ALL_PARTS else "")
    next_url = previous_url = ""
    if step_name in step_url:
        step = steps.step_named(step_name)
        after = steps.after(step)
        next_url = review if after == steps.REVIEW else step_url[after]
        previous_url = step_url.get(steps.before(step) or "", "")
    return {
        "meeting": pk,
        "step": step_name or "",
        "this_url": this_url,
        "next_url": next_url,
        "previous_url": previous_url,
        "sync_url": reverse("meetings:offline_sync", args=[pk]),
        "pages": detail,
        "steps": " ".join(kept),
    }
