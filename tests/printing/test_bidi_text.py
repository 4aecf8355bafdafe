"""Text reads as it is stored: the controls that reorder text on screen (bidi overrides,
embeddings, isolates and marks) are taken out of what users type, on the page and in
the printed minutes."""

from django.urls import reverse

from cellmeet.text import BIDI_CONTROLS, clean_text, normalize_text
from meetings.models import Guest, Meeting, Speech
from tests.meetings.formdata import open_record, record_post_data, record_url, type_rows
from tests.printing.pdftools import pdf_text

# "Chi bộ thống nhất" with the last word shown reversed: U+202E ... U+202C.
SPOOFED = "Chi bộ \u202etấhn gnốht\u202c, \u2066đạt\u2069 \u200fyêu\u200e cầu\u061c."
CLEAN = "Chi bộ tấhn gnốht, đạt yêu cầu."


def test_every_bidi_control_is_taken_out():
    controls = "".join(BIDI_CONTROLS)
    assert len(controls) == 12
    assert clean_text(f"a{controls}b\n\nc") == "ab\n\nc"
    assert normalize_text(" Nguyễn\u202e Văn  An ") == "Nguyễn Văn An"
    # Decomposed Vietnamese is composed (NFC) at the same time.
    assert clean_text("Nguye\u0302\u0303n") == "Nguyễn"


def test_the_record_page_stores_and_shows_text_without_bidi_controls(
    world, login, make_meeting, roster
):
    secretary = login(world.secretary)
    meeting = make_meeting()
    page = open_record(secretary, meeting)
    data = record_post_data(page, conclusion=SPOOFED, news_briefing=SPOOFED)
    type_rows(data, "guests", [{"name": "Lê\u202e Văn Thanh", "unit": SPOOFED}])
    type_rows(data, "speeches", [{"guest_name": "Lê Văn Thanh", "summary": SPOOFED}])
    response = secretary.post(record_url(meeting), data)
    assert response.status_code == 302

    meeting.refresh_from_db()
    assert meeting.conclusion == CLEAN
    assert meeting.news_briefing == CLEAN
    guest = Guest.objects.get(meeting=meeting)
    assert (guest.name, guest.unit) == ("Lê Văn Thanh", CLEAN)
    assert Speech.objects.get(meeting=meeting).summary == CLEAN

    shown = secretary.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert CLEAN in shown
    assert not any(control in shown for control in BIDI_CONTROLS)

    printed = secretary.get(reverse("printing:minutes_pdf", args=[meeting.pk]))
    text = pdf_text(b"".join(printed.streaming_content) if printed.streaming else printed.content)
    assert "tấhn gnốht" in text
    assert not any(control in text for control in BIDI_CONTROLS)


def test_text_stored_before_the_fix_prints_without_bidi_controls(
    world, login, make_meeting, roster
):
    meeting = make_meeting()
    Meeting.objects.filter(pk=meeting.pk).update(conclusion=SPOOFED)
    printed = login(world.secretary).get(reverse("printing:minutes_pdf", args=[meeting.pk]))
    text = pdf_text(printed.content)
    assert "tấhn gnốht" in text
    assert not any(control in text for control in BIDI_CONTROLS)
