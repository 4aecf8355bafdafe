"""A correction of returned minutes carries the resolution's tasks whole."""

import datetime as dt

from meetings import services
from resolutions.models import Resolution
from tests.helpers import complete, sign_both


def test_co_assignees_survive_a_correction(world, roster, make_meeting, adopt):
    official = roster["official"]
    meeting = complete(make_meeting(), roster)
    _, (task,) = adopt(meeting, [("Tu sửa đường bê tông", official[3], dt.date(2026, 11, 30))])
    task.assignees.set([official[4], official[5]])
    services.finalize_minutes(meeting, user=world.secretary)
    meeting = sign_both(meeting, world, roster)
    services.return_minutes(meeting, user=world.reviewer, comment="Ghi rõ thời hạn.")

    correction = services.start_correction(meeting, user=world.secretary)

    (copied,) = Resolution.objects.get(meeting=correction).tasks.all()
    assert copied.pk != task.pk
    assert copied.lead == official[3]
    assert set(copied.assignees.all()) == {official[4], official[5]}
    (printed,) = services.minutes_content(correction)["resolution"]["tasks"]
    assert {person["name"] for person in printed["assignees"]} == {
        official[3].full_name,
        official[4].full_name,
        official[5].full_name,
    }
