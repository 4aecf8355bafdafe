"""Import members from an Excel sheet (placeholder: being written)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse

from members.access import get_organization_for


@login_required
def import_upload(request, pk):
    get_organization_for(request.user, pk, edit_members=True)
    return HttpResponse("")


@login_required
def import_confirm(request, pk):
    get_organization_for(request.user, pk, edit_members=True)
    return HttpResponse("")


@login_required
def import_template(request, pk):
    get_organization_for(request.user, pk, edit_members=True)
    return HttpResponse("")
