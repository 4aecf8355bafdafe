"""The superior's monthly countersignature over the heads of all its cells' chains.

The reviewer presses one button (oversight): every cell under the committee gives its
chain head (last sequence and fingerprint; sequence 0 and the genesis for a cell with
no seal yet), the heads become the leaves of an RFC 6962 tree (printing.merkle; leaf
= "cell:sequence:fingerprint" in UTF-8, cells in id order), and the root is stored
with who countersigned and when. `verify_records` then checks that every
countersigned head is still in its cell's chain: a cell's tail rewritten or removed
after the countersignature is found even though its chain is whole again.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cellmeet.sealed import WorkflowError
from meetings import chain
from meetings.models import Meeting
from members.models import Organization
from printing import merkle, timestamps
from printing.models import TreeHead


class HeadError(WorkflowError):
    pass


def cells_under(organization):
    return Organization.objects.subtree_of(organization).cells().order_by("pk")


def chain_heads(organization):
    """[{"cell", "sequence", "fingerprint"}] of every cell under the organisation."""
    cells = list(cells_under(organization).values_list("pk", flat=True))
    last = {}
    for cell, sequence, fingerprint in (
        Meeting.objects.filter(organization_id__in=cells, chain_sequence__isnull=False)
        .order_by("organization_id", "chain_sequence")
        .values_list("organization_id", "chain_sequence", "fingerprint")
    ):
        last[cell] = (sequence, fingerprint)
    return [
        {
            "cell": cell,
            "sequence": last.get(cell, (0, ""))[0],
            "fingerprint": last.get(cell, (0, chain.GENESIS))[1],
        }
        for cell in cells
    ]


def head_leaf(head):
    return f"{head['cell']}:{head['sequence']}:{head['fingerprint']}".encode()


def root_of(heads):
    return merkle.root([head_leaf(head) for head in heads]).hex()


@transaction.atomic
def countersign_month(organization, *, user, now=None):
    """Countersign this month's tree head of the organisation (once a month)."""
    now = timezone.localtime(now or timezone.now())
    list(Organization.objects.select_for_update().filter(pk=organization.pk).values_list("pk"))
    if TreeHead.objects.filter(organization=organization, year=now.year, month=now.month).exists():
        raise HeadError(_("This month's tree head is already countersigned."))
    heads = chain_heads(organization)
    root = root_of(heads)
    try:
        # Optional (printing.timestamps): a failing authority refuses the countersignature.
        token = timestamps.timestamp(root) if timestamps.timestamp_is_configured() else b""
    except timestamps.TimestampError as error:
        raise HeadError(error.message) from error
    return TreeHead.objects.create(
        organization=organization,
        year=now.year,
        month=now.month,
        heads=heads,
        root=root,
        countersigned_by=user,
        countersigned_at=now,
        timestamp_token=token,
    )


def check_heads(organizations=None):
    """[(cell, sequence, problem)] for every countersigned head no longer borne out by
    the records (of `organizations` only, when given)."""
    problems = []
    cells = None if organizations is None else set(organizations.values_list("pk", flat=True))
    for tree_head in TreeHead.objects.select_related("organization", "countersigned_by"):
        when = f"{tree_head.month:02d}/{tree_head.year}"
        signer = tree_head.countersigned_by.get_username()
        if root_of(tree_head.heads) != tree_head.root:
            problems.append(
                (None, None, f"the tree head of {tree_head.organization} for {when} was altered")
            )
        for head in tree_head.heads:
            if cells is not None and head["cell"] not in cells:
                continue
            if head["sequence"] == 0:
                continue
            found = (
                Meeting.objects.filter(
                    organization_id=head["cell"], chain_sequence=head["sequence"]
                )
                .values_list("fingerprint", flat=True)
                .first()
            )
            if found != head["fingerprint"]:
                problems.append(
                    (
                        head["cell"],
                        head["sequence"],
                        f"differs from the head countersigned by {signer} for {when}: "
                        "records were rewritten or removed after it",
                    )
                )
    return problems
