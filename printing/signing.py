"""Optional PAdES signature of stored signed minutes, with the deployment's certificate.

Configured by CELLMEET_SIGNING_CERT and CELLMEET_SIGNING_KEY (PEM files), optionally
CELLMEET_SIGNING_KEY_PASSWORD and CELLMEET_SIGNING_CHAIN (the CA's intermediate
certificates, PEM). Without them the minutes are stored unsigned: the fingerprint
and QR code still let anyone entitled check a paper copy.

pyHanko is an optional extra (`pip install -e ".[signing]"`), imported only when a
certificate is configured; configured without it, `manage.py check` (run by migrate and
runserver too) fails with `printing.E001`, and signing refuses with the same words.
"""

import asyncio
import importlib.util
import io
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

SIGNING_LIBRARY_MISSING = (
    "CELLMEET_SIGNING_CERT and CELLMEET_SIGNING_KEY are set but pyHanko is not installed: "
    'install the signing extra (pip install -e ".[signing]"), or unset them.'
)


def signing_is_configured():
    return bool(settings.CELLMEET_SIGNING_CERT and settings.CELLMEET_SIGNING_KEY)


def signing_library_is_installed():
    return importlib.util.find_spec("pyhanko") is not None


def check_signing_library(app_configs=None, **kwargs):
    """A system check (printing.apps): a certificate without pyHanko is a broken set-up."""
    if signing_is_configured() and not signing_library_is_installed():
        return [checks.Error(SIGNING_LIBRARY_MISSING, id="printing.E001")]
    return []


def sign_pdf_if_configured(pdf_bytes):
    if not signing_is_configured():
        return pdf_bytes
    return sign_pdf(
        pdf_bytes,
        cert_file=settings.CELLMEET_SIGNING_CERT,
        key_file=settings.CELLMEET_SIGNING_KEY,
        key_password=settings.CELLMEET_SIGNING_KEY_PASSWORD,
        chain_files=[path for path in settings.CELLMEET_SIGNING_CHAIN.split(",") if path],
    )


def sign_pdf(pdf_bytes, **signing):
    """A PAdES document signature over the whole file, with no visible appearance:
    the visible signature block is part of the printed minutes themselves.

    pyHanko drives its own event loop (asyncio.run); where the calling thread already
    runs one (an ASGI server, a browser-driving test), it signs in a worker thread.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return _sign_pdf(pdf_bytes, **signing)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_sign_pdf, pdf_bytes, **signing).result()


def _sign_pdf(pdf_bytes, *, cert_file, key_file, key_password="", chain_files=()):
    # Imported here, not above: pyHanko is an optional extra, needed only when signing.
    try:
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import fields, signers
    except ImportError as error:
        raise ImproperlyConfigured(SIGNING_LIBRARY_MISSING) from error

    signer = signers.SimpleSigner.load(
        key_file,
        cert_file,
        ca_chain_files=tuple(chain_files) or None,
        key_passphrase=key_password.encode() if key_password else None,
    )
    if signer is None:  # pyHanko logs the reason and returns nothing
        raise ImproperlyConfigured(
            "Cannot load the signing key and certificate: check CELLMEET_SIGNING_KEY, "
            "CELLMEET_SIGNING_CERT and CELLMEET_SIGNING_KEY_PASSWORD."
        )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes))
    metadata = signers.PdfSignatureMetadata(
        field_name="CellmeetSignature",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason="Biên bản sinh hoạt chi bộ đã ký",
    )
    output = signers.sign_pdf(writer, metadata, signer=signer)
    return output.getvalue()
