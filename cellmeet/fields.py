"""Model fields shared by every app."""

from django.db import models


class BinaryOrderCharField(models.CharField):
    """A CharField compared byte by byte on every database.

    Sort keys (see cellmeet.text) and materialised paths rely on plain code-point
    order; PostgreSQL's locale collations would ignore their punctuation.
    SQLite already compares with BINARY.
    """

    def db_parameters(self, connection):
        parameters = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            parameters["collation"] = "C"
        return parameters


# The longest free texts, in characters. Long enough for any real speech or section of
# the minutes, short enough that a page of minutes stays readable and renders in seconds.
PARAGRAPH_MAX_LENGTH = 4_000  # a speech, a comment, a reason, a task's description
SECTION_MAX_LENGTH = 20_000  # one section of the minutes or of the guidance (~8 A4 pages)
