"""Entering the superior committee's decision on a consequence proposed by adopted
decisions (meetings/decisions.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from meetings import decisions
from meetings.decision_forms import ConfirmConsequenceForm
from meetings.models import MemberConsequence
from members.access import access_for, check


def get_consequence_for(user, pk, *, edit=False):
    """The consequence if the user sees its cell (404 otherwise); 403 if `edit` is
    asked by someone who does not keep the cell's records."""
    consequence = (
        MemberConsequence.objects.visible_to(user)
        .filter(pk=pk)
        .select_related("organization", "member", "decision", "decision__meeting")
        .first()
    )
    if consequence is None:
        raise Http404
    if edit:
        check(access_for(user).can_keep_records(consequence.organization))
    return consequence


@login_required
def consequence_confirm(request, pk):
    consequence = get_consequence_for(request.user, pk, edit=True)
    form = ConfirmConsequenceForm(request.POST or None, consequence=consequence)
    if request.method == "POST" and consequence.is_pending and form.is_valid():
        try:
            consequence = decisions.confirm_consequence(
                consequence, user=request.user, **form.cleaned_data
            )
        except decisions.DecisionError as error:
            form.add_error(None, error)
        except ValidationError as error:  # the member's record refuses the date
            form.add_error("effective_on", error.messages)
        else:
            messages.success(request, _("The superior committee's decision was recorded."))
            if consequence.member_id:
                return redirect("members:member_detail", pk=consequence.member_id)
            return redirect("members:organization_detail", pk=consequence.organization_id)
    context = {"consequence": consequence, "form": form, "meeting": consequence.decision.meeting}
    return render(request, "meetings/consequence_confirm.html", context)


urlpatterns = [
    path(
        "decisions/consequences/<int:pk>/confirm/",
        consequence_confirm,
        name="consequence_confirm",
    ),
]
