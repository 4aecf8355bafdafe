"""Kept submissions (cellmeet/kept.py): anyone signed in may dismiss, only her own."""

from tests.access_rules import ANY_REDIRECT, LOGIN, ROLES, expect

MATRIX = {
    "kept_discard": (
        "post",
        lambda w: {"token": "no-such-token"},
        expect(anonymous=LOGIN, **dict.fromkeys(ROLES[1:], ANY_REDIRECT)),
    ),
}
