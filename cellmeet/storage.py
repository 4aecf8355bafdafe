"""Where uploaded and generated files live: the local disk, or S3-compatible object
storage when several web hosts and workers must see the same files.

Read by the settings (no model or app import here). Two storages:
- "default": MEDIA_ROOT, or the bucket (under its prefix);
- "private": MEDIA_ROOT/private, or "private/" in the same bucket: signed PDFs, lead
  reports, guidance documents, minutes books. Never served directly, only by views
  that check access (cellmeet.private_storage).
"""

from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

S3_BACKEND = "storages.backends.s3.S3Storage"
LOCAL_BACKEND = "django.core.files.storage.FileSystemStorage"
PRIVATE_FOLDER = "private"

# Options of django-storages' S3Storage a MEDIA_STORAGE_URL query may set.
S3_URL_OPTIONS = {
    "endpoint_url",
    "region_name",
    "addressing_style",
    "signature_version",
    "use_ssl",
    "verify",
    "location",
}
# The same options from separate variables, for those who prefer them to one URL.
S3_VARIABLES = {
    "AWS_STORAGE_BUCKET_NAME": "bucket_name",
    "AWS_S3_ENDPOINT_URL": "endpoint_url",
    "AWS_S3_REGION_NAME": "region_name",
    "AWS_S3_ACCESS_KEY_ID": "access_key",
    "AWS_S3_SECRET_ACCESS_KEY": "secret_key",
    "AWS_S3_ADDRESSING_STYLE": "addressing_style",
    "AWS_LOCATION": "location",
}


def object_storage_options(environ):
    """S3Storage options from MEDIA_STORAGE_URL or the AWS_* variables; None if neither.

    MEDIA_STORAGE_URL=s3://ACCESS_KEY:SECRET@BUCKET/PREFIX?endpoint_url=https://s3.example.vn
    (keys percent-encoded; without them boto3 looks for its own credentials).
    """
    url = environ.get("MEDIA_STORAGE_URL", "").strip()
    if url:
        parts = urlsplit(url)
        if parts.scheme != "s3" or not parts.hostname:
            raise ImproperlyConfigured(
                "MEDIA_STORAGE_URL must look like s3://KEY:SECRET@BUCKET/PREFIX?endpoint_url=…"
            )
        options = {"bucket_name": parts.hostname}
        if parts.username:
            options["access_key"] = unquote(parts.username)
        if parts.password:
            options["secret_key"] = unquote(parts.password)
        if parts.path.strip("/"):
            options["location"] = parts.path.strip("/")
        for name, value in parse_qsl(parts.query):
            if name not in S3_URL_OPTIONS:
                raise ImproperlyConfigured(
                    f"MEDIA_STORAGE_URL: unknown option {name!r} "
                    f"(known: {', '.join(sorted(S3_URL_OPTIONS))})."
                )
            options[name] = value
    elif environ.get("AWS_STORAGE_BUCKET_NAME"):
        options = {
            option: environ[variable]
            for variable, option in S3_VARIABLES.items()
            if environ.get(variable)
        }
    else:
        return None
    for flag in ("use_ssl", "verify"):
        if flag in options:
            options[flag] = options[flag].strip().lower() not in {"0", "false", "no", "off"}
    # A server of our own (MinIO, Ceph, a provider's S3) is addressed by path: the
    # bucket as a host name would need DNS for every bucket.
    if options.get("endpoint_url"):
        options.setdefault("addressing_style", "path")
    return options


def media_storages(environ, media_root):
    """STORAGES["default"] and STORAGES["private"] for this environment."""
    s3 = object_storage_options(environ)
    if s3 is None:
        return {
            "default": {"BACKEND": LOCAL_BACKEND},  # MEDIA_ROOT
            "private": {
                "BACKEND": LOCAL_BACKEND,
                "OPTIONS": {"location": str(Path(media_root) / PRIVATE_FOLDER), "base_url": None},
            },
        }
    prefix = s3.pop("location", "").strip("/")
    common = {
        **s3,
        # Like the local disk: a second file of the same name gets a new name. (S3Storage
        # overwrites by default, which would replace a signed lead report.)
        "file_overwrite": False,
        # Objects stay private to the bucket; files are served by our views only.
        "default_acl": None,
        "querystring_auth": True,
    }
    return {
        "default": {"BACKEND": S3_BACKEND, "OPTIONS": {**common, "location": prefix}},
        "private": {
            "BACKEND": S3_BACKEND,
            "OPTIONS": {**common, "location": "/".join(filter(None, [prefix, PRIVATE_FOLDER]))},
        },
    }


def is_local(storage_settings):
    return storage_settings["BACKEND"] == LOCAL_BACKEND
