"""A large cell's attendance shown a page at a time on the recording pages (issue 23):
which rows a page holds, the buttons to the others, and how the rows elsewhere count."""

# A large cell's attendance is shown this many members at a time (in the roster's
# order), so that a page of a 2,000-member cell stays light; the other pages are a
# button away, each named by the first and last name on it, and "mark everyone not yet
# marked as present" still marks the whole cell.
ATTENDANCE_PAGE_SIZE = 50


class AttendancePages:
    """The attendance rows of a meeting, read once, and the page of them shown."""

    def __init__(self, rows, wanted=None, size=ATTENDANCE_PAGE_SIZE):
        self.rows = rows
        self.size = size
        self.count = max(1, -(-len(rows) // size))
        try:
            number = int(wanted or 1)
        except (TypeError, ValueError):
            number = 1
        self.number = min(max(number, 1), self.count)
        start = (self.number - 1) * size
        self.shown = rows[start : start + size]

    @staticmethod
    def page_sent(rows, data, prefix, size=ATTENDANCE_PAGE_SIZE):
        """The page holding the rows a submission sent, or None: a submission kept
        while her session ended, or after a conflict, reopens where she was."""
        first = data.get(f"{prefix}-0-id") if data is not None else None
        if not first or not str(first).isdigit():
            return None
        for index, row in enumerate(rows):
            if row.pk == int(first):
                return index // size + 1
        return None

    @property
    def paged(self):
        return self.count > 1

    def links(self):
        """Each page: its number, the first and last name on it, whether it is shown."""
        return [
            {
                "number": index // self.size + 1,
                "first": self.rows[index].member.full_name,
                "last": self.rows[min(index + self.size, len(self.rows)) - 1].member.full_name,
                "current": index // self.size + 1 == self.number,
            }
            for index in range(0, len(self.rows), self.size)
        ]

    def elsewhere(self):
        """How the rows on the other pages count, as stored: (present, summoned)."""
        shown = {row.pk for row in self.shown}
        others = [row for row in self.rows if row.pk not in shown]
        return (
            sum(1 for row in others if row.counts_as_present),
            sum(1 for row in others if row.is_summoned),
        )
