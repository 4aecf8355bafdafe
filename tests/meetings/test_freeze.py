"""The freeze of signed minutes holds at every level: the workflow moves them on,
nothing else brings them back to a draft, whether through a model save or a queryset."""

import pytest
from django.utils import timezone

from meetings import services
from meetings.models import Meeting, MeetingStatus, MinutesFrozenError
from meetings.services import accept_minutes
from printing.pdf import store_signed_minutes


def frozen(world, status):
    return Meeting.objects.create(
        organization=world.cell,
        kind="extraordinary",
        topic="Biên bản đã ký",
        scheduled_at=timezone.now(),
        status=status,
        fingerprint="cd" * 32,
        signed_content="{}",
    )


FROZEN = [MeetingStatus.SIGNED, MeetingStatus.RETURNED, MeetingStatus.SUPERSEDED]


@pytest.mark.parametrize("status", FROZEN)
@pytest.mark.parametrize(
    "back_to", [MeetingStatus.DRAFT, MeetingStatus.PLANNED, MeetingStatus.FINALIZED]
)
def test_a_queryset_update_cannot_unfreeze_minutes(world, status, back_to):
    meeting = frozen(world, status)
    with pytest.raises(MinutesFrozenError):
        Meeting.objects.filter(pk=meeting.pk).update(status=back_to)
    meeting.refresh_from_db()
    assert meeting.status == status


@pytest.mark.parametrize("status", FROZEN)
def test_a_model_save_cannot_unfreeze_minutes(world, status):
    meeting = frozen(world, status)
    meeting.status = MeetingStatus.DRAFT
    with pytest.raises(MinutesFrozenError):
        meeting.save()
    with pytest.raises(MinutesFrozenError):
        meeting.save(update_fields=["status"])
    assert Meeting.objects.get(pk=meeting.pk).status == status


@pytest.mark.parametrize(
    ("status", "illegal"),
    [
        (MeetingStatus.SIGNED, MeetingStatus.SUPERSEDED),  # returned first
        (MeetingStatus.RETURNED, MeetingStatus.SIGNED),
        (MeetingStatus.SUPERSEDED, MeetingStatus.RETURNED),
        (MeetingStatus.SUPERSEDED, MeetingStatus.SIGNED),
    ],
)
def test_frozen_minutes_only_move_along_the_workflow(world, status, illegal):
    meeting = frozen(world, status)
    with pytest.raises(MinutesFrozenError):
        Meeting.objects.filter(pk=meeting.pk).update(status=illegal)


def test_a_superseded_version_cannot_become_current_again(world):
    meeting = frozen(world, MeetingStatus.SUPERSEDED)
    Meeting.objects.filter(pk=meeting.pk).update(is_current=False)
    with pytest.raises(MinutesFrozenError):
        Meeting.objects.filter(pk=meeting.pk).update(is_current=True)


def test_a_mixed_queryset_refuses_as_a_whole(world):
    draft = frozen(world, MeetingStatus.DRAFT)
    signed = frozen(world, MeetingStatus.SIGNED)
    with pytest.raises(MinutesFrozenError):
        Meeting.objects.filter(pk__in=[draft.pk, signed.pk]).update(status=MeetingStatus.DRAFT)
    assert Meeting.objects.get(pk=signed.pk).status == MeetingStatus.SIGNED


def test_the_legal_transitions_and_bookkeeping_still_update(world):
    meeting = frozen(world, MeetingStatus.SIGNED)
    rows = Meeting.objects.filter(pk=meeting.pk)
    rows.update(accepted_at=timezone.now(), search_text="bien ban", minutes_pdf="x.pdf")
    rows.update(status=MeetingStatus.RETURNED)
    rows.update(status=MeetingStatus.SUPERSEDED, is_current=False)
    meeting.refresh_from_db()
    assert (meeting.status, meeting.is_current) == (MeetingStatus.SUPERSEDED, False)


def test_drafts_update_freely(world):
    meeting = frozen(world, MeetingStatus.DRAFT)
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.FINALIZED, topic="Mới")
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.FINALIZED


def test_the_workflow_services_still_move_signed_minutes(signed_meeting, world):
    store_signed_minutes(signed_meeting)
    accepted = accept_minutes(signed_meeting, user=world.reviewer, comment="Đạt")
    assert accepted.accepted_at is not None
    other = frozen(world, MeetingStatus.SIGNED)
    services.return_minutes(other, user=world.reviewer, comment="Bổ sung.")
    correction = services.start_correction(other, user=world.secretary)
    services.refresh_search_text(correction)
    other.refresh_from_db()
    assert other.status == MeetingStatus.SUPERSEDED
    assert other.superseded_by == correction
    assert not other.is_current
    assert correction.status == MeetingStatus.DRAFT
