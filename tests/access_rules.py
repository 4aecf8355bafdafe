"""The shapes of the access rule, shared by every access matrix (tests/access_matrices/)."""

from members.models import Position

ROLES = ["anonymous", "secretary", "viewer", "reviewer", "admin", "outsider", "far_reviewer"]
LOGIN = "login"  # expected: redirected to the login page
ANY_REDIRECT = "redirect"


def expect(anonymous=LOGIN, **statuses):
    return {"anonymous": anonymous, **statuses}


# Shorthands for the usual shapes of a rule.
def seen_by_cell(ok=200):
    """Anything about the cell: everyone attached to it or above it sees it."""
    return expect(secretary=ok, viewer=ok, reviewer=ok, admin=ok, outsider=404, far_reviewer=404)


def edited_by_secretary(ok=200):
    """Changing the cell's roster: its secretary and administrators above it."""
    return expect(secretary=ok, viewer=403, reviewer=403, admin=ok, outsider=404, far_reviewer=404)


def managed_by_admin_on_cell(ok=200):
    return expect(secretary=403, viewer=403, reviewer=403, admin=ok, outsider=404, far_reviewer=404)


def managed_by_admin_on_commune(ok=200):
    return expect(secretary=404, viewer=404, reviewer=403, admin=ok, outsider=404, far_reviewer=404)


def everyone_signed_in(ok=200):
    return expect(secretary=ok, viewer=ok, reviewer=ok, admin=ok, outsider=ok, far_reviewer=ok)


def review_by_superior(ok=ANY_REDIRECT):
    """Reviewing minutes: reviewers and administrators above the cell."""
    return expect(secretary=403, viewer=403, reviewer=ok, admin=ok, outsider=404, far_reviewer=404)


def meeting_in(world, status="planned", **fields):
    from django.utils import timezone

    from meetings.models import Meeting

    return Meeting.objects.create(
        organization=world.cell,
        kind="extraordinary",
        topic="Kiểm tra quyền truy cập",
        scheduled_at=timezone.now(),
        status=status,
        **fields,
    )


def meeting_with_lead_report(world):
    from django.core.files.base import ContentFile

    meeting = meeting_in(world)
    meeting.lead_report.save("bao-cao.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    return meeting


def open_position(world):
    return Position.objects.create(
        member=world.member,
        organization=world.cell,
        role="committee_member",
        started_on="2025-09-01",
    )
