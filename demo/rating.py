"""The demo's annual rating: a round for this year in bithu's cell, its drafts
computed from the demo year of meetings, and three self-assessments written (bithu
her own, two written on members' behalf) so the round page shows every state."""

from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from demo.organization import CELLS
from members.models import Organization
from rating import services
from rating.levels import TaskFacts, level_for
from rating.models import RatingRound

# (general points, task points) of the self-assessments the demo writes.
DEMO_SCORES = [
    (Decimal("27"), Decimal("64")),
    (Decimal("25"), Decimal("55")),
    (Decimal("22"), Decimal("45")),
]


def seed_rating(today=None):
    """Open this year's round for bithu's cell unless it exists; returns the round or
    None when the demo cell or account is missing."""
    today = today or timezone.localdate()
    cell = Organization.objects.filter(code=CELLS[0].code).first()
    bithu = get_user_model().objects.filter(username="bithu").first()
    if cell is None or bithu is None:
        return None
    existing = RatingRound.objects.filter(organization=cell, year=today.year).first()
    if existing:
        return existing
    deadline = max(date(today.year, 12, 20), today + timedelta(days=14))
    rating_round = services.open_round(cell, year=today.year, deadline=deadline, user=bithu)
    assessments = [a for a in rating_round.assessments.select_related("member") if a.is_rated]
    own = [a for a in assessments if a.member.user_id == bithu.pk]
    others = [a for a in assessments if a.member.user_id != bithu.pk]
    for assessment, (general, task) in zip(own + others[:2], DEMO_SCORES, strict=False):
        level = level_for(
            rating_round.rules, general + task, TaskFacts.from_evidence(assessment.evidence)
        )
        services.write_self_assessment(
            assessment,
            user=bithu,
            strengths="Chấp hành tốt chủ trương, nghị quyết; tham gia đầy đủ sinh hoạt chi bộ.",
            shortcomings="Có việc còn chậm so với tiến độ.",
            general_score=general,
            task_score=task,
            proposed_level=level,
        )
    return rating_round
