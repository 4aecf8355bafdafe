"""Decisions voted by their own majority (admission, recognition, exemption,
discipline): the rule, the tally check, their sealed line in the minutes and the PDF,
the consequence on the member's record, and the recognition reminder."""

import json
from datetime import date, timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from meetings import decisions, record, services
from meetings.decisions import Threshold, add_months, probation_reminders
from meetings.models import (
    AttendanceStatus,
    ConsequenceStatus,
    Decision,
    DecisionKind,
    MemberConsequence,
    MinutesFrozenError,
)
from members.models import ActivityStatus, Member, MembershipStatus
from printing.pdf import render_minutes
from tests.factories import MemberFactory
from tests.helpers import complete, mark, meeting_maker, sign, sign_both
from tests.meetings.formdata import open_record, record_post_data, record_url
from tests.printing.pdftools import flat, pdf_text

P = AttendanceStatus.PRESENT


def admission(meeting, votes_for, **fields):
    return Decision.objects.create(
        meeting=meeting,
        kind=DecisionKind.ADMISSION,
        candidate_name="Nguyễn Văn A",
        candidate_birth_date=date(1998, 4, 3),
        vote_method="hands",
        votes_for=votes_for,
        votes_against=0,
        votes_other=0,
        **fields,
    )


def recognition(meeting, member, votes_for):
    return Decision.objects.create(
        meeting=meeting,
        kind=DecisionKind.RECOGNITION,
        member=member,
        vote_method="ballot",
        votes_for=votes_for,
        votes_against=0,
        votes_other=0,
    )


# ---------------------------------------------------------------- the rule


def test_two_thirds_of_35_needs_24_votes_and_more_than_half_of_10_needs_6():
    two_thirds = Threshold(2, 3, at_least=True)
    assert two_thirds.votes_needed(35) == 24
    assert not two_thirds.is_adopted(23, 35)
    assert two_thirds.is_adopted(24, 35)
    assert two_thirds.votes_needed(36) == 24  # exactly two thirds is enough
    half = Threshold(1, 2, at_least=False)
    assert half.votes_needed(10) == 6  # the regular majority: more than half
    assert not half.is_adopted(5, 10)
    assert not two_thirds.is_adopted(None, 35)
    assert not two_thirds.is_adopted(0, 0)


def test_the_thresholds_come_from_the_settings_with_the_domain_defaults():
    assert Threshold.for_kind(DecisionKind.ADMISSION) == Threshold(2, 3, True)
    assert Threshold.for_kind(DecisionKind.RECOGNITION) == Threshold(2, 3, True)
    assert Threshold.for_kind(DecisionKind.EXEMPTION) == Threshold(1, 2, False)
    assert Threshold.for_kind(DecisionKind.DISCIPLINE) == Threshold(1, 2, False)
    with override_settings(CELLMEET_DECISION_THRESHOLDS={"discipline": (2, 3, "at_least")}):
        assert Threshold.for_kind(DecisionKind.DISCIPLINE) == Threshold(2, 3, True)


@pytest.fixture
def cell_of_35(world):
    """world.cell with 35 official members, all present at an extraordinary meeting."""
    for index in range(34):
        MemberFactory(
            organization=world.cell,
            full_name=f"Trần Văn Số{index:02d}",
            admitted_on=date(1990, 1, 1),
        )
    meeting = meeting_maker(world)(kind="extraordinary", topic="Kết nạp đảng viên")
    mark(meeting, dict.fromkeys(Member.objects.filter(organization=world.cell), P))
    return meeting


@pytest.mark.parametrize(("votes_for", "adopted"), [(23, False), (24, True)])
def test_an_admission_needs_two_thirds_of_the_35_official_members(
    cell_of_35, votes_for, adopted, world, login
):
    admission(cell_of_35, votes_for)
    sealed = record.build_content(cell_of_35)["decisions"][0]
    assert (sealed["denominator"], sealed["needed"], sealed["adopted"]) == (35, 24, adopted)
    page = login(world.secretary).get(reverse("meetings:detail", args=[cell_of_35.pk]))
    line = flat(page.content.decode())
    expected = "đạt" if adopted else "không đạt"
    percent = "68,6" if adopted else "65,7"
    assert (
        f"Chi bộ biểu quyết đề nghị kết nạp quần chúng Nguyễn Văn A (sinh ngày 03/04/1998): "
        f"{votes_for}/35 đồng ý ({percent}%) — <strong>{expected}</strong>"
    ) in line


