"""The minutes workflow: plan → record (draft) → finalize → sign, and corrections.

Every function runs in one transaction, takes the acting user as `user`, and
raises MeetingError with a translated message the views show as they are.
"""

from django.db import IntegrityError, transaction
from django.db.models import Case, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from cellmeet import signals
from cellmeet.forms import claim_next_version
from cellmeet.history import log_rows_in_one_statement
from cellmeet.missing import MissingItem
from cellmeet.sealed import MinutesFrozenError, WorkflowError, meeting_is_sealed
from meetings import chain, decisions, record
from meetings.models import (
    Attendance,
    Decision,
    Guest,
    Meeting,
    MeetingStatus,
    Review,
    ReviewVerdict,
    Signature,
    SignatureMethod,
    SignerRole,
    Speech,
    SuperiorScore,
    membership_on,
    quality_criteria_for,
    roster_for,
)
from meetings.record import summarize_rows
from meetings.search_text import searchable_content
from meetings.suggestions import duplicate_regular_meeting
from meetings.warnings import warnings_for
from resolutions import minutes as resolution_minutes
from resolutions import services as resolution_services


class MeetingError(WorkflowError):
    """A step of the minutes workflow that cannot happen, with the reason in plain words."""


class MissingItems(MeetingError):
    """Finalizing was refused; `items` lists what is missing."""

    def __init__(self, items):
        self.items = items
        super().__init__(_("The minutes are not complete yet."))


# ---------------------------------------------------------------- planning


def save_planned_meeting(meeting, *, user):
    """Insert or update a planned meeting, refusing a second regular one in a month."""
    if duplicate_regular_meeting(meeting):
        local = timezone.localtime(meeting.scheduled_at)
        raise MeetingError(
            _(
                "This cell already has a regular meeting in %(month)s/%(year)s. "
                "To meet again that month, plan an extraordinary meeting."
            )
            % {"month": local.month, "year": local.year}
        )
    created = meeting.pk is None
    if created:
        meeting.created_by = user
    try:
        with transaction.atomic():
            meeting.save()
    except IntegrityError as error:  # a parallel request won the race
        raise MeetingError(_("This cell already has a regular meeting that month.")) from error
    signals.meeting_planned.send(sender=Meeting, meeting=meeting, created=created)
    return meeting


# ---------------------------------------------------------------- moving the minutes on


def lock_minutes(meeting, *, allowed, refusal):
    """The minutes' row, locked for this transaction, if its status is one of `allowed`;
    else MeetingError(refusal). Every step of the workflow starts here."""
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.status not in allowed:
        raise MeetingError(refusal)
    return locked


def save_step(meeting, *, user, reason, update_fields=None):
    """Save a step of the workflow: one more version, and the history row says who
    did what (the acting user, not whoever the request thread happens to hold)."""
    meeting.version += 1
    meeting._change_reason = reason
    meeting._history_user = user
    if update_fields is not None:
        update_fields = [*update_fields, "version", "updated_at"]
    meeting.save(update_fields=update_fields)
    return meeting


# ---------------------------------------------------------------- recording


@transaction.atomic
def start_recording(meeting, *, user):
    """Open the minutes: the attendance list is taken from the roster on that day."""
    meeting = lock_minutes(
        meeting, allowed={MeetingStatus.PLANNED}, refusal=_("Recording has already started.")
    )
    day = meeting.meeting_date
    Attendance.objects.bulk_create(
        Attendance(
            meeting=meeting,
            member=member,
            membership_at_meeting=membership_on(member, day),
            activity_at_meeting=member.activity_status,
        )
        for member in roster_for(meeting)
    )
    meeting.status = MeetingStatus.DRAFT
    meeting.started_at = meeting.started_at or meeting.scheduled_at
    meeting.location = meeting.location or meeting.organization.place
    return save_step(meeting, user=user, reason="start recording")


