"""Prepare a message once, send it at most once, retry what failed for a while.

`prepare` writes the message to the log under its key (kind, object, recipient,
version): asked again for the same key, it returns the row already there, so a job
that runs twice prepares nothing new. `deliver` claims a waiting message (a
conditional update: two workers never both send it), tries once to send it, and
records what happened. A temporary refusal (SMTP 4xx, a dropped connection) leaves it
waiting: a later job tries again after RETRY_BACKOFF (notifications.tasks), until
MAX_ATTEMPTS tries in all, then it is failed with the server's last reason; a
permanent refusal (5xx) fails at once. Messages are written in the site's language
(Vietnamese).
"""

import hashlib
import logging
import smtplib
from datetime import timedelta
from email.mime.text import MIMEText
from email.utils import formataddr

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from notifications.calendar import site_url
from notifications.models import Message, MessageStatus

logger = logging.getLogger(__name__)
CALENDAR_FILENAME = "cuoc-hop.ics"

# Tries of one message in all, the first included; the last temporary failure fails it.
MAX_ATTEMPTS = 6
# The wait before the next try after the 1st, 2nd, … temporary failure: the job ends and
# a later one tries again, so a worker never sits waiting for a busy mail server.
RETRY_BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
)


def retry_delay(attempts):
    """How long to wait before trying again a message tried `attempts` times."""
    return RETRY_BACKOFF[min(attempts, len(RETRY_BACKOFF)) - 1]


class TemporaryFailure(Exception):
    pass


def message_key(kind, obj, email, version):
    content_type = ContentType.objects.get_for_model(obj)
    key = f"{kind}:{content_type.pk}.{obj.pk}:{email.lower()}:{version}"
    if len(key) > 255:
        key = f"{kind}:{hashlib.sha256(key.encode()).hexdigest()}"
    return key


def render(template, context):
    """(subject, text, html) from templates/notifications/<template>.{txt,html}: the
    subject is the text's first line."""
    context = {"site_url": site_url(), "site_name": "cellmeet", **context}
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string(f"notifications/{template}.txt", context).strip()
        html = render_to_string(f"notifications/{template}.html", context)
    subject, _, body = text.partition("\n")
    return " ".join(subject.split()), body.strip() + "\n", html


def prepare(kind, *, obj, organization, address, version, template, context, calendar=""):
    """The message of this key in the log, written now unless it was already."""
    key = message_key(kind, obj, address.email, version)
    found = Message.objects.filter(key=key).first()
    if found is not None:
        return found
    subject, text, html = render(template, {"recipient": address, **context})
    if callable(calendar):
        calendar = calendar(address)
    try:
        with transaction.atomic():
            return Message.objects.create(
                key=key,
                kind=kind,
                organization=organization,
                recipient=address.email,
                recipient_name=address.name[:150],
                member=address.member,
                user=address.user,
                content_type=ContentType.objects.get_for_model(obj),
                object_id=obj.pk,
                subject=subject[:255],
                body_text=text,
                body_html=html,
                calendar=calendar,
            )
    except IntegrityError:  # a parallel run wrote it a moment ago
        return Message.objects.get(key=key)


def email_for(message):
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[formataddr((message.recipient_name, message.recipient))],
        headers={"Auto-Submitted": "auto-generated", "X-Cellmeet-Message": str(message.pk)},
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    if message.calendar:
        part = MIMEText(message.calendar, "calendar", "utf-8")
        part.set_param("method", "REQUEST")
        part.add_header("Content-Disposition", "attachment", filename=CALENDAR_FILENAME)
        email.attach(part)
    return email


def _send(message):
    """Send; TemporaryFailure for what may pass, any other exception for what will not."""
    try:
        email_for(message).send(fail_silently=False)
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _reply in error.recipients.values()]
        if codes and all(400 <= code < 500 for code in codes):
            raise TemporaryFailure(_describe(error)) from error
        raise
    except smtplib.SMTPResponseException as error:
        if 400 <= error.smtp_code < 500:
            raise TemporaryFailure(_describe(error)) from error
        raise
    except (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, OSError) as error:
        raise TemporaryFailure(_describe(error)) from error


def _describe(error):
    if isinstance(error, smtplib.SMTPResponseException):
        reply = error.smtp_error
        reply = reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)
        return f"{error.smtp_code} {reply}"
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{address}: {code} {reply.decode(errors='replace')}"
            for address, (code, reply) in error.recipients.items()
        )
    return f"{type(error).__name__}: {error}"


def _claim(message):
    """One more try at a waiting message, if nobody else took it meanwhile."""
    claimed = Message.objects.filter(
        pk=message.pk,
        status=MessageStatus.PENDING,
        attempts=message.attempts,
        attempts__lt=MAX_ATTEMPTS,
    ).update(attempts=F("attempts") + 1)
    if claimed:
        message.attempts += 1
    return bool(claimed)


def deliver(message):
    """One try at a waiting message; its status says what became of it: still waiting
    after a temporary failure (until MAX_ATTEMPTS), delivered, or failed."""
    message.refresh_from_db(fields=["status", "attempts"])
    if message.status != MessageStatus.PENDING or not _claim(message):
        return message
    try:
        _send(message)
    except TemporaryFailure as error:
        message.reason = str(error)[:2000]
        if message.attempts >= MAX_ATTEMPTS:
            message.status = MessageStatus.FAILED
        message.save(update_fields=["reason", "status"])
        logger.warning("Message %s: temporary failure (%s)", message.pk, message.reason)
    except Exception as error:
        message.status, message.reason = MessageStatus.FAILED, _describe(error)[:2000]
        message.save(update_fields=["reason", "status"])
        logger.exception("Message %s failed", message.pk)
    else:
        message.status, message.sent_at = MessageStatus.DELIVERED, timezone.now()
        message.save(update_fields=["status", "sent_at"])
    return message
