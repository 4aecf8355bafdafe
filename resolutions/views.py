"""The task board of a cell and the tasks of the signed-in member."""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from cellmeet.paging import page_of
from members.access import get_organization_for
from resolutions.models import Task, TaskResult, TaskStatus


def _with_people(tasks):
    return tasks.select_related("lead", "resolution", "resolution__meeting").prefetch_related(
        "assignees"
    )


@login_required
def task_board(request, pk):
    """A cell's tasks: overdue, open, and done this month."""
    organization = get_organization_for(request.user, pk)
    if not organization.is_cell:
        raise Http404
    today = timezone.localdate()
    cell_tasks = Task.objects.of_current_minutes().filter(organization=organization)
    # The open tasks a page at a time, earliest due first: the overdue ones lead.
    open_tasks = cell_tasks.open().order_by("current_due_on", "pk")
    page = page_of(open_tasks, request.GET.get("page"), rows=_with_people)
    overdue_count = open_tasks.filter(current_due_on__lt=today).count()
    done_this_month = _with_people(
        cell_tasks.filter(
            status=TaskStatus.DONE,
            updates__result=TaskResult.DONE,
            updates__meeting__is_current=True,
            updates__meeting__year=today.year,
            updates__meeting__month=today.month,
        ).distinct()
    ).order_by("current_due_on", "pk")
    context = {
        "organization": organization,
        "today": today,
        "overdue": [task for task in page.object_list if task.is_overdue(today)],
        "open": [task for task in page.object_list if not task.is_overdue(today)],
        "overdue_count": overdue_count,
        "open_count": page.paginator.count - overdue_count,
        "page": page,
        "query": "",
        "done_this_month": list(done_this_month),
    }
    return render(request, "resolutions/task_board.html", context)


@login_required
def my_tasks(request):
    """The open tasks of the member linked to this account."""
    member = getattr(request.user, "member", None)
    tasks, page = [], None
    if member is not None:
        assigned = Q(lead=member) | Q(assignees=member)
        page = page_of(
            Task.objects.of_current_minutes()
            .open()
            .filter(assigned)
            .distinct()
            .order_by("current_due_on", "pk"),
            request.GET.get("page"),
            rows=_with_people,
        )
        tasks = page.object_list
    context = {
        "member": member,
        "tasks": tasks,
        "page": page,
        "query": "",
        "today": timezone.localdate(),
    }
    return render(request, "resolutions/my_tasks.html", context)