@transaction.atomic
def save_draft(meeting, changes, *, user):
    """Save what she typed into a draft (meetings.changes.DraftChanges), all or nothing.

    Raises StaleRecordError if someone else saved the minutes since she opened them
    (compare-and-set on the version), and the WorkflowError of a rule checked again as
    the save reaches the database (a resolution number taken meanwhile). Rows are
    written in bulk: the same number of queries for 36 members or 2,000.
    """
    if meeting_is_sealed(Meeting, meeting.pk):
        raise MinutesFrozenError
    claim_next_version(meeting, changes.version)
    for name, value in changes.meeting.items():
        setattr(meeting, name, value)
    meeting._history_user = user
    meeting.save()
    _save_attendance(meeting, changes.attendance, user=user)
    for model, rows in ((Guest, changes.guests), (Speech, changes.speeches)):
        if rows is not None:
            _save_ordered_rows(meeting, model, rows, user=user)
    if changes.resolution is not None:
        resolution_services.save_resolution_changes(meeting, changes.resolution, user=user)
    if changes.decisions is not None:
        _save_ordered_rows(meeting, Decision, changes.decisions, user=user)
    refresh_search_text(meeting)
    return meeting


def _save_attendance(meeting, marks, *, user):
    """The rows she changed, in one UPDATE and one history insert whatever their number."""
    if not marks:
        return
    stored = meeting.attendances.filter(pk__in=list(marks)).values_list("pk", "status", "reason")
    changed = {
        pk: marks[pk]
        for pk, status, reason in stored
        if (marks[pk]["status"], marks[pk]["reason"]) != (status, reason)
    }
    if not changed:
        return
    Attendance.objects.filter(pk__in=list(changed)).update(
        **{name: _value_by_row(Attendance, changed, name) for name in ("status", "reason")}
    )
    log_rows_in_one_statement(Attendance, changed, user=user)


def _value_by_row(model, values_by_pk, name):
    """CASE that gives each row its new value, rows grouped by value (a few statuses)."""
    pks_by_value = {}
    for pk, values in values_by_pk.items():
        pks_by_value.setdefault(values[name], []).append(pk)
    return Case(
        *[When(pk__in=pks, then=Value(value)) for value, pks in pks_by_value.items()],
        output_field=model._meta.get_field(name),
    )


def _save_ordered_rows(meeting, model, changes, *, user):
    """Guests, speeches, decisions: changed rows updated and new ones added in bulk, new
    rows after the existing ones in the order typed; deleted rows logged as deleted."""
    stored = model.objects.filter(meeting=meeting).in_bulk([*changes.changed, *changes.deleted])
    changed = [stored[pk] for pk in changes.changed if pk in stored]
    for row in changed:
        for name, value in changes.changed[row.pk].items():
            setattr(row, name, value)
    if changed:
        fields = sorted({name for values in changes.changed.values() for name in values})
        bulk_update_with_history(
            changed, model, fields, default_user=user, default_change_reason=None
        )
    if changes.new:
        last = _last_order(meeting, model)
        bulk_create_with_history(
            [
                model(meeting=meeting, order=last + number, **values)
                for number, values in enumerate(changes.new, start=1)
            ],
            model,
            default_user=user,
            default_change_reason=None,
        )
    for pk in changes.deleted:
        if pk in stored:  # rare, and a few rows at most: each logged by its own delete
            stored[pk]._history_user = user
            stored[pk].delete()


def _last_order(meeting, model):
    rows = model.objects.filter(meeting=meeting)
    return rows.order_by("-order").values_list("order", flat=True).first() or 0


def summarize_attendance(meeting, rows=None, *, streaks=None):
    """Counts for the minutes and their warnings (meetings.warnings; never a block)."""
    rows = list(meeting.attendances.select_related("member")) if rows is None else rows
    summary = summarize_rows(rows)
    summary.warnings = warnings_for(meeting, summary, streaks=streaks)
    return summary


# ---------------------------------------------------------------- finalizing


