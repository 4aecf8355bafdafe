"""A meeting's own pages: planning, the detail and recording pages, the workflow
buttons, the lead report (the list of minutes, the cell's year and a member's year are in
meetings/list_views.py; what the committee prepares is copied by meetings/preparation.py)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import BaseFormSet
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from cellmeet import kept
from cellmeet.forms import StaleRecordError, entries_not_saved
from cellmeet.middleware import PRIVATE_CACHE_CONTROL
from cellmeet.redirects import safe_anchor
from cellmeet.sealed import WorkflowError
from meetings import offline, preparation, quality_measures, services, steps, warnings
from meetings.access import get_meeting_for
from meetings.forms import MinutesEditor, PlanMeetingForm
from meetings.models import (
    MeetingStatus,
    SignerRole,
)
from meetings.uploads import CONTENT_TYPES, extension_of
from members.access import access_for, get_organization_for


@login_required
def meeting_plan(request, pk):
    organization = get_organization_for(request.user, pk, keep_records=True)
    if not organization.is_cell:
        raise Http404
    return _plan_form(request, PlanMeetingForm(request.POST or None, organization=organization))


@login_required
def meeting_plan_edit(request, pk):
    meeting = get_meeting_for(request.user, pk, edit=True)
    if meeting.status != MeetingStatus.PLANNED:
        messages.error(request, _("Recording has started; change the details in the minutes."))
        return redirect("meetings:detail", pk=meeting.pk)
    return _plan_form(request, PlanMeetingForm(request.POST or None, instance=meeting))


def _plan_form(request, form):
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.save_planned_meeting(form.save(commit=False), user=request.user)
        except services.MeetingError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The meeting is planned."))
            return redirect("meetings:detail", pk=meeting.pk)
    return render(
        request,
        "meetings/meeting_plan.html",
        {"form": form, "organization": form.instance.organization, "meeting": form.instance},
    )


@login_required
def meeting_detail(request, pk):
    meeting = get_meeting_for(request.user, pk)
    access = access_for(request.user)
    can_record = access.can_keep_records(meeting.organization)
    context = services.minutes_context(meeting)
    context.update(
        {
            "meeting": meeting,
            "reviews": meeting.reviews.select_related("reviewer"),
            # Kept beside the minutes, not in them: shown next to the self-score.
            "superior_scores": meeting.superior_scores.select_related("organization")
            if meeting.status == MeetingStatus.SIGNED
            else [],
            "can_record": can_record,
            "can_review": access.can_review(meeting.organization),
            "missing": services.missing_for_finalize(meeting, context["summary"])
            if can_record and meeting.status == MeetingStatus.DRAFT
            else [],
            "signer_panel": _signer_panel(meeting, request.user, can_record=can_record),
        }
    )
    context["continue_step"] = steps.first_unfinished(context["missing"])
    if can_record and meeting.status == MeetingStatus.DRAFT:
        context["offline"] = offline.offline_pages(meeting)  # kept for recording offline
    return render(request, "meetings/meeting_detail.html", context)


def _signer_panel(meeting, user, *, can_record):
    """The two signatures: for the record keepers, and for a signer with an account."""
    if meeting.status != MeetingStatus.FINALIZED:
        return []
    # Finalizing needs both signers; minutes loaded without them (an import, a fixture)
    # show the panel with nobody to sign rather than fail.
    signers = {role: services.signer_for(meeting, role) for role in SignerRole}
    signer_users = {signer.user_id for signer in signers.values() if signer is not None}
    if not can_record and user.pk not in signer_users:
        return []
    signed = set(meeting.signatures.values_list("role", flat=True))
    panel = []
    for role in (SignerRole.NOTE_TAKER, SignerRole.CHAIR):
        signer = signers[role]
        panel.append(
            {
                "role": role,
                "label": role.label,
                "signer": signer,
                "signed": role in signed,
                "seals": _seals(signed, role),
                "can_sign_with_account": signer is not None and signer.user_id == user.pk,
                "can_record_paper": can_record and signer is not None and signer.user_id is None,
            }
        )
    return panel


@login_required
@require_POST
def meeting_start(request, pk):
    meeting = get_meeting_for(request.user, pk, edit=True)
    return _workflow_step(request, meeting, services.start_recording, then=_first_step)


def _first_step(meeting):
    """Where recording goes on: the first step with something missing, else the review."""
    return redirect(
        "meetings:record_step",
        pk=meeting.pk,
        step=steps.first_unfinished(services.missing_for_finalize(meeting)),
    )


def _workflow_step(request, meeting, step, *, then, success=None, after=None):
    """Run one step of the minutes workflow; if it is refused, say why on the meeting page.
    `after(request, result)` says what follows a step that succeeded."""
    try:
        result = step(meeting, user=request.user)
    except services.MissingItems as error:
        messages.error(
            request,
            _("The minutes cannot be finalized yet. Still missing: %(items)s.")
            % {"items": "; ".join(error.items)},
        )
        return redirect("meetings:detail", pk=meeting.pk)
    except services.MeetingError as error:
        messages.error(request, error.message)
        return redirect("meetings:detail", pk=meeting.pk)
    if success:
        messages.success(request, success)
    if after:
        after(request, result)
    return then(result) if callable(then) else redirect(then, pk=result.pk)


@kept.keeps_submissions
@login_required
def meeting_record(request, pk):
    """Every part of the minutes on one page (the flow's steps are meeting_record_step)."""
    meeting = get_meeting_for(request.user, pk, edit=True)
    return _record_page(request, meeting, None)


@kept.keeps_submissions
@login_required
def meeting_record_step(request, pk, step):
    """One step of the recording flow, or the review step that lists what is missing."""
    meeting = get_meeting_for(request.user, pk, edit=True)
    if step == steps.REVIEW:
        return _review_step(request, meeting)
    return _record_page(request, meeting, steps.step_named(step))


def _record_page(request, meeting, step):
    autosave = kept.is_autosave(request) and request.method == "POST"
    if meeting.status != MeetingStatus.DRAFT:
        if autosave:
            return JsonResponse({"saved": False, "reason": "not_draft"}, status=409)
        if request.method == "POST":
            return _entries_not_saved(request, meeting, step)
        if meeting.status == MeetingStatus.PLANNED:
            messages.info(request, _("Start recording first: press “Start recording”."))
        else:
            messages.error(request, _("Only a draft can be changed."))
        return redirect("meetings:detail", pk=meeting.pk)
    data = request.POST or None
    restored = None
    if request.method == "GET" and request.GET.get("restore"):
        restored = kept.find(request.user, request.GET["restore"], request.path)
        if restored is not None:
            data = kept.as_data(restored)
    editor = MinutesEditor(
        meeting, data, request.FILES or None, step=step, attendance_page=_attendance_page(request)
    )
    if autosave:
        return _autosave(request, editor)
    if request.method == "POST" and editor.is_valid():
        try:
            services.save_draft(meeting, editor.changes(), user=request.user)
        except StaleRecordError:
            editor.minutes.add_error(None, editor.minutes.conflict_message)
        except WorkflowError as error:
            # A rule checked again as the save reached the database (a resolution
            # number another draft took a moment ago): nothing was saved, the part that
            # refused shows why on its field, and her entries stay on the page.
            editor.show_refusal(error)
        else:
            kept.forget(request.user, request.path)
            request.session[JUST_SAVED_SESSION_KEY] = meeting.pk
            return _after_saving(request, meeting, step)
    if restored is not None:
        editor.is_valid()  # a conflict or a problem in the kept text shows before she saves
    context = {
        "meeting": meeting,
        "editor": editor,
        "step": step,
        "errors": editor.error_summary() if data is not None else [],
        "conflicts": editor.minutes.conflicts,
        "file_to_choose_again": request.method == "POST" and bool(request.FILES),
        "restored": restored,
        "pending": None if data is not None else kept.pending_for(request.user, request.path),
        "just_saved": request.session.pop(JUST_SAVED_SESSION_KEY, None) == meeting.pk,
        "autosave_seconds": settings.CELLMEET_AUTOSAVE_IDLE_SECONDS,
        "committee_meeting": preparation.committee_meeting_to_copy(meeting),
        "offline": offline.offline_pages(meeting, step.name if step else offline.ALL_PARTS),
    }
    if editor.attendance is not None or step is None or step.name == "closing":
        context["summary"] = services.summarize_attendance(meeting, editor.rows_as_submitted())
    if editor.minutes.criteria:
        context["quality_lines"] = _quality_lines(editor.minutes, meeting, context["summary"])
    # Nothing sent: the figures shown are those saved, which the progress list counts
    # too (read once: 2,000 rows of a large cell cost a quarter of a second).
    stored = context.get("summary") if data is None else None
    context.update(_progress(meeting, step, summary=stored))
    return render(request, "meetings/meeting_record.html", context)


def _quality_lines(form, meeting, summary):
    """Each box of the self-score with what the record suggests for it (None on a
    line left to judgement)."""
    lines = {
        line["code"]: line
        for line in quality_measures.suggested_lines(meeting, form.criteria, summary)
    }
    return [
        (form[f"{steps.QUALITY}{item['code']}"], lines[str(item["code"])]) for item in form.criteria
    ]


def _progress(meeting, current, summary=None):
    """The steps as the progress list shows them: done, or how many items missing.
    `summary`: the saved attendance's, if the page has it already."""
    missing = services.missing_for_finalize(meeting, summary)
    grouped = steps.missing_by_step(missing)
    shown = [
        {
            "name": step.name,
            "number": step.number,
            "label": step.label,
            "missing": len(grouped[step.name]),
            "optional": step.name in steps.OPTIONAL,
            "current": current is not None and current.name == step.name,
        }
        for step in steps.STEPS
    ]
    return {
        "steps": shown,
        "step_templates": [step.template for step in steps.STEPS],
        "missing": missing,
        "missing_by_step": grouped,
        "previous_step": steps.before(current) if current else None,
        "next_step": steps.after(current) if current else None,
        "review_label": steps.REVIEW_LABEL,
    }


def _review_step(request, meeting):
    """The last step: what is still missing, each item linked to its box, and Finalize."""
    if meeting.status != MeetingStatus.DRAFT:
        if meeting.status == MeetingStatus.PLANNED:
            messages.info(request, _("Start recording first: press “Start recording”."))
        return redirect("meetings:detail", pk=meeting.pk)
    if request.method == "POST":
        try:
            services.finalize_minutes(meeting, user=request.user)
        except services.MeetingError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The minutes are finalized. They can now be signed."))
            return redirect("meetings:detail", pk=meeting.pk)
        return redirect("meetings:record_step", pk=meeting.pk, step=steps.REVIEW)
    context = {
        "meeting": meeting,
        "step": None,
        "reviewing": True,
        "offline": offline.offline_pages(meeting, steps.REVIEW),
    }
    context["summary"] = services.summarize_attendance(meeting)
    context.update(_progress(meeting, None, summary=context["summary"]))
    return render(request, "meetings/meeting_record_review.html", context)


JUST_SAVED_SESSION_KEY = "cellmeet_minutes_just_saved"


@require_POST
def meeting_offline_sync(request, pk):
    """The captures her browser made offline (meetings/offline.py), answered one by one
    in JSON. Signed out: 401, and the browser keeps its queue until she signs in."""
    if not request.user.is_authenticated:
        response = JsonResponse({"reason": "signed_out"}, status=401)
        response["Cache-Control"] = PRIVATE_CACHE_CONTROL
        return response
    meeting = get_meeting_for(request.user, pk, edit=True)
    try:
        captures = offline.read_captures(request.body, meeting)
    except ValueError:
        return JsonResponse({"reason": "bad_request"}, status=400)
    return JsonResponse({"results": offline.sync(meeting, captures, user=request.user)})


def _autosave(request, editor):
    """The browser's background save: only ever a save the Save button could make.

    Refused on a conflict (never over someone else's newer save). A submission that adds
    or removes rows is kept server-side instead, for the Save button to put in: the page
    would otherwise not know the new rows' ids and save them twice.
    """
    if not editor.is_valid():
        if editor.minutes.stale:
            return JsonResponse({"saved": False, "reason": "conflict"}, status=409)
        keep_for_later = kept.keep(request, user=request.user)
        return JsonResponse(
            {"saved": False, "kept": keep_for_later is not None, "reason": "invalid"}
        )
    if _changes_rows(editor):
        keep_for_later = kept.keep(request, user=request.user)
        return JsonResponse({"saved": False, "kept": keep_for_later is not None, "reason": "rows"})
    try:
        meeting = services.save_draft(editor.meeting, editor.changes(), user=request.user)
    except StaleRecordError:
        return JsonResponse({"saved": False, "reason": "conflict"}, status=409)
    kept.forget(request.user, request.path)
    return JsonResponse(
        {
            "saved": True,
            "version": meeting.version,
            "time": timezone.localtime().strftime("%H:%M"),
        }
    )


def _changes_rows(editor):
    formsets = list(editor.row_formsets)
    for part in editor.extra_parts:
        formsets += [value for value in vars(part).values() if isinstance(value, BaseFormSet)]
    return any(
        formset.deleted_forms or any(form.has_changed() for form in formset.extra_forms)
        for formset in formsets
    )


def _entries_not_saved(request, meeting, step=None):
    """The minutes stopped being a draft under her: show what she typed, to copy, and keep it."""
    editor = MinutesEditor(meeting, request.POST, None, step=step)
    kept.keep(request, user=request.user)
    context = {
        "meeting": meeting,
        "entries": entries_not_saved([*editor.parts, *editor.extra_parts]),
        "hours": settings.CELLMEET_KEPT_SUBMISSION_HOURS,
    }
    return render(request, "meetings/meeting_record_not_saved.html", context)


def _attendance_page(request, *, going=False):
    """The page of a large cell's attendance shown (in the address: the rows a save
    holds); `going`: where a page button sends her once the save is done."""
    wanted = (request.POST.get("attendance_page") if going else None) or request.GET.get("page")
    wanted = wanted or ""
    return int(wanted) if wanted.isdigit() and len(wanted) < 6 else None


def _after_saving(request, meeting, step=None):
    if "finalize" in request.POST:
        try:
            services.finalize_minutes(meeting, user=request.user)
        except services.MissingItems as error:
            messages.warning(
                request,
                _("The draft is saved, but it cannot be finalized yet. Still missing: %(items)s.")
                % {"items": "; ".join(error.items)},
            )
            return redirect(request.path)
        _say_finalized(request, meeting)
        return redirect("meetings:detail", pk=meeting.pk)
    messages.success(
        request,
        _("Draft saved at %(time)s.") % {"time": timezone.localtime().strftime("%H:%M")},
    )
    if "stay" in request.POST:
        return redirect(
            f"{request.path}{_page_query(request)}#{safe_anchor(request.POST.get('stay'))}"
        )
    if "attendance_page" in request.POST or "all_present" in request.POST:
        return redirect(f"{request.path}{_page_query(request)}#attendance")
    if step is not None:
        # "Save and continue" and "Back" save the step as she moves on.
        going = {"next": steps.after(step), "back": steps.before(step)}.get(request.POST.get("go"))
        return redirect("meetings:record_step", pk=meeting.pk, step=going or step.name)
    return redirect(f"{reverse('meetings:record', args=[meeting.pk])}{_page_query(request)}")


def _page_query(request):
    page = _attendance_page(request, going=True)
    return f"?page={page}" if page and page > 1 else ""


def _say_finalized(request, meeting):
    """Finalized: and what the meeting's length falls short of (a warning, not a block)."""
    messages.success(request, _("The minutes are finalized. They can now be signed."))
    for warning in warnings.duration_warnings(meeting):
        messages.warning(request, warning)


@login_required
@require_POST
def meeting_copy_from_committee(request, pk, committee_pk):
    """Copy the cell committee's draft resolution and agenda into a regular draft."""
    meeting = get_meeting_for(request.user, pk, edit=True)
    committee = get_meeting_for(request.user, committee_pk)
    if committee.organization_id != meeting.organization_id:
        raise Http404
    try:
        copied, agenda_copied = preparation.copy_from_committee_meeting(
            meeting, committee, user=request.user
        )
    except services.MeetingError as error:
        messages.error(request, error.message)
    else:
        if agenda_copied:
            text = ngettext(
                "Copied from the cell committee meeting: the agenda and %(count)s task.",
                "Copied from the cell committee meeting: the agenda and %(count)s tasks.",
                copied,
            )
        else:
            text = ngettext(
                "Copied from the cell committee meeting: %(count)s task (the agenda was "
                "already written).",
                "Copied from the cell committee meeting: %(count)s tasks (the agenda was "
                "already written).",
                copied,
            )
        messages.success(request, text % {"count": copied})
    return _back_to_recording(meeting, request.POST.get("step"))


def _back_to_recording(meeting, step_name):
    """Back where the button was pressed: the same step of the recording flow, or the
    one-page form (never from a step to the one-page form, which offers to finalize)."""
    if step_name in steps.NAMES:
        return redirect("meetings:record_step", pk=meeting.pk, step=step_name)
    return redirect("meetings:record", pk=meeting.pk)


@login_required
@require_POST
def meeting_finalize(request, pk):
    meeting = get_meeting_for(request.user, pk, edit=True)
    return _workflow_step(
        request, meeting, services.finalize_minutes, then="meetings:detail", after=_say_finalized
    )


@login_required
@require_POST
def meeting_reopen(request, pk):
    meeting = get_meeting_for(request.user, pk, edit=True)
    return _workflow_step(
        request,
        meeting,
        services.reopen_minutes,
        then=_first_step,
        success=_("The minutes are a draft again."),
    )


def _seals(signed_roles, role):
    """Whether this signature is the last one, which seals the minutes for good
    (services.sign_minutes seals once every signer has signed)."""
    return role not in signed_roles and set(SignerRole.values) - set(signed_roles) == {role}


@login_required
@require_POST
def meeting_sign(request, pk):
    """Signers confirm with their own account; the record keepers note paper signatures.
    The last signature seals the minutes: it needs the box saying so ticked."""
    on_paper = request.POST.get("on_paper") == "1"
    meeting = get_meeting_for(request.user, pk, edit=on_paper)
    role = request.POST.get("role")
    if role not in SignerRole.values:
        messages.error(request, _("Choose who signs."))
        return redirect("meetings:detail", pk=meeting.pk)
    signed = set(meeting.signatures.values_list("role", flat=True))
    if _seals(signed, role) and request.POST.get("understood_final") != "1":
        messages.error(
            request,
            _(
                "Not signed yet. This signature seals the minutes for good: tick "
                "“I understand that once signed, the minutes cannot be changed” to sign."
            ),
        )
        return redirect("meetings:detail", pk=meeting.pk)
    try:
        meeting = services.sign_minutes(
            meeting,
            user=request.user,
            role=role,
            on_paper=on_paper,
            site_url=request.build_absolute_uri("/"),
        )
    except services.MeetingError as error:
        messages.error(request, error.message)
    else:
        if meeting.status == MeetingStatus.SIGNED:
            messages.success(request, _("The minutes are signed. They can no longer be changed."))
        else:
            messages.success(request, _("The signature is recorded."))
    return redirect("meetings:detail", pk=meeting.pk)


@login_required
@require_POST
def meeting_correct(request, pk):
    meeting = get_meeting_for(request.user, pk, edit=True)
    return _workflow_step(
        request,
        meeting,
        services.start_correction,
        then=_first_step,
        success=_("A corrected version was opened. The returned minutes are kept as they were."),
    )


@login_required
def meeting_lead_report(request, pk):
    meeting = get_meeting_for(request.user, pk)
    if not meeting.lead_report or not meeting.lead_report.storage.exists(meeting.lead_report.name):
        raise Http404
    extension = extension_of(meeting.lead_report.name)
    return FileResponse(
        meeting.lead_report.open("rb"),
        as_attachment=True,
        filename=f"bao-cao-de-dan-{meeting.pk}.{extension}",
        content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
    )
