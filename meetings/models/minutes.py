"""The minutes: a meeting and its attendance (the other rows are in rows.py), how they
freeze once signed, and how their counts are read."""

import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cellmeet.fields import PARAGRAPH_MAX_LENGTH, SECTION_MAX_LENGTH
from cellmeet.private_storage import private_storage
from cellmeet.sealed import (
    SEALED_STATUSES,
    MinutesFrozenError,
    PartOfMinutes,
)
from meetings.kinds import MeetingKind, Roster, rules_for
from meetings.rules import (
    MinutesFigures,
    VoteCount,
    quarter_of,
    roman_quarter,
)
from members.models import (
    ActivityStatus,
    Member,
    MembershipStatus,
    Organization,
    VisibleThroughOrganizationQuerySet,
)


def now():
    """The current time, looked up at each call (so a default can follow a clock
    moved for demo data or tests)."""
    return timezone.now()


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DRAFT = "draft", _("Draft")
    FINALIZED = "finalized", _("Finalized")
    SIGNED = "signed", _("Signed")
    RETURNED = "returned", _("Returned for correction")
    SUPERSEDED = "superseded", _("Superseded by a correction")


EDITABLE_STATUSES = {MeetingStatus.PLANNED, MeetingStatus.DRAFT}
# The sealed statuses are defined once, with the freeze (cellmeet.sealed).
FROZEN_STATUSES = SEALED_STATUSES


class VoteMethod(models.TextChoices):
    SHOW_OF_HANDS = "hands", _("Show of hands")
    BALLOT = "ballot", _("Secret ballot")
    ELECTRONIC = "electronic", _("Electronic")


# Lazy: only the kind asked is translated (a feed titles thousands of meetings, and
# translating the five every time was a third of its time).
TITLES = {
    MeetingKind.REGULAR: _("Regular cell meeting, month %(month)s/%(year)s"),
    MeetingKind.THEMATIC: _("Thematic meeting, quarter %(quarter)s/%(year)s"),
    MeetingKind.COMMITTEE: _("Cell committee meeting, month %(month)s/%(year)s"),
    MeetingKind.EXTRAORDINARY: _("Extraordinary cell meeting of %(date)s"),
    MeetingKind.PARTY_GROUP: _("Party group meeting of %(date)s"),
}


def meeting_title(meeting):
    """The subtitle of the minutes, e.g. "Sinh hoạt chi bộ thường kỳ tháng 11/2026"."""
    values = {
        "month": meeting.month,
        "year": meeting.year,
        "quarter": roman_quarter(meeting.quarter),
        # The planned day: a title is fixed when the meeting is planned.
        "date": meeting.meeting_date.strftime("%d/%m/%Y"),
    }
    return str(TITLES[meeting.kind]) % values


def meeting_heading(meeting):
    """What the meeting's page is called: its plan until recording starts, its minutes
    ("Biên bản: …") only once there are minutes."""
    if meeting.status == MeetingStatus.PLANNED:
        return gettext("Plan: %(title)s") % {"title": meeting_title(meeting)}
    return gettext("Minutes: %(title)s") % {"title": meeting_title(meeting)}


class MeetingQuerySet(VisibleThroughOrganizationQuerySet):
    def current(self):
        """The live version of each meeting (corrections replace returned minutes)."""
        return self.filter(is_current=True)

    def for_month(self, year, month):
        return self.filter(year=year, month=month)

    def regular(self):
        return self.filter(kind=MeetingKind.REGULAR)

    def signed(self):
        return self.filter(status=MeetingStatus.SIGNED)

    def with_attendance_figures(self):
        """Annotate `attendance_present` and `attendance_summoned`: the figures of the
        minutes ("present x/y"), counted by the database with the summoned rule, so a
        list of meetings says what each meeting's minutes say."""
        return self.annotate(
            attendance_present=models.Count("attendances", filter=_on_rows(PRESENT_Q)),
            attendance_summoned=models.Count("attendances", filter=_on_rows(SUMMONED_Q)),
        )

    def awaiting_verdict(self):
        """Signed live minutes that no superior accepted or returned yet."""
        return self.current().signed().filter(accepted_at__isnull=True)

    def update(self, **kwargs):
        changes = {self.model._meta.get_field(name).name: value for name, value in kwargs.items()}
        frozen = self.filter(status__in=FROZEN_STATUSES).values_list("status", flat=True)
        for stored_status in set(frozen.order_by().distinct()):
            refuse_unlawful_change(stored_status, changes)
        return super().update(**kwargs)

    def delete(self):
        if self.filter(status__in=FROZEN_STATUSES).exists():
            raise MinutesFrozenError
        return super().delete()


