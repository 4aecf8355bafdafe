"""Monthly guidance (oversight/guidance.py): a superior committee writes it, publishes
it, and the cells below it — only those — read it, download its documents and find it
beside the news briefing when they record the minutes of that month."""

import io
import zipfile
from datetime import datetime

import pytest
from django.conf import settings as django_settings
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from oversight.guidance import guidance_for, visible_guidance
from oversight.models import Guidance, GuidanceDocument
from tests.meetings.formdata import _field_items, _formset_items


def zip_of(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


PDF = b"%PDF-1.4\n% guidance\n"
DOCX = zip_of({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})
XLSX = zip_of({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"})
ODT = zip_of({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"})
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32

NEWS = (
    "Hội nghị Trung ương lần thứ 14 đã thảo luận các văn kiện trình Đại hội.\n"
    "Phổ biến đến đảng viên."
)


def english(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def message_texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def make_guidance(organization, *, year=2026, month=10, published=True, **fields):
    fields.setdefault("news_material", NEWS)
    return Guidance.objects.create(
        organization=organization,
        year=year,
        month=month,
        published_at=timezone.now() if published else None,
        **fields,
    )


def attach(guidance, name="huong-dan.pdf", content=PDF, title="Hướng dẫn số 12-HD/ĐU"):
    document = GuidanceDocument(guidance=guidance, title=title)
    document.file.save(name, ContentFile(content), save=True)
    return document


def new_guidance_data(**changes):
    """The empty "write the guidance" page as a browser submits it, with changes."""
    data = {
        "version": "",
        "year": "2026",
        "month": "10",
        "news_material": NEWS,
        "orientation": "Tập trung thu hoạch vụ mùa.",
        "thematic_suggestions": "",
        "documents-TOTAL_FORMS": "2",
        "documents-INITIAL_FORMS": "0",
        "documents-MIN_NUM_FORMS": "0",
        "documents-MAX_NUM_FORMS": "20",
        "documents-0-title": "",
        "documents-1-title": "",
    }
    data.update(changes)
    return data


def page_data(response, **changes):
    """What the browser sends back from a rendered guidance form."""
    html = response.content.decode()
    data = dict(_field_items(response.context["form"], html))
    data.update(_formset_items(response.context["documents"], html))
    data.update(changes)
    return data


def create_url(world):
    return reverse("oversight:guidance_create", args=[world.commune.pk])


def list_url(organization):
    return reverse("oversight:guidance_list", args=[organization.pk]) + "?year=2026"


def detail_url(guidance):
    return reverse("oversight:guidance_detail", args=[guidance.pk])


def document_url(document):
    return reverse("oversight:guidance_document", args=[document.pk])


# -- writing and publishing -------------------------------------------------------------


def test_reviewer_publishes_guidance_and_only_the_cells_below_see_it(world, login):
    client = login(world.reviewer)
    response = client.post(create_url(world), new_guidance_data())
    guidance = Guidance.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(guidance)
    assert guidance.organization == world.commune
    assert guidance.created_by == world.reviewer
    assert not guidance.is_published

    response = client.post(reverse("oversight:guidance_publish", args=[guidance.pk]))
    assert response.status_code == 302
    guidance.refresh_from_db()
    assert guidance.is_published

    for user, cell in [
        (world.secretary, world.cell),
        (world.viewer, world.cell),
        (world.outsider, world.sibling_cell),
    ]:
        client = login(user)
        page = client.get(list_url(cell))
        assert list(page.context["received"]) == [guidance]
        assert client.get(detail_url(guidance)).status_code == 200

    client = login(world.far_reviewer)
    assert list(client.get(list_url(world.far_cell)).context["received"]) == []
    assert client.get(detail_url(guidance)).status_code == 404
    assert not visible_guidance(world.far_reviewer).exists()


def test_the_committee_list_shows_what_it_published_drafts_included(world, login):
    draft = make_guidance(world.commune, month=11, published=False)
    published = make_guidance(world.commune, month=10)
    from_above = make_guidance(world.superior, month=10)
    page = login(world.reviewer).get(list_url(world.commune))
    assert page.status_code == 200
    assert list(page.context["published_here"]) == [draft, published]
    assert list(page.context["received"]) == [from_above]
    assert page.context["can_publish"]


def test_drafts_are_invisible_to_the_cells(world, login, make_meeting):
    draft = make_guidance(world.commune, published=False, news_material="Bản nháp chưa ban hành")
    meeting = make_meeting()  # October 2026, as the draft
    client = login(world.secretary)
    assert list(client.get(list_url(world.cell)).context["received"]) == []
    assert client.get(detail_url(draft)).status_code == 404
    assert (
        "Bản nháp chưa ban hành"
        not in client.get(reverse("meetings:record", args=[meeting.pk])).content.decode()
    )
    assert login(world.reviewer).get(detail_url(draft)).status_code == 200
    assert login(world.admin).get(detail_url(draft)).status_code == 200


def test_a_draft_of_the_superior_is_not_shown_to_the_commune(world, login):
    draft = make_guidance(world.superior, published=False)
    assert login(world.reviewer).get(detail_url(draft)).status_code == 404
    assert login(world.admin).get(detail_url(draft)).status_code == 200


def test_the_secretary_cannot_create_guidance(world, login):
    client = login(world.secretary)
    own_cell = reverse("oversight:guidance_create", args=[world.cell.pk])
    assert client.get(own_cell).status_code == 403
    assert client.post(own_cell, new_guidance_data()).status_code == 403
    assert client.post(create_url(world), new_guidance_data()).status_code == 404
    assert not Guidance.objects.exists()


def test_cells_do_not_publish_guidance(world, login):
    response = login(world.reviewer).get(reverse("oversight:guidance_create", args=[world.cell.pk]))
    assert response.status_code == 404


def test_cell_members_cannot_edit_or_publish(world, login):
    guidance = make_guidance(world.commune)
    client = login(world.secretary)
    assert client.get(reverse("oversight:guidance_edit", args=[guidance.pk])).status_code == 403
    assert client.post(reverse("oversight:guidance_publish", args=[guidance.pk])).status_code == 403


def test_the_commune_cannot_edit_the_guidance_of_the_superior(world, login):
    guidance = make_guidance(world.superior)
    client = login(world.reviewer)
    assert client.get(detail_url(guidance)).status_code == 200
    assert client.get(reverse("oversight:guidance_edit", args=[guidance.pk])).status_code == 403


def test_empty_guidance_is_not_published(world, login):
    guidance = make_guidance(world.commune, published=False, news_material="")
    client = english(login(world.reviewer))
    response = client.post(reverse("oversight:guidance_publish", args=[guidance.pk]))
    guidance.refresh_from_db()
    assert not guidance.is_published
    assert message_texts(response) == [
        "Write the guidance or attach a document before publishing it."
    ]


def test_a_second_guidance_for_the_same_month_is_refused(world, login):
    make_guidance(world.commune, month=10)
    response = english(login(world.reviewer)).post(create_url(world), new_guidance_data())
    assert response.status_code == 200
    assert "already has guidance for 10/2026" in response.context["form"].errors["month"][0]
    assert Guidance.objects.count() == 1


# -- the record page ----------------------------------------------------------------------


def test_the_record_page_shows_the_guidance_of_its_month(world, login, make_meeting):
    meeting = make_meeting()  # 5 October 2026
    october = make_guidance(world.commune, month=10)
    attach(october)
    make_guidance(world.superior, month=10, news_material="Tin của tỉnh ủy tháng 10.")
    make_guidance(world.commune, month=11, news_material="Tin tháng 11, chưa đến lúc.")
    make_guidance(world.other_commune, month=10, news_material="Tin của xã khác.")

    assert [g.organization for g in guidance_for(meeting)] == [world.superior, world.commune]
    response = login(world.secretary).get(reverse("meetings:record", args=[meeting.pk]))
    html = response.content.decode()
    assert escape(NEWS) in html
    assert "Tin của tỉnh ủy tháng 10." in html
    assert "Tin tháng 11" not in html
    assert "Tin của xã khác" not in html
    assert f'data-copy-guidance="guidance-news-{october.pk}"' in html
    assert "js/guidance.js" in html
    assert document_url(october.documents.get()) in html
    # The material comes before the field it is copied into.
    assert html.index(f'id="guidance-news-{october.pk}"') < html.index('id="id_news_briefing"')


def test_the_record_page_without_guidance_shows_no_panel(world, login, make_meeting):
    meeting = make_meeting()
    html = login(world.secretary).get(reverse("meetings:record", args=[meeting.pk])).content
    assert b"data-copy-guidance" not in html


# -- documents ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, content",
    [
        ("cong-van.pdf", PDF),
        ("huong-dan.docx", DOCX),
        ("de-cuong.odt", ODT),
        ("so-lieu.xlsx", XLSX),
        ("anh.png", PNG),
        ("anh.JPG", JPEG),
    ],
)
def test_allowed_documents_are_accepted_and_kept_private(world, login, name, content):
    client = login(world.reviewer)
    data = new_guidance_data(
        **{"documents-0-title": "Tài liệu", "documents-0-file": SimpleUploadedFile(name, content)}
    )
    response = client.post(create_url(world), data)
    assert response.status_code == 302
    document = GuidanceDocument.objects.get()
    assert document.title == "Tài liệu"
    assert document.file.read() == content
    assert "/private/" in document.file.path


def test_a_document_without_a_title_is_named_after_its_file(world, login):
    data = new_guidance_data(**{"documents-0-file": SimpleUploadedFile("Cong van 15.pdf", PDF)})
    login(world.reviewer).post(create_url(world), data)
    assert GuidanceDocument.objects.get().title == "Cong van 15"


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("chuong-trinh.exe", b"MZ\x90\x00", "Upload a PDF, Word (.docx)"),
        ("ghi-chu.txt", b"plain text", "Upload a PDF, Word (.docx)"),
        ("gia-mao.pdf", b"<html>not a pdf</html>", "does not look like a genuine .pdf"),
        ("gia-mao.docx", zip_of({"other.txt": "x"}), "does not look like a genuine .docx"),
        ("gia-mao.xlsx", DOCX, "does not look like a genuine .xlsx"),
        ("gia-mao.odt", zip_of({"mimetype": "application/zip"}), "genuine .odt"),
        ("gia-mao.png", JPEG, "does not look like a genuine .png"),
    ],
)
def test_bad_documents_are_refused_and_the_other_entries_kept(world, login, name, content, message):
    client = english(login(world.reviewer))
    data = new_guidance_data(
        **{
            "documents-0-title": "Tài liệu hợp lệ",
            "documents-0-file": SimpleUploadedFile("hop-le.pdf", PDF),
            "documents-1-title": "Tài liệu lỗi",
            "documents-1-file": SimpleUploadedFile(name, content),
        }
    )
    response = client.post(create_url(world), data)
    assert response.status_code == 200
    [error] = response.context["documents"].forms[1].errors["file"]
    assert message in error
    html = response.content.decode()
    assert escape(NEWS) in html
    assert "Tài liệu hợp lệ" in html and "Tài liệu lỗi" in html
    assert "The files you chose were not kept" in html
    assert not Guidance.objects.exists()
    assert not GuidanceDocument.objects.exists()


def test_a_document_over_the_size_limit_is_refused(world, login, settings):
    settings.CELLMEET_MEETINGS = {**settings.CELLMEET_MEETINGS, "GUIDANCE_DOCUMENT_MAX_BYTES": 100}
    client = english(login(world.reviewer))
    data = new_guidance_data(
        **{"documents-0-file": SimpleUploadedFile("lon.pdf", PDF + b"0" * 200)}
    )
    response = client.post(create_url(world), data)
    assert response.status_code == 200
    [error] = response.context["documents"].forms[0].errors["file"]
    assert "The file is too large" in error
    assert response.context["form"]["news_material"].value() == NEWS
    assert not Guidance.objects.exists()


def test_a_title_without_a_file_asks_for_the_file(world, login):
    client = english(login(world.reviewer))
    response = client.post(create_url(world), new_guidance_data(**{"documents-0-title": "Quên"}))
    assert response.context["documents"].forms[0].errors["file"] == [
        "Choose the file of this document."
    ]


def test_a_document_can_be_removed(world, login):
    guidance = make_guidance(world.commune)
    attach(guidance)
    client = login(world.reviewer)
    page = client.get(reverse("oversight:guidance_edit", args=[guidance.pk]))
    response = client.post(
        reverse("oversight:guidance_edit", args=[guidance.pk]),
        page_data(page, **{"documents-0-DELETE": "on"}),
    )
    assert response.status_code == 302
    assert not guidance.documents.exists()


def test_download_follows_who_can_see_the_guidance(world, login, client):
    document = attach(make_guidance(world.commune))
    url = document_url(document)

    response = login(world.secretary).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert "huong-dan-so-12-hd-du.pdf" in response["Content-Disposition"]

    assert login(world.reviewer).get(url).status_code == 200
    assert login(world.far_reviewer).get(url).status_code == 404
    anonymous = login(None).get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("login"))


def test_documents_of_a_draft_stay_with_the_committee(world, login):
    document = attach(make_guidance(world.commune, published=False))
    assert login(world.secretary).get(document_url(document)).status_code == 404
    assert login(world.reviewer).get(document_url(document)).status_code == 200


# -- concurrent edits -------------------------------------------------------------------------


def test_a_concurrent_edit_is_refused_and_the_users_text_kept(world, login):
    guidance = make_guidance(world.commune, orientation="Định hướng ban đầu.")
    edit_url = reverse("oversight:guidance_edit", args=[guidance.pk])
    reviewer = login(world.reviewer)
    opened = reviewer.get(edit_url)
    mine = page_data(opened, orientation="Định hướng của tôi, gõ rất lâu.")

    # Meanwhile the administrator saves a change.
    admin_client = login(world.admin)
    admin_page = admin_client.get(edit_url)
    saved = admin_client.post(
        edit_url, page_data(admin_page, orientation="Định hướng của quản trị viên.")
    )
    assert saved.status_code == 302

    reviewer = english(login(world.reviewer))
    response = reviewer.post(edit_url, mine)
    assert response.status_code == 200
    [error] = response.context["form"].non_field_errors()
    assert "Someone else saved this record after you opened it" in error
    assert "Định hướng của tôi, gõ rất lâu." in response.content.decode()
    guidance.refresh_from_db()
    assert guidance.orientation == "Định hướng của quản trị viên."

    # Saving again from the page that came back is a deliberate choice: it goes through.
    again = reviewer.post(edit_url, page_data(response))
    assert again.status_code == 302
    guidance.refresh_from_db()
    assert guidance.orientation == "Định hướng của tôi, gõ rất lâu."


def test_publishing_while_someone_edits_is_a_conflict_too(world, login):
    guidance = make_guidance(world.commune, published=False)
    edit_url = reverse("oversight:guidance_edit", args=[guidance.pk])
    client = login(world.reviewer)
    opened = client.get(edit_url)
    client.post(reverse("oversight:guidance_publish", args=[guidance.pk]))
    response = client.post(edit_url, page_data(opened, orientation="Sau khi ban hành."))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    guidance.refresh_from_db()
    assert guidance.is_published
    assert guidance.orientation == ""


def test_the_history_records_who_published(world, login):
    guidance = make_guidance(world.commune, published=False)
    login(world.reviewer).post(reverse("oversight:guidance_publish", args=[guidance.pk]))
    latest = guidance.history.latest()
    assert latest.history_user == world.reviewer
    assert latest.history_change_reason == "publish guidance"
    assert latest.published_at is not None


def test_guidance_for_uses_the_month_of_the_meeting(world, make_meeting):
    from tests.helpers import at

    make_guidance(world.commune, year=2026, month=12)
    december = make_meeting(when=at(2026, 12, 3))
    january = make_meeting(when=timezone.make_aware(datetime(2027, 1, 4, 19, 30)))
    assert [g.month for g in guidance_for(december)] == [12]
    assert list(guidance_for(january)) == []
