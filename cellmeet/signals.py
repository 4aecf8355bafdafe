"""What happens in the workflow, for the apps above that act on it (notifications/).

The workflow sends these inside its transaction; a receiver that does anything
outside the database waits for the commit (transaction.on_commit). Lower layers send,
higher ones listen, so no layer imports one above it.
"""

from django.dispatch import Signal

# meetings.services.save_planned_meeting: meeting, created (bool).
meeting_planned = Signal()
# meetings.services.finalize_minutes: meeting.
minutes_finalized = Signal()
# meetings.services.sign_minutes, when the last signature seals them: meeting, site_url.
minutes_sealed = Signal()
# meetings.services.return_minutes: meeting, review.
minutes_returned = Signal()
# oversight.guidance.publish_guidance: guidance.
guidance_published = Signal()
