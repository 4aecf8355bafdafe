"""Office files are zip archives: refuse those that unpack out of proportion.

A genuine .docx, .xlsx or .odt of a few megabytes holds a few dozen parts and unpacks
to a few times its size. A zip bomb holds a tiny file that unpacks to gigabytes, or
thousands of parts. The limits below leave real documents (images included) far
inside them.
"""

import zipfile

# Unpacked size may reach this many times the packed size (office XML packs ~10:1),
# once it is large enough to matter ...
MAX_RATIO = 100
RATIO_FLOOR_BYTES = 10 * 1024 * 1024
# ... and never more than this, whatever the packed size.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_MEMBERS = 2000


class ArchiveOutOfProportion(Exception):
    """The archive unpacks to far more than a real document would."""


def _out_of_proportion(unpacked, packed):
    return unpacked > RATIO_FLOOR_BYTES and unpacked > max(packed, 1) * MAX_RATIO


def check_archive_proportions(archive, packed_size):
    """Raise ArchiveOutOfProportion for a zipfile.ZipFile out of proportion to its size.

    Reads only the central directory: nothing is unpacked."""
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise ArchiveOutOfProportion
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_UNPACKED_BYTES or _out_of_proportion(unpacked, packed_size):
        raise ArchiveOutOfProportion
    # Each part on its own, too: one bomb beside a large incompressible image.
    if any(_out_of_proportion(member.file_size, member.compress_size) for member in members):
        raise ArchiveOutOfProportion


def is_zip(file):
    """Whether a file reads as a zip archive (the central directory sits at its end, so a
    PDF with a zip appended is one too)."""
    file.seek(0)
    try:
        return zipfile.is_zipfile(file)
    finally:
        file.seek(0)
