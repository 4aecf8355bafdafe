"""The superior's review of signed minutes: the queue of minutes awaiting review, the
two verdict pages (accept, return for correction), the superior's own score of the
meeting beside the cell's self-score, and the notice a cell sees when minutes come
back. The verdicts and the score are steps of meetings.services.
"""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cellmeet.forms import CleanTextModelForm
from cellmeet.paging import BoundedPaginator
from cellmeet.redirects import redirect_to_next
from meetings import quality_measures
from meetings.access import get_meeting_for
from meetings.models import (
    PRESENT_Q,
    SUMMONED_Q,
    Attendance,
    Meeting,
    MeetingStatus,
    Review,
    ReviewVerdict,
    Speech,
    SuperiorScore,
    quality_criteria_for,
)
from meetings.rules import VoteCount, meeting_setting, percent
from meetings.services import MeetingError, accept_minutes, return_minutes, score_minutes
from meetings.warnings import (
    ATTENDANCE_LOW,
    DURATION_KINDS,
    minimum_minutes,
    warnings_for,
    warnings_for_page,
)
from members.access import REVIEWERS, access_for
from members.models import MembershipStatus

QUEUE_PAGE_SIZE = 50


# ---------------------------------------------------------------- who reviews what


# ---------------------------------------------------------------- accepting


class AcceptForm(CleanTextModelForm):
    class Meta:
        model = Review
        fields = ["comment"]
        labels = {"comment": gettext_lazy("Comment on the minutes")}
        widgets = {"comment": forms.Textarea(attrs={"rows": 3})}


class ReturnForm(CleanTextModelForm):
    class Meta:
        model = Review
        fields = ["comment"]
        labels = {"comment": gettext_lazy("What must be corrected")}
        widgets = {"comment": forms.Textarea(attrs={"rows": 4})}


def _give_verdict(request, pk, *, form_class, step, success, incomplete):
    """Accept or return: the same page flow for both verdicts of meetings.services."""
    meeting = get_meeting_for(request.user, pk, review=True)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, incomplete)
    else:
        try:
            step(meeting, user=request.user, comment=form.cleaned_data["comment"])
        except MeetingError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, success(meeting))
    return meeting


@login_required
@require_POST
def meeting_accept(request, pk):
    meeting = _give_verdict(
        request,
        pk,
        form_class=AcceptForm,
        step=accept_minutes,
        success=lambda meeting: (
            _("The minutes of %(cell)s were accepted.") % {"cell": meeting.organization.name}
        ),
        incomplete=_("Write a comment on the minutes."),
    )
    return redirect_to_next(request, meeting_url(meeting))


@login_required
@require_POST
def meeting_return(request, pk):
    meeting = _give_verdict(
        request,
        pk,
        form_class=ReturnForm,
        step=return_minutes,
        success=lambda meeting: _("The minutes were returned to the cell for correction."),
        incomplete=_("Write what must be corrected."),
    )
    return redirect("meetings:detail", pk=meeting.pk)


def meeting_url(meeting):
    return reverse("meetings:detail", args=[meeting.pk])


# ---------------------------------------------------------------- the superior's score


