"""The schedule registration panel on a cell's page: this month's and next month's
deadline, what was registered, and the link to register (oversight/schedule.py)."""

from django import template
from django.utils import timezone

from members.access import access_for
from oversight.models import ScheduleRegistration
from oversight.schedule import deadline_for, next_month, status_of

register = template.Library()


@register.inclusion_tag("oversight/_schedule_panel.html", takes_context=True)
def schedule_panel(context, organization):
    if not organization.is_cell:
        return {"months": []}
    request = context.get("request")
    user = getattr(request, "user", None)
    today = timezone.localdate()
    months = []
    for year, month in [(today.year, today.month), next_month(today.year, today.month)]:
        deadline = deadline_for(organization, year, month)
        registration = ScheduleRegistration.objects.filter(
            cell=organization, year=year, month=month
        ).first()
        if deadline is None and registration is None:
            continue
        months.append(
            {
                "year": year,
                "month": month,
                "deadline": deadline,
                "registration": registration,
                "status": status_of(registration, deadline, today),
            }
        )
    can_register = bool(
        user is not None
        and user.is_authenticated
        and access_for(user).can_keep_records(organization)
    )
    return {"organization": organization, "months": months, "can_register": can_register}
