"""The signed record is the record: every page and printout of signed minutes comes
from the content sealed at signing, never from live rows, and `verify_records`
finds every fingerprint and stored file again."""

import datetime as dt
import json

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from meetings import record, services
from meetings.models import Guest, Meeting, MeetingStatus, QualityScheme, Speech
from printing import pdf
from printing.integrity import check_record, stored_pdf_fingerprints
from tests.helpers import at, complete, review, sign_both
from tests.printing.pdftools import flat, pdf_text

OLD_CHAIR, NEW_CHAIR = "Nguyễn Thị Lan", "Nguyễn Thị Lan Anh"
OLD_SPEAKER, NEW_SPEAKER = "Hoàng Thị Dung", "Hoàng Thị Dung Mới"
OLD_CELL, NEW_CELL = "Chi bộ thôn Đông", "Chi bộ thôn Đông Mới"
OLD_SUPERIOR, NEW_SUPERIOR = "Đảng bộ xã Yên Hòa", "Đảng ủy phường Yên Hòa Mới"
OLD_LEAD, NEW_LEAD = "Lê Thị Bình", "Lê Thị Bình Mới"


@pytest.fixture
def signed(world, roster, make_meeting, adopt):
    """October minutes, signed, with a guest, a speech, the review of September's task,
    a new resolution and a quality self-score."""
    official = roster["official"]
    september = make_meeting(when=at(2026, 9, 5))
    _, (task,) = adopt(
        september, [("Vận động thu nộp đảng phí đầy đủ", official[2], dt.date(2026, 9, 30))]
    )
    meeting = complete(make_meeting(when=at(2026, 10, 5)), roster)
    meeting.quality_scores = {"time": 5, "attendance": 5, "conduct": 25}
    meeting.save()
    Guest.objects.create(meeting=meeting, name="Phạm Minh Tuấn", title="Đảng ủy viên")
    Speech.objects.create(meeting=meeting, speaker=official[4], summary="Đề nghị sửa đường.")
    review(task, meeting, "done", evaluation="praise")
    adopt(meeting, [("Tu sửa đường bê tông", official[3], dt.date(2026, 11, 30))])
    services.finalize_minutes(meeting, user=world.secretary)
    return sign_both(meeting, world, roster)


def rename_everyone(world, roster, client):
    """The chair renamed through the member page; the others, the cell, its superior and
    the quality form changed directly."""
    chair = roster["official"][0]
    url = reverse("members:member_edit", args=[chair.pk])
    form = client.get(url).context["form"]
    data = {}
    for bound in form:
        value = bound.value()
        if isinstance(value, dt.date):
            value = value.strftime("%d/%m/%Y")
        data[bound.html_name] = "" if value is None else value
    data["full_name"] = NEW_CHAIR
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    chair.refresh_from_db()
    assert chair.full_name == NEW_CHAIR
    for member, name in [(roster["official"][4], NEW_SPEAKER), (roster["official"][2], NEW_LEAD)]:
        member.full_name = name
        member.save()
    world.cell.name = NEW_CELL
    world.cell.save()
    world.commune.name = NEW_SUPERIOR
    world.commune.save()
    QualityScheme.objects.create(
        organization=world.commune,
        criteria=[{"code": "time", "label": "Tiêu chí mới", "max": 100}],
    )


def assert_says_only_what_was_signed(text, *, names_the_cell=True):
    for old in (OLD_CHAIR, OLD_SPEAKER, OLD_LEAD) + ((OLD_CELL,) if names_the_cell else ()):
        assert old in text
    for new in (NEW_CHAIR, NEW_SPEAKER, NEW_CELL, NEW_SUPERIOR, NEW_LEAD, "Tiêu chí mới"):
        assert new not in text


def test_renaming_after_signing_changes_no_page_and_no_printout(signed, world, roster, login):
    client = login(world.secretary)
    rename_everyone(world, roster, client)

    page = client.get(reverse("meetings:detail", args=[signed.pk]))
    minutes_html = page.content.decode()
    body = minutes_html[minutes_html.index('<article class="minutes">') :]
    assert_says_only_what_was_signed(body, names_the_cell=False)

    first = client.get(reverse("printing:minutes_pdf", args=[signed.pk])).content
    text = flat(pdf_text(first))
    assert_says_only_what_was_signed(text)
    assert OLD_SUPERIOR.upper() in text
    later = client.get(reverse("printing:minutes_pdf", args=[signed.pk])).content
    assert later == first

    book = client.get(reverse("printing:minutes_book", args=[world.cell.pk, 2026])).content
    book_minutes = flat(pdf_text(book)).split("BIÊN BẢN", 1)[1]
    assert_says_only_what_was_signed(book_minutes)

    verify = client.get(reverse("printing:verify", args=[signed.fingerprint]))
    assert verify.context["minutes"].chair.full_name == OLD_CHAIR
    assert OLD_CELL in verify.content.decode() and NEW_CELL not in verify.content.decode()

    call_command("verify_records")


def test_signed_minutes_render_again_to_the_same_text_after_renames(signed, world, roster, login):
    client = login(world.secretary)
    before = pdf_text(pdf.render_minutes(signed))
    rename_everyone(world, roster, client)
    signed.refresh_from_db()
    assert pdf_text(pdf.render_minutes(signed)) == before


