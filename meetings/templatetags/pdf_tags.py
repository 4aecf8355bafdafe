"""Phrases of Vietnamese official documents, as the minutes print them."""

from django import template
from django.utils import timezone

register = template.Library()


def _local(value):
    return timezone.localtime(value) if value else None


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
    return f"{place}, ngày {day:%d} tháng {day:%m} năm {day:%Y}"


@register.filter
def opening_sentence(meeting):
    start = _local(meeting.started_at or meeting.scheduled_at)
    return (
        f"Vào lúc {start:%H} giờ {start:%M} phút, ngày {start:%d} tháng {start:%m} "
        f"năm {start:%Y}, {meeting.organization.name} tiến hành {meeting.title[0].lower()}"
        f"{meeting.title[1:]}."
    )


@register.filter
def closing_sentence(meeting):
    end = _local(meeting.ended_at)
    if end is None:
        return "Buổi sinh hoạt kết thúc vào lúc … giờ … phút."
    return f"Buổi sinh hoạt kết thúc vào lúc {end:%H} giờ {end:%M} phút cùng ngày."
