"""What oversight does when minutes change: drop the stale compliance boards and have
a job compute them again (oversight/board_cache.py, oversight/tasks.py). The boards
also show the national app's marks (printing) and the annual rating (rating): their
changes drop the boards too. The statistics' figures of the cell's month are counted
again (oversight/month_figures.py). And the guidance joins the national app's package."""

from django.db.models.signals import post_delete, post_init, post_save

from meetings.models import Meeting, Review
from oversight import board_cache, guidance, month_figures, tasks
from printing import national_app
from printing.models import NationalAppUpload
from rating.models import MemberAssessment, RatingRound


def meeting_saved(sender, instance, created=False, **kwargs):
    stale = board_cache.meeting_saved(sender, instance, created=created)
    tasks.warm_later(stale[:-1], instance.year)  # the committees above; a cell has no board


def meeting_deleted(sender, instance, **kwargs):
    stale = board_cache.meeting_deleted(sender, instance)
    tasks.warm_later(stale[:-1], instance.year)


def upload_marked(sender, instance, **kwargs):
    """A mark of an upload to the national app set or taken back (HD 42 columns)."""
    meeting = Meeting.objects.filter(pk=instance.meeting_id).values("organization_id", "year")
    meeting = meeting.first()
    if meeting is not None:
        stale = board_cache.invalidate_above(meeting["organization_id"])
        tasks.warm_later(stale[:-1], meeting["year"])


def rating_round_changed(sender, instance, **kwargs):
    """A round opened (its assessments come in bulk), decided or deleted."""
    stale = board_cache.invalidate_above(instance.organization_id)
    tasks.warm_later(stale[:-1], instance.year)


def connect():
    post_init.connect(board_cache.remember_state, sender=Meeting, dispatch_uid="board")
    post_save.connect(meeting_saved, sender=Meeting, dispatch_uid="board")
    post_delete.connect(meeting_deleted, sender=Meeting, dispatch_uid="board")
    # The statistics' figures of each cell's month.
    post_init.connect(month_figures.remember_state, sender=Meeting, dispatch_uid="figures")
    post_save.connect(month_figures.meeting_saved, sender=Meeting, dispatch_uid="figures")
    post_delete.connect(month_figures.meeting_deleted, sender=Meeting, dispatch_uid="figures")
    post_save.connect(month_figures.review_changed, sender=Review, dispatch_uid="figures")
    post_delete.connect(month_figures.review_changed, sender=Review, dispatch_uid="figures")
    post_save.connect(upload_marked, sender=NationalAppUpload, dispatch_uid="board")
    post_delete.connect(upload_marked, sender=NationalAppUpload, dispatch_uid="board")
    post_save.connect(rating_round_changed, sender=RatingRound, dispatch_uid="board")
    post_delete.connect(rating_round_changed, sender=RatingRound, dispatch_uid="board")
    post_init.connect(
        board_cache.remember_rating_state, sender=MemberAssessment, dispatch_uid="board"
    )
    post_save.connect(board_cache.assessment_saved, sender=MemberAssessment, dispatch_uid="board")
    # The superior's guidance joins the package for the national app (HD 42).
    national_app.package_contributions.connect(
        guidance.national_app_files, dispatch_uid="oversight.guidance"
    )
