"""Monthly guidance from superior committees to the cells below them.

A committee's reviewers and administrators write the guidance for a month (news
briefing material, task orientation, suggested thematic topics, documents) and
publish it. From then on every organisation under the publisher reads it, and the
secretary finds it beside the news briefing while recording the minutes
(`guidance_for(meeting)`, shown by the `guidance_panel` template tag). Drafts stay
with the publisher's reviewers and administrators.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.forms import inlineformset_factory
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cellmeet import signals
from cellmeet.converters import FIRST_YEAR, LAST_YEAR, in_year_range
from cellmeet.forms import CleanTextModelForm, StaleRecordError, VersionedModelForm, bounded_rows
from cellmeet.text import searchable
from meetings.uploads import CONTENT_TYPES, extension_of, validate_document
from members.access import REVIEWERS, access_for, check, get_organization_for
from members.models import ids_on_path
from members.subtree import is_under
from oversight.models import Guidance, GuidanceDocument
from printing import national_app
from printing.pdf import header_context, render_pdf

# ---------------------------------------------------------------- documents

DEFAULT_DOCUMENT_MAX_BYTES = 20 * 1024 * 1024
DOCUMENT_TYPES = ("pdf", "docx", "odt", "xlsx", "png", "jpg", "jpeg")
DOCUMENT_ACCEPT = ",".join(f".{extension}" for extension in DOCUMENT_TYPES)


def document_max_bytes():
    return settings.CELLMEET_MEETINGS.get("GUIDANCE_DOCUMENT_MAX_BYTES", DEFAULT_DOCUMENT_MAX_BYTES)


def validate_guidance_document(upload):
    return validate_document(
        upload,
        allowed=DOCUMENT_TYPES,
        max_bytes=document_max_bytes(),
        type_message=_(
            "Upload a PDF, Word (.docx), OpenDocument (.odt), Excel (.xlsx) "
            "or image (PNG, JPEG) file."
        ),
    )


# ---------------------------------------------------------------- who sees what


def visible_guidance(user):
    """Published guidance of any organisation above or below the user's roles;
    drafts only for the reviewers and administrators of the publisher (or above)."""
    access = access_for(user)
    if access.is_superuser:
        return Guidance.objects.all()
    above_roles = {pk for _kind, path, _id in access.roles for pk in ids_on_path(path)}
    readers = access.scope_q("organization__path") | Q(organization_id__in=above_roles)
    drafters = access.scope_q("organization__path", REVIEWERS)
    return Guidance.objects.filter((Q(published_at__isnull=False) & readers) | drafters)


def get_guidance_for(user, pk, *, edit=False):
    """The guidance if the user may read it (404 otherwise); 403 if editing is asked
    by someone who only reads it."""
    guidance = (
        visible_guidance(user)
        .filter(pk=pk)
        .select_related("organization", "organization__parent", "created_by")
        .first()
    )
    if guidance is None:
        raise Http404
    if edit:
        check(access_for(user).can_review(guidance.organization))
    return guidance


def received_guidance(organization):
    """Published guidance of the committees above the organisation, top first."""
    above = organization.ancestor_ids()
    return (
        Guidance.objects.filter(organization_id__in=above, published_at__isnull=False)
        .select_related("organization")
        .order_by("-year", "-month", "organization__path")
    )


def guidance_for(meeting):
    """What the committees above the meeting's cell published for its month."""
    return (
        received_guidance(meeting.organization)
        .filter(year=meeting.year, month=meeting.month)
        .prefetch_related("documents")
        .order_by("organization__path")
    )


# ---------------------------------------------------------------- services


class GuidanceError(ValidationError):
    """A step on guidance that cannot happen, with the reason in plain words."""


def has_text(guidance):
    """Whether the guidance says something in words (besides its documents)."""
    return any(
        text.strip()
        for text in (guidance.news_material, guidance.orientation, guidance.thematic_suggestions)
    )


def month_taken(organization_id, year, month, *, besides=None):
    """Another guidance of the same organisation for that month exists."""
    return (
        Guidance.objects.filter(organization_id=organization_id, year=year, month=month)
        .exclude(pk=besides)
        .exists()
    )


@transaction.atomic
def publish_guidance(guidance, *, user):
    """From now on every organisation under the publisher reads it."""
    guidance = Guidance.objects.select_for_update().get(pk=guidance.pk)
    if guidance.is_published:
        raise GuidanceError(_("This guidance is already published."))
    if not has_text(guidance) and not guidance.documents.exists():
        raise GuidanceError(_("Write the guidance or attach a document before publishing it."))
    guidance.published_at = timezone.now()
    # Publishing is a change: a form opened on the draft must not silently save over it.
    guidance.version += 1
    guidance._change_reason = "publish guidance"
    guidance.save()
    signals.guidance_published.send(sender=Guidance, guidance=guidance)
    return guidance


