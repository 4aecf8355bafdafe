"""An RFC 3161 timestamp of each countersigned tree head, when CELLMEET_TIMESTAMP_URL
names a timestamp authority: the authority signs that the root existed at that time,
so not even both levels together can later put a rewritten head in its place.

The request asks for a SHA-256 imprint of the root's 32 bytes, with a nonce and the
authority's certificate; the whole response (DER) is stored with the head. Anyone can
check it: `openssl ts -verify -in head.tsr -data root.bin -CAfile tsa-ca.pem`.
"""

import hashlib
import urllib.request

from django.conf import settings
from django.utils.translation import gettext as _

from cellmeet.sealed import WorkflowError


class TimestampError(WorkflowError):
    pass


def timestamp_is_configured():
    return bool(settings.CELLMEET_TIMESTAMP_URL)


def timestamp(root_hex, *, url=None, timeout=30):
    """The authority's response (DER bytes) over the root; TimestampError if it fails."""
    from rfc3161_client import HashAlgorithm, TimestampRequestBuilder, decode_timestamp_response

    root = bytes.fromhex(root_hex)
    request = (
        TimestampRequestBuilder()
        .data(root)
        .hash_algorithm(HashAlgorithm.SHA256)
        .nonce(nonce=True)
        .cert_request(cert_request=True)
        .build()
    )
    http = urllib.request.Request(
        url or settings.CELLMEET_TIMESTAMP_URL,
        data=request.as_bytes(),
        headers={"Content-Type": "application/timestamp-query"},
    )
    try:
        with urllib.request.urlopen(http, timeout=timeout) as answer:  # noqa: S310
            body = answer.read()
        response = decode_timestamp_response(body)
    except (OSError, ValueError) as error:
        raise TimestampError(
            _("The timestamp authority did not answer: %(error)s") % {"error": error}
        ) from error
    info = response.tst_info if response.status == 0 else None
    if (
        info is None
        or info.message_imprint.message != hashlib.sha256(root).digest()
        or info.nonce != request.nonce
    ):
        raise TimestampError(_("The timestamp authority refused or answered another request."))
    return body
