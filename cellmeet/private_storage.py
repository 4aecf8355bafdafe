"""Where private files live: never served directly, only by views that check access.

Models of several apps keep files here (lead reports, signed PDFs, guidance, books),
so it sits in the shared layer."""

from django.core.files.storage import Storage, storages


class PrivateStorage(Storage):
    """settings.STORAGES["private"] (cellmeet/storage.py): MEDIA_ROOT/private on the
    local disk, or "private/" in the S3-compatible bucket. Never served directly, only
    by views that check access.

    A file field keeps the storage it was given when the model class is made; this one
    looks the configured storage up at each call, so the fields follow STORAGES (and a
    test that switches it to the object storage)."""

    def _configured(self):
        return storages["private"]


def _delegate(name):
    def method(self, *args, **kwargs):
        return getattr(self._configured(), name)(*args, **kwargs)

    method.__name__ = name
    return method


for _name in (
    "open",
    "save",
    "delete",
    "exists",
    "listdir",
    "size",
    "url",
    "path",
    "get_valid_name",
    "get_alternative_name",
    "get_available_name",
    "generate_filename",
    "get_accessed_time",
    "get_created_time",
    "get_modified_time",
):
    setattr(PrivateStorage, _name, _delegate(_name))

PRIVATE_STORAGE = PrivateStorage()


def private_storage():
    return PRIVATE_STORAGE
