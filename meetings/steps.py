"""The recording flow: the five parts of the minutes in the official order, as steps
the secretary moves through, then a review step that lists what is still missing.

Each step names the boxes of the minutes form it shows and the rows it holds; the
recording view builds the MinutesEditor of one step (meetings/forms.py), and the
review step links every missing item (cellmeet.missing.MissingItem) to the step and
box where it is filled in.
"""

from dataclasses import dataclass, field

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from meetings.kinds import ALL_PROCEEDINGS


@dataclass(frozen=True)
class Step:
    name: str
    number: int
    label: str
    template: str
    minutes_fields: tuple = ()
    # The formsets of MinutesEditor: "attendance", "guests", "speeches", "decisions".
    rows: tuple = ()
    # The parts of resolutions.forms.ResolutionEditor on this step.
    resolution_parts: tuple = ()
    anchors: tuple = field(default=())  # other ids on the step (rows, sections)

    @property
    def boxes(self):
        return {*self.minutes_fields, *self.anchors, self.name}


QUALITY = "quality_"  # the quality self-score boxes: quality_<criterion code>

STEPS = (
    Step(
        "opening",
        1,
        _("Opening"),
        "meetings/_record_opening.html",
        minutes_fields=(
            "held_on",
            "start_time",
            "location",
            "chair",
            "note_taker",
            "agenda",
            "agenda_approved",
            "dues_report",
        ),
        rows=("guests",),
    ),
    Step(
        "attendance",
        2,
        _("Attendance"),
        "meetings/_record_attendance.html",
        rows=("attendance",),
    ),
    Step(
        "proceedings",
        3,
        _("Proceedings"),
        "meetings/_record_proceedings.html",
        minutes_fields=(
            "topic",
            "presenter",
            "lead_report_title",
            "lead_report",
            *ALL_PROCEEDINGS,  # meetings.kinds
        ),
        resolution_parts=("reviews",),
        anchors=("task-reviews",),
    ),
    Step(
        "discussion",
        4,
        _("Discussion"),
        "meetings/_record_discussion.html",
        minutes_fields=("other_business",),
        rows=("speeches", "decisions"),  # decisions: meetings.decision_forms
        anchors=("decisions",),
    ),
    Step(
        "closing",
        5,
        _("Closing"),
        "meetings/_record_closing.html",
        minutes_fields=(
            "conclusion",
            "lessons_learned",
            "vote_method",
            "votes_for",
            "votes_against",
            "votes_other",
            "minutes_adopted_votes",
            "end_time",
        ),
        resolution_parts=("resolution", "tasks"),
        anchors=("resolution",),
    ),
)

# Nothing on these steps is needed to finalize: the progress list says "optional"
# rather than "complete" for a step she may not have opened.
OPTIONAL = {"discussion"}

REVIEW = "review"
REVIEW_LABEL = _("Check and finalize")
NAMES = [step.name for step in STEPS]


def step_named(name):
    for step in STEPS:
        if step.name == name:
            return step
    raise Http404


def after(step):
    index = NAMES.index(step.name)
    return NAMES[index + 1] if index + 1 < len(NAMES) else REVIEW


def before(step):
    index = NAMES.index(step.name)
    return NAMES[index - 1] if index else None


def step_of_box(box):
    """The step where a box (a field name or an anchor id) is filled in."""
    for step in STEPS:
        if box in step.boxes or (box.startswith(QUALITY) and step.name == "closing"):
            return step
    return None


def missing_by_step(missing):
    """{step name: [(item, anchor)]}: each missing item under the step that fills it."""
    grouped = {name: [] for name in NAMES}
    for item in missing:
        box = getattr(item, "field", "")
        step = step_of_box(box) or STEPS[0]
        anchor = box if box in step.anchors or box in NAMES else f"id_{box}" if box else "top"
        grouped[step.name].append((item, anchor))
    return grouped


def first_unfinished(missing):
    """The first step with something missing, else the review step."""
    for name, items in missing_by_step(missing).items():
        if items:
            return name
    return REVIEW