def missing_for_finalize(meeting, summary=None, *, now=None):
    """What still stands between the draft and complete minutes, in plain words."""
    now = timezone.now() if now is None else now
    summary = summary or summarize_attendance(meeting)
    missing = []
    if not meeting.started_at:
        missing.append(MissingItem(_("the time the meeting started"), "start_time"))
    if not meeting.ended_at:
        missing.append(MissingItem(_("the time the meeting ended"), "end_time"))
    elif meeting.ended_at > now:
        missing.append(
            MissingItem(
                _("the meeting to have taken place: its end time is still to come"), "end_time"
            )
        )
    if not meeting.chair_id:
        missing.append(MissingItem(_("who chaired the meeting"), "chair"))
    if not meeting.note_taker_id:
        missing.append(MissingItem(_("who took the notes"), "note_taker"))
    if summary.unmarked:
        missing.append(
            MissingItem(
                ngettext(
                    "attendance for %(count)s member",
                    "attendance for %(count)s members",
                    summary.unmarked,
                )
                % {"count": summary.unmarked},
                "attendance",
            )
        )
    if any(not row.reason.strip() for row in summary.absent_excused):
        missing.append(
            MissingItem(_("the reason of every member absent with reason"), "attendance")
        )
    rules = meeting.rules
    if rules.needs_news_briefing and not meeting.news_briefing.strip():
        missing.append(MissingItem(_("the news briefing"), "news_briefing"))
    if rules.needs_lead_report:
        if not meeting.presenter_id:
            missing.append(MissingItem(_("who presented the lead report"), "presenter"))
        if not (meeting.lead_report_title.strip() or meeting.lead_report):
            missing.append(MissingItem(_("the lead report"), "lead_report_title"))
    if not meeting.conclusion.strip():
        missing.append(MissingItem(_("the chair's conclusion"), "conclusion"))
    if meeting.votes_for is None or not meeting.vote_method:
        missing.append(
            MissingItem(_("the vote on the conclusion (method and counts)"), "vote_method")
        )
    else:
        error = summary.vote_count.tally_error(
            meeting.votes_for, meeting.votes_against, meeting.votes_other
        )
        if error:
            missing.append(MissingItem(error, "votes_for"))
    if meeting.minutes_adopted_votes is None:
        missing.append(
            MissingItem(_("how many members adopted the minutes"), "minutes_adopted_votes")
        )
    elif meeting.minutes_adopted_votes > summary.present:
        missing.append(
            MissingItem(
                _("the minutes were adopted by more members than were present"),
                "minutes_adopted_votes",
            )
        )
    if rules.task_review_required:
        missing.extend(resolution_minutes.missing_items(meeting))
    missing.extend(decisions.missing_items(meeting, summary.vote_count))
    return missing


@transaction.atomic
def finalize_minutes(meeting, *, user, now=None):
    now = timezone.now() if now is None else now
    meeting = lock_minutes(
        meeting, allowed={MeetingStatus.DRAFT}, refusal=_("Only a draft can be finalized.")
    )
    missing = missing_for_finalize(meeting, now=now)
    if missing:
        raise MissingItems(missing)
    summary = summarize_attendance(meeting)
    meeting.present_count, meeting.summoned_count = summary.present, summary.summoned
    meeting.search_text = searchable_content(meeting)
    meeting.status = MeetingStatus.FINALIZED
    meeting.finalized_at = now
    save_step(meeting, user=user, reason="finalize")
    signals.minutes_finalized.send(sender=Meeting, meeting=meeting)
    return meeting


@transaction.atomic
def reopen_minutes(meeting, *, user):
    """Back to draft before signing, e.g. to correct a name the chair spotted."""
    meeting = lock_minutes(
        meeting,
        allowed={MeetingStatus.FINALIZED},
        refusal=_("Only finalized minutes that nobody signed yet can be reopened."),
    )
    meeting.signatures.all().delete()
    meeting.status = MeetingStatus.DRAFT
    meeting.finalized_at = None
    return save_step(meeting, user=user, reason="reopen")


# ---------------------------------------------------------------- signing


def signer_for(meeting, role):
    return meeting.chair if role == SignerRole.CHAIR else meeting.note_taker


