"""The minutes as a document: what every page and printout of minutes shows.

Minutes are built, then rendered (pretix builds an invoice, then renders it).
`build_content()` turns a meeting's live rows into plain data in a fixed order;
signing seals that data in `Meeting.signed_content` and fingerprints it.
`MinutesRecord` is what the templates show, and it is made from content only: the
sealed content once the minutes are signed, the live content of a draft. A member,
a cell or a quality form renamed after signing therefore changes no page, no
printout and no minutes book, and re-rendering signed minutes years later gives the
same text.
"""

import hashlib
import json
from dataclasses import dataclass

from django.utils import timezone, translation

from cellmeet.sealed import Person, parse_moment, person_content
from meetings import decisions
from meetings.kinds import ALL_PROCEEDINGS, LAST_RESOLUTION_REVIEW, rules_for
from meetings.models import (
    AttendanceFacts,
    AttendanceStatus,
    Meeting,
    MeetingKind,
    SignatureMethod,
    VoteMethod,
    canonical_json,
    quality_criteria_for,
    vote_count_for,
)
from meetings.rules import (
    MinutesFigures,
    meeting_setting,
    percent,
)
from members.models import Position, PositionRole
from resolutions import minutes as resolution_minutes

# 1: the first sealed minutes. 2: adds the cell's place and superior, the quality
# form's labels, each signature's time, and each reviewed task's lead and deadline.
# 3: adds the cell's secretary on the meeting day (who signs the resolution
# "T/M CHI BỘ / BÍ THƯ"), each reviewed task's deadline in force, and the decisions
# voted by their own majority (meetings.decisions).
CONTENT_FORMAT = 3

TEXT_SECTIONS = (
    "dues_report",
    *ALL_PROCEEDINGS,  # meetings.kinds: the proceedings sections, in the official order
    "other_business",
    "conclusion",
    "lessons_learned",
)


# ---------------------------------------------------------------- attendance counts


@dataclass
class AttendanceSummary:
    rows: list
    on_roster: int
    official: int
    probationary: int
    exempt: int
    away: int
    summoned: int
    present: int
    absent_excused: list
    absent_unexcused: list
    unmarked: int
    vote_count: object
    warnings: list

    @property
    def percent_present(self):
        return percent(self.present, self.summoned) or 0.0


def summarize_rows(rows):
    """The attendance figures of the minutes, from stored or sealed rows."""
    summoned_rows = [row for row in rows if row.is_summoned]
    return AttendanceSummary(
        rows=rows,
        on_roster=len(rows),
        official=sum(1 for row in rows if row.is_official),
        probationary=sum(1 for row in rows if not row.is_official),
        exempt=sum(1 for row in rows if row.is_exempt),
        away=sum(1 for row in rows if row.is_away),
        summoned=len(summoned_rows),
        present=sum(1 for row in rows if row.counts_as_present),
        absent_excused=[r for r in summoned_rows if r.status == AttendanceStatus.ABSENT_EXCUSED],
        absent_unexcused=[
            r for r in summoned_rows if r.status == AttendanceStatus.ABSENT_UNEXCUSED
        ],
        unmarked=sum(1 for r in summoned_rows if r.status == AttendanceStatus.UNMARKED),
        vote_count=vote_count_for(rows),
        warnings=[],
    )


# ---------------------------------------------------------------- building the content


def build_content(meeting):
    """Everything the minutes say, from the live rows, as plain data in a fixed order.

    Built in Vietnamese whatever the user's language, so the fingerprint of the
    same minutes never depends on who signed them.
    """
    with translation.override("vi"):
        return _build_content(meeting)


def _moment(value):
    return timezone.localtime(value).isoformat() if value else None


def _organization(organization):
    return {"id": organization.pk, "name": organization.name}