class SuperiorScoreForm(forms.Form):
    """The cell's 100-point form, one box per line, every line scored."""

    def __init__(self, *args, criteria, stored=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for item in criteria:
            code = str(item["code"])
            self.fields[f"score_{code}"] = forms.IntegerField(
                label=str(item["label"]),
                min_value=0,
                max_value=int(item["max"]),
                initial=(stored or {}).get(code),
                help_text=gettext_lazy("at most %(max)s points") % {"max": item["max"]},
                widget=forms.NumberInput(attrs={"class": "form-control quality-input"}),
            )

    def scores(self):
        return {
            str(item["code"]): self.cleaned_data[f"score_{item['code']}"] for item in self.criteria
        }


def scoring_committee(access, cell):
    """The committee a reviewer scores for: the nearest organisation above the cell
    where she holds a reviewing role (a superuser without one: the cell's superior)."""
    reviewing = {
        organization_id
        for kind, _path, organization_id in access.roles
        if kind in REVIEWERS and organization_id != cell.pk
    }
    for organization in reversed(cell.ancestors()):
        if organization.pk in reviewing:
            return organization
    ancestors = cell.ancestors()
    return ancestors[-1] if ancestors else cell


@login_required
def meeting_score(request, pk):
    """The superior scores signed minutes: each line with the cell's self-score and
    what the record measures beside the box."""
    meeting = get_meeting_for(request.user, pk, review=True)
    if meeting.status != MeetingStatus.SIGNED or not meeting.is_current:
        messages.error(request, _("Only signed minutes can be scored by the superior."))
        return redirect("meetings:detail", pk=meeting.pk)
    committee = scoring_committee(access_for(request.user), meeting.organization)
    stored = SuperiorScore.objects.filter(meeting=meeting, organization=committee).first()
    criteria = quality_criteria_for(meeting.organization)
    form = SuperiorScoreForm(
        request.POST or None, criteria=criteria, stored=stored.scores if stored else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            score_minutes(meeting, organization=committee, user=request.user, scores=form.scores())
        except MeetingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Your score of the meeting is saved: %(total)s/100.")
                % {"total": sum(form.scores().values())},
            )
            return redirect_to_next(request, meeting_url(meeting) + "#superior-score")
    lines = quality_measures.suggested_lines(meeting, criteria)
    self_scores = meeting.quality_scores or {}
    context = {
        "meeting": meeting,
        "committee": committee,
        "form": form,
        "stored": stored,
        "rows": [
            {
                "field": form[f"score_{line['code']}"],
                "line": line,
                "self_points": self_scores.get(line["code"]),
            }
            for line in lines
        ],
    }
    return render(request, "oversight/meeting_score.html", context)


def superior_scores_of(meetings):
    """{meeting pk: [SuperiorScore, ...]} for a page of meetings, in one query."""
    scores = {meeting.pk: [] for meeting in meetings}
    if scores:
        for score in SuperiorScore.objects.filter(meeting_id__in=scores).select_related(
            "organization"
        ):
            scores[score.meeting_id].append(score)
    return scores


# ---------------------------------------------------------------- the queue


def _count_of(queryset):
    """A correlated count per meeting, so that counting two relations never multiplies rows."""
    return Coalesce(
        Subquery(
            queryset.filter(meeting=OuterRef("pk"))
            .order_by()
            .values("meeting")
            .annotate(count=Count("pk"))
            .values("count"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


def awaiting_review(scope_q):
    """Signed live minutes nobody accepted yet, oldest signature first, with what
    the queue shows counted by the database: members who spoke and the vote's
    denominator (see VoteCount)."""
    return with_queue_counts(_awaiting(scope_q))


def _awaiting(scope_q):
    return Meeting.objects.awaiting_verdict().filter(scope_q).order_by("signed_at", "pk")


def with_queue_counts(meetings):
    """The meetings with the queue's counts, for these rows only (the page's)."""
    official = Attendance.objects.filter(membership_at_meeting=MembershipStatus.OFFICIAL)
    official_summoned = official.filter(SUMMONED_Q)  # the rule of Attendance.is_summoned
    speakers = (
        Speech.objects.filter(meeting=OuterRef("pk"), speaker__isnull=False)
        .order_by()
        .values("meeting")
        .annotate(count=Count("speaker", distinct=True))
        .values("count")
    )
    return (
        meetings.select_related("organization", "organization__parent")
        .defer("signed_content", "search_text")
        .annotate(
            speaker_count=Coalesce(Subquery(speakers, output_field=IntegerField()), Value(0)),
            vote_denominator=_count_of(official_summoned),
            official_present=_count_of(official.filter(PRESENT_Q)),  # counts_as_present
        )
    )


def queue_page(scope_q, number):
    """The queue's page `number`: the page's ids are picked first (the count and the
    cut use the index on the awaiting minutes only), then the counts are computed for
    those rows alone. Three queries whatever the size of the queue, and the count
    stops at COUNT_LIMIT + 1 (a province's backlog is never counted whole)."""
    page = BoundedPaginator(
        _awaiting(scope_q).values_list("pk", flat=True), QUEUE_PAGE_SIZE
    ).get_page(number)
    ids = list(page.object_list)
    page.object_list = list(with_queue_counts(_awaiting(Q(pk__in=ids)))) if ids else []
    return page


@dataclass
class QueueRow:
    """What a reviewer checks in signed minutes, before opening them."""

    meeting: Meeting
    attendance_percent: float | None
    duration_minutes: int | None
    # The kind's own minimum length (a thematic meeting has its own), or None.
    minimum_minutes: int | None
    # The warnings the recording and finalizing pages show (meetings.warnings).
    warnings: list
    speaker_count: int
    vote_count: VoteCount
    vote_error: str | None
    adopted: bool
    vote_percent: float | None
    quality_total: int | None
    quality_level: str
    waiting_days: int
    # The superiors' own scores of the meeting (SuperiorScore), beside the self-score.
    superior_scores: list

    # Finalizing refuses minutes until every task due for review has its review
    # (resolutions.services), so signed minutes always have them.
    tasks_reviewed = True

    @property
    def attendance_low(self):
        return any(warning.kind == ATTENDANCE_LOW for warning in self.warnings)

    @property
    def too_short(self):
        return any(warning.kind in DURATION_KINDS for warning in self.warnings)

    @property
    def duration_warnings(self):
        return [warning for warning in self.warnings if warning.kind in DURATION_KINDS]


def queue_row(meeting, today=None, warnings=None, superior_scores=None):
    """A row of the queue; `warnings` and `superior_scores` as warnings_for_page and
    superior_scores_of gathered them for the page (read for this meeting alone if None)."""
    today = today or timezone.localdate()
    vote_count = VoteCount(
        denominator=meeting.vote_denominator, eligible_present=meeting.official_present
    )
    return QueueRow(
        meeting=meeting,
        attendance_percent=percent(meeting.present_count, meeting.summoned_count),
        duration_minutes=meeting.duration_minutes,
        minimum_minutes=minimum_minutes(meeting.rules),
        warnings=warnings_for(meeting) if warnings is None else warnings,
        speaker_count=meeting.speaker_count,
        vote_count=vote_count,
        vote_error=vote_count.tally_error(
            meeting.votes_for, meeting.votes_against, meeting.votes_other
        ),
        adopted=vote_count.is_adopted(meeting.votes_for),
        vote_percent=vote_count.percent(meeting.votes_for),
        quality_total=meeting.quality_total if meeting.quality_scores else None,
        quality_level=meeting.quality_level_label,
        waiting_days=(today - timezone.localtime(meeting.signed_at).date()).days
        if meeting.signed_at
        else 0,
        superior_scores=superior_scores_of([meeting])[meeting.pk]
        if superior_scores is None
        else superior_scores,
    )


@login_required
def review_queue(request):
    access = access_for(request.user)
    if not access.holds_any(REVIEWERS):
        raise PermissionDenied
    scope = access.scope_q("organization__path", REVIEWERS)
    page = queue_page(scope, request.GET.get("page"))
    today = timezone.localdate()
    warnings = warnings_for_page(page.object_list)
    scores = superior_scores_of(page.object_list)
    context = {
        "page": page,
        "rows": [
            queue_row(meeting, today, warnings[meeting.pk], scores[meeting.pk])
            for meeting in page.object_list
        ],
        "attendance_target": meeting_setting("ATTENDANCE_TARGET_PERCENT"),
    }
    return render(request, "oversight/review_queue.html", context)


# ---------------------------------------------------------------- the cell's notice


def returned_minutes(organization):
    """The cell's live minutes sent back for correction, each with the reviewer's
    latest comment as `return_review`."""
    meetings = list(
        Meeting.objects.current()
        .filter(organization=organization, status=MeetingStatus.RETURNED)
        .defer("signed_content", "search_text")
        .prefetch_related(
            Prefetch(
                "reviews",
                queryset=Review.objects.filter(verdict=ReviewVerdict.RETURNED).select_related(
                    "reviewer"
                ),
                to_attr="return_reviews",
            )
        )
        .order_by("scheduled_at", "pk")
    )
    for meeting in meetings:
        meeting.return_review = meeting.return_reviews[0] if meeting.return_reviews else None
    return meetings
