"""Plan → record → finalize → sign, and what signing freezes."""

import pytest
from django.contrib.admin.sites import site as admin_site
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from meetings import chain, services
from meetings.models import (
    Attendance,
    Guest,
    Meeting,
    MeetingStatus,
    MinutesFrozenError,
    Speech,
)
from tests.helpers import at, complete


def test_a_second_regular_meeting_in_a_month_is_refused(world, login, make_meeting):
    make_meeting(when=at(2026, 10, 5), start=False)
    client = login(world.secretary)
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("meetings:plan", args=[world.cell.pk]),
        {"kind": "regular", "day": "20/10/2026", "start": "19:30", "location": "", "topic": ""},
    )
    assert response.status_code == 200
    assert "extraordinary" in str(response.context["form"].errors)
    assert Meeting.objects.filter(organization=world.cell, month=10).count() == 1


def test_an_extraordinary_meeting_in_the_same_month_is_fine(world, login, make_meeting):
    make_meeting(when=at(2026, 10, 5), start=False)
    response = login(world.secretary).post(
        reverse("meetings:plan", args=[world.cell.pk]),
        {
            "kind": "extraordinary",
            "day": "20/10/2026",
            "start": "19:30",
            "location": "",
            "topic": "Xét kết nạp đảng viên",
        },
    )
    assert response.status_code == 302
    assert Meeting.objects.filter(organization=world.cell, month=10).count() == 2


def test_the_service_refuses_the_duplicate_too(world, make_meeting):
    make_meeting(when=at(2026, 10, 5), start=False)
    duplicate = Meeting(organization=world.cell, kind="regular", scheduled_at=at(2026, 10, 25))
    with pytest.raises(services.MeetingError):
        services.save_planned_meeting(duplicate, user=world.secretary)


def test_planning_reads_the_date_day_first(world, login):
    login(world.secretary).post(
        reverse("meetings:plan", args=[world.cell.pk]),
        {"kind": "regular", "day": "03/04/2027", "start": "19:30", "location": "", "topic": ""},
    )
    meeting = Meeting.objects.get(organization=world.cell)
    assert (meeting.meeting_date.day, meeting.meeting_date.month) == (3, 4)


def test_recording_takes_the_roster_on_the_meeting_day(world, roster, make_meeting):
    meeting = make_meeting(when=at(2026, 2, 5))  # before the probationary member was admitted
    members = {row.member for row in meeting.attendances.all()}
    assert roster["probationary"] not in members
    assert roster["exempt"] in members and roster["away"] in members
    assert world.sibling_member not in members


def test_finalize_lists_what_is_missing_in_plain_words(make_meeting):
    meeting = make_meeting()
    with translation.override("en"), pytest.raises(services.MissingItems) as error:
        services.finalize_minutes(meeting, user=None)
    text = " ".join(error.value.items)
    for expected in ["chaired", "notes", "attendance for 7 members", "conclusion", "vote"]:
        assert expected in text
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.DRAFT


def test_finalize_refuses_an_impossible_tally(make_meeting, roster):
    meeting = complete(make_meeting(), roster, votes_for=7)  # only 6 official members present
    with pytest.raises(services.MissingItems):
        services.finalize_minutes(meeting, user=None)


def test_signing_freezes_and_fingerprints_the_minutes(signed_meeting):
    assert signed_meeting.status == MeetingStatus.SIGNED
    assert len(signed_meeting.fingerprint) == 64
    assert signed_meeting.fingerprint == chain.fingerprint_of(signed_meeting)
    assert signed_meeting.chain_sequence == 1
    assert signed_meeting.previous_fingerprint == chain.GENESIS
    assert "Nguyễn Thị Lan" in signed_meeting.signed_content


def test_a_signer_with_an_account_cannot_be_signed_for_on_paper(make_meeting, roster, world):
    meeting = complete(make_meeting(), roster)
    services.finalize_minutes(meeting, user=world.secretary)
    chair = roster["official"][0]
    chair.user = world.viewer
    chair.save()
    with pytest.raises(services.MeetingError):
        services.sign_minutes(meeting, user=world.secretary, role="chair", on_paper=True)
    with pytest.raises(services.MeetingError):
        services.sign_minutes(meeting, user=world.secretary, role="chair")
    services.sign_minutes(meeting, user=world.viewer, role="chair")
    assert meeting.signatures.get().member == chair


def test_the_fingerprint_does_not_depend_on_the_signers_language(make_meeting, roster, world):
    meeting = complete(make_meeting(), roster)
    with translation.override("en"):
        english = services.minutes_content(meeting)
    with translation.override("vi"):
        vietnamese = services.minutes_content(meeting)
    assert english == vietnamese


# -- signed minutes cannot be changed through any path --------------------------------


def test_signed_minutes_refuse_the_record_view(signed_meeting, world, login):
    client = login(world.secretary)
    url = reverse("meetings:record", args=[signed_meeting.pk])
    response = client.post(url, {"conclusion": "changed"})
    signed_meeting.refresh_from_db()
    # Nothing changes; what she sent is shown back to copy, not dropped (issue 9).
    assert response.status_code == 200
    assert response.templates[0].name == "meetings/meeting_record_not_saved.html"
    assert signed_meeting.conclusion == "Chi bộ thống nhất các nhiệm vụ tháng 11."


