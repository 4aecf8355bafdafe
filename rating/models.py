"""The annual rating: the dated rules it follows, the rounds and each member's assessment.

The rules are data (RatingRules rows, each in force from its date): moving from
QĐ 124 to QĐ 366 is a new row, not new code.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cellmeet.fields import PARAGRAPH_MAX_LENGTH, SECTION_MAX_LENGTH
from meetings.models import Meeting, VoteMethod
from members.models import Member, Organization, VisibleThroughOrganizationQuerySet


class RatingLevel(models.TextChoices):
    EXCELLENT = "excellent", _("Excellently fulfilled tasks")
    GOOD = "good", _("Well fulfilled tasks")
    FULFILLED = "fulfilled", _("Fulfilled tasks")
    NOT_FULFILLED = "not_fulfilled", _("Did not fulfil tasks")


# Best first: the order of the list and of the cap.
LEVEL_ORDER = [
    RatingLevel.EXCELLENT,
    RatingLevel.GOOD,
    RatingLevel.FULFILLED,
    RatingLevel.NOT_FULFILLED,
]


class RatingRulesQuerySet(models.QuerySet):
    def in_force_on(self, day):
        """The rules in force on `day`: the latest dated on or before it."""
        return self.filter(valid_from__lte=day).order_by("-valid_from").first()

    def for_year(self, year):
        """The rules a year is rated by: those in force at its end."""
        return self.in_force_on(date(year, 12, 31))


class RatingRules(models.Model):
    name = models.CharField(_("regulation"), max_length=100)
    valid_from = models.DateField(_("in force from"), unique=True)
    general_points = models.PositiveSmallIntegerField(_("points for the general criteria"))
    task_points = models.PositiveSmallIntegerField(_("points for the task results"))
    excellent_from = models.DecimalField(
        _("excellent from (points)"), max_digits=5, decimal_places=2
    )
    good_from = models.DecimalField(_("good from (points)"), max_digits=5, decimal_places=2)
    fulfilled_from = models.DecimalField(
        _("fulfilled from (points)"), max_digits=5, decimal_places=2
    )
    excellent_above_requirement_percent = models.PositiveSmallIntegerField(
        _("excellent: share of tasks above requirement, per cent")
    )
    fulfilled_late_percent = models.PositiveSmallIntegerField(
        _("fulfilled: largest share of tasks late, per cent")
    )
    excellent_cap_percent = models.PositiveSmallIntegerField(
        _("cap on excellent, per cent of those rated"), null=True, blank=True
    )
    # [{"key": "politics", "label": "…", "points": 10}, …]: the general criteria.
    criteria = models.JSONField(_("criteria"), default=list)

    # A changed figure changes the levels of every round under the rules: kept.
    history = HistoricalRecords()
    objects = RatingRulesQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("rating rules")
        verbose_name_plural = _("rating rules")

    def __str__(self):
        return self.name


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Self-assessment under way")
    COMPILED = "compiled", _("Reviewed by the cell")
    DECIDED = "decided", _("Decided by the superior")


class RatingRound(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="rating_rounds"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    deadline = models.DateField(_("deadline"))
    rules = models.ForeignKey(RatingRules, on_delete=models.PROTECT, related_name="rounds")
    status = models.CharField(max_length=16, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    compiled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    compiled_at = models.DateTimeField(null=True)
    # The meeting at which the cell reviewed its members and voted on the list, with
    # the tally (the vote engine's rule of who votes: meetings.models.vote_count_for).
    # Empty when the list was compiled without a vote recorded here.
    review_meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("meeting that reviewed the members"),
    )
    vote_method = models.CharField(
        _("voting method"), max_length=20, choices=VoteMethod.choices, blank=True
    )
    votes_for = models.PositiveSmallIntegerField(_("for"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("against"), null=True, blank=True)
    votes_other = models.PositiveSmallIntegerField(_("other opinions"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True)
    decision_number = models.CharField(_("number of the decision"), max_length=50, blank=True)

    history = HistoricalRecords()
    objects = VisibleThroughOrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("rating round")
        verbose_name_plural = _("rating rounds")
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="one_round_per_year")
        ]

    def __str__(self):
        return f"{self.organization} — {self.year}"

    @property
    def is_open(self):
        return self.status == RoundStatus.OPEN


class Standing(models.TextChoices):
    """How HD 43 treats the member this year (rating/eligibility.py)."""

    REGULAR = "regular", _("Rated")
    PROBATIONARY = "probationary", _("Probationary member, rated")
    JOINED_MID_YEAR = "joined", _("Joined during the year, rated for her months in the cell")
    EXEMPT = "exempt", _("Exempt from activities, not rated")


class AssessmentQuerySet(VisibleThroughOrganizationQuerySet):
    organization_path = "round__organization__path"


class MemberAssessment(models.Model):
    """One member's Mẫu 2C: the evidence computed from the year, her own judgement,
    the cell's proposal and the superior's decision (the final level)."""

    round = models.ForeignKey(RatingRound, on_delete=models.CASCADE, related_name="assessments")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="assessments")
    standing = models.CharField(max_length=16, choices=Standing.choices)
    evidence = models.JSONField(default=dict, editable=False)
    # Hers (or written for her by the secretary, recorded as such).
    strengths = models.TextField(
        _("strengths and results"), max_length=SECTION_MAX_LENGTH, blank=True
    )
    shortcomings = models.TextField(
        _("shortcomings and their causes"), max_length=SECTION_MAX_LENGTH, blank=True
    )
    general_score = models.DecimalField(
        _("points for the general criteria"), max_digits=5, decimal_places=2, null=True
    )
    task_score = models.DecimalField(
        _("points for the task results"), max_digits=5, decimal_places=2, null=True
    )
    proposed_level = models.CharField(
        _("level she proposes"), max_length=16, choices=RatingLevel.choices, blank=True
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    written_on_behalf = models.BooleanField(default=False)
    written_at = models.DateTimeField(null=True)
    # The cell's review.
    cell_level = models.CharField(
        _("level the cell proposes"), max_length=16, choices=RatingLevel.choices, blank=True
    )
    cell_opinions = models.TextField(
        _("opinions at the cell's review"), max_length=PARAGRAPH_MAX_LENGTH, blank=True
    )
    # The superior's decision: the level on her record.
    final_level = models.CharField(
        _("level decided"), max_length=16, choices=RatingLevel.choices, blank=True
    )

    # Every change is kept (who, when, what): the assessment is an official record.
    history = HistoricalRecords(excluded_fields=["evidence"])
    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["member__sort_key", "pk"]
        verbose_name = _("member assessment")
        verbose_name_plural = _("member assessments")
        constraints = [
            models.UniqueConstraint(fields=["round", "member"], name="one_assessment_per_member")
        ]

    def __str__(self):
        return f"{self.member} — {self.round.year}"

    @property
    def is_rated(self):
        return self.standing != Standing.EXEMPT

    @property
    def score(self):
        if self.general_score is None or self.task_score is None:
            return None
        return self.general_score + self.task_score

    @property
    def is_written(self):
        return self.written_at is not None
