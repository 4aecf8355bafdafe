"""The cell's minutes pages: the list, planning, the detail and recording pages, the
workflow buttons, the cell's year, a member's record, the printed minutes and verification."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.forms import BaseFormSet
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cellmeet import kept
from cellmeet.forms import StaleRecordError, entries_not_saved
from cellmeet.sealed import WorkflowError
from meetings import pdf, record, services
from meetings.access import get_meeting_for
from meetings.forms import MeetingFilterForm, MinutesEditor, PlanMeetingForm
from meetings.member_year import member_year
from meetings.models import (
    AttendanceStatus,
    Meeting,
    MeetingStatus,
    SignerRole,
)
from meetings.uploads import CONTENT_TYPES, extension_of
from meetings.year import year_overview
from members.access import access_for, get_member_for, get_organization_for
from members.models import Organization


@login_required
def meeting_list(request):
    cells = Organization.objects.visible_to(request.user).cells().order_by("path")
    form = MeetingFilterForm(request.GET or None, cells=cells)
    meetings = (
        Meeting.objects.visible_to(request.user)
        .current()
        .select_related("organization", "chair")
        .annotate(
            marked_present=Count(
                "attendances", filter=Q(attendances__status=AttendanceStatus.PRESENT)
            ),
            roster_size=Count("attendances"),
        )
        .order_by("-scheduled_at", "-pk")
    )
    form.is_valid()
    # Each filter applies on its own: a stale or foreign cell id in the address must
    # not silently switch off the kind, year and status the user chose.
    filters = getattr(form, "cleaned_data", {})
    if filters.get("cell"):
        meetings = meetings.filter(organization=filters["cell"])
    if filters.get("kind"):
        meetings = meetings.filter(kind=filters["kind"])
    if filters.get("year"):
        meetings = meetings.filter(year=filters["year"])
    if filters.get("status"):
        meetings = meetings.filter(status=filters["status"])
    page = Paginator(meetings, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "meetings/meeting_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


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
            "can_record": can_record,
            "can_review": access.can_review(meeting.organization),
            "missing": services.missing_for_finalize(meeting, context["summary"])
            if can_record and meeting.status == MeetingStatus.DRAFT
            else [],
            "signer_panel": _signer_panel(meeting, request.user, can_record=can_record),
        }
    )
    return render(request, "meetings/meeting_detail.html", context)


def _signer_panel(meeting, user, *, can_record):
    """The two signatures: for the record keepers, and for a signer with an account."""
    if meeting.status != MeetingStatus.FINALIZED:
        return []
    if not can_record and user.pk not in {meeting.chair.user_id, meeting.note_taker.user_id}:
        return []
    signed = set(meeting.signatures.values_list("role", flat=True))
    panel = []
    for role in (SignerRole.NOTE_TAKER, SignerRole.CHAIR):
        signer = services.signer_for(meeting, role)
        panel.append(
            {
                "role": role,
                "label": role.label,
                "signer": signer,
                "signed": role in signed,
                "can_sign_with_account": signer.user_id == user.pk,
                "can_record_paper": can_record and signer.user_id is None,
            }
        )
    return panel


@login_required
@require_POST
def meeting_start(request, pk):
    meeting = get_meeting_for(request.user, pk, edit=True)
    return _workflow_step(request, meeting, services.start_recording, then="meetings:record")


def _workflow_step(request, meeting, step, *, then, success=None):
    """Run one step of the minutes workflow; if it is refused, say why on the meeting page."""
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
    return redirect(then, pk=result.pk)


@kept.keeps_submissions
@login_required
def meeting_record(request, pk):
    meeting = get_meeting_for(request.user, pk, edit=True)
    autosave = kept.is_autosave(request) and request.method == "POST"
    if meeting.status != MeetingStatus.DRAFT:
        if autosave:
            return JsonResponse({"saved": False, "reason": "not_draft"}, status=409)
        if request.method == "POST":
            return _entries_not_saved(request, meeting)
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
    editor = MinutesEditor(meeting, data, request.FILES or None)
    if autosave:
        return _autosave(request, editor)
    if request.method == "POST" and editor.is_valid():
        try:
            editor.save()
        except StaleRecordError:
            editor.minutes.add_error(None, editor.minutes.conflict_message)
        except WorkflowError as error:
            # A rule checked again as the save reached the database (a resolution
            # number another draft took a moment ago): nothing was saved, the part that
            # refused shows why on its field, and her entries stay on the page.
            if not editor.error_summary():
                editor.minutes.add_error(None, error.message)
        else:
            kept.forget(request.user, request.path)
            request.session[JUST_SAVED_SESSION_KEY] = meeting.pk
            return _after_saving(request, meeting)
    if restored is not None:
        editor.is_valid()  # a conflict or a problem in the kept text shows before she saves
    summary = services.summarize_attendance(meeting, _rows_as_submitted(editor))
    context = {
        "meeting": meeting,
        "editor": editor,
        "summary": summary,
        "errors": editor.error_summary() if data is not None else [],
        "conflicts": editor.minutes.conflicts,
        "file_to_choose_again": request.method == "POST" and bool(request.FILES),
        "restored": restored,
        "pending": None if data is not None else kept.pending_for(request.user, request.path),
        "just_saved": request.session.pop(JUST_SAVED_SESSION_KEY, None) == meeting.pk,
        "autosave_seconds": settings.CELLMEET_AUTOSAVE_IDLE_SECONDS,
    }
    return render(request, "meetings/meeting_record.html", context)


JUST_SAVED_SESSION_KEY = "cellmeet_minutes_just_saved"


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
        meeting = editor.save()
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
    formsets = [editor.guests, editor.speeches]
    for part in editor.extra_parts:
        formsets += [value for value in vars(part).values() if isinstance(value, BaseFormSet)]
    return any(
        formset.deleted_forms or any(form.has_changed() for form in formset.extra_forms)
        for formset in formsets
    )


def _entries_not_saved(request, meeting):
    """The minutes stopped being a draft under her: show what she typed, to copy, and keep it."""
    editor = MinutesEditor(meeting, request.POST, None)
    kept.keep(request, user=request.user)
    context = {
        "meeting": meeting,
        "entries": entries_not_saved([*editor.parts, *editor.extra_parts]),
        "hours": settings.CELLMEET_KEPT_SUBMISSION_HOURS,
    }
    return render(request, "meetings/meeting_record_not_saved.html", context)


def _rows_as_submitted(editor):
    """Attendance rows with the statuses on the page, to count them as the user sees them."""
    return [form.instance for form in editor.attendance.forms]


def _after_saving(request, meeting):
    if "finalize" in request.POST:
        try:
            services.finalize_minutes(meeting, user=request.user)
        except services.MissingItems as error:
            messages.warning(
                request,
                _("The draft is saved, but it cannot be finalized yet. Still missing: %(items)s.")
                % {"items": "; ".join(error.items)},
            )
            return redirect("meetings:record", pk=meeting.pk)
        messages.success(request, _("The minutes are finalized. They can now be signed."))
        return redirect("meetings:detail", pk=meeting.pk)
    messages.success(
        request,
        _("Draft saved at %(time)s.") % {"time": timezone.localtime().strftime("%H:%M")},
    )
    if "stay" in request.POST:
        return redirect(f"{request.path}#{request.POST.get('stay') or 'top'}")
    return redirect("meetings:record", pk=meeting.pk)


@login_required
@require_POST
def meeting_finalize(request, pk):
    meeting = get_meeting_for(request.user, pk, edit=True)
    return _workflow_step(
        request,
        meeting,
        services.finalize_minutes,
        then="meetings:detail",
        success=_("The minutes are finalized. They can now be signed."),
    )


@login_required
@require_POST
def meeting_reopen(request, pk):
    meeting = get_meeting_for(request.user, pk, edit=True)
    return _workflow_step(
        request,
        meeting,
        services.reopen_minutes,
        then="meetings:record",
        success=_("The minutes are a draft again."),
    )


@login_required
@require_POST
def meeting_sign(request, pk):
    """Signers confirm with their own account; the record keepers note paper signatures."""
    on_paper = request.POST.get("on_paper") == "1"
    meeting = get_meeting_for(request.user, pk, edit=on_paper)
    role = request.POST.get("role")
    if role not in SignerRole.values:
        messages.error(request, _("Choose who signs."))
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
        then="meetings:record",
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


@login_required
def cell_year(request, pk, year):
    organization = get_organization_for(request.user, pk)
    if not organization.is_cell:
        raise Http404
    context = {
        "organization": organization,
        "overview": year_overview(organization, year),
        "can_record": access_for(request.user).can_keep_records(organization),
    }
    return render(request, "meetings/cell_year.html", context)


def _pdf_response(content, filename, *, inline=True):
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=not inline, filename=filename
    )
    return response


@login_required
def meeting_minutes_pdf(request, pk):
    meeting = get_meeting_for(request.user, pk)
    return _pdf_response(pdf.minutes_pdf_bytes(meeting, request), pdf.pdf_filename(meeting))


@login_required
def meeting_resolution_pdf(request, pk):
    """The resolution printed beside the minutes, with the same access."""
    meeting = get_meeting_for(request.user, pk)
    content = pdf.render_resolution(meeting, request)
    if content is None:
        raise Http404
    return _pdf_response(content, pdf.resolution_filename(meeting))


@login_required
def meeting_attendance_sheet(request, pk):
    meeting = get_meeting_for(request.user, pk)
    return _pdf_response(pdf.render_attendance_sheet(meeting), f"danh-sach-du-hop-{meeting.pk}.pdf")


def _normalized_fingerprint(text):
    return "".join(char for char in (text or "").lower() if char in "0123456789abcdef")


MINIMUM_FINGERPRINT_DIGITS = 12


def verify(request, fingerprint=None):
    """Anyone may learn whether signed minutes with this fingerprint exist and whether
    that version is current; only those entitled to the cell see what they are and
    what happened to them."""
    typed = request.GET.get("code")
    if fingerprint is None and typed:
        return redirect("meetings:verify", fingerprint=_normalized_fingerprint(typed) or "0")
    context = {"fingerprint": fingerprint, "searched": fingerprint is not None}
    status = 200
    if fingerprint is not None:
        digits = _normalized_fingerprint(fingerprint)
        if len(digits) < MINIMUM_FINGERPRINT_DIGITS:
            context["too_short"] = True
            status = 404
        else:
            matches = list(
                Meeting.objects.filter(fingerprint__startswith=digits)
                .exclude(fingerprint="")
                .select_related("organization", "superseded_by", "chair", "note_taker")[:2]
            )
            meeting = matches[0] if len(matches) == 1 else None
            context["meeting_exists"] = meeting is not None
            if meeting is None:
                status = 404
            elif request.user.is_authenticated and access_for(request.user).can_view(
                meeting.organization
            ):
                context["superseded"] = meeting.status == MeetingStatus.SUPERSEDED
                context["returned"] = meeting.status == MeetingStatus.RETURNED
                context["meeting"] = meeting
                context["minutes"] = record.record_of(meeting)
            else:
                # A stranger learns that the code is genuine and whether this version
                # still stands: never that it was returned, reviewed or corrected.
                context["is_current_version"] = (
                    meeting.status == MeetingStatus.SIGNED and meeting.is_current
                )
    return render(request, "meetings/verify.html", context, status=status)


@login_required
def member_record(request, pk, year):
    """A member's year for the annual rating: attendance, tasks, praise, reminders."""
    member = get_member_for(request.user, pk)
    context = {"member": member, "record": member_year(member, year)}
    return render(request, "meetings/member_record.html", context)
