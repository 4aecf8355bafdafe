"""What the recording page submitted, validated, as plain data for
meetings.services.save_draft: the forms build it, the service applies it."""

from dataclasses import dataclass, field


@dataclass
class DraftChanges:
    # The version of the minutes she started from: the save is refused (StaleRecordError)
    # if someone else saved since.
    version: int | None
    # The meeting's own fields on the page: {attname: value}.
    meeting: dict
    # Attendance rows she changed: {row id: {"status": …, "reason": …}}.
    attendance: dict = field(default_factory=dict)
    # cellmeet.forms.RowChanges of each row part on the page, None when not on it.
    guests: object = None
    speeches: object = None
    decisions: object = None
    # resolutions.changes.ResolutionChanges, None when the page has no resolution part.
    resolution: object = None
