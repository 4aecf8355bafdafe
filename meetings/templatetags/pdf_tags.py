"""Phrases of Vietnamese official documents, as the minutes print them.

Numbers print with Django's `floatformat` under the Vietnamese locale ("85,7")."""

from django import template
from django.utils import timezone

register = template.Library()


def _local(value):
    return timezone.localtime(value) if value else None


def official_date(day):
    """ "ngày 05 tháng 3 năm 2026": a leading zero on days under 10 and on months 1
    and 2 only, as Decree 30/2020/NĐ-CP writes dates in documents."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


@register.filter
def place_and_date(meeting):
    """ "Yên Hòa, ngày 05 tháng 10 năm 2026" — the day the minutes were made."""
    place = meeting.organization.place or "……"
    return f"{place}, {official_date(meeting.held_on)}"


@register.filter
def opening_sentence(meeting):
    # The clock time read from the same moment `held_on` takes the day from.
    start = _local(meeting.started_at or meeting.scheduled_at)
    return (
        f"Vào lúc {start:%H} giờ {start:%M} phút, {official_date(meeting.held_on)}, "
        f"{meeting.organization.name} tiến hành {meeting.title[0].lower()}{meeting.title[1:]}."
    )


@register.filter
def closing_sentence(meeting):
    end = _local(meeting.ended_at)
    if end is None:
        return "Buổi sinh hoạt kết thúc vào lúc … giờ … phút."
    day = "cùng ngày" if meeting.held_on == end.date() else official_date(end)
    return f"Buổi sinh hoạt kết thúc vào lúc {end:%H} giờ {end:%M} phút {day}."