# Once signed, minutes move on only along the workflow: a reviewer returns them
# (services.return_minutes), a correction supersedes them (services.start_correction).
FROZEN_TRANSITIONS = {
    (MeetingStatus.SIGNED, MeetingStatus.RETURNED),
    (MeetingStatus.RETURNED, MeetingStatus.SUPERSEDED),
}
# What the workflow keeps beside frozen minutes: the stored PDF, the acceptance, the
# search index and the edit counter.
BOOKKEEPING_FIELDS = {"version", "updated_at", "minutes_pdf", "accepted_at", "search_text"}
# Set when, or after, a correction supersedes the minutes; never back to current.
SUPERSEDING_FIELDS = {"is_current", "superseded_by"}
WORKFLOW_FIELDS = {"status"} | BOOKKEEPING_FIELDS | SUPERSEDING_FIELDS


def refuse_unlawful_change(stored_status, changes):
    """Raise MinutesFrozenError unless `changes` ({field name: new value}) is a legal
    step for minutes stored with `stored_status`. The one rule for saves and updates."""
    if stored_status not in FROZEN_STATUSES:
        return
    new_status = changes.get("status", stored_status)
    if new_status != stored_status and (stored_status, new_status) not in FROZEN_TRANSITIONS:
        raise MinutesFrozenError
    for name, value in changes.items():
        if name == "status" or name in BOOKKEEPING_FIELDS:
            continue
        if name in SUPERSEDING_FIELDS and new_status == MeetingStatus.SUPERSEDED:
            if name == "is_current" and value is not False:
                raise MinutesFrozenError
            continue
        raise MinutesFrozenError


