"""Resolution titles, drafted and adopted.

The cell committee drafts the coming regular meeting's resolution, titled "Dự thảo
nghị quyết …"; the regular meeting adopts it as the cell's resolution, titled the same
without "Dự thảo". The committee's title is typed by hand, so the cell's is derived
from it however it was written: any case, tone marks composed or not, "Dự thảo:" in
front or "(dự thảo)" at the end.

Titles are words of the official record, printed in Vietnamese whatever language the
interface speaks (templates/pdf/): they are not translated.
"""

import re
import unicodedata

DRAFT = "Dự thảo"

# "dự thảo", also typed without tone marks, or the English word.
_DRAFT_WORD = r"(?:dự\s+thảo|du\s+thao|draft)"
_IN_FRONT = re.compile(rf"^[\s(\[]*{_DRAFT_WORD}(?![\w])[\s)\]:.,\-–—]*", re.IGNORECASE)
# At the end only in brackets or after a dash: "… góp ý dự thảo" may be the subject.
_AT_THE_END = re.compile(
    rf"\s*(?:[(\[]\s*{_DRAFT_WORD}\s*[)\]]|[\-–—]\s*{_DRAFT_WORD})[\s.]*$", re.IGNORECASE
)
# What is left of a title that said nothing but "Draft resolution".
_BARE = {"nghị quyết", "nghi quyet", "resolution"}


def cell_title(month, year):
    """The cell's monthly resolution, when nothing better was written."""
    return f"Nghị quyết chi bộ tháng {month}/{year}"


def draft_title(month, year):
    """The committee's draft of the cell's resolution for that month."""
    title = cell_title(month, year)
    return f"{DRAFT} {title[0].lower()}{title[1:]}"


def adopted_title(title, *, month, year):
    """The cell's resolution adopted from a draft titled `title`, at a meeting of that
    month: the title without "Dự thảo", starting with a capital."""
    title = unicodedata.normalize("NFC", title).strip()
    title = _AT_THE_END.sub("", _IN_FRONT.sub("", title)).strip()
    if not title or title.casefold() in _BARE:
        return cell_title(month, year)
    return title[0].upper() + title[1:]