def test_signed_minutes_refuse_the_workflow_services(signed_meeting, world):
    for step in (services.start_recording, services.finalize_minutes, services.reopen_minutes):
        with pytest.raises(services.MeetingError):
            step(signed_meeting, user=world.secretary)
    with pytest.raises(services.MeetingError):
        services.sign_minutes(signed_meeting, user=world.secretary, role="chair")


def test_signed_minutes_refuse_the_form(signed_meeting):
    from meetings.forms import MinutesEditor

    editor = MinutesEditor(signed_meeting)
    form = editor.minutes
    form.instance.conclusion = "changed"
    with pytest.raises(MinutesFrozenError):
        form.instance.save()


def test_signed_minutes_refuse_model_saves_and_deletes(signed_meeting):
    signed_meeting.conclusion = "changed"
    with pytest.raises(MinutesFrozenError):
        signed_meeting.save()
    with pytest.raises(MinutesFrozenError):
        Meeting.objects.get(pk=signed_meeting.pk).delete()
    row = Attendance.objects.filter(meeting=signed_meeting).first()
    row.status = "absent_unexcused"
    with pytest.raises(MinutesFrozenError):
        row.save()
    with pytest.raises(MinutesFrozenError):
        row.delete()
    with pytest.raises(MinutesFrozenError):
        Guest.objects.create(meeting=signed_meeting, name="Người mới")
    with pytest.raises(MinutesFrozenError):
        Speech.objects.create(meeting=signed_meeting, guest_name="X", summary="Y")


def test_signed_minutes_refuse_bulk_updates(signed_meeting):
    with pytest.raises(MinutesFrozenError):
        Meeting.objects.filter(pk=signed_meeting.pk).update(conclusion="changed")
    with pytest.raises(MinutesFrozenError):
        Attendance.objects.filter(meeting=signed_meeting).update(status="absent_unexcused")
    with pytest.raises(MinutesFrozenError):
        Attendance.objects.filter(meeting=signed_meeting).delete()
    signed_meeting.refresh_from_db()
    assert signed_meeting.conclusion == "Chi bộ thống nhất các nhiệm vụ tháng 11."


def test_signed_minutes_are_read_only_in_the_admin(signed_meeting, world):
    from django.contrib.auth import get_user_model

    superuser = get_user_model().objects.create_superuser("root", "r@example.org", "pw-123456")
    request = RequestFactory().get("/")
    request.user = superuser
    meeting_admin = admin_site._registry[Meeting]
    assert not meeting_admin.has_change_permission(request, signed_meeting)
    assert not meeting_admin.has_delete_permission(request, signed_meeting)
    for inline in meeting_admin.get_inline_instances(request, signed_meeting):
        assert not inline.has_change_permission(request, signed_meeting)
        assert not inline.has_add_permission(request, signed_meeting)
        assert not inline.has_delete_permission(request, signed_meeting)


def test_signed_minutes_refuse_an_admin_post(signed_meeting, client):
    from django.contrib.auth import get_user_model

    superuser = get_user_model().objects.create_superuser("root", "r@example.org", "pw-123456")
    client.force_login(superuser, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("admin:meetings_meeting_change", args=[signed_meeting.pk])
    client.post(url, {"conclusion": "changed"})
    signed_meeting.refresh_from_db()
    assert signed_meeting.conclusion == "Chi bộ thống nhất các nhiệm vụ tháng 11."


# -- returning and correcting ------------------------------------------------------------


def test_returned_minutes_are_corrected_in_a_new_version(signed_meeting, world, login):
    from printing.pdf import store_signed_minutes

    store_signed_minutes(signed_meeting)  # printed before it was returned
    services.return_minutes(signed_meeting, user=world.reviewer, comment="Thiếu ý kiến phát biểu")
    correction = services.start_correction(signed_meeting, user=world.secretary)
    signed_meeting.refresh_from_db()
    assert signed_meeting.status == MeetingStatus.SUPERSEDED
    assert signed_meeting.superseded_by == correction
    assert signed_meeting.conclusion == "Chi bộ thống nhất các nhiệm vụ tháng 11."
    assert (correction.status, correction.revision, correction.is_current) == ("draft", 2, True)
    assert correction.attendances.count() == signed_meeting.attendances.count()
    assert correction.fingerprint == ""
    # Nothing of the signed version's print or review carries over to the correction.
    assert not correction.minutes_pdf
    assert correction.accepted_at is None and correction.present_count is None
    signed_meeting.refresh_from_db()
    assert signed_meeting.minutes_pdf
    assert list(Meeting.objects.current().filter(organization=world.cell)) == [correction]


def test_reviewer_returns_minutes_with_a_comment(signed_meeting, world, login):
    response = login(world.reviewer).post(
        reverse("oversight:return", args=[signed_meeting.pk]), {"comment": "Bổ sung lý do vắng"}
    )
    signed_meeting.refresh_from_db()
    assert response.status_code == 302
    assert signed_meeting.status == MeetingStatus.RETURNED
    assert signed_meeting.reviews.get().comment == "Bổ sung lý do vắng"
    page = login(world.secretary).get(reverse("meetings:detail", args=[signed_meeting.pk]))
    assert "Bổ sung lý do vắng" in page.content.decode()