class Meeting(MinutesFigures, models.Model):
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="meetings",
        verbose_name=_("party cell"),
    )
    kind = models.CharField(_("kind of meeting"), max_length=20, choices=MeetingKind.choices)
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    month = models.PositiveSmallIntegerField(_("month"), editable=False)
    topic = models.CharField(
        _("topic"),
        max_length=300,
        blank=True,
        help_text=_("For a thematic or extraordinary meeting: what it is about."),
    )
    scheduled_at = models.DateTimeField(_("planned date and time"))
    location = models.CharField(_("place"), max_length=200, blank=True)

    # Opening
    started_at = models.DateTimeField(_("actual start"), null=True, blank=True)
    chair = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chair"),
    )
    note_taker = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("note-taker"),
    )
    agenda = models.TextField(_("agenda"), max_length=PARAGRAPH_MAX_LENGTH, blank=True)
    agenda_approved = models.BooleanField(_("the meeting approved the agenda"), default=False)
    dues_report = models.TextField(_("party dues"), max_length=PARAGRAPH_MAX_LENGTH, blank=True)

    # Proceedings, in the official order
    news_briefing = models.TextField(
        _("news and political briefing"), max_length=SECTION_MAX_LENGTH, blank=True
    )
    state_of_mind = models.TextField(
        _("members' and residents' state of mind"), max_length=SECTION_MAX_LENGTH, blank=True
    )
    last_resolution_review = models.TextField(
        _("review of last month's resolution"), max_length=SECTION_MAX_LENGTH, blank=True
    )
    next_tasks = models.TextField(
        _("tasks for next month"), max_length=SECTION_MAX_LENGTH, blank=True
    )
    other_business = models.TextField(
        _("other business"),
        max_length=SECTION_MAX_LENGTH,
        blank=True,
        help_text=_("Praise and reminders, admission, probation to official, exemption."),
    )
    conclusion = models.TextField(
        _("chair's conclusion"), max_length=SECTION_MAX_LENGTH, blank=True
    )

    # Thematic meetings
    presenter = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("presenter of the lead report"),
    )
    lead_report_title = models.CharField(_("lead report title"), max_length=300, blank=True)
    lead_report = models.FileField(
        _("lead report file"),
        storage=private_storage,
        upload_to="lead-reports/%Y/%m/",
        blank=True,
    )
    lessons_learned = models.TextField(
        _("lessons learned"), max_length=SECTION_MAX_LENGTH, blank=True
    )

    # Closing
    vote_method = models.CharField(
        _("voting method"), max_length=20, choices=VoteMethod.choices, blank=True
    )
    votes_for = models.PositiveSmallIntegerField(_("for"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("against"), null=True, blank=True)
    votes_other = models.PositiveSmallIntegerField(_("other opinions"), null=True, blank=True)
    quality_scores = models.JSONField(_("quality self-score"), default=dict, blank=True)
    minutes_adopted_votes = models.PositiveSmallIntegerField(
        _("members who adopted the minutes"), null=True, blank=True
    )
    ended_at = models.DateTimeField(_("end time"), null=True, blank=True)

    # Workflow
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    revision = models.PositiveSmallIntegerField(_("version of the minutes"), default=1)
    is_current = models.BooleanField(default=True, editable=False)
    superseded_by = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supersedes",
        editable=False,
    )
    finalized_at = models.DateTimeField(null=True, blank=True, editable=False)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True, editable=False)
    signed_content = models.TextField(blank=True, editable=False)
    fingerprint = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    # The seal's place in its cell's chain (meetings.chain): covered by the fingerprint.
    chain_sequence = models.PositiveIntegerField(null=True, blank=True, editable=False)
    previous_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    # Minutes signed before the chain: the fingerprint printed on them then, the
    # SHA-256 of the sealed content alone (their pages and QR codes still carry it).
    legacy_fingerprint = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    # Attendance counted when the minutes were finalized, for boards over many cells.
    present_count = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    summoned_count = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    # Lower-case text without diacritics, so "nong thon moi" finds "nông thôn mới".
    search_text = models.TextField(blank=True, editable=False)
    # The superior's acceptance of signed minutes (see Review).
    accepted_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The signed minutes as printed, rendered once: they can no longer change.
    minutes_pdf = models.FileField(
        storage=private_storage, upload_to="minutes/%Y/", blank=True, editable=False
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["signed_content"])
    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-scheduled_at", "-pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "month"],
                condition=Q(kind="regular", is_current=True),
                name="one_regular_meeting_per_cell_per_month",
                violation_error_message=_(
                    "This cell already has a regular meeting this month. To meet again, "
                    "plan an extraordinary meeting."
                ),
            ),
            models.UniqueConstraint(
                fields=["organization", "chain_sequence"],
                name="one_seal_per_place_in_the_cell_chain",
            ),
        ]
        indexes = [models.Index(fields=["organization", "year", "month"])]

    def __str__(self):
        return f"{self.title} — {self.organization}"

    def save(self, *args, **kwargs):
        local = timezone.localtime(self.scheduled_at) if self.scheduled_at else None
        if local:
            self.year, self.month = local.year, local.month
        if self.pk:
            self._refuse_changes_to_frozen_content(kwargs.get("update_fields"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_frozen_in_database():
            raise MinutesFrozenError
        return super().delete(*args, **kwargs)

    def _refuse_changes_to_frozen_content(self, update_fields):
        stored = type(self).objects.filter(pk=self.pk).first()
        if stored is None or stored.status not in FROZEN_STATUSES:
            return
        fields = self._meta.concrete_fields
        if update_fields is not None:
            fields = [self._meta.get_field(name) for name in update_fields]
        changes = {
            field.name: field.value_from_object(self)
            for field in fields
            if field.value_from_object(self) != field.value_from_object(stored)
        }
        refuse_unlawful_change(stored.status, changes)

    def is_frozen_in_database(self):
        return type(self).objects.filter(pk=self.pk, status__in=FROZEN_STATUSES).exists()

    @property
    def is_frozen(self):
        return self.status in FROZEN_STATUSES

    @property
    def is_editable(self):
        return self.status in EDITABLE_STATUSES

    @property
    def meeting_date(self):
        """The day it was planned for: the day its roster and term are taken on."""
        return timezone.localtime(self.scheduled_at).date()

    @property
    def held_on(self):
        """The day it was held (as recorded), else the day it was planned for."""
        return timezone.localtime(self.started_at or self.scheduled_at).date()

    @property
    def quarter(self):
        return quarter_of(self.month)

    @property
    def rules(self):
        """The rules of this kind of meeting (meetings.kinds)."""
        return rules_for(self.kind)

    @property
    def is_thematic(self):
        return self.kind == MeetingKind.THEMATIC

    def get_kind_display(self):
        """The kind's label, translated once: Django's own hashes every kind's label,
        translating all five, and a feed or a list asks for thousands."""
        try:
            return str(MeetingKind(self.kind).label)
        except ValueError:
            return self.kind

    @property
    def title(self):
        """The subtitle of the minutes, e.g. "Sinh hoạt chi bộ thường kỳ tháng 11/2026"."""
        return meeting_title(self)

    @property
    def heading(self):
        """The meeting page's title: "Kế hoạch: …" while planned, "Biên bản: …" after."""
        return meeting_heading(self)

    def clean(self):
        if self.kind and self.rules.needs_topic and not self.topic:
            raise ValidationError({"topic": _("A thematic meeting needs its topic.")})
        if self.started_at and self.ended_at and self.ended_at <= self.started_at:
            raise ValidationError({"ended_at": _("The end time must come after the start.")})


class AttendanceStatus(models.TextChoices):
    UNMARKED = "unmarked", _("Not marked yet")
    PRESENT = "present", _("Present")
    ABSENT_EXCUSED = "absent_excused", _("Absent with reason")
    ABSENT_UNEXCUSED = "absent_unexcused", _("Absent without reason")


# Who is summoned to a meeting, written once from these two sets: members active
# elsewhere for now are not; exempt members are not, but count if they come.
# `AttendanceFacts.is_summoned` reads it for rows in memory, SUMMONED_Q for counts in
# the database (tests/meetings/test_summoned_rule.py checks they agree).
NOT_SUMMONED_ACTIVITIES = frozenset({ActivityStatus.AWAY})
SUMMONED_IF_PRESENT_ACTIVITIES = frozenset({ActivityStatus.EXEMPT})
SUMMONED_Q = ~Q(activity_at_meeting__in=NOT_SUMMONED_ACTIVITIES) & (
    ~Q(activity_at_meeting__in=SUMMONED_IF_PRESENT_ACTIVITIES) | Q(status=AttendanceStatus.PRESENT)
)
# Who counts as present in "present x/y": the summoned members who came. DOMAIN.md,
# "Quorum and votes": "Vote denominator (số thành viên): official members summoned,
# minus those temporarily active elsewhere, minus exempt members who did not attend
# (an exempt member who attends and votes counts)" and "a tally that counts more
# voters than eligible members present is an error". The exception is made for exempt
# members only: a member temporarily active elsewhere who drops in stays outside the
# denominator, so she is not one of the "eligible members present" either, and the
# minutes list her under "away", not in "present x/y" (else 8/8 = 100 % where 7 of
# the 8 summoned came). She counts in no figure: here, in the vote (vote_count_for),
# in the stored counts, the lists, the board and the statistics.
PRESENT_Q = SUMMONED_Q & Q(status=AttendanceStatus.PRESENT)


def _on_rows(condition):
    """A condition on Attendance rewritten for a meeting's `attendances` rows, so the
    same Q counts rows in Count(filter=...) (one rule, not a copy of it)."""
    if not isinstance(condition, Q):
        name, value = condition
        return (f"attendances__{name}", value)
    rewritten = Q(*[_on_rows(child) for child in condition.children])
    rewritten.connector, rewritten.negated = condition.connector, condition.negated
    return rewritten


class AttendanceFacts:
    """How an attendance row counts, for stored rows and sealed ones alike.

    Needs `status`, `membership_at_meeting` and `activity_at_meeting`.
    """

    @property
    def is_present(self):
        return self.status == AttendanceStatus.PRESENT

    @property
    def is_official(self):
        return self.membership_at_meeting == MembershipStatus.OFFICIAL

    @property
    def is_exempt(self):
        return self.activity_at_meeting == ActivityStatus.EXEMPT

    @property
    def is_away(self):
        return self.activity_at_meeting == ActivityStatus.AWAY

    @property
    def counts_as_present(self):
        """Present and summoned (the rule of PRESENT_Q): the "x" of "present x/y"."""
        return self.is_present and self.is_summoned

    @property
    def is_summoned(self):
        """Exempt members are not summoned but count if they come; away members are not
        (the rule of SUMMONED_Q)."""
        if self.activity_at_meeting in NOT_SUMMONED_ACTIVITIES:
            return False
        return self.activity_at_meeting not in SUMMONED_IF_PRESENT_ACTIVITIES or self.is_present

    # What the recording page's live "present x/y" counter adds up, row by row
    # (static/js/minutes.js), so that it shows what the server will count once saved.

    @property
    def counts_if_present(self):
        """Whether marking this member present adds one to both x and y: yes for an
        exempt member, no for a member temporarily active elsewhere (in neither)."""
        return MarkedAs(self, AttendanceStatus.PRESENT).counts_as_present

    @property
    def summoned_whatever_the_mark(self):
        """Whether the member counts in y even when not marked present."""
        return MarkedAs(self, AttendanceStatus.ABSENT_EXCUSED).is_summoned


class MarkedAs(AttendanceFacts):
    """An attendance row as it would count with another mark."""

    def __init__(self, row, status):
        self.status = status
        self.membership_at_meeting = row.membership_at_meeting
        self.activity_at_meeting = row.activity_at_meeting


class Attendance(AttendanceFacts, PartOfMinutes):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="attendances")
    status = models.CharField(
        _("attendance"),
        max_length=20,
        choices=AttendanceStatus.choices,
        default=AttendanceStatus.UNMARKED,
    )
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    membership_at_meeting = models.CharField(max_length=16, choices=MembershipStatus.choices)
    activity_at_meeting = models.CharField(max_length=16, choices=ActivityStatus.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["member__sort_key", "pk"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once_per_member")
        ]

    def __str__(self):
        return f"{self.member}: {self.get_status_display()}"


def roster_for(meeting):
    """Members summoned or excused on the meeting day, in Vietnamese order: the
    whole cell, or for a committee meeting the committee members on that day."""
    day = meeting.meeting_date
    members = Member.objects.filter(organization_id=meeting.organization_id).on_roster()
    if meeting.rules.roster == Roster.COMMITTEE:
        members = members.committee_on(meeting.organization_id, day)
    return [
        member
        for member in members.in_vietnamese_order()
        if member.admitted_on is None or member.admitted_on <= day
    ]


def membership_on(member, day):
    """Official or probationary on a given day, from the member's dates."""
    if member.official_on and member.official_on <= day:
        return MembershipStatus.OFFICIAL
    if member.status == MembershipStatus.OFFICIAL and not member.official_on:
        return MembershipStatus.OFFICIAL
    return MembershipStatus.PROBATIONARY


def vote_count_for(attendances):
    """The vote denominator and eligible voters from a meeting's attendance rows."""
    official = [row for row in attendances if row.is_official]
    denominator = sum(1 for row in official if row.is_summoned)
    # Only summoned members vote: an away member who drops in is not one of them.
    eligible_present = sum(1 for row in official if row.counts_as_present)
    return VoteCount(denominator=denominator, eligible_present=eligible_present)


def canonical_json(data):
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
