"""Who is rated, and how, where HD 43-HD/BTCTW leaves it to the cell.

Each unclear case is a setting; its default is named here:
- RATING_RATES_EXEMPT_MEMBERS (default False): a member exempt from activities is
  listed but not rated, unless the setting says otherwise.
- RATING_RATES_PROBATIONARY_MEMBERS (default True): probationary members are rated
  like official ones; with False they are listed as exempt are.
A member admitted during the year is rated for the months she was in the cell: the
evidence only counts the meetings she was summoned to.
"""

from django.conf import settings

from members.models import ActivityStatus, MembershipStatus
from rating.models import Standing

RATES_EXEMPT_MEMBERS = False
RATES_PROBATIONARY_MEMBERS = True


def standing_of(member, year):
    if member.activity_status == ActivityStatus.EXEMPT and not getattr(
        settings, "RATING_RATES_EXEMPT_MEMBERS", RATES_EXEMPT_MEMBERS
    ):
        return Standing.EXEMPT
    if member.status == MembershipStatus.PROBATIONARY:
        if not getattr(settings, "RATING_RATES_PROBATIONARY_MEMBERS", RATES_PROBATIONARY_MEMBERS):
            return Standing.EXEMPT
        return Standing.PROBATIONARY
    if member.admitted_on and member.admitted_on.year == year:
        return Standing.JOINED_MID_YEAR
    return Standing.REGULAR
