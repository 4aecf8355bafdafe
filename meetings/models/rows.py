"""The rows of the minutes besides attendance: guests, speeches and the two signatures
(all frozen with the minutes once signed, like every PartOfMinutes)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cellmeet.fields import PARAGRAPH_MAX_LENGTH
from cellmeet.sealed import (
    PartOfMinutes,
)
from meetings.models.minutes import Meeting, now
from members.models import (
    Member,
)


class Guest(PartOfMinutes):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="guests")
    name = models.CharField(_("full name"), max_length=120)
    title = models.CharField(_("position held"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=200, blank=True)
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="delegate_visits",
        verbose_name=_("delegate of the superior committee"),
    )
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("guest")
        verbose_name_plural = _("guests")

    def __str__(self):
        return self.name


class Speech(PartOfMinutes):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="speeches")
    speaker = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="speeches",
        verbose_name=_("member speaking"),
    )
    guest_name = models.CharField(
        _("or guest speaking"), max_length=120, blank=True, help_text=_("For a guest's remarks.")
    )
    summary = models.TextField(_("summary"), max_length=PARAGRAPH_MAX_LENGTH)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("speech")
        verbose_name_plural = _("speeches")

    def __str__(self):
        return self.speaker_name

    @property
    def speaker_name(self):
        return self.speaker.full_name if self.speaker_id else self.guest_name

    def clean(self):
        if not self.speaker_id and not self.guest_name:
            raise ValidationError(_("Choose the member speaking or write the guest's name."))


class SignerRole(models.TextChoices):
    NOTE_TAKER = "note_taker", _("Note-taker")
    CHAIR = "chair", _("Chair")


class SignatureMethod(models.TextChoices):
    ACCOUNT = "account", _("Confirmed with own account")
    PAPER = "paper", _("Signed on paper, recorded by the secretary")


class Signature(PartOfMinutes):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="signatures")
    role = models.CharField(_("signs as"), max_length=20, choices=SignerRole.choices)
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    method = models.CharField(max_length=20, choices=SignatureMethod.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(default=now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["role"]
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "role"], name="one_signature_per_role")
        ]

    def __str__(self):
        return f"{self.get_role_display()}: {self.member}"
