from django.conf import settings
from django.core.files.storage import FileSystemStorage


def private_storage():
    """Files under MEDIA_ROOT/private: never served directly, only by views that check access."""
    return FileSystemStorage(location=settings.MEDIA_ROOT / "private", base_url=None)
