"""The boxes of a vote: the minutes' closing vote and each decision's, one behaviour.

Beside the "For" box, how many official members are present (the most hands a tally
can hold, from meetings.models.vote_count_for, the one rule of who votes); an empty
vote starts as "everyone present agrees"; a tally over that many is refused with both
numbers, on the box.
"""

from django.utils.translation import gettext

VOTE_FIELDS = ("votes_for", "votes_against", "votes_other")


def prepare(form, vote_count):
    """Show the count beside the boxes and suggest the tally of an empty vote."""
    if vote_count is None or "votes_for" not in form.fields:
        return
    form.fields["votes_for"].help_text = gettext("Official members present: %(present)s") % {
        "present": vote_count.eligible_present
    }
    if _suggests_tally(form):
        form.initial.update(vote_count.suggested_tally() or {})


def _suggests_tally(form):
    """A vote nobody counted yet, on a page being shown. A new decision row is also
    given the suggestion once sent, so that a row added and left untouched still
    counts as unchanged (and is skipped) rather than as a decision with no subject."""
    if any(getattr(form.instance, name) is not None for name in VOTE_FIELDS):
        return False
    return not form.is_bound or form.instance.pk is None


def check_tally(form, cleaned_data, vote_count):
    if vote_count is None:
        return
    error = vote_count.tally_error(*(cleaned_data.get(name) for name in VOTE_FIELDS))
    if error:
        form.add_error("votes_for", error)


def summary_label(form, name):
    """The label of a box with an error, as the list at the top of the page names it:
    a vote's box also says what is wrong (the limit she went over), not its name only."""
    label = form.fields[name].label
    if name in VOTE_FIELDS:
        return f"{label}: {' '.join(form.errors[name])}"
    return label
