import pytest

from resolutions import services
from resolutions.models import Resolution, Task, TaskUpdate

# The meetings fixtures, shared here.
from tests.meetings.conftest import make_meeting, roster  # noqa: F401


@pytest.fixture
def adopt(world):
    """Adopt a resolution at a meeting with tasks given as (title, lead, due)."""

    def _adopt(meeting, tasks, number=None, title="Nghị quyết lãnh đạo tháng"):
        resolution = services.save_resolution(
            Resolution(
                meeting=meeting,
                number=number or services.next_resolution_number(meeting.organization, "2025–2030"),
                title=title,
            )
        )
        created = [
            Task.objects.create(
                resolution=resolution, title=task_title, lead=lead, due_on=due, order=order
            )
            for order, (task_title, lead, due) in enumerate(tasks, start=1)
        ]
        return resolution, created

    return _adopt


def review(task, meeting, result, decision="", closed_reason="", evaluation="", new_due_on=None):
    update = TaskUpdate(
        task=task,
        meeting=meeting,
        result=result,
        decision=decision,
        closed_reason=closed_reason,
        evaluation=evaluation,
        new_due_on=new_due_on,
    )
    services.save_task_review(update, reviewed=True)
    return update
