"""pyHanko is the optional `signing` extra: a site without a signing certificate starts,
checks and prints without it; a certificate configured without it is reported plainly by
`manage.py check` and refused when signing. Each case runs in a fresh process in which
pyHanko cannot be imported."""

import os
import subprocess
import sys
import textwrap

from django.conf import settings

WITHOUT_PYHANKO = textwrap.dedent(
    """
    import sys
    sys.modules["pyhanko"] = None  # as if the signing extra were not installed
    import django
    django.setup()
    """
)


def run_without_pyhanko(script, **environment):
    return subprocess.run(
        [sys.executable, "-c", WITHOUT_PYHANKO + textwrap.dedent(script)],
        cwd=settings.BASE_DIR,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "cellmeet.settings.test",
            "CELLMEET_SIGNING_CERT": "",
            "CELLMEET_SIGNING_KEY": "",
            **environment,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_without_a_certificate_the_site_needs_no_pyhanko():
    result = run_without_pyhanko(
        """
        from django.core.management import call_command
        call_command("check")
        import printing.pdf, printing.views  # printing is wired in without it
        from printing.signing import sign_pdf_if_configured
        assert sign_pdf_if_configured(b"%PDF-1.7") == b"%PDF-1.7"
        """
    )
    assert result.returncode == 0, result.stderr


def test_a_certificate_without_pyhanko_fails_the_check():
    result = run_without_pyhanko(
        """
        from django.core.management import call_command
        call_command("check")
        """,
        CELLMEET_SIGNING_CERT="/etc/cellmeet/cert.pem",
        CELLMEET_SIGNING_KEY="/etc/cellmeet/key.pem",
    )
    assert result.returncode != 0
    assert "printing.E001" in result.stderr
    assert 'pip install -e ".[signing]"' in result.stderr


def test_a_certificate_without_pyhanko_refuses_to_sign_with_the_reason():
    result = run_without_pyhanko(
        """
        from django.core.exceptions import ImproperlyConfigured
        from printing.signing import sign_pdf_if_configured
        try:
            sign_pdf_if_configured(b"%PDF-1.7")
        except ImproperlyConfigured as error:
            print(error)
        """,
        CELLMEET_SIGNING_CERT="/etc/cellmeet/cert.pem",
        CELLMEET_SIGNING_KEY="/etc/cellmeet/key.pem",
    )
    assert result.returncode == 0, result.stderr
    assert "pyHanko is not installed" in result.stdout
