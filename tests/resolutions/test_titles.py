"""The cell's resolution adopted from the committee's draft takes the draft's title
without "Dự thảo" (resolutions.titles), however the secretary typed it."""

import unicodedata

import pytest

from resolutions.titles import adopted_title, cell_title, draft_title

OCTOBER = {"month": 10, "year": 2026}


@pytest.mark.parametrize(
    ("draft", "adopted"),
    [
        ("Dự thảo nghị quyết lãnh đạo tháng 10", "Nghị quyết lãnh đạo tháng 10"),
        ("dự thảo nghị quyết lãnh đạo tháng 10", "Nghị quyết lãnh đạo tháng 10"),
        ("DỰ THẢO NGHỊ QUYẾT LÃNH ĐẠO THÁNG 10", "NGHỊ QUYẾT LÃNH ĐẠO THÁNG 10"),
        ("Dự Thảo Nghị quyết tháng 10", "Nghị quyết tháng 10"),
        ("  Dự  thảo:  nghị quyết tháng 10 ", "Nghị quyết tháng 10"),
        ("Dự thảo - Nghị quyết tháng 10", "Nghị quyết tháng 10"),
        ("(Dự thảo) Nghị quyết tháng 10", "Nghị quyết tháng 10"),
        ("Du thao nghi quyet thang 10", "Nghi quyet thang 10"),
        ("Nghị quyết tháng 10 (dự thảo)", "Nghị quyết tháng 10"),
        ("Nghị quyết tháng 10 – Dự thảo", "Nghị quyết tháng 10"),
        ("Draft resolution for October", "Resolution for October"),
        # Its subject, not a mark of the draft: kept.
        ("Nghị quyết về việc góp ý dự thảo", "Nghị quyết về việc góp ý dự thảo"),
        ("Nghị quyết tháng 10", "Nghị quyết tháng 10"),
    ],
)
def test_the_adopted_title_drops_draft(draft, adopted):
    assert adopted_title(draft, **OCTOBER) == adopted


def test_tone_marks_typed_as_separate_characters_are_recognised():
    decomposed = unicodedata.normalize("NFD", "Dự thảo nghị quyết tháng 10")
    assert decomposed != "Dự thảo nghị quyết tháng 10"
    assert adopted_title(decomposed, **OCTOBER) == "Nghị quyết tháng 10"


@pytest.mark.parametrize("draft", ["Dự thảo nghị quyết", "DỰ THẢO NGHỊ QUYẾT", "Dự thảo", ""])
def test_a_title_that_said_only_draft_becomes_the_cells_resolution_of_the_month(draft):
    assert adopted_title(draft, **OCTOBER) == "Nghị quyết chi bộ tháng 10/2026"


def test_the_committee_drafts_and_the_cell_adopts_from_the_same_words():
    assert draft_title(10, 2026) == "Dự thảo nghị quyết chi bộ tháng 10/2026"
    assert adopted_title(draft_title(10, 2026), **OCTOBER) == cell_title(10, 2026)
