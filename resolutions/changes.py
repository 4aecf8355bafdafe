"""The resolution part of the recording page, validated, as plain data for
resolutions.services.save_resolution_changes."""

from dataclasses import dataclass, field


@dataclass
class TaskReview:
    task_id: int
    reviewed: bool  # False: not reviewed (yet), any earlier review is withdrawn
    values: dict  # TaskUpdate fields {attname: value}, when reviewed


@dataclass
class ResolutionChanges:
    # The resolution's fields {attname: value}; None when it is not saved (no title yet,
    # or not on this step).
    resolution: dict | None = None
    # cellmeet.forms.RowChanges of its tasks ("assignees": member ids).
    tasks: object = None
    reviews: list[TaskReview] = field(default_factory=list)
