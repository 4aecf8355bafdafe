"""The demo's Vietnamese words, read once from demo/data/phrases.json into plain tables.

The data file holds every list and table of phrases the generators draw from (names,
notes, news items, tasks, speeches, thematic topics); this module only gives them
names and turns month keys back into numbers. Kinds of cell stay `CellType` values,
which are strings, so `TASKS[cell.cell_type]` works as it did.
"""

import json
from pathlib import Path
from typing import NamedTuple

PATH = Path(__file__).resolve().parent / "data" / "phrases.json"


class Topic(NamedTuple):
    """A thematic topic: the topic, the lead report's subject, speeches, conclusion, lessons."""

    topic: str
    subject: str
    speeches: list
    conclusion: str
    lessons: str


def _by_month(table):
    return {int(month): value for month, value in table.items()}


def _load(path=PATH):
    with path.open(encoding="utf-8") as source:
        return json.load(source)


_DATA = _load()
_people, _commune = _DATA["people"], _DATA["commune"]
_briefing, _tasks = _DATA["briefing"], _DATA["tasks"]
_attendance, _speeches, _thematic = _DATA["attendance"], _DATA["speeches"], _DATA["thematic"]

# People (demo.organization): names with rough national frequencies, notes.
FAMILY_NAMES = _people["family_names"]
MALE_MIDDLE = _people["male_middle"]
FEMALE_MIDDLE = _people["female_middle"]
FEMALE_SECOND_MIDDLE = _people["female_second_middle"]
MALE_GIVEN = _people["male_given"]
FEMALE_GIVEN = _people["female_given"]
PHONE_PREFIXES = _people["phone_prefixes"]
EXEMPT_NOTE = _people["exempt_note"]
AWAY_NOTES = _people["away_notes"]

# The commune committee: its guests at the cells, its reviewer's comments.
GUESTS = _commune["guests"]
GUEST_TITLE = _commune["guest_title"]
GUEST_UNIT = _commune["guest_unit"]
MISSING_MONTH_REASON = _commune["missing_month_reason"]  # by cell code
RETURN_COMMENT = _commune["return_comment"]
ACCEPT_COMMENTS = _commune["accept_comments"]

# News and political briefing, state of mind.
NEWS = _by_month(_briefing["news"])
LOCAL_NEWS = _briefing["local_news"]
FARMING_WORDS = tuple(_briefing["farming_words"])  # national news only villages take up
STATE_OF_MIND = _briefing["state_of_mind"]
VILLAGE_SEASON = _by_month(_briefing["village_season"])
PEOPLE = _briefing["people"]

# Tasks for next month and how their review turns out.
TASKS = _tasks["general"]
VILLAGE_TASKS_BY_MONTH = _by_month(_tasks["village_by_month"])
UNIT_TASKS_BY_MONTH = {kind: _by_month(table) for kind, table in _tasks["unit_by_month"].items()}
NOT_DONE_REASONS = _tasks["not_done_reasons"]
CLOSE_REASONS = _tasks["close_reasons"]
IN_PROGRESS_NOTE = _tasks["in_progress_note"]

# Attendance.
ABSENCE_REASONS = _attendance["absence_reasons"]
FAR_AWAY_REASON = _attendance["far_away_reason"]
ELDERLY_REASON = _attendance["elderly_reason"]

# Speeches: templates and the words they are filled with.
SPEECHES = _speeches["templates"]
ISSUES = _speeches["issues"]
CONCERNS = _speeches["concerns"]
DEEDS = _speeches["deeds"]
CHARGES = _speeches["charges"]
REPORT_SPEECH = _speeches["report"]
GUEST_SPEECH = _speeches["guest"]

# Thematic meetings: topics by key, the topic of each kind of cell, their tasks.
TOPICS = {key: Topic(**topic) for key, topic in _thematic["topics"].items()}
UNIT_TOPICS = {kind: Topic(**topic) for kind, topic in _thematic["unit_topics"].items()}
TOPIC_TASKS = _thematic["topic_tasks"]
