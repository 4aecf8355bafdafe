"""The year's Merkle root on the cover of the minutes book (RFC 6962, checked against
pymerkle as an independent implementation) and one record's place and inclusion on
the verify page."""

import hashlib
import re

import pytest
from django.urls import reverse
from pymerkle import InmemoryTree

from meetings import chain
from printing import books, ledger, merkle
from tests.printing.pdftools import flat, page_text


def pymerkle_root(leaves):
    tree = InmemoryTree(algorithm="sha256")
    for leaf in leaves:
        tree.append_entry(leaf)
    return tree.get_root() if leaves else hashlib.sha256(b"").digest()


@pytest.mark.parametrize("size", [0, 1, 2, 3, 4, 5, 7, 8, 9, 13, 16, 17])
def test_the_root_and_every_inclusion_path_agree_with_pymerkle(size):
    leaves = [hashlib.sha256(str(i).encode()).digest() for i in range(size)]
    root = merkle.root(leaves)
    assert root == pymerkle_root(leaves)
    for index, leaf in enumerate(leaves):
        path = merkle.inclusion_path(index, leaves)
        assert merkle.root_from_path(index, size, leaf, path) == root
        assert merkle.root_from_path(index, size, b"other", path) != root
        if size > 1:
            assert merkle.root_from_path((index + 1) % size, size, leaf, path) != root


def hex_after(text, label):
    """The 64 hex digits printed after `label` (the cover prints them in groups)."""
    tail = flat(text).split(label, 1)[1]
    return "".join(re.findall(r"[0-9a-f]", tail))[:64]


def test_the_book_cover_prints_the_years_root_chain_head_and_sequences(book_year, world):
    book = books.assemble_minutes_book(world.cell, 2026, site_url="https://chibo.example")
    cover = page_text(book.content, 1)
    seals = list(chain.chained(world.cell.pk).filter(year=2026))
    fingerprints = [meeting.fingerprint for meeting in seals]
    assert len(fingerprints) == 3
    expected_root = pymerkle_root([bytes.fromhex(f) for f in fingerprints]).hex()
    assert hex_after(cover, "Gốc Merkle của năm (RFC 6962, SHA-256):") == expected_root
    assert hex_after(cover, "Mã đầu chuỗi (mã của biên bản số 3):") == fingerprints[-1]
    assert "Biên bản đã ký của năm: 3, số thứ tự từ 1 đến 3" in flat(cover)


def test_the_verify_page_shows_the_place_and_checks_inclusion_for_anyone(book_year, world, login):
    march = book_year["signed"][0]
    tree = ledger.year_tree(world.cell.pk, 2026)
    url = reverse("printing:verify", args=[march.fingerprint])
    client = login(None)
    place = client.get(url).context["place"]
    assert place.sequence == march.chain_sequence == 2
    assert place.included is None

    response = client.get(url, {"root": tree.root.upper()})
    assert response.context["place"].included is True
    assert "Biên bản này có trong sổ biên bản mang gốc Merkle" in response.content.decode()
    assert "meeting" not in response.context  # a stranger still sees no minutes

    other_root = ledger.YearTree(world.cell.pk, 2026, [1, 2], tree.fingerprints[:2]).root
    response = client.get(url, {"root": other_root})
    assert response.context["place"].included is False
    assert "Biên bản này không có trong sổ" in response.content.decode()


def test_the_cell_also_sees_the_link_and_the_root(book_year, world, login):
    march = book_year["signed"][0]
    response = login(world.secretary).get(reverse("printing:verify", args=[march.fingerprint]))
    page = response.content.decode()
    assert march.previous_fingerprint in page
    assert ledger.year_tree(world.cell.pk, 2026).root in page