def test_the_denominator_is_the_regular_votes_one(make_meeting, roster):
    """Probationary members do not count; the away member and the exempt member who
    did not come are not summoned: 6 of the 9 on the roster."""
    meeting = complete(make_meeting(), roster)
    recognition(meeting, roster["probationary"], 4)
    sealed = record.build_content(meeting)["decisions"][0]
    assert sealed["denominator"] == record.build_content(meeting)["vote"]["denominator"] == 6
    assert (sealed["needed"], sealed["adopted"]) == (4, True)


# ---------------------------------------------------------------- recording


def test_the_tally_check_refuses_more_votes_than_voters(world, login, make_meeting, roster):
    secretary = login(world.secretary)
    meeting = complete(make_meeting(), roster)  # 6 official members present
    page = open_record(secretary, meeting)
    data = record_post_data(
        page,
        **{
            "decisions-TOTAL_FORMS": "1",  # the row "Add a decision" puts on the page
            "decisions-0-kind": "recognition",
            "decisions-0-member": str(roster["probationary"].pk),
            "decisions-0-vote_method": "hands",
            "decisions-0-votes_for": "6",
            "decisions-0-votes_against": "1",
            "decisions-0-votes_other": "0",
        },
    )
    response = secretary.post(record_url(meeting), data)
    assert response.status_code == 200
    html = response.content.decode()
    errors = response.context["editor"].extra_parts[-1].decisions.errors[0]
    assert errors["votes_for"] == [
        "Tổng số phiếu (7) nhiều hơn số đảng viên chính thức có mặt (6)."
    ]
    assert 'id="id_decisions-0-votes_for_error"' in html  # shown beside the box
    # The error summary names the limit and links to the box, not only to the section.
    assert response.context["errors"] == [
        (
            "Nội dung biểu quyết 1 — Tán thành: Tổng số phiếu (7) nhiều hơn số đảng viên "
            "chính thức có mặt (6).",
            "id_decisions-0-votes_for",
        )
    ]
    assert 'href="#id_decisions-0-votes_for"' in html
    assert not Decision.objects.filter(meeting=meeting).exists()
    # The form comes back with what was typed.
    assert 'name="decisions-0-votes_for" value="6"' in html

    data["decisions-0-votes_against"] = "0"
    response = secretary.post(record_url(meeting), data)
    assert response.status_code == 302
    decision = Decision.objects.get(meeting=meeting)
    assert (decision.member, decision.votes_for) == (roster["probationary"], 6)


def test_an_admission_needs_the_candidates_name_and_others_a_member(
    world, login, make_meeting, roster
):
    secretary = login(world.secretary)
    meeting = make_meeting()
    page = open_record(secretary, meeting)
    response = secretary.post(
        record_url(meeting),
        record_post_data(
            page,
            **{
                "decisions-TOTAL_FORMS": "1",
                "decisions-0-kind": "admission",
                "decisions-0-votes_for": "3",
            },
        ),
    )
    assert response.status_code == 200
    errors = response.context["editor"].extra_parts[-1].decisions.errors[0]
    assert "candidate_name" in errors
    response = secretary.post(
        record_url(meeting),
        record_post_data(
            page,
            **{
                "decisions-TOTAL_FORMS": "1",
                "decisions-0-kind": "exemption",
                "decisions-0-votes_for": "3",
            },
        ),
    )
    assert "member" in response.context["editor"].extra_parts[-1].decisions.errors[0]


def test_finalizing_needs_each_decisions_vote_and_a_possible_tally(make_meeting, roster):
    meeting = complete(make_meeting(), roster)
    decision = Decision.objects.create(
        meeting=meeting, kind=DecisionKind.RECOGNITION, member=roster["probationary"]
    )
    assert any("công nhận" in item.lower() for item in services.missing_for_finalize(meeting))
    decision.vote_method, decision.votes_for, decision.votes_against = "hands", 6, 1
    decision.save()
    assert any("7" in item for item in services.missing_for_finalize(meeting))
    decision.votes_against = 0
    decision.save()
    assert services.missing_for_finalize(meeting) == []


# ---------------------------------------------------------------- sealed


@pytest.fixture
def signed_recognition(make_meeting, roster, world):
    meeting = complete(make_meeting(), roster)
    recognition(meeting, roster["probationary"], 5)
    return sign(meeting, world, roster)


