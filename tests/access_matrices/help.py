"""The help pages (cellmeet/help.py): anyone signed in reads them."""

from tests.access_rules import everyone_signed_in

MATRIX = {
    "help:index": ("get", lambda w: {}, everyone_signed_in()),
    "help:secretary": ("get", lambda w: {}, everyone_signed_in()),
    "help:reviewer": ("get", lambda w: {}, everyone_signed_in()),
    "help:quick_guide": ("get", lambda w: {}, everyone_signed_in()),
}
