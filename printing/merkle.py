"""Merkle trees as RFC 6962 (Certificate Transparency) defines them, so anyone can
recompute a root with a standard tool.

leaf hash = SHA-256(0x00 ‖ leaf), node hash = SHA-256(0x01 ‖ left ‖ right); a list of
n > 1 leaves splits at k, the largest power of two smaller than n; the root of no
leaves is SHA-256 of nothing. The leaves here are the 32 bytes of each seal's
fingerprint, in chain order (printing.ledger).
"""

import hashlib


def leaf_hash(leaf):
    return hashlib.sha256(b"\x00" + leaf).digest()


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n):
    """The largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def root(leaves):
    """MTH(D[n]) of RFC 6962, section 2.1."""
    n = len(leaves)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return leaf_hash(leaves[0])
    k = _split(n)
    return node_hash(root(leaves[:k]), root(leaves[k:]))


def inclusion_path(index, leaves):
    """PATH(m, D[n]) of RFC 6962, section 2.1.1: the sibling hashes from leaf `index`
    up to the root."""
    n = len(leaves)
    if not 0 <= index < n:
        raise IndexError(index)
    if n == 1:
        return []
    k = _split(n)
    if index < k:
        return [*inclusion_path(index, leaves[:k]), root(leaves[k:])]
    return [*inclusion_path(index - k, leaves[k:]), root(leaves[:k])]


def root_from_path(index, size, leaf, path):
    """The root that leaf number `index` of a tree of `size` leaves and its inclusion
    path lead to (RFC 9162, section 2.1.3.2); compare it with a printed root."""
    if not 0 <= index < size:
        return None
    fn, sn = index, size - 1
    result = leaf_hash(leaf)
    for sibling in path:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            result = node_hash(sibling, result)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            result = node_hash(result, sibling)
        fn >>= 1
        sn >>= 1
    return result if sn == 0 else None
