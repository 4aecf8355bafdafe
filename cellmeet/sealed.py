"""Sealed records: the rows of signed minutes freeze with them, and a sealed record
names people as they stood when it was sealed.

Shared by the minutes core (meetings) and the parts of minutes below it
(resolutions), which reach a meeting through their foreign key, never by import.
"""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# The statuses of minutes whose content is sealed (meetings.models.MeetingStatus).
SEALED_STATUSES = frozenset({"signed", "returned", "superseded"})


class MinutesFrozenError(ValidationError):
    """Signed minutes are a record: they change only through a logged amendment."""

    def __init__(self):
        super().__init__(_("These minutes are signed and can no longer be changed."), code="frozen")


class WorkflowError(ValidationError):
    """A step of a workflow that cannot happen, with the reason in plain words."""


class FrozenWithMeetingQuerySet(models.QuerySet):
    """Rows that belong to minutes: refused in bulk once the minutes are signed."""

    def _touches_frozen_minutes(self):
        return self.filter(meeting__status__in=SEALED_STATUSES).exists()

    def update(self, **kwargs):
        if self._touches_frozen_minutes():
            raise MinutesFrozenError
        return super().update(**kwargs)

    def delete(self):
        if self._touches_frozen_minutes():
            raise MinutesFrozenError
        return super().delete()


def meeting_is_sealed(meeting_model, meeting_id):
    return meeting_model.objects.filter(pk=meeting_id, status__in=SEALED_STATUSES).exists()


class PartOfMinutes(models.Model):
    """A row with a `meeting` foreign key that freezes with the meeting's minutes."""

    objects = FrozenWithMeetingQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._refuse_if_frozen()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_frozen()
        return super().delete(*args, **kwargs)

    def _refuse_if_frozen(self):
        meeting_model = self._meta.get_field("meeting").related_model
        if self.meeting_id and meeting_is_sealed(meeting_model, self.meeting_id):
            raise MinutesFrozenError


# ---------------------------------------------------------------- reading sealed content


def parse_moment(value):
    return datetime.fromisoformat(value) if value else None


def parse_day(value):
    return date.fromisoformat(value) if value else None


class Person:
    """A member as sealed content names them: {"id": …, "name": …}."""

    def __init__(self, data):
        self.pk = self.id = data.get("id")
        self.full_name = data.get("name", "")

    def __str__(self):
        return self.full_name

    @classmethod
    def from_content(cls, data):
        return cls(data) if data else None


def person_content(member):
    """How sealed content names a member."""
    return {"id": member.pk, "name": member.full_name} if member else None