def test_sealing_prints_and_stores_the_pdf_once_committed(
    world, roster, make_meeting, django_capture_on_commit_callbacks
):
    meeting = complete(make_meeting(), roster)
    services.finalize_minutes(meeting, user=world.secretary)
    with django_capture_on_commit_callbacks(execute=True):
        meeting = sign_both(meeting, world, roster)
    meeting.refresh_from_db()
    assert meeting.minutes_pdf
    with meeting.minutes_pdf.open("rb") as handle:
        assert meeting.fingerprint in stored_pdf_fingerprints(handle.read())


def test_the_sealed_content_names_what_the_printout_shows(signed):
    content = json.loads(signed.signed_content)
    assert content["format"] == record.CONTENT_FORMAT
    assert content["organization"]["superior"]["name"] == OLD_SUPERIOR
    assert content["organization"]["place"] == signed.organization.place
    assert [item["code"] for item in content["quality_criteria"]][:2] == ["time", "attendance"]
    assert all(signature["signed_at"] for signature in content["signatures"])
    (task_review,) = content["task_reviews"]
    assert task_review["lead"]["name"] == OLD_LEAD
    assert task_review["due_on"] == "2026-09-30"


def test_a_superseded_version_keeps_its_own_sealed_content(signed, world, login):
    services.return_minutes(signed, user=world.reviewer, comment="Ghi rõ người phát biểu.")
    correction = services.start_correction(signed, user=world.secretary)
    correction.conclusion = "Kết luận đã sửa theo nhận xét."
    correction.save()
    old = login(world.secretary).get(reverse("meetings:detail", args=[signed.pk]))
    assert old.context["minutes"].conclusion == "Chi bộ thống nhất các nhiệm vụ tháng 11."
    assert Meeting.objects.get(pk=signed.pk).status == MeetingStatus.SUPERSEDED


def test_content_sealed_before_format_2_still_shows(signed):
    content = json.loads(signed.signed_content)
    for key in ("format", "quality_criteria"):
        content.pop(key)
    content["organization"].pop("superior")
    for signature in content["signatures"]:
        signature.pop("signed_at")
    context = record.MinutesRecord(content).context()
    assert context["minutes"].superior is None
    default_label = settings.CELLMEET_MEETINGS["QUALITY_CRITERIA"][0]["label"]
    assert default_label in [row["label"] for row in context["criteria_scores"]]
    assert context["summary"].present == 7


# ---------------------------------------------------------------- verify_records


def stored(meeting, world, login):
    login(world.secretary).get(reverse("printing:minutes_pdf", args=[meeting.pk]))
    meeting.refresh_from_db()
    return meeting


def raw_update(meeting, **fields):
    """Change a sealed row behind the application's back, as a broken disk or a
    hand-edited database would."""
    assignments = ", ".join(f"{name} = %s" for name in fields)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE meetings_meeting SET {assignments} WHERE id = %s",  # noqa: S608
            [*fields.values(), meeting.pk],
        )
    meeting.refresh_from_db()


def test_verify_records_passes_on_an_intact_archive(signed, world, login, capsys):
    stored(signed, world, login)
    call_command("verify_records")
    assert "1 signed records checked: 1 intact, 0 with problems." in capsys.readouterr().out


def test_verify_records_finds_tampered_content(signed, world, login):
    stored(signed, world, login)
    raw_update(signed, signed_content=signed.signed_content.replace(OLD_SPEAKER, "Người khác"))
    assert check_record(signed).problems == ["the sealed content does not match its fingerprint"]
    with pytest.raises(CommandError):
        call_command("verify_records")


def test_verify_records_finds_a_missing_pdf_and_can_print_it(signed):
    assert check_record(signed).problems == ["the stored PDF is missing"]
    with pytest.raises(CommandError):
        call_command("verify_records")
    call_command("verify_records", "--render-missing", "--site-url", "https://chibo.example")
    signed.refresh_from_db()
    assert check_record(signed).ok


def test_verify_records_finds_a_pdf_of_other_minutes(signed, world, roster, make_meeting, login):
    other = complete(make_meeting(when=at(2026, 8, 5)), roster)
    services.finalize_minutes(other, user=world.secretary)
    other = stored(sign_both(other, world, roster), world, login)
    signed = stored(signed, world, login)
    raw_update(signed, minutes_pdf=other.minutes_pdf.name)
    assert check_record(signed).problems == ["the stored PDF carries another fingerprint"]


def test_verify_records_finds_a_changed_lead_report(world, roster, make_meeting, login):
    meeting = complete(make_meeting(kind="thematic", when=at(2026, 10, 20)), roster)
    meeting.lead_report.save("de-dan.pdf", ContentFile(b"%PDF-1.4 original"), save=True)
    services.finalize_minutes(meeting, user=world.secretary)
    meeting = stored(sign_both(meeting, world, roster), world, login)
    assert check_record(meeting).ok
    with open(meeting.lead_report.path, "wb") as handle:
        handle.write(b"%PDF-1.4 replaced")
    assert check_record(meeting).problems == ["the lead report file differs from the one signed"]