def test_a_decision_freezes_with_signed_minutes(signed_recognition):
    decision = signed_recognition.decisions.get()
    decision.votes_for = 1
    with pytest.raises(MinutesFrozenError):
        decision.save()
    with pytest.raises(MinutesFrozenError):
        Decision.objects.filter(pk=decision.pk).update(votes_for=1)
    with pytest.raises(MinutesFrozenError):
        decision.delete()
    with pytest.raises(MinutesFrozenError):
        Decision.objects.create(meeting=signed_recognition, kind="admission", candidate_name="X Y")
    assert Decision.objects.get(pk=decision.pk).votes_for == 5


def test_signed_minutes_show_the_decision_as_sealed(signed_recognition, roster):
    content = json.loads(signed_recognition.signed_content)
    assert content["format"] == record.CONTENT_FORMAT == 3
    assert content["decisions"][0]["member"]["name"] == "Đỗ Thị Gấm"
    # A rename and a stricter rule later change nothing in the signed minutes.
    Member.objects.filter(pk=roster["probationary"].pk).update(full_name="Đỗ Thị Khác")
    with override_settings(CELLMEET_DECISION_THRESHOLDS={"recognition": (9, 10, "at_least")}):
        shown = record.record_of(signed_recognition).context()["decisions"][0]
    assert shown.subject_name == "Đỗ Thị Gấm"
    assert (shown.votes_for, shown.denominator, shown.adopted) == (5, 6, True)
    assert shown.percent_for == 83.3


def test_minutes_sealed_before_decisions_existed_still_display(signed_meeting):
    content = json.loads(signed_meeting.signed_content)
    del content["decisions"]
    content["format"] = 2
    context = record.MinutesRecord(content).context()
    assert context["decisions"] == []


def test_the_pdf_prints_the_decision_line(signed_recognition):
    text = flat(pdf_text(render_minutes(signed_recognition)))
    assert (
        "Chi bộ biểu quyết đề nghị công nhận đảng viên dự bị Đỗ Thị Gấm trở thành đảng viên "
        "chính thức: 5/6 đồng ý (83,3%) — đạt"
    ) in text
    assert "cần ít nhất 2/3" in text


# ---------------------------------------------------------------- the member's record


def test_signing_an_adopted_recognition_proposes_the_official_date(
    signed_recognition, roster, world, login
):
    consequence = MemberConsequence.objects.get()
    member = roster["probationary"]
    assert consequence.member == member
    assert consequence.status == ConsequenceStatus.PENDING
    assert consequence.proposed_on == add_months(member.admitted_on, 12)
    page = login(world.viewer).get(reverse("members:member_detail", args=[member.pk]))
    html = page.content.decode()
    assert "chờ quyết định của cấp trên" in html
    assert reverse("meetings:consequence_confirm", args=[consequence.pk]) not in html  # viewer
    page = login(world.secretary).get(reverse("members:member_detail", args=[member.pk]))
    assert reverse("meetings:consequence_confirm", args=[consequence.pk]) in page.content.decode()


def test_a_decision_not_adopted_proposes_nothing(make_meeting, roster, world):
    meeting = complete(make_meeting(), roster)
    recognition(meeting, roster["probationary"], 3)  # 3 of 6: needs 4
    sign(meeting, world, roster)
    assert not MemberConsequence.objects.exists()


def test_the_superiors_decision_makes_the_member_official(signed_recognition, roster, world, login):
    consequence = MemberConsequence.objects.get()
    url = reverse("meetings:consequence_confirm", args=[consequence.pk])
    assert login(world.viewer).post(url, {}).status_code == 403
    assert login(world.outsider).get(url).status_code == 404
    secretary = login(world.secretary)
    response = secretary.post(url, {"number": "", "decided_on": "31/02/2027", "effective_on": ""})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"number", "decided_on", "effective_on"}
    response = secretary.post(
        url, {"number": "125-QĐ/ĐU", "decided_on": "20/11/2026", "effective_on": "25/11/2026"}
    )
    assert response.status_code == 302
    member = Member.objects.get(pk=roster["probationary"].pk)
    assert (member.status, member.official_on) == (MembershipStatus.OFFICIAL, date(2026, 11, 25))
    consequence.refresh_from_db()
    assert consequence.status == ConsequenceStatus.CONFIRMED
    assert consequence.superior_decision_number == "125-QĐ/ĐU"
    assert "125-QĐ/ĐU" in member.history.first().history_change_reason
    # Confirming twice is refused.
    with pytest.raises(decisions.DecisionError):
        decisions.confirm_consequence(
            consequence,
            number="1",
            decided_on=date(2026, 11, 20),
            effective_on=date(2026, 11, 25),
            user=world.secretary,
        )


