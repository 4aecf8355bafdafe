"""The years the app knows: one range for every URL and form with a year.

A year outside it is a page that does not exist (404), whichever page is asked: the
`<year:year>` converter below refuses it before any view runs. The range starts in
2000, well before the first minutes kept here, and ends in 2100.
"""

FIRST_YEAR, LAST_YEAR = 2000, 2100


def in_year_range(year):
    return FIRST_YEAR <= year <= LAST_YEAR


class YearConverter:
    """`<year:year>`: four digits within FIRST_YEAR..LAST_YEAR, given to the view as an int."""

    regex = "[0-9]{4}"

    def to_python(self, value):
        year = int(value)
        if not in_year_range(year):
            raise ValueError(f"{year} is outside {FIRST_YEAR}-{LAST_YEAR}")  # Django: 404
        return year

    def to_url(self, value):
        return str(int(value))
