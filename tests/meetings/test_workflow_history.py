"""Every step of the minutes workflow is logged with who took it, even outside a request
(a management command, the demo, a background job)."""

import pytest

from meetings import services
from tests.helpers import complete


def test_each_step_names_the_acting_user_in_the_history(world, roster, make_meeting):
    meeting = complete(make_meeting(), roster)  # planned and started by the secretary
    services.finalize_minutes(meeting, user=world.secretary)
    services.reopen_minutes(meeting, user=world.viewer)
    history = list(meeting.history.order_by("history_date", "history_id"))
    steps = {row.history_change_reason: row.history_user for row in history}
    assert steps["start recording"] == world.secretary
    assert steps["finalize"] == world.secretary
    assert steps["reopen"] == world.viewer


def test_a_refused_step_changes_nothing(world, roster, make_meeting):
    meeting = make_meeting()
    before = meeting.version
    with pytest.raises(services.MeetingError, match="Việc ghi biên bản đã bắt đầu rồi."):
        services.start_recording(meeting, user=world.secretary)
    meeting.refresh_from_db()
    assert meeting.version == before
