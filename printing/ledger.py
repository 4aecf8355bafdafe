"""A cell's year of seals as one Merkle root (printing.merkle), printed on the cover
of the minutes book with the first and last sequence and the chain head, and the
inclusion of one record in it, shown on the verify page.

The year is the meetings' year; its seals are every sealed version of the cell's
minutes of that year (returned and superseded ones too), in chain order.
"""

from dataclasses import dataclass

from meetings.models import Meeting
from printing import merkle


@dataclass
class YearTree:
    organization_id: int
    year: int
    sequences: list
    fingerprints: list

    @property
    def size(self):
        return len(self.fingerprints)

    @property
    def leaves(self):
        return [bytes.fromhex(fingerprint) for fingerprint in self.fingerprints]

    @property
    def root(self):
        return merkle.root(self.leaves).hex()

    @property
    def first_sequence(self):
        return self.sequences[0] if self.sequences else None

    @property
    def last_sequence(self):
        return self.sequences[-1] if self.sequences else None

    @property
    def head(self):
        """The fingerprint of the year's last seal: it names every seal before it."""
        return self.fingerprints[-1] if self.fingerprints else ""

    def inclusion(self, fingerprint):
        """(index, path as hex) of one seal in the tree, or None if it is not a leaf."""
        if fingerprint not in self.fingerprints:
            return None
        index = self.fingerprints.index(fingerprint)
        return index, [node.hex() for node in merkle.inclusion_path(index, self.leaves)]


def year_tree(organization_id, year):
    rows = list(
        Meeting.objects.filter(
            organization_id=organization_id, year=year, chain_sequence__isnull=False
        )
        .exclude(fingerprint="")
        .order_by("chain_sequence")
        .values_list("chain_sequence", "fingerprint")
    )
    return YearTree(
        organization_id,
        year,
        [sequence for sequence, _ in rows],
        [fingerprint for _, fingerprint in rows],
    )


def is_included(fingerprint, *, index, size, path, root):
    """Whether the seal with this fingerprint, at `index` of a tree of `size` leaves
    with this inclusion path (hex), leads to the printed `root` (hex)."""
    try:
        nodes = [bytes.fromhex(node) for node in path]
        computed = merkle.root_from_path(index, size, bytes.fromhex(fingerprint), nodes)
    except ValueError:
        return False
    return computed is not None and computed.hex() == root.lower()


@dataclass
class Place:
    """Where one seal stands: its sequence in its cell's chain, the fingerprint it
    links to, and its leaf in the cell-year tree (and, if a root was typed in,
    whether it leads there)."""

    sequence: int
    previous: str
    year: int
    index: int
    size: int
    path: list
    root: str
    typed_root: str = ""
    included: bool | None = None


def normalized_hex(text):
    return "".join(char for char in (text or "").lower() if char in "0123456789abcdef")


def place_of(meeting, *, typed_root=""):
    tree = year_tree(meeting.organization_id, meeting.year)
    found = tree.inclusion(meeting.fingerprint)
    if meeting.chain_sequence is None or found is None:
        return None
    index, path = found
    place = Place(
        sequence=meeting.chain_sequence,
        previous=meeting.previous_fingerprint,
        year=meeting.year,
        index=index,
        size=tree.size,
        path=path,
        root=tree.root,
    )
    typed_root = normalized_hex(typed_root)
    if typed_root:
        place.typed_root = typed_root
        place.included = is_included(
            meeting.fingerprint, index=index, size=tree.size, path=path, root=typed_root
        )
    return place
