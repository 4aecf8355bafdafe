"""The one percentage helper (meetings.rules.percent) and its rounding rule."""

import pytest
from django.template import Context, Template
from django.utils import translation

from meetings.rules import VoteCount, percent


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        (2, 3, 66.7),
        (1, 3, 33.3),
        (36, 46, 78.3),
        (6, 7, 85.7),
        (7, 7, 100.0),
        (0, 5, 0.0),
        (1, 8, 12.5),
        (1, 16, 6.3),  # 6.25: half rounds up, not to the even 6.2
        (1, 80, 1.3),  # 1.25
        (3, 80, 3.8),  # 3.75
    ],
)
def test_a_percentage_has_one_decimal_rounded_half_up(part, whole, expected):
    result = percent(part, whole)
    assert result == expected
    assert isinstance(result, float)


def test_no_whole_no_percentage():
    assert percent(3, 0) is None
    assert percent(3, None) is None
    assert percent(None, 10) is None


def test_whole_percent_for_bar_widths():
    assert percent(1, 200, places=0) == 1  # 0.5 rounds up
    assert percent(1, 3, places=0) == 33
    assert isinstance(percent(1, 3, places=0), int)


def test_the_vote_share_uses_it():
    count = VoteCount(denominator=6, eligible_present=6)
    assert count.percent(4) == 66.7
    assert count.percent(None) is None
    assert VoteCount(denominator=0, eligible_present=0).percent(0) is None


@pytest.mark.parametrize(
    ("part", "whole", "printed"),
    [(6, 7, "85,7"), (7, 7, "100"), (1, 16, "6,3"), (0, 4, "0")],
)
def test_floatformat_prints_it_unchanged_in_vietnamese(part, whole, printed):
    template = Template('{{ value|floatformat:"-1"|default:"…" }}')
    with translation.override("vi"):
        assert template.render(Context({"value": percent(part, whole)})) == printed
        assert template.render(Context({"value": percent(part, 0)})) == "…"