def test_an_admission_confirmed_adds_the_probationary_member(make_meeting, roster, world, login):
    meeting = complete(make_meeting(), roster)
    admission(meeting, 4)
    sign(meeting, world, roster)
    consequence = MemberConsequence.objects.get()
    assert consequence.member is None
    page = login(world.secretary).get(reverse("members:organization_detail", args=[world.cell.pk]))
    assert "Nguyễn Văn A" in page.content.decode()
    assert "chờ quyết định của cấp trên" in page.content.decode()
    decisions.confirm_consequence(
        consequence,
        number="88-QĐ/ĐU",
        decided_on=date(2026, 11, 1),
        effective_on=date(2026, 11, 10),
        user=world.secretary,
    )
    member = Member.objects.get(full_name="Nguyễn Văn A")
    assert member.status == MembershipStatus.PROBATIONARY
    assert (member.admitted_on, member.birth_date) == (date(2026, 11, 10), date(1998, 4, 3))
    assert member.organization == world.cell


def test_an_exemption_confirmed_sets_the_activity_and_its_end(make_meeting, roster, world):
    meeting = complete(make_meeting(), roster)
    Decision.objects.create(
        meeting=meeting,
        kind=DecisionKind.EXEMPTION,
        member=roster["official"][5],
        period_until=date(2027, 10, 31),
        note="Tuổi cao, sức yếu",
        vote_method="hands",
        votes_for=4,
        votes_against=0,
        votes_other=0,
    )
    sign(meeting, world, roster)
    consequence = MemberConsequence.objects.get()
    assert consequence.period_until == date(2027, 10, 31)
    decisions.confirm_consequence(
        consequence,
        number="9-QĐ/ĐU",
        decided_on=date(2026, 10, 20),
        effective_on=date(2026, 11, 1),
        user=world.secretary,
    )
    member = Member.objects.get(pk=roster["official"][5].pk)
    assert member.activity_status == ActivityStatus.EXEMPT
    assert member.activity_since == date(2026, 11, 1)
    assert "31/10/2027" in member.activity_note


def test_returned_minutes_withdraw_the_proposal_and_the_correction_keeps_the_decision(
    signed_recognition, world, roster
):
    services.return_minutes(signed_recognition, user=world.reviewer, comment="Bổ sung.")
    assert not MemberConsequence.objects.exists()
    correction = services.start_correction(signed_recognition, user=world.secretary)
    copied = correction.decisions.get()
    assert (copied.kind, copied.member, copied.votes_for) == (
        "recognition",
        roster["probationary"],
        5,
    )
    services.finalize_minutes(correction, user=world.secretary)
    sign_both(correction, world, roster)
    assert MemberConsequence.objects.get().decision == copied


# ---------------------------------------------------------------- the reminder


def test_the_recognition_reminder_appears_at_12_months_not_at_11(world):
    today = date(2026, 12, 1)
    at_12 = MemberFactory(
        organization=world.cell,
        full_name="Lê Văn Mười Hai",
        status="probationary",
        admitted_on=date(2025, 12, 1),
    )
    MemberFactory(
        organization=world.cell,
        full_name="Lê Văn Mười Một",
        status="probationary",
        admitted_on=date(2026, 1, 1),  # 12 months on 1 January: 31 days ahead
    )
    reminders = probation_reminders(world.cell, today=today)
    assert [(r.member, r.ends_on, r.overdue) for r in reminders] == [
        (at_12, date(2026, 12, 1), True)
    ]
    # 30 days ahead is within the window.
    soon = probation_reminders(world.cell, today=date(2026, 12, 2))
    assert [r.member.full_name for r in soon] == ["Lê Văn Mười Hai", "Lê Văn Mười Một"]


def test_the_reminder_shows_on_the_cell_and_recording_pages_until_a_recognition_exists(
    world, login, make_meeting, roster
):
    today = timezone.localdate()
    due = MemberFactory(
        organization=world.cell,
        full_name="Phan Thị Dự Bị",
        status="probationary",
        admitted_on=add_months(today, -12),
    )
    secretary = login(world.secretary)
    cell_page = reverse("members:organization_detail", args=[world.cell.pk])
    assert "Phan Thị Dự Bị" in secretary.get(cell_page).content.decode()
    meeting = make_meeting(when=timezone.now() + timedelta(days=1))
    html = open_record(secretary, meeting).content.decode()
    assert 'id="recognition-reminder"' in html and "Phan Thị Dự Bị" in html
    Decision.objects.create(meeting=meeting, kind=DecisionKind.RECOGNITION, member=due)
    assert "Phan Thị Dự Bị" not in secretary.get(cell_page).content.decode()
