"""A real SMTP server for the notification tests (aiosmtpd, on a free local port),
and Django's email settings pointed at it."""

import email
import logging
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller

# aiosmtpd logs every SMTP command at INFO.
logging.getLogger("mail.log").setLevel(logging.WARNING)

SENDER = "Chi bộ cellmeet <khong-tra-loi@cellmeet.example.org>"


class Mailbox:
    """What the server received, as parsed messages. `refuse(n, reply)` makes it answer
    the next n messages with `reply` (e.g. "451 4.3.0 Try again later")."""

    def __init__(self):
        self.received = []
        self.refusals = []
        self.tries = 0

    def refuse(self, times, reply="451 4.3.0 Mailbox busy, try again later"):
        self.refusals += [reply] * times

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.tries += 1
        if self.refusals:
            return self.refusals.pop(0)
        parsed = email.message_from_bytes(envelope.original_content, policy=policy.default)
        self.received.append((list(envelope.rcpt_tos), parsed))
        return "250 OK"

    @property
    def messages(self):
        return [message for _rcpt, message in self.received]

    def to(self, address):
        return [message for rcpt, message in self.received if address in rcpt]

    def recipients(self):
        return sorted(address for rcpt, _message in self.received for address in rcpt)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(settings):
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    settings.DEFAULT_FROM_EMAIL = SENDER
    settings.SITE_URL = "https://chibo.example.org"
    try:
        yield mailbox
    finally:
        controller.stop()


def subject_of(message):
    # Django folds a long non-ASCII subject before its first word; readers unfold it.
    return str(message["Subject"]).strip()


def text_of(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message):
    return message.get_body(preferencelist=("html",)).get_content()


def calendar_of(message):
    """The attached .ics, parsed with icalendar."""
    from icalendar import Calendar

    for part in message.iter_attachments():
        if part.get_content_type() == "text/calendar":
            return Calendar.from_ical(part.get_content())
    return None
