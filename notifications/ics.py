"""A calendar entry written straight as RFC 5545 text, for the feeds.

The icalendar library builds each entry as objects and took 2–4 ms per meeting: a
province's feed, thousands of meetings, took seconds when its cached entries were
gone (issue 23). A feed's entry has a fixed set of properties, all text or UTC times,
so it is written here directly, with the standard's escaping (3.3.11) and line folding
at 75 octets (3.1); tests/feeds parse it back with icalendar and compare it with the
entry icalendar writes for an invitation.
"""

from datetime import UTC

CRLF = "\r\n"
FOLD_OCTETS = 75


def escape(text):
    """TEXT values: backslash, semicolon, comma and newline escaped."""
    text = str(text).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def utc(moment):
    """DATE-TIME in UTC: 20261206T123000Z."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def fold(line):
    """One content line as UTF-8, folded so that no line exceeds 75 octets (a character
    is never cut: a continuation starts with one space)."""
    data = line.encode()
    if len(data) <= FOLD_OCTETS:
        return data + b"\r\n"
    parts = []
    limit = FOLD_OCTETS
    start = 0
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # inside a character
            end -= 1
        parts.append(data[start:end])
        start = end
        limit = FOLD_OCTETS - 1  # the leading space counts
    return b"\r\n ".join(parts) + b"\r\n"


def vevent(properties):
    """A VEVENT from (name, value) pairs whose values are already written (escaped text,
    utc() times, integers, addresses)."""
    lines = [b"BEGIN:VEVENT\r\n"]
    lines += [fold(f"{name}:{value}") for name, value in properties]
    lines.append(b"END:VEVENT\r\n")
    return b"".join(lines)