@transaction.atomic
def sign_minutes(meeting, *, user, role, on_paper=False, site_url="", now=None):
    """Record one signature; the second one seals the minutes.

    A signer with an account confirms with it; for a signer without one, the
    secretary records that they signed the paper minutes. `site_url` is the address
    printed in the QR code when settings.SITE_URL is not set.
    """
    now = timezone.now() if now is None else now
    meeting = lock_minutes(
        meeting,
        allowed={MeetingStatus.FINALIZED},
        refusal=_("Only finalized minutes can be signed."),
    )
    signer = signer_for(meeting, role)
    if meeting.signatures.filter(role=role).exists():
        raise MeetingError(_("This signature is already recorded."))
    if on_paper:
        if signer.user_id:
            raise MeetingError(
                _("%(name)s has an account and confirms the signature with it.")
                % {"name": signer.full_name}
            )
        method = SignatureMethod.PAPER
    else:
        if signer.user_id != user.pk:
            raise MeetingError(
                _("Only %(name)s can sign as %(role)s with their account.")
                % {"name": signer.full_name, "role": SignerRole(role).label.lower()}
            )
        method = SignatureMethod.ACCOUNT
    Signature.objects.create(
        meeting=meeting, role=role, member=signer, method=method, recorded_by=user, signed_at=now
    )
    if meeting.signatures.count() == len(SignerRole.values):
        _seal(meeting, user=user, site_url=site_url, now=now)
    return meeting


def minutes_content(meeting):
    """Everything the minutes say, as plain data (see meetings.record)."""
    return record.build_content(meeting)


def _seal(meeting, *, user, site_url="", now):
    chain.link(meeting, record.seal(meeting))
    meeting.signed_at = now
    meeting.status = MeetingStatus.SIGNED
    save_step(meeting, user=user, reason="sign")
    decisions.propose_consequences(meeting)
    # printing/ renders the printout from the sealed content once the seal is committed.
    signals.minutes_sealed.send(sender=Meeting, meeting=meeting, site_url=site_url)


# ---------------------------------------------------------------- review and correction


def claim_verdict(meeting):
    """Within the verdict's transaction: make sure these minutes still await one.

    The database decides, under its write lock (a row lock on PostgreSQL; on SQLite,
    where select_for_update does nothing, the lock of the immediate transaction), so a
    return and an accept pressed at the same moment cannot both succeed.
    """
    claimed = (
        Meeting.objects.awaiting_verdict()
        .filter(pk=meeting.pk, version=meeting.version)
        .update(version=meeting.version + 1)
    )
    if not claimed:
        raise MeetingError(_("Another verdict on these minutes was given a moment ago."))
    meeting.version += 1


@transaction.atomic
def accept_minutes(meeting, *, user, comment, now=None):
    """A superior accepts signed minutes, with a comment kept beside them."""
    now = timezone.now() if now is None else now
    meeting = lock_minutes(
        meeting, allowed={MeetingStatus.SIGNED}, refusal=_("Only signed minutes can be accepted.")
    )
    if not meeting.is_current:
        raise MeetingError(_("Only signed minutes can be accepted."))
    if meeting.accepted_at is not None:
        raise MeetingError(_("These minutes were already accepted."))
    if not comment.strip():
        raise MeetingError(_("Write a comment on the minutes."))
    claim_verdict(meeting)
    review = Review.objects.create(
        meeting=meeting,
        reviewer=user,
        verdict=ReviewVerdict.ACCEPTED,
        comment=comment.strip(),
        created_at=now,
    )
    meeting.accepted_at = review.created_at
    return save_step(
        meeting, user=user, reason="accepted by the superior", update_fields=["accepted_at"]
    )


@transaction.atomic
def return_minutes(meeting, *, user, comment):
    """A superior sends signed minutes back with the points to correct."""
    meeting = lock_minutes(
        meeting,
        allowed={MeetingStatus.SIGNED},
        refusal=_("Only signed minutes can be returned for correction."),
    )
    if meeting.accepted_at is not None:
        raise MeetingError(_("These minutes were already accepted; they cannot be returned."))
    if not comment.strip():
        raise MeetingError(_("Write what must be corrected."))
    claim_verdict(meeting)
    review = Review.objects.create(
        meeting=meeting, reviewer=user, verdict=ReviewVerdict.RETURNED, comment=comment
    )
    meeting.status = MeetingStatus.RETURNED
    decisions.withdraw_consequences(meeting)
    save_step(meeting, user=user, reason="returned for correction", update_fields=["status"])
    signals.minutes_returned.send(sender=Meeting, meeting=meeting, review=review)
    return meeting


