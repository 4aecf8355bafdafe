"""Decisions that need a qualified majority (admission, recognition as an official
member, exemption, discipline proposals), each voted on in the minutes, and the
consequence an adopted one proposes on the member's record until the superior
committee decides."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cellmeet.sealed import PartOfMinutes
from meetings.models.minutes import Meeting, VoteMethod
from members.models import Member, Organization, VisibleThroughOrganizationQuerySet


class DecisionKind(models.TextChoices):
    ADMISSION = "admission", _("Admission of a new member")
    RECOGNITION = "recognition", _("Recognition as an official member")
    EXEMPTION = "exemption", _("Exemption from party work and activities")
    DISCIPLINE = "discipline", _("Discipline proposal")


class Decision(PartOfMinutes):
    """One agenda item voted on by its own rule; frozen with the minutes."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField(_("decision"), max_length=20, choices=DecisionKind.choices)
    member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("member concerned"),
    )
    candidate_name = models.CharField(
        _("candidate's full name"),
        max_length=120,
        blank=True,
        help_text=_("For an admission: the person admitted, who is not a member yet."),
    )
    candidate_birth_date = models.DateField(_("candidate's date of birth"), null=True, blank=True)
    period_until = models.DateField(
        _("exempt until"), null=True, blank=True, help_text=_("For an exemption: its end.")
    )
    note = models.CharField(
        _("details"),
        max_length=300,
        blank=True,
        help_text=_("E.g. the reason for an exemption or the discipline proposed."),
    )
    vote_method = models.CharField(
        _("voting method"), max_length=20, choices=VoteMethod.choices, blank=True
    )
    votes_for = models.PositiveSmallIntegerField(_("for"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("against"), null=True, blank=True)
    votes_other = models.PositiveSmallIntegerField(_("other opinions"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.subject_name}"

    @property
    def subject_name(self):
        if self.kind == DecisionKind.ADMISSION:
            return self.candidate_name
        return self.member.full_name if self.member_id else ""

    def clean(self):
        if self.kind == DecisionKind.ADMISSION:
            if not self.candidate_name.strip():
                raise ValidationError(
                    {"candidate_name": _("Write the full name of the person to be admitted.")}
                )
        elif not self.member_id:
            raise ValidationError({"member": _("Choose the member this decision concerns.")})


class ConsequenceStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the superior committee's decision")
    CONFIRMED = "confirmed", _("Confirmed by the superior committee")


class ConsequenceQuerySet(VisibleThroughOrganizationQuerySet):
    def pending(self):
        return self.filter(status=ConsequenceStatus.PENDING)


class MemberConsequence(models.Model):
    """What an adopted decision proposes for the member's record once its minutes are
    signed, confirmed when the superior's decision (number and date) is entered."""

    decision = models.OneToOneField(
        Decision, on_delete=models.PROTECT, related_name="consequence", editable=False
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", editable=False
    )
    member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consequences",
        editable=False,
    )
    kind = models.CharField(max_length=20, choices=DecisionKind.choices, editable=False)
    subject_name = models.CharField(max_length=120, editable=False)
    proposed_on = models.DateField(_("proposed date"), null=True, blank=True)
    period_until = models.DateField(_("until"), null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=ConsequenceStatus.choices, default=ConsequenceStatus.PENDING
    )
    superior_decision_number = models.CharField(
        _("number of the superior's decision"), max_length=60, blank=True
    )
    superior_decision_date = models.DateField(_("date of the superior's decision"), null=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = ConsequenceQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("consequence of a decision")
        verbose_name_plural = _("consequences of decisions")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.subject_name}"

    @property
    def is_pending(self):
        return self.status == ConsequenceStatus.PENDING
