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
