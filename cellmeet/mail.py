"""Email settings from the environment: EMAIL_URL, or the usual EMAIL_* variables.

    EMAIL_URL=smtp://user:password@mail.example.vn:587/?tls=1
    EMAIL_URL=smtps://user:password@mail.example.vn:465/      (implicit TLS)
    EMAIL_URL=console://                                         (print messages)

Without either, `default_backend` is used (the console in development). User names and
passwords in EMAIL_URL are percent-encoded (an @ in a user name is %40).
"""

from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
CONSOLE_BACKEND = "django.core.mail.backends.console.EmailBackend"
BACKENDS = {
    "smtp": SMTP_BACKEND,
    "smtps": SMTP_BACKEND,
    "console": CONSOLE_BACKEND,
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
}
TRUE = {"1", "true", "yes", "on"}


def _bool(value):
    return str(value).strip().lower() in TRUE


def email_settings(environ, *, default_backend=SMTP_BACKEND):
    """The EMAIL_* settings (and DEFAULT_FROM_EMAIL, SERVER_EMAIL) for `environ`."""
    result = {
        "EMAIL_BACKEND": environ.get("EMAIL_BACKEND") or default_backend,
        "EMAIL_HOST": environ.get("EMAIL_HOST", "localhost"),
        "EMAIL_PORT": int(environ.get("EMAIL_PORT") or 25),
        "EMAIL_HOST_USER": environ.get("EMAIL_HOST_USER", ""),
        "EMAIL_HOST_PASSWORD": environ.get("EMAIL_HOST_PASSWORD", ""),
        "EMAIL_USE_TLS": _bool(environ.get("EMAIL_USE_TLS", "")),
        "EMAIL_USE_SSL": _bool(environ.get("EMAIL_USE_SSL", "")),
        "EMAIL_TIMEOUT": int(environ.get("EMAIL_TIMEOUT") or 30),
    }
    if environ.get("EMAIL_HOST") and not environ.get("EMAIL_BACKEND"):
        result["EMAIL_BACKEND"] = SMTP_BACKEND
    url = environ.get("EMAIL_URL", "").strip()
    if url:
        parts = urlsplit(url)
        if parts.scheme not in BACKENDS:
            raise ImproperlyConfigured(
                f"EMAIL_URL: unknown scheme {parts.scheme!r} (one of {', '.join(BACKENDS)})."
            )
        query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        ssl = parts.scheme == "smtps" or _bool(query.get("ssl", ""))
        result.update(
            EMAIL_BACKEND=BACKENDS[parts.scheme],
            EMAIL_HOST=parts.hostname or "localhost",
            EMAIL_PORT=parts.port or (465 if ssl else 25),
            EMAIL_HOST_USER=unquote(parts.username or ""),
            EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
            EMAIL_USE_TLS=_bool(query.get("tls", "")) and not ssl,
            EMAIL_USE_SSL=ssl,
        )
        if "timeout" in query:
            result["EMAIL_TIMEOUT"] = int(query["timeout"])
    if result["EMAIL_USE_TLS"] and result["EMAIL_USE_SSL"]:
        raise ImproperlyConfigured("Set EMAIL_USE_TLS or EMAIL_USE_SSL, not both.")
    sender = environ.get("DEFAULT_FROM_EMAIL", "").strip()
    result["DEFAULT_FROM_EMAIL"] = sender or "cellmeet <khong-tra-loi@localhost>"
    result["SERVER_EMAIL"] = environ.get("SERVER_EMAIL", "").strip() or result["DEFAULT_FROM_EMAIL"]
    return result