def _build_content(meeting):
    rows = list(meeting.attendances.select_related("member"))
    summary = summarize_rows(rows)
    organization = meeting.organization
    ancestors = organization.ancestors()
    scores = meeting.quality_scores or {}
    return {
        "format": CONTENT_FORMAT,
        "meeting": meeting.pk,
        "revision": meeting.revision,
        "organization": {
            **_organization(organization),
            "place": organization.place,
            "superior": _organization(ancestors[-1]) if ancestors else None,
        },
        "kind": meeting.kind,
        "title": meeting.title,
        "topic": meeting.topic,
        "scheduled_at": _moment(meeting.scheduled_at),
        "started_at": _moment(meeting.started_at),
        "ended_at": _moment(meeting.ended_at),
        "location": meeting.location,
        "chair": person_content(meeting.chair),
        "note_taker": person_content(meeting.note_taker),
        "presenter": person_content(meeting.presenter),
        "secretary": person_content(secretary_on(organization, meeting.meeting_date)),
        "lead_report_title": meeting.lead_report_title,
        "lead_report_sha256": file_digest(meeting.lead_report),
        "agenda": meeting.agenda,
        "agenda_approved": meeting.agenda_approved,
        "sections": {name: getattr(meeting, name) for name in TEXT_SECTIONS},
        "guests": [
            {"name": guest.name, "title": guest.title, "unit": guest.unit}
            for guest in meeting.guests.all()
        ],
        "attendance": [
            {
                "member": person_content(row.member),
                "status": row.status,
                "reason": row.reason,
                "membership": row.membership_at_meeting,
                "activity": row.activity_at_meeting,
            }
            for row in rows
        ],
        "speeches": [
            {"speaker": speech.speaker_name, "summary": speech.summary}
            for speech in meeting.speeches.select_related("speaker")
        ],
        "vote": {
            "method": meeting.vote_method,
            "for": meeting.votes_for,
            "against": meeting.votes_against,
            "other": meeting.votes_other,
            "denominator": summary.vote_count.denominator,
        },
        "quality_scores": scores,
        "quality_criteria": [
            {"code": str(item["code"]), "label": str(item["label"]), "max": int(item["max"])}
            for item in quality_criteria_for(organization)
        ],
        "minutes_adopted_votes": meeting.minutes_adopted_votes,
        "signatures": [
            {
                "role": signature.role,
                "member": person_content(signature.member),
                "method": signature.method,
                "signed_at": _moment(signature.signed_at),
            }
            for signature in meeting.signatures.select_related("member")
        ],
        **resolution_minutes.content(meeting),
        **decisions.content(meeting, summary.vote_count),
    }


def secretary_on(organization, day):
    """The cell's secretary on that day, who signs its documents (None if vacant)."""
    position = (
        Position.objects.current(day)
        .filter(organization=organization, role=PositionRole.SECRETARY)
        .select_related("member")
        .first()
    )
    return position.member if position else None


def file_digest(file_field):
    if not file_field:
        return None
    digest = hashlib.sha256()
    with file_field.open("rb") as handle:
        for chunk in iter(lambda: handle.read(65536), b""):
            digest.update(chunk)
    return digest.hexdigest()


def fingerprint_of(content_json):
    """The SHA-256 of the sealed content alone: the fingerprint of minutes signed
    before the chain (kept as `legacy_fingerprint`); a seal's fingerprint also covers
    its place in the cell's chain (meetings.chain.link_fingerprint)."""
    return hashlib.sha256(content_json.encode("utf-8")).hexdigest()


def seal(meeting):
    """The canonical JSON of the minutes, ready to store and chain."""
    return canonical_json(build_content(meeting))


def content_of(meeting):
    """The sealed content of signed minutes; a draft's content from its live rows."""
    if meeting.signed_content:
        return json.loads(meeting.signed_content)
    return build_content(meeting)


def record_of(meeting):
    return MinutesRecord(content_of(meeting))


def minutes_context(meeting):
    """What a page or a print needs to show the minutes, in a fixed number of queries."""
    return record_of(meeting).context()


# ---------------------------------------------------------------- reading the content


class Unit:
    """An organisation as the minutes name it."""

    def __init__(self, data):
        self.pk = self.id = data.get("id")
        self.name = data.get("name", "")
        self.place = data.get("place", "")

    def __str__(self):
        return self.name


class AttendanceEntry(AttendanceFacts):
    def __init__(self, data):
        self.member = Person(data["member"])
        self.member_id = self.member.pk
        self.status = data["status"]
        self.reason = data.get("reason", "")
        self.membership_at_meeting = data["membership"]
        self.activity_at_meeting = data["activity"]


@dataclass
class GuestEntry:
    name: str
    title: str = ""
    unit: str = ""


@dataclass
class SpeechEntry:
    speaker_name: str
    summary: str


class SignatureEntry:
    def __init__(self, data):
        self.role = data["role"]
        self.member = Person(data["member"])
        self.method = data["method"]
        self.signed_at = parse_moment(data.get("signed_at"))

    def get_method_display(self):
        return SignatureMethod(self.method).label


