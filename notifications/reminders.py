"""The reminders `send_reminders` sends each day (cron, README): each kind prepares
its messages for `today` in the log, keyed so that running again the same day, or
every day, reminds once of each thing."""

import hashlib
from datetime import datetime, time, timedelta

from django.utils import timezone

from dues import services as dues
from meetings.models import Meeting, MeetingKind, MeetingStatus
from members.models import DelegateAssignment, Organization
from members.roles import access_for
from notifications import recipients
from notifications.calendar import absolute
from notifications.delivery import prepare
from notifications.models import Kind, Message
from resolutions.models import Task

UNSIGNED_STATUSES = {MeetingStatus.PLANNED, MeetingStatus.DRAFT, MeetingStatus.FINALIZED}
# Meetings older than this are not reminded of any more (old records brought in later).
UNSIGNED_LOOKBACK_DAYS = 45
TASK_DUE_MAX_DAYS = 31


def _start_of(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def task_due(today, settings_of):
    """The lead of each open task is reminded `task_due_days` before its deadline."""
    tasks = (
        Task.objects.open()
        .of_current_minutes()
        .filter(current_due_on__gte=today, current_due_on__lte=today + timedelta(TASK_DUE_MAX_DAYS))
        .select_related("organization", "lead", "resolution")
    )
    messages = []
    for task in tasks:
        options = settings_of(task.organization)
        if not options.task_due or (task.current_due_on - today).days > options.task_due_days:
            continue
        address = recipients.of_member(task.lead)
        if address is None:
            continue
        messages.append(
            prepare(
                Kind.TASK_DUE,
                obj=task,
                organization=task.organization,
                address=address,
                version=task.current_due_on.isoformat(),
                template="task_due",
                context={
                    "task": task,
                    "days_left": (task.current_due_on - today).days,
                    "link": absolute("resolutions:my_tasks"),
                },
            )
        )
    return messages


def tasks_overdue(today, settings_of):
    """The secretary hears of a cell's overdue tasks when one more falls overdue."""
    overdue = (
        Task.objects.overdue(today)
        .of_current_minutes()
        .select_related("organization", "lead")
        .order_by("organization_id", "current_due_on", "pk")
    )
    by_cell = {}
    for task in overdue:
        by_cell.setdefault(task.organization, []).append(task)
    by_cell = {cell: tasks for cell, tasks in by_cell.items() if settings_of(cell).tasks_overdue}
    addresses = recipients.secretaries([cell.pk for cell in by_cell])
    messages = []
    for cell, tasks in by_cell.items():
        which = ",".join(f"{task.pk}@{task.current_due_on.isoformat()}" for task in tasks)
        version = hashlib.sha256(which.encode()).hexdigest()[:16]
        for address in addresses.get(cell.pk, []):
            messages.append(
                prepare(
                    Kind.TASKS_OVERDUE,
                    obj=cell,
                    organization=cell,
                    address=address,
                    version=version,
                    template="tasks_overdue",
                    context={
                        "cell": cell,
                        "tasks": tasks,
                        "link": absolute("resolutions:task_board", cell.pk),
                    },
                )
            )
    return messages


def meeting_unplanned(today, settings_of):
    """By the configured day of the month, a cell without its month's regular
    meeting planned reminds its secretary (once a month)."""
    planned = set(
        Meeting.objects.current()
        .filter(kind=MeetingKind.REGULAR, year=today.year, month=today.month)
        .values_list("organization_id", flat=True)
    )
    cells = [
        cell
        for cell in Organization.objects.cells().exclude(pk__in=planned)
        if settings_of(cell).meeting_unplanned and today.day >= settings_of(cell).unplanned_day
    ]
    addresses = recipients.secretaries([cell.pk for cell in cells])
    return [
        prepare(
            Kind.MEETING_UNPLANNED,
            obj=cell,
            organization=cell,
            address=address,
            version=f"{today.year}-{today.month:02}",
            template="meeting_unplanned",
            context={
                "cell": cell,
                "month": today.month,
                "year": today.year,
                "link": absolute("meetings:plan", cell.pk),
            },
        )
        for cell in cells
        for address in addresses.get(cell.pk, [])
    ]


def minutes_unsigned(today, settings_of):
    """Minutes still not signed `unsigned_days` after the meeting: once, to the
    secretary."""
    meetings = (
        Meeting.objects.current()
        .filter(
            status__in=UNSIGNED_STATUSES,
            scheduled_at__gte=_start_of(today - timedelta(UNSIGNED_LOOKBACK_DAYS)),
            scheduled_at__lt=_start_of(today),
        )
        .select_related("organization")
    )
    due = [
        meeting
        for meeting in meetings
        if settings_of(meeting.organization).minutes_unsigned
        and (today - meeting.meeting_date).days >= settings_of(meeting.organization).unsigned_days
    ]
    addresses = recipients.secretaries({meeting.organization_id for meeting in due})
    return [
        prepare(
            Kind.MINUTES_UNSIGNED,
            obj=meeting,
            organization=meeting.organization,
            address=address,
            version="1",
            template="minutes_unsigned",
            context={
                "meeting": meeting,
                "days": (today - meeting.meeting_date).days,
                "link": absolute("meetings:detail", meeting.pk),
            },
        )
        for meeting in due
        for address in addresses.get(meeting.organization_id, [])
    ]


def delegate_week(today, settings_of):
    """Each delegate of a superior hears of the coming week's meetings of the cells
    assigned to her: one digest a week, or one message per meeting."""
    week_end = today + timedelta(days=7)
    assignments = DelegateAssignment.objects.active_on(today).select_related(
        "superior", "cell", "delegate__member"
    )
    cells_of = {}
    for assignment in assignments:
        if settings_of(assignment.superior).delegate_week:
            cells_of.setdefault(assignment.delegate, {})[assignment.cell_id] = assignment
    cell_ids = {cell_id for cells in cells_of.values() for cell_id in cells}
    meetings = (
        Meeting.objects.current()
        .filter(
            organization_id__in=cell_ids,
            status=MeetingStatus.PLANNED,
            scheduled_at__gte=_start_of(today),
            scheduled_at__lt=_start_of(week_end),
        )
        .select_related("organization")
        .order_by("scheduled_at", "pk")
    )
    meetings = list(meetings)
    year, week, _ = today.isocalendar()
    messages = []
    for delegate, cells in cells_of.items():
        address = recipients.of_user(delegate)
        theirs = [meeting for meeting in meetings if meeting.organization_id in cells]
        if address is None or not theirs:
            continue
        superior = next(iter(cells.values())).superior
        if settings_of(superior).delegate_digest:
            messages.append(
                prepare(
                    Kind.DELEGATE_WEEK,
                    obj=delegate,
                    organization=superior,
                    address=address,
                    version=f"{year}-W{week:02}",
                    template="delegate_week",
                    context={
                        "meetings": theirs,
                        "first_day": today,
                        "last_day": week_end - timedelta(days=1),
                        "link": absolute("home"),
                    },
                )
            )
            continue
        messages += [
            prepare(
                Kind.DELEGATE_WEEK,
                obj=meeting,
                organization=superior,
                address=address,
                version="1",
                template="delegate_week",
                context={
                    "meetings": [meeting],
                    "first_day": today,
                    "last_day": week_end - timedelta(days=1),
                    "link": absolute("meetings:detail", meeting.pk),
                },
            )
            for meeting in theirs
        ]
    return messages


def dues_arrears(today, settings_of):
    """A member with two months of Party dues unpaid in the year: her cell's secretary
    and treasurer are warned; with three, they are brought the proposal the cell must
    consider (removal, xóa tên), linked to her record. Only months already over count
    (dues.services.warnings_in): in January, the whole of last year. Once per member
    and month: the version is the month of the run."""
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    cells = [
        cell
        for cell in Organization.objects.cells()
        if settings_of(cell).dues_unpaid or settings_of(cell).dues_removal
    ]
    found = dues.warnings_in(cells, year, month, today=today)
    by_pk = {cell.pk: cell for cell in cells}
    addresses = recipients.dues_keepers(list(found))
    version = f"{today.year}-{today.month:02}"
    # Brought the proposal this month, a keeper is not warned again of the same member
    # if she paid part of her arrears meanwhile: one message per member and month.
    proposed = set(
        Message.objects.filter(kind=Kind.DUES_REMOVAL, key__endswith=f":{version}").values_list(
            "object_id", "recipient"
        )
    )
    messages = []
    for cell_pk, warnings in found.items():
        cell, options = by_pk[cell_pk], settings_of(by_pk[cell_pk])
        for warning in warnings:
            kind = Kind.DUES_REMOVAL if warning.proposes_removal else Kind.DUES_UNPAID
            if not options.sends(kind):
                continue
            member = warning.member
            for address in addresses.get(cell_pk, []):
                if kind == Kind.DUES_UNPAID and (member.pk, address.email) in proposed:
                    continue
                messages.append(
                    prepare(
                        kind,
                        obj=member,
                        organization=cell,
                        address=address,
                        version=version,
                        template=str(kind),
                        context={
                            "cell": cell,
                            "member": member,
                            "months": [f"{number:02}/{year}" for number in warning.months],
                            "count": len(warning.months),
                            "year": year,
                            "link": _arrears_link(warning, address, cell, year, month),
                        },
                    )
                )
    return messages


def _arrears_link(warning, address, cell, year, month):
    """The proposal links to the member's record (the treasurer, who does not open the
    cell's records, to the ledger); the warning to the ledger of the last month."""
    if warning.proposes_removal and access_for(address.user).can_view(cell):
        return absolute("members:member_detail", warning.member.pk)
    return absolute("dues:ledger", cell.pk, year, month)


REMINDERS = [
    task_due,
    tasks_overdue,
    meeting_unplanned,
    minutes_unsigned,
    delegate_week,
    dues_arrears,
]


def prepare_reminders(today=None):
    """Every reminder due on `today` (the local date by default), prepared in the log."""
    today = timezone.localdate() if today is None else today
    settings_of = recipients.SettingsFor()
    messages = []
    for reminder in REMINDERS:
        messages += reminder(today, settings_of)
    return messages