@transaction.atomic
def start_correction(meeting, *, user):
    """A new draft version of returned minutes; the returned one is kept as it was."""
    meeting = lock_minutes(
        meeting,
        allowed={MeetingStatus.RETURNED},
        refusal=_("Only minutes returned for correction can be corrected."),
    )
    old_pk = meeting.pk
    meeting.status = MeetingStatus.SUPERSEDED
    meeting.is_current = False
    save_step(
        meeting,
        user=user,
        reason="superseded by a correction",
        update_fields=["status", "is_current"],
    )

    correction = Meeting.objects.get(pk=old_pk)
    correction.pk = None
    correction.id = None
    correction._state.adding = True
    correction.status = MeetingStatus.DRAFT
    correction.is_current = True
    correction.revision = meeting.revision + 1
    correction.version = 1
    correction.superseded_by = None
    correction.finalized_at = correction.signed_at = correction.accepted_at = None
    correction.present_count = correction.summoned_count = None
    correction.signed_content = correction.fingerprint = ""
    correction.chain_sequence, correction.previous_fingerprint = None, ""
    correction.legacy_fingerprint = ""
    correction.minutes_pdf = ""
    correction.created_by = user
    correction._change_reason = "correction of returned minutes"
    correction._history_user = user
    correction.save()
    _copy_rows(
        Attendance,
        old_pk,
        correction,
        ["member", "status", "reason", "membership_at_meeting", "activity_at_meeting"],
    )
    _copy_rows(Guest, old_pk, correction, ["name", "title", "unit", "delegate", "order"])
    _copy_rows(Speech, old_pk, correction, ["speaker", "guest_name", "summary", "order"])
    resolution_minutes.copy_into_correction(meeting, correction)
    decisions.copy_into_correction(meeting, correction)
    refresh_search_text(correction)
    meeting.superseded_by = correction
    meeting._history_user = user
    meeting.save(update_fields=["superseded_by", "updated_at"])
    return correction


def _copy_rows(model, from_meeting_pk, to_meeting, fields):
    model.objects.bulk_create(
        model(meeting=to_meeting, **{name: getattr(row, name) for name in fields})
        for row in model.objects.filter(meeting_id=from_meeting_pk)
    )


# ---------------------------------------------------------------- reading


def refresh_search_text(meeting):
    Meeting.objects.filter(pk=meeting.pk).update(search_text=searchable_content(meeting))


def minutes_context(meeting):
    """What a page or a print needs to show the minutes (see meetings.record)."""
    return record.minutes_context(meeting)


# ---------------------------------------------------------------- the superior's score


@transaction.atomic
def score_minutes(meeting, *, organization, user, scores, now=None):
    """The superior committee `organization` scores a cell's signed minutes on the
    cell's 100-point form ({criterion code: points}), beside the cell's self-score.
    Kept apart from the minutes: the sealed content and the minutes row do not change.
    Scoring again replaces the committee's earlier score (the history keeps it)."""
    now = timezone.now() if now is None else now
    refusal = _("Only signed minutes can be scored by the superior.")
    meeting = lock_minutes(meeting, allowed={MeetingStatus.SIGNED}, refusal=refusal)
    if not meeting.is_current:
        raise MeetingError(refusal)
    if organization.pk == meeting.organization_id:
        raise MeetingError(_("A cell does not score its own minutes as the superior."))
    criteria = [
        {"code": str(item["code"]), "label": str(item["label"]), "max": int(item["max"])}
        for item in quality_criteria_for(meeting.organization)
    ]
    points = {}
    for item in criteria:
        value = scores.get(item["code"])
        if value is None or not 0 <= int(value) <= item["max"]:
            raise MeetingError(_("Give every line of the form its points, from 0 to its maximum."))
        points[item["code"]] = int(value)
    score = SuperiorScore.objects.filter(meeting=meeting, organization=organization).first()
    score = score or SuperiorScore(meeting=meeting, organization=organization)
    score.scored_by = user
    score.criteria = criteria
    score.scores = points
    score.scored_at = now
    score._history_user = user
    score.save()
    return score
