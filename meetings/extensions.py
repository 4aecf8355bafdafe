"""How other apps add parts to the minutes without meetings importing them.

A part (e.g. the resolution and the review of last month's tasks, in the
resolutions app) registers itself in its AppConfig.ready(). The minutes workflow
then asks every part what is missing before finalizing, what it contributes to
the signed content, and how to copy itself into a corrected version.
"""

_parts = []


class MinutesPart:
    """Override what applies; every hook has a harmless default."""

    def missing(self, meeting):
        """Plain-word items still needed before the minutes can be finalized."""
        return []

    def content(self, meeting):
        """A dict of plain data included in the signed, fingerprinted content."""
        return {}

    def search_texts(self, meeting):
        """Texts of this part that a search across minutes should find."""
        return []

    def copy_into_correction(self, old_meeting, correction):
        """Copy this part's rows from returned minutes into their corrected version."""

    def editor(self, meeting, data=None, files=None):
        """Forms on the recording page, or None: an object with is_valid(), save(),
        error_summary() -> [(label, anchor)], and `review_template` / `tasks_template`
        naming where it shows."""
        return None

    def record_context(self, content):
        """Template context to show this part of the minutes, from their content
        (what `content()` returned, sealed or live): never from live rows."""
        return {}


def register(part):
    if not any(type(existing) is type(part) for existing in _parts):
        _parts.append(part)


def parts():
    return list(_parts)
