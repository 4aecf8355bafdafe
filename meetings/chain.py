"""Each cell's signed minutes form one chain, so a record can no longer be rewritten,
removed, inserted or moved without breaking it.

Every seal takes the next sequence number in its cell and the fingerprint of the
cell's previous seal; its fingerprint is the SHA-256 of those and of the sealed
content (`link_fingerprint`). Rewriting one record changes its fingerprint, which the
next record no longer names; removing one leaves a gap in the numbers; moving one
changes the number its fingerprint covers. Only a rewrite of a cell's whole tail
keeps the chain whole, and the heads the superior countersigns each month
(printing.heads) catch that.

The formula is written out for auditors in README.md ("Checking the archive").
"""

import hashlib

from meetings.models import Meeting
from members.models import Organization

CHAIN_FORMAT = "cellmeet-chain-1"
# The previous fingerprint of a cell's first seal.
GENESIS = "0" * 64


def link_fingerprint(content_json, *, cell, sequence, previous):
    """The fingerprint of one seal: the SHA-256 of a short header naming the chain
    format, the cell, the sequence number and the previous fingerprint, one per line,
    then the canonical sealed content (UTF-8)."""
    header = f"{CHAIN_FORMAT}\ncell {cell}\nsequence {sequence}\nprevious {previous}\n"
    return hashlib.sha256((header + content_json).encode("utf-8")).hexdigest()


def fingerprint_of(meeting):
    """The fingerprint a sealed meeting must carry, recomputed from what it stores."""
    return link_fingerprint(
        meeting.signed_content,
        cell=meeting.organization_id,
        sequence=meeting.chain_sequence,
        previous=meeting.previous_fingerprint,
    )


def chained(organization_id):
    """The cell's sealed records in chain order."""
    return Meeting.objects.filter(
        organization_id=organization_id, chain_sequence__isnull=False
    ).order_by("chain_sequence")


def next_link(organization_id):
    """(sequence, previous fingerprint) of the cell's next seal, with the cell's row
    locked until the transaction ends, so two signatures at once cannot both take
    the same place (the unique constraint would refuse the second anyway)."""
    list(Organization.objects.select_for_update().filter(pk=organization_id).values_list("pk"))
    last = (
        chained(organization_id)
        .order_by("-chain_sequence")
        .values_list("chain_sequence", "fingerprint")
        .first()
    )
    if last is None:
        return 1, GENESIS
    return last[0] + 1, last[1]


def link(meeting, content_json):
    """Put the sealed content into its cell's chain: sets the sequence, the previous
    fingerprint, the content and the fingerprint (the caller saves)."""
    meeting.chain_sequence, meeting.previous_fingerprint = next_link(meeting.organization_id)
    meeting.signed_content = content_json
    meeting.fingerprint = fingerprint_of(meeting)
    return meeting
