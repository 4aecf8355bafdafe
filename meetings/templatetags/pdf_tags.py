"""Phrases of Vietnamese official documents, as the minutes print them."""

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
def vn_number(value):
    """85.7 → "85,7"; whole numbers without decimals."""
    if value is None:
        return "…"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.1f}".replace(".", ",")


@register.filter
def place_and_date(meeting):
    """ "Yên Hòa, ngày 05 tháng 10 năm 2026" — the day the minutes were made."""
    day = _local(meeting.started_at or meeting.scheduled_at)
    place = meeting.organization.place or "……"
    return f"{place}, {official_date(day)}"


@register.filter
def opening_sentence(meeting):
    start = _local(meeting.started_at or meeting.scheduled_at)
    return (
        f"Vào lúc {start:%H} giờ {start:%M} phút, {official_date(start)}, "
        f"{meeting.organization.name} tiến hành {meeting.title[0].lower()}{meeting.title[1:]}."
    )


@register.filter
def closing_sentence(meeting):
    end = _local(meeting.ended_at)
    if end is None:
        return "Buổi sinh hoạt kết thúc vào lúc … giờ … phút."
    start = _local(meeting.started_at or meeting.scheduled_at)
    day = "cùng ngày" if start is None or start.date() == end.date() else official_date(end)
    return f"Buổi sinh hoạt kết thúc vào lúc {end:%H} giờ {end:%M} phút {day}."
