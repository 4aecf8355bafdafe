"""The member import pages: upload, preview, confirm, and the template download.

Thin: reading, checking and creating are in members.spreadsheet; these views keep
the checked rows in the session between the preview and the confirmation.
"""

import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from cellmeet.downloads import XLSX, document_response
from members.access import get_organization_for
from members.forms import ImportUploadForm
from members.spreadsheet import (
    FIELDS,
    TEMPLATE_FILE_NAME,
    TEMPLATE_HEADINGS,
    ImportFileError,
    RowsInvalid,
    build_template,
    create_members,
    display_row,
    parse_sheet,
    validate_rows,
)

SESSION_KEY = "member_import:{pk}"


def _cell_or_refusal(request, pk):
    """(organization, None) for a cell the user may edit, else (organization, redirect)."""
    organization = get_organization_for(request.user, pk, keep_records=True)
    if not organization.is_cell:
        messages.error(request, _("Members are imported into a party cell, not into a committee."))
        return organization, redirect("members:organization_detail", pk=organization.pk)
    return organization, None


def _session_key(organization):
    return SESSION_KEY.format(pk=organization.pk)


def _upload_form(data=None, files=None):
    form = ImportUploadForm(data, files)
    form.fields["file"].widget.attrs["accept"] = f".xlsx,{XLSX}"
    return form


@login_required
def import_upload(request, pk):
    organization, refusal = _cell_or_refusal(request, pk)
    if refusal:
        return refusal
    if request.method != "POST":
        return _render_upload(request, organization, _upload_form())

    form = _upload_form(request.POST, request.FILES)
    request.session.pop(_session_key(organization), None)  # a new file replaces the old
    if not form.is_valid():
        return _render_upload(request, organization, form)
    upload = form.cleaned_data["file"]
    try:
        sheet = parse_sheet(upload)
    except ImportFileError as error:
        form.add_error("file", error.message)
        return _render_upload(request, organization, form)

    valid, errors = validate_rows(sheet.rows, organization)
    token = ""
    if not errors:
        token = secrets.token_urlsafe(16)
        request.session[_session_key(organization)] = {
            "token": token,
            "file_name": upload.name,
            "rows": valid,
        }
    return _render_preview(
        request,
        organization,
        rows=valid if not errors else sheet.rows,
        errors=errors,
        token=token,
        file_name=upload.name,
        ignored_headings=sheet.ignored_headings,
    )


@login_required
@require_POST
def import_confirm(request, pk):
    organization, refusal = _cell_or_refusal(request, pk)
    if refusal:
        return refusal
    pending = request.session.get(_session_key(organization))
    if not pending:
        messages.warning(
            request, _("There is nothing waiting to be imported. Upload the file first.")
        )
        return redirect("members:member_import", pk=organization.pk)
    if request.POST.get("token") != pending.get("token"):
        messages.warning(
            request,
            _("This preview is out of date: another file was uploaded since. Check it again."),
        )
        return redirect("members:member_import", pk=organization.pk)

    request.session.pop(_session_key(organization))
    rows = pending["rows"]
    try:
        created = create_members(rows, organization)
    except RowsInvalid as invalid:
        return _render_preview(
            request,
            organization,
            rows=rows,
            errors=invalid.errors,
            token="",
            file_name=pending.get("file_name", ""),
            changed_since_preview=True,
        )
    except IntegrityError:
        messages.error(
            request,
            _(
                "The members could not be saved because the list changed while you were "
                "importing. Nothing was imported. Upload the file again."
            ),
        )
        return redirect("members:member_import", pk=organization.pk)
    messages.success(
        request,
        ngettext(
            "%(count)s member was added to %(cell)s.",
            "%(count)s members were added to %(cell)s.",
            len(created),
        )
        % {"count": len(created), "cell": organization.name},
    )
    return redirect("members:member_list", pk=organization.pk)


@login_required
def import_template(request, pk):
    organization, refusal = _cell_or_refusal(request, pk)
    if refusal:
        return refusal
    return document_response(
        build_template(), TEMPLATE_FILE_NAME, content_type=XLSX, attachment=True
    )


def _render_upload(request, organization, form):
    context = {
        "organization": organization,
        "form": form,
        "headings": [TEMPLATE_HEADINGS[name] for name in FIELDS],
        "max_rows": settings.MEMBER_IMPORT_MAX_ROWS,
    }
    return render(request, "members/import_upload.html", context)


def _render_preview(request, organization, *, rows, errors, token, file_name, **extra):
    errors_by_row = {}
    for error in errors:
        errors_by_row.setdefault(error["row"], []).append(error)
    context = {
        "organization": organization,
        "rows": [display_row(row, errors_by_row.get(row["row"], [])) for row in rows],
        "errors": errors,
        "bad_row_count": len(errors_by_row),
        "token": token,
        "file_name": file_name,
        "can_confirm": bool(token) and not errors,
        "ignored_headings": extra.get("ignored_headings", []),
        "changed_since_preview": extra.get("changed_since_preview", False),
    }
    return render(request, "members/import_preview.html", context)
