"""The organisation and member pages: lists, details, edits, transfers and positions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cellmeet.forms import save_unless_stale
from cellmeet.paging import other_parameters, page_of
from members import services
from members.access import access_for, get_member_for, get_organization_for
from members.forms import MemberForm, OrganizationForm, PositionForm, TransferForm
from members.models import ON_ROSTER, ActivityStatus, Member, Organization, Position


@login_required
def home(request):
    """Where signing in leads: a secretary to her cell, where she records; a reviewer
    (no cell role) to the minutes awaiting her review; anyone else to the organisations."""
    access = access_for(request.user)
    cells = access.home_cells()
    if len(cells) == 1:
        return redirect("members:organization_detail", pk=cells[0].pk)
    if access.reviews_only():
        return redirect("oversight:review_queue")
    return redirect("members:organization_list")


@login_required
def organization_list(request):
    page = page_of(
        Organization.objects.visible_to(request.user).order_by("path"),
        request.GET.get("page"),
        rows=lambda organizations: organizations.annotate(
            member_count=Count(
                "members", filter=Q(members__activity_status__in=ON_ROSTER), distinct=True
            )
        ),
    )
    context = {"organizations": page.object_list, "page": page, "query": ""}
    return render(request, "members/organization_list.html", context)


@login_required
def organization_detail(request, pk):
    organization = get_organization_for(request.user, pk)
    access = access_for(request.user)
    children = organization.children.annotate(
        member_count=Count("members", filter=Q(members__activity_status__in=ON_ROSTER))
    ).order_by("name")
    roster = Member.objects.filter(organization=organization).on_roster()
    counts = roster.aggregate(
        total=Count("pk"),
        official=Count("pk", filter=Q(status="official")),
        probationary=Count("pk", filter=Q(status="probationary")),
        exempt=Count("pk", filter=Q(activity_status=ActivityStatus.EXEMPT)),
        away=Count("pk", filter=Q(activity_status=ActivityStatus.AWAY)),
    )
    positions = (
        Position.objects.current()
        .filter(organization=organization)
        .select_related("member")
        .in_rank_order()
    )
    context = {
        "organization": organization,
        "ancestors": organization.ancestors(),
        "children": children,
        "counts": counts,
        "positions": positions,
        "can_manage": access.can_manage_organization(organization),
        "can_keep_records": access.can_keep_records(organization),
    }
    return render(request, "members/organization_detail.html", context)


@login_required
def organization_create(request, parent_pk):
    parent = get_organization_for(request.user, parent_pk, manage=True)
    form = OrganizationForm(request.POST or None, parent=parent)
    if request.method == "POST" and form.is_valid():
        organization = form.save()
        messages.success(request, _("The organisation was created."))
        return redirect("members:organization_detail", pk=organization.pk)
    return render(request, "members/organization_form.html", {"form": form, "parent": parent})


@login_required
def organization_edit(request, pk):
    organization = get_organization_for(request.user, pk, manage=True)
    form = OrganizationForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid() and save_unless_stale(form):
        messages.success(request, _("Your changes were saved."))
        return redirect("members:organization_detail", pk=organization.pk)
    return render(
        request, "members/organization_form.html", {"form": form, "organization": organization}
    )


@login_required
def member_list(request, pk):
    organization = get_organization_for(request.user, pk)
    show_former = request.GET.get("former") == "1"
    members = Member.objects.subtree_of(organization)
    members = members if show_former else members.on_roster()
    page = page_of(
        members.in_vietnamese_order(),
        request.GET.get("page"),
        rows=lambda members: members.select_related("organization"),
    )
    context = {
        "organization": organization,
        "members": page.object_list,
        "page": page,
        "query": other_parameters(request),
        "show_former": show_former,
        "show_cell_column": not organization.is_cell,
        "can_keep_records": access_for(request.user).can_keep_records(organization),
    }
    return render(request, "members/member_list.html", context)


@login_required
def member_detail(request, pk):
    member = get_member_for(request.user, pk)
    context = {
        "member": member,
        "positions": member.positions.select_related("organization").order_by("-started_on"),
        "transfers": member.transfers.select_related("from_organization", "to_organization"),
        "history": member.history.select_related("history_user").order_by("-history_date")[:20],
        "can_edit": access_for(request.user).can_keep_records(member.organization),
        "current_year": timezone.localdate().year,
    }
    return render(request, "members/member_detail.html", context)


@login_required
def member_create(request, pk):
    organization = get_organization_for(request.user, pk, keep_records=True)
    if not organization.is_cell:
        messages.error(request, _("Members are added to a party cell, not to a committee."))
        return redirect("members:organization_detail", pk=organization.pk)
    form = MemberForm(request.POST or None, organization=organization)
    if request.method == "POST" and form.is_valid():
        member = form.save()
        messages.success(request, _("%(name)s was added.") % {"name": member.full_name})
        return redirect("members:member_list", pk=organization.pk)
    return render(request, "members/member_form.html", {"form": form, "organization": organization})


@login_required
def member_edit(request, pk):
    member = get_member_for(request.user, pk, edit=True)
    form = MemberForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid() and save_unless_stale(form):
        messages.success(request, _("Your changes were saved."))
        return redirect("members:member_detail", pk=member.pk)
    context = {"form": form, "member": member, "organization": member.organization}
    return render(request, "members/member_form.html", context)


@login_required
def member_transfer(request, pk):
    member = get_member_for(request.user, pk, edit=True)
    access = access_for(request.user)
    other_cells = (
        Organization.objects.visible_to(request.user).cells().exclude(pk=member.organization_id)
    )
    target_cells = [cell for cell in other_cells if access.can_keep_records(cell)]
    form = TransferForm(
        request.POST or None,
        target_cells=Organization.objects.filter(pk__in=[cell.pk for cell in target_cells]),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.transfer_member(member, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(name)s was moved.") % {"name": member.full_name})
            return redirect("members:member_detail", pk=member.pk)
    return render(request, "members/member_transfer.html", {"form": form, "member": member})


@login_required
def position_create(request, pk):
    member = get_member_for(request.user, pk, edit=True)
    form = PositionForm(request.POST or None, member=member)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The position was recorded."))
        return redirect("members:member_detail", pk=member.pk)
    return render(request, "members/position_form.html", {"form": form, "member": member})


@login_required
@require_POST
def position_end(request, pk, position_pk):
    member = get_member_for(request.user, pk, edit=True)
    position = member.positions.filter(pk=position_pk, ended_on__isnull=True).first()
    if position is not None:
        position.ended_on = timezone.localdate()
        position.save()
        messages.success(request, _("The position was ended today."))
    return redirect("members:member_detail", pk=member.pk)
