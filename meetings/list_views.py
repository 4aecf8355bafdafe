"""The cell's records over time: the list of minutes, the cell's year and a member's
year (meetings/views.py holds a meeting's own pages)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.forms import Select
from django.forms.utils import flatatt
from django.http import Http404
from django.shortcuts import render
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from meetings.forms import MeetingFilterForm
from meetings.member_year import member_year
from meetings.models import Meeting
from meetings.year import year_overview
from members.access import access_for, get_member_for, get_organization_for
from members.models import Organization


class _CellSelect(Select):
    """The cell filter's select, its options written at once: a province reviewer
    sees 2,000 cells, which Django's one-template-per-option rendering took seconds for."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        chosen = str(value) if value not in (None, "") else ""
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, mark_safe(" selected") if str(key) == chosen else "", label)
                for key, label in self.choices
            ),
        )
        return format_html("<select{}>{}</select>", flatatt(attrs), options)


@login_required
def meeting_list(request):
    cells = Organization.objects.visible_to(request.user).cells().order_by("path").only("name")
    form = MeetingFilterForm(request.GET or None, cells=cells)
    form.fields["cell"].widget = _CellSelect(
        attrs=form.fields["cell"].widget.attrs, choices=form.fields["cell"].choices
    )
    meetings = Meeting.objects.visible_to(request.user).current().order_by("-scheduled_at", "-pk")
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
    # The page's ids first, then the rows and their attendance counts for those only:
    # three queries, whatever the number of meetings the user can see.
    page = Paginator(meetings.values_list("pk", flat=True), 50).get_page(request.GET.get("page"))
    page.object_list = list(
        Meeting.objects.filter(pk__in=list(page.object_list))
        .select_related("organization", "chair")
        .defer("signed_content", "search_text")
        .with_attendance_figures()  # "present x/y" as the minutes count it
        .order_by("-scheduled_at", "-pk")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "meetings/meeting_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
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


@login_required
def member_record(request, pk, year):
    """A member's year for the annual rating: attendance, tasks, praise, reminders."""
    member = get_member_for(request.user, pk)
    context = {"member": member, "record": member_year(member, year)}
    return render(request, "meetings/member_record.html", context)