class MinutesRecord(MinutesFigures):
    """The minutes as their content says, with the names the templates use."""

    def __init__(self, content):
        self.content = content
        self.format = content.get("format", 1)
        self.pk = self.id = content["meeting"]
        self.revision = content.get("revision", 1)
        self.organization = Unit(content["organization"])
        superior = content["organization"].get("superior")
        self.superior = Unit(superior) if superior else None
        self.kind = content["kind"]
        self.title = content["title"]
        self.topic = content.get("topic", "")
        self.scheduled_at = parse_moment(content["scheduled_at"])
        self.started_at = parse_moment(content.get("started_at"))
        self.ended_at = parse_moment(content.get("ended_at"))
        self.location = content.get("location", "")
        self.chair = Person.from_content(content.get("chair"))
        self.note_taker = Person.from_content(content.get("note_taker"))
        self.presenter = Person.from_content(content.get("presenter"))
        # Format 3 on; None for older content (its resolution prints an unnamed signer).
        self.secretary = Person.from_content(content.get("secretary"))
        self.lead_report_title = content.get("lead_report_title", "")
        self.has_lead_report = bool(content.get("lead_report_sha256"))
        self.agenda = content.get("agenda", "")
        self.agenda_approved = content.get("agenda_approved", False)
        for name in TEXT_SECTIONS:
            setattr(self, name, content["sections"].get(name, ""))
        vote = content.get("vote", {})
        self.vote_method = vote.get("method", "")
        self.votes_for = vote.get("for")
        self.votes_against = vote.get("against")
        self.votes_other = vote.get("other")
        self.quality_scores = content.get("quality_scores") or {}
        self.minutes_adopted_votes = content.get("minutes_adopted_votes")
        self.attendance = [AttendanceEntry(row) for row in content.get("attendance", [])]
        self.guests = [GuestEntry(**guest) for guest in content.get("guests", [])]
        self.speeches = [
            SpeechEntry(speaker_name=speech["speaker"], summary=speech["summary"])
            for speech in content.get("speeches", [])
        ]
        self.signatures = {
            entry.role: entry
            for entry in (SignatureEntry(data) for data in content.get("signatures", []))
        }

    @property
    def is_thematic(self):
        return self.kind == MeetingKind.THEMATIC

    @property
    def rules(self):
        return rules_for(self.kind)

    @property
    def shows_task_review(self):
        """Whether the minutes have a "review of last month's resolution" section: a
        kind that requires it always does; where it is optional (a thematic meeting),
        only when a review was recorded, task by task or in words."""
        if not self.rules.has_task_review:
            return False
        if self.rules.task_review_required:
            return True
        return bool(self.content.get("task_reviews") or self.last_resolution_review.strip())

    # The meeting's days, by the rules of Meeting itself (both read only the times).
    meeting_date = Meeting.meeting_date
    held_on = Meeting.held_on

    def get_kind_display(self):
        return MeetingKind(self.kind).label

    def get_vote_method_display(self):
        return VoteMethod(self.vote_method).label if self.vote_method else ""

    def quality_rows(self):
        """The self-score form as it stood when the minutes were made."""
        criteria = self.content.get("quality_criteria")
        if criteria is None:  # format 1 kept no labels: the default form's, or the code
            labels = {
                str(item["code"]): (item["label"], item["max"])
                for item in meeting_setting("QUALITY_CRITERIA")
            }
            criteria = [
                {
                    "code": code,
                    "label": labels.get(code, (code, ""))[0],
                    "max": labels.get(code, ("", ""))[1],
                }
                for code in self.quality_scores
            ]
        return [
            {
                "label": item["label"],
                "max": item["max"],
                "points": self.quality_scores.get(item["code"]),
            }
            for item in criteria
        ]

    def section_names(self):
        """The proceedings sections these minutes have, in order (see shows_task_review)."""
        return [
            name
            for name in self.rules.sections
            if name != LAST_RESOLUTION_REVIEW or self.shows_task_review
        ]

    def sections(self):
        """(field name, heading, text) of each proceedings section, in order."""
        return [
            (name, Meeting._meta.get_field(name).verbose_name.capitalize(), getattr(self, name))
            for name in self.section_names()
        ]

    def context(self):
        summary = summarize_rows(self.attendance)
        vote_count = summary.vote_count
        return {
            "minutes": self,
            "summary": summary,
            "guests": self.guests,
            "speeches": self.speeches,
            "signatures": self.signatures,
            "sections": self.sections(),
            "criteria_scores": self.quality_rows(),
            "vote_adopted": vote_count.is_adopted(self.votes_for),
            "vote_percent": {
                "for": vote_count.percent(self.votes_for),
                "against": vote_count.percent(self.votes_against or 0),
                "other": vote_count.percent(self.votes_other or 0),
            },
            **resolution_minutes.record_context(self.content),
            **decisions.record_context(self.content),
        }