# ---------------------------------------------------------------- forms


def month_choices():
    return [(month, _("Month %(month)s") % {"month": month}) for month in range(1, 13)]


class GuidanceForm(VersionedModelForm):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    month = forms.TypedChoiceField(label=gettext_lazy("Month"), coerce=int, choices=month_choices)

    class Meta:
        model = Guidance
        fields = ["year", "month", "news_material", "orientation", "thematic_suggestions"]

        widgets = {
            name: forms.Textarea(attrs={"rows": 8})
            for name in ["news_material", "orientation", "thematic_suggestions"]
        }
        help_texts = {
            "news_material": gettext_lazy(
                "Cells can copy this into the news briefing of their minutes."
            ),
            "thematic_suggestions": gettext_lazy("One topic a line."),
        }

    def __init__(self, *args, organization=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organization is not None:
            self.instance.organization = organization
        if not self.instance.pk:
            today = timezone.localdate()
            self.fields["year"].initial = today.year
            self.fields["month"].initial = today.month

    def clean(self):
        cleaned_data = super().clean()
        year, month = cleaned_data.get("year"), cleaned_data.get("month")
        organization_id, besides = self.instance.organization_id, self.instance.pk
        if year and month and month_taken(organization_id, year, month, besides=besides):
            self.add_error(
                "month",
                _(
                    "This organisation already has guidance for %(month)s/%(year)s: "
                    "open it from the list to change it."
                )
                % {"month": month, "year": year},
            )
        return cleaned_data

    @transaction.atomic
    def save_with_documents(self, documents, *, user):
        """Save the guidance and its documents as one; StaleRecordError on a conflict,
        GuidanceError when a parallel request took the month first."""
        guidance = self.save(commit=False)
        is_new = guidance.pk is None
        if is_new:
            guidance.created_by = user
        guidance._change_reason = "create guidance" if is_new else "edit guidance"
        guidance._history_user = user
        try:
            with transaction.atomic():
                guidance.save()
        except IntegrityError as error:
            raise GuidanceError(
                _("This organisation already has guidance for %(month)s/%(year)s.")
                % {"month": guidance.month, "year": guidance.year}
            ) from error
        documents.instance = guidance
        documents.save()
        return guidance


class GuidanceDocumentForm(CleanTextModelForm):
    class Meta:
        model = GuidanceDocument
        fields = ["title", "file"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        if self.instance.pk:
            # A stored document is replaced by removing it and adding the new one.
            del self.fields["file"]
        else:
            self.fields["file"].required = False
            self.fields["file"].max_length = None  # storage shortens long names itself
            self.fields["file"].widget = forms.FileInput(attrs={"accept": DOCUMENT_ACCEPT})
            self.fields["file"].help_text = _(
                "PDF, Word, OpenDocument, Excel or an image; at most %(limit)s."
            ) % {"limit": filesizeformat(document_max_bytes())}

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            validate_guidance_document(upload)
        return upload

    def clean(self):
        cleaned_data = super().clean()
        title = (cleaned_data.get("title") or "").strip()
        if self.instance.pk:
            if not title:
                self.add_error("title", _("Write the title of the document."))
            return cleaned_data
        upload = cleaned_data.get("file")
        if upload and not title:
            cleaned_data["title"] = upload.name.rsplit(".", 1)[0][:300]
        elif title and not upload and "file" not in self.errors:
            self.add_error("file", _("Choose the file of this document."))
        return cleaned_data


GuidanceDocumentFormSet = inlineformset_factory(
    Guidance,
    GuidanceDocument,
    form=GuidanceDocumentForm,
    extra=2,
    can_delete=True,
    **bounded_rows(20),
)


# ---------------------------------------------------------------- views


def _year_asked(request):
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if in_year_range(year) else timezone.localdate().year


@login_required
def guidance_list(request, pk):
    """A cell: the guidance received from the committees above. A committee: what it
    published (drafts too, for its reviewers), then what it received."""
    organization = get_organization_for(request.user, pk)
    year = _year_asked(request)
    can_publish = not organization.is_cell and access_for(request.user).can_review(organization)
    published_here = []
    if not organization.is_cell:
        published_here = (
            Guidance.objects.filter(organization=organization, year=year)
            .annotate(document_count=Count("documents"))
            .order_by("-month")
        )
        if not can_publish:
            published_here = published_here.filter(published_at__isnull=False)
    received = (
        received_guidance(organization)
        .filter(year=year)
        .annotate(document_count=Count("documents"))
    )
    context = {
        "organization": organization,
        "year": year,
        "can_publish": can_publish,
        "published_here": published_here,
        "received": received,
    }
    return render(request, "oversight/guidance_list.html", context)


@login_required
def guidance_create(request, pk):
    organization = get_organization_for(request.user, pk)
    check(access_for(request.user).can_review(organization))
    if organization.is_cell:  # cells receive guidance, they do not publish it
        raise Http404
    guidance = Guidance(organization=organization)
    return _guidance_form(request, guidance)


@login_required
def guidance_edit(request, pk):
    guidance = get_guidance_for(request.user, pk, edit=True)
    return _guidance_form(request, guidance)


def _guidance_form(request, guidance):
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    form = GuidanceForm(data, instance=guidance)
    documents = GuidanceDocumentFormSet(data, files, instance=guidance, prefix="documents")
    if request.method == "POST":
        valid = [form.is_valid(), documents.is_valid()]  # both run, so both show errors
        if all(valid):
            try:
                guidance = form.save_with_documents(documents, user=request.user)
            except StaleRecordError:
                form.add_error(None, form.conflict_message)
            except GuidanceError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The guidance is saved."))
                return redirect("oversight:guidance_detail", pk=guidance.pk)
    context = {
        "form": form,
        "documents": documents,
        "guidance": guidance,
        "organization": guidance.organization,
        "files_to_choose_again": request.method == "POST" and bool(request.FILES),
    }
    return render(request, "oversight/guidance_form.html", context)


def _back_organization(user, guidance):
    """Where "back" leads: the publisher's list if the user sees it, else their cell's."""
    access = access_for(user)
    if access.can_view(guidance.organization):
        return guidance.organization
    return next(
        (cell for cell in access.home_cells() if is_under(cell, guidance.organization)),
        None,
    )


@login_required
def guidance_detail(request, pk):
    guidance = get_guidance_for(request.user, pk)
    context = {
        "guidance": guidance,
        "documents": guidance.documents.all(),
        "can_edit": access_for(request.user).can_review(guidance.organization),
        "back_organization": _back_organization(request.user, guidance),
    }
    return render(request, "oversight/guidance_detail.html", context)


@login_required
@require_POST
def guidance_publish(request, pk):
    guidance = get_guidance_for(request.user, pk, edit=True)
    try:
        publish_guidance(guidance, user=request.user)
    except GuidanceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The guidance is published: the cells below can read it now."))
    return redirect("oversight:guidance_detail", pk=guidance.pk)


@login_required
def guidance_document(request, pk):
    document = (
        GuidanceDocument.objects.filter(pk=pk, guidance__in=visible_guidance(request.user))
        .select_related("guidance")
        .first()
    )
    if document is None or not document.file:
        raise Http404
    extension = extension_of(document.file.name)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    # Plain ASCII ("huong-dan-so-12-hd-du"): older office machines mangle other names.
    name = slugify(searchable(document.title).replace("/", " "))[:80] or f"tai-lieu-{document.pk}"
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{name}.{extension}",
        content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
    )


# ---------------------------------------------------------------- the national app (HD 42)


def national_app_files(sender, meeting, stage, **kwargs):
    """What oversight adds to a meeting's package for the national app
    (printing.national_app.package_contributions): before the meeting, the guidance
    the superiors published for its month, printed, with their documents as uploaded."""
    if stage != national_app.BEFORE:
        return []
    files = []
    for number, guidance in enumerate(guidance_for(meeting), start=1):
        prefix = f"huong-dan-cap-tren-{number}"
        documents = list(guidance.documents.all())
        if has_text(guidance):
            context = {
                **header_context(guidance.organization),
                "guidance": guidance,
                "documents": [document.title for document in documents],
            }
            files.append(
                national_app.PackageFile(
                    f"{prefix}.pdf",
                    f"Hướng dẫn của {guidance.organization.name} tháng "
                    f"{guidance.month}/{guidance.year}",
                    render_pdf("pdf/guidance.html", context),
                )
            )
        for index, document in enumerate(documents, start=1):
            content = national_app.stored_file_bytes(document.file)
            if content is None:
                continue
            extension = extension_of(document.file.name) or "bin"
            name = slugify(document.title)[:60] or "tai-lieu"
            files.append(
                national_app.PackageFile(
                    f"{prefix}-{index:02d}-{name}.{extension}",
                    f"Tài liệu của {guidance.organization.name} (tệp gốc): {document.title}",
                    content,
                )
            )
    return files
