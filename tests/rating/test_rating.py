"""The annual rating drafted from the record: the hand count, the workflow, the rules
by date, a member's own assessment, the printouts and the pages' query counts."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from meetings.models import AttendanceStatus, Decision, Speech
from members.models import Member
from rating import printouts, services
from rating.models import RatingLevel, RatingRound, RatingRules, RoundStatus, Standing
from tests.factories import UserFactory
from tests.helpers import at, mark, review
from tests.printing.pdftools import flat, pdf_text

P = AttendanceStatus.PRESENT
E = AttendanceStatus.ABSENT_EXCUSED
U = AttendanceStatus.ABSENT_UNEXCUSED


def open_2026(world):
    return services.open_round(
        world.cell, year=2026, deadline=date(2026, 12, 20), user=world.secretary
    )


@pytest.fixture
def known_year(world, roster, make_meeting, adopt):
    """Lan's year, counted by hand: four meetings (Jan present, Feb excused, Mar
    unexcused, Apr present), three tasks (one on time and praised, one late after a
    carry-over, one still open), two speeches, one decision concerning her."""
    lan, an = world.member, roster["official"][1]
    january = make_meeting(when=at(2026, 1, 5))
    mark(january, {lan: P, an: P})
    _, (praised, late, still_open) = adopt(
        january,
        [
            ("Vận động hội viên", lan, date(2026, 1, 31)),
            ("Thu quỹ khuyến học", lan, date(2026, 1, 25)),
            ("Sửa nhà văn hóa", lan, date(2026, 6, 30)),
        ],
    )
    Speech.objects.create(meeting=january, speaker=lan, summary="Ý kiến về quỹ")
    february = make_meeting(when=at(2026, 2, 5))
    mark(february, {lan: (E, "ốm"), an: P})
    review(praised, february, "done", evaluation="praise")
    review(late, february, "not_done", decision="carry_over", new_due_on=date(2026, 2, 28))
    Speech.objects.create(meeting=february, speaker=lan, summary="Báo cáo kết quả")
    march = make_meeting(when=at(2026, 3, 5))
    mark(march, {lan: U, an: P})
    review(late, march, "done")
    april = make_meeting(when=at(2026, 4, 6))
    mark(april, {lan: P, an: E})
    Decision.objects.create(meeting=april, kind="exemption", member=an, note="Tuổi cao")
    Decision.objects.create(meeting=april, kind="discipline", member=lan, note="Khiển trách")
    return {"lan": lan, "an": an}


def test_the_drafts_match_a_hand_count(world, known_year):
    rating_round = open_2026(world)
    lan = rating_round.assessments.get(member=known_year["lan"]).evidence
    assert lan["meetings"] == {
        "summoned": 4,
        "present": 2,
        "excused": 1,
        "unexcused": 1,
        "percent": 50.0,
    }
    months = {row["month"]: row for row in lan["by_month"]}
    assert (months[1]["present"], months[2]["excused"], months[3]["unexcused"]) == (1, 1, 1)
    assert months[4]["summoned"] == 1 and months[5]["summoned"] == 0
    assert lan["tasks"] == {
        "assigned": 3,
        "counted": 3,
        "done": 2,
        "on_time": 1,
        "late": 1,
        "above_requirement": 1,
        "not_done": 1,
        "open": 1,
    }
    assert lan["speeches"] == 2
    assert (lan["praises"], lan["reminders"]) == (1, 0)
    assert [d["kind"] for d in lan["decisions"]] == ["discipline"]
    an = rating_round.assessments.get(member=known_year["an"]).evidence
    assert an["meetings"]["present"] == 3 and an["meetings"]["excused"] == 1
    assert an["tasks"]["assigned"] == 0 and an["speeches"] == 0
    assert [d["kind"] for d in an["decisions"]] == ["exemption"]


def test_probationary_exempt_and_new_members_have_their_standing(world, roster):
    rating_round = open_2026(world)
    standing = {a.member_id: a.standing for a in rating_round.assessments.all()}
    assert standing[world.member.pk] == Standing.REGULAR
    # Đỗ Thị Gấm: admitted in March 2026, still probationary.
    assert standing[roster["probationary"].pk] == Standing.PROBATIONARY
    assert standing[roster["exempt"].pk] == Standing.EXEMPT
    joined = Member.objects.create(
        organization=world.cell, full_name="Lý Văn Mới", admitted_on=date(2026, 5, 2)
    )
    other_round = services.open_round(
        world.cell, year=2027, deadline=date(2027, 12, 20), user=world.secretary
    )
    assert other_round.assessments.get(member=joined).standing == Standing.REGULAR
    assert rating_round.assessments.filter(member=joined).count() == 0


def test_exempt_members_are_rated_when_the_setting_says_so(world, roster, settings):
    settings.RATING_RATES_EXEMPT_MEMBERS = True
    rating_round = open_2026(world)
    assert rating_round.assessments.get(member=roster["exempt"]).standing == Standing.REGULAR


def test_a_year_is_rated_by_the_rules_in_force_at_its_end(db):
    assert RatingRules.objects.for_year(2024).name == "QĐ 124-QĐ/TW"
    assert RatingRules.objects.for_year(2025).name == "QĐ 366-QĐ/TW"
    # A later regulation is a row, not code.
    RatingRules.objects.create(
        name="QĐ 999-QĐ/TW",
        valid_from=date(2027, 6, 1),
        general_points=40,
        task_points=60,
        excellent_from=Decimal("92"),
        good_from=Decimal("75"),
        fulfilled_from=Decimal("50"),
        excellent_above_requirement_percent=30,
        fulfilled_late_percent=20,
    )
    assert RatingRules.objects.for_year(2026).name == "QĐ 366-QĐ/TW"
    assert RatingRules.objects.for_year(2027).name == "QĐ 999-QĐ/TW"


def test_the_round_keeps_the_rules_of_its_year(world, roster):
    old = services.open_round(
        world.cell, year=2024, deadline=date(2024, 12, 20), user=world.secretary
    )
    assert old.rules.excellent_cap_percent == 20  # QĐ 124 kept the cap
    assert open_2026(world).rules.name == "QĐ 366-QĐ/TW"


def test_a_year_opens_once(world, roster):
    open_2026(world)
    with pytest.raises(services.RatingError):
        open_2026(world)


def write(assessment, user, level=RatingLevel.GOOD, general="25", task="55"):
    return services.write_self_assessment(
        assessment,
        user=user,
        strengths="Gương mẫu.",
        shortcomings="Còn chậm.",
        general_score=Decimal(general),
        task_score=Decimal(task),
        proposed_level=level,
    )


def test_the_secretary_writing_for_her_is_recorded_as_such(world, roster):
    assessment = open_2026(world).assessments.get(member=world.member)
    write(assessment, world.secretary)
    assessment.refresh_from_db()
    assert assessment.written_on_behalf and assessment.written_by == world.secretary
    assert assessment.score == Decimal("80")


def test_points_above_the_criteria_are_refused(world, roster):
    assessment = open_2026(world).assessments.get(member=world.member)
    with pytest.raises(services.RatingError):
        write(assessment, world.secretary, general="31")


def test_the_whole_round_to_the_final_level(world, roster):
    rating_round = open_2026(world)
    rated = [a for a in rating_round.assessments.all() if a.is_rated]
    proposals = {a.pk: (RatingLevel.GOOD, "Nhất trí") for a in rated}
    with pytest.raises(services.RatingError):  # the superior waits for the cell's list
        services.decide(rating_round, {}, user=world.reviewer)
    services.record_cell_review(rating_round, proposals, user=world.secretary)
    assert rating_round.status == RoundStatus.COMPILED
    levels = {a.pk: RatingLevel.GOOD for a in rated}
    services.decide(rating_round, levels, user=world.reviewer, decision_number="12-QĐ/ĐU")
    lan = rating_round.assessments.get(member=world.member)
    assert lan.final_level == RatingLevel.GOOD
    assert lan.history.first().history_change_reason == "superior's decision"
    assert RatingRound.objects.get().status == RoundStatus.DECIDED


def test_the_decision_respects_the_cap(world, roster):
    rating_round = open_2026(world)
    rating_round.rules.excellent_cap_percent = 20
    rating_round.rules.save()
    rated = [a for a in rating_round.assessments.all() if a.is_rated]
    assert len(rated) == 8  # 6 official, 1 probationary, 1 away; the exempt one is not
    services.record_cell_review(
        rating_round, {a.pk: (RatingLevel.EXCELLENT, "") for a in rated}, user=world.secretary
    )
    two = {a.pk: RatingLevel.EXCELLENT if i < 2 else RatingLevel.GOOD for i, a in enumerate(rated)}
    with pytest.raises(services.RatingError):  # 20 % of 8 is 1.6: one
        services.decide(rating_round, two, user=world.reviewer)
    one = {a.pk: RatingLevel.EXCELLENT if i < 1 else RatingLevel.GOOD for i, a in enumerate(rated)}
    services.decide(rating_round, one, user=world.reviewer)


# ---------------------------------------------------------------- her own assessment


def test_a_member_sees_and_writes_her_own_assessment(world, roster, login):
    assessment = open_2026(world).assessments.get(member=world.member)
    other = assessment.round.assessments.exclude(pk=assessment.pk).first()
    her_account = UserFactory()
    world.member.user = her_account
    world.member.save()
    client = login(her_account)
    url = reverse("rating:assessment", args=[assessment.pk])
    assert client.get(url).status_code == 200
    assert client.get(reverse("rating:assessment", args=[other.pk])).status_code == 404
    response = client.post(
        url,
        {
            "strengths": "Hoàn thành các việc được giao.",
            "shortcomings": "",
            "general_score": "27",
            "task_score": "65",
            "proposed_level": RatingLevel.EXCELLENT,
        },
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.written_by == her_account and not assessment.written_on_behalf


def test_a_viewer_cannot_write_anothers_assessment(world, roster, login):
    assessment = open_2026(world).assessments.get(member=world.member)
    response = login(world.viewer).post(reverse("rating:assessment", args=[assessment.pk]), {})
    assert response.status_code == 403


def test_the_cell_review_page_compiles_the_list(world, roster, login):
    rating_round = open_2026(world)
    rated = [a for a in rating_round.assessments.all() if a.is_rated]
    data = {f"level_{a.pk}": RatingLevel.GOOD for a in rated}
    data.update({f"opinions_{a.pk}": "Nhất trí" for a in rated})
    response = login(world.secretary).post(
        reverse("rating:cell_review", args=[rating_round.pk]), data
    )
    assert response.status_code == 302
    rating_round.refresh_from_db()
    assert rating_round.status == RoundStatus.COMPILED


# ---------------------------------------------------------------- printouts


def test_form_2c_prints_her_figures(world, known_year):
    assessment = open_2026(world).assessments.get(member=known_year["lan"])
    write(assessment, world.secretary, level=RatingLevel.FULFILLED, general="22", task="40")
    text = flat(pdf_text(printouts.assessment_pdf(assessment)))
    assert "Mẫu 2C" in text
    assert "BẢN TỰ KIỂM ĐIỂM, ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG ĐẢNG VIÊN NĂM 2026" in text
    assert "Nguyễn Thị Lan" in text
    assert "được triệu tập 4 buổi, dự 2 buổi, vắng có lý do 1 buổi" in text
    assert "vắng không có lý do 1 buổi (tỷ lệ dự 50" in text
    assert "hoàn thành 2, trong đó đúng hạn 1, trễ hạn 1" in text
    assert "Phát biểu tại sinh hoạt chi bộ: 2 lần" in text
    assert "Đề nghị kỷ luật (06/04/2026)" in text
    assert "Tự xếp loại: Hoàn thành nhiệm vụ" in text
    assert "chi ủy ghi thay" in text


def test_the_list_prints_and_exports(world, roster):
    rating_round = open_2026(world)
    write(rating_round.assessments.get(member=world.member), world.secretary)
    text = flat(pdf_text(printouts.list_pdf(rating_round)))
    assert "DANH SÁCH ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG ĐẢNG VIÊN NĂM 2026" in text
    assert "Nguyễn Thị Lan" in text and "Hoàn thành tốt nhiệm vụ" in text
    assert "Miễn sinh hoạt, không xếp loại" in text  # Bùi Văn Hậu
    sheet = load_workbook(BytesIO(printouts.list_workbook(rating_round))).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert len(rows) == rating_round.assessments.count()
    lan = next(row for row in rows if row[1] == "Nguyễn Thị Lan")
    assert (lan[2], lan[3], lan[4]) == ("Chính thức", 80, "Hoàn thành tốt nhiệm vụ")


# ---------------------------------------------------------------- queries


def cell_of(world, size):
    Member.objects.bulk_create(
        Member(organization=world.cell, full_name=f"Đảng viên Số {n}", sort_key=f"{n:04d}")
        for n in range(size - 1)
    )
    return open_2026(world)


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("rating:round", "secretary"),
        ("rating:cell_review", "secretary"),
        ("rating:round_decide", "reviewer"),
    ],
)
def test_pages_cost_the_same_at_36_and_500_members(world, login, name, role):
    client = login(world.user(role))
    small = cell_of(world, 36)
    assert small.assessments.count() == 36
    at_36 = queries_for(client, reverse(name, args=[small.pk]))
    small.assessments.all().delete()
    small.delete()
    large = cell_of(world, 500 - 35)
    assert large.assessments.count() == 500
    assert queries_for(client, reverse(name, args=[large.pk])) == at_36


def test_opening_computes_the_evidence_in_a_fixed_number_of_queries(world):
    from rating.evidence import evidence_for_members

    Member.objects.bulk_create(
        Member(organization=world.cell, full_name=f"Đảng viên Số {n}") for n in range(40)
    )
    with CaptureQueriesContext(connection) as few:
        evidence_for_members(Member.objects.filter(pk=world.member.pk), 2026)
    with CaptureQueriesContext(connection) as many:
        evidence_for_members(Member.objects.filter(organization=world.cell), 2026)
    assert len(many) == len(few)


def test_form_01_counts_the_cells_year(world, known_year):
    from rating.organization_report import organization_year

    report = organization_year(world.cell, 2026)
    assert report.months_with_regular == 4
    assert report.regular_by_month[4] == 1 and report.regular_by_month[5] == 0
    # Only Lan and An were marked present: January both, February and March An,
    # April Lan.
    assert report.present == 2 + 1 + 1 + 1
    assert (report.tasks_done, report.tasks_counted) == (2, 3)
    assert report.members_disciplined == 1
    rating_round = open_2026(world)
    text = flat(pdf_text(printouts.organization_report_pdf(rating_round)))
    assert "Mẫu 01" in text
    assert "hoàn thành 2/3" in text
    assert "Sinh hoạt chuyên đề: quý I: 0; quý II: 0" in text
    assert "Đảng viên bị đề nghị kỷ luật trong năm: 1." in text


def test_the_evidence_is_computed_again_until_the_cell_reviews(world, roster, make_meeting):
    rating_round = open_2026(world)
    mark(make_meeting(when=at(2026, 11, 5)), {world.member: P})
    services.refresh_evidence(rating_round, user=world.secretary)
    lan = rating_round.assessments.get(member=world.member)
    assert lan.evidence["meetings"]["present"] == 1
    rated = [a for a in rating_round.assessments.all() if a.is_rated]
    services.record_cell_review(
        rating_round, {a.pk: (RatingLevel.GOOD, "") for a in rated}, user=world.secretary
    )
    with pytest.raises(services.RatingError):
        services.refresh_evidence(rating_round, user=world.secretary)


def test_the_superior_opens_the_round_for_a_cell(world, roster, login):
    response = login(world.reviewer).post(
        reverse("rating:round_open", args=[world.cell.pk]),
        {"year": "2026", "deadline": "20/12/2026"},
    )
    rating_round = RatingRound.objects.get(organization=world.cell, year=2026)
    assert response.status_code == 302
    assert rating_round.opened_by == world.reviewer
    assert rating_round.deadline == date(2026, 12, 20)
    assert rating_round.assessments.count() == 9  # the whole roster, exempt member listed


def test_the_pages_in_every_state_are_well_formed(world, known_year, login):
    from tests.test_html_validity import problems_in

    rating_round = open_2026(world)
    lan = rating_round.assessments.get(member=known_year["lan"])
    write(lan, world.secretary)
    secretary = login(world.secretary)
    pages = [
        reverse("rating:cell_rounds", args=[world.cell.pk]),
        reverse("rating:round_open", args=[world.cell.pk]),
        reverse("rating:round", args=[rating_round.pk]),
        reverse("rating:assessment", args=[lan.pk]),
        reverse("rating:cell_review", args=[rating_round.pk]),
    ]
    found = []
    for url in pages:
        response = secretary.get(url)
        assert response.status_code == 200, url
        found += [f"{url}: {problem}" for problem in problems_in(response.content.decode())]
    page = secretary.get(reverse("rating:assessment", args=[lan.pk])).content.decode()
    assert "Đề nghị kỷ luật" in page  # the decision concerning her (the pages are in Vietnamese)
    assert "Chi ủy ghi thay theo ý kiến của đảng viên." in page
    rated = [a for a in rating_round.assessments.all() if a.is_rated]
    services.record_cell_review(
        rating_round, {a.pk: (RatingLevel.GOOD, "") for a in rated}, user=world.secretary
    )
    reviewer = login(world.reviewer)
    response = reviewer.get(reverse("rating:round_decide", args=[rating_round.pk]))
    assert response.status_code == 200 and 'name="level_' in response.content.decode()
    found += problems_in(response.content.decode())
    assert found == []


def test_the_form_refuses_points_beyond_the_criteria(world, roster, login):
    assessment = open_2026(world).assessments.get(member=world.member)
    response = login(world.secretary).post(
        reverse("rating:assessment", args=[assessment.pk]),
        {
            "strengths": "",
            "shortcomings": "",
            "general_score": "31",
            "task_score": "71",
            "proposed_level": RatingLevel.GOOD,
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"general_score", "task_score"}
    assessment.refresh_from_db()
    assert not assessment.is_written


def test_an_exempt_member_has_no_form_to_fill(world, roster, login):
    assessment = open_2026(world).assessments.get(member=roster["exempt"])
    client = login(world.secretary)
    response = client.get(reverse("rating:assessment", args=[assessment.pk]))
    assert response.context["form"] is None
    assert client.post(reverse("rating:assessment", args=[assessment.pk]), {}).status_code == 302
    assessment.refresh_from_db()
    assert not assessment.is_written


def test_every_free_text_of_the_rating_has_a_maximum_length():
    from django.apps import apps
    from django.db import models

    unbounded = [
        f"{model.__name__}.{field.name}"
        for model in apps.get_app_config("rating").get_models()
        if not model.__name__.startswith("Historical")
        for field in model._meta.get_fields()
        if isinstance(field, models.TextField) and field.editable and not field.max_length
    ]
    assert unbounded == []


def test_the_level_decided_shows_on_her_page(world, roster, login):
    rating_round = open_2026(world)
    rated = [a for a in rating_round.assessments.all() if a.is_rated]
    services.record_cell_review(
        rating_round, {a.pk: (RatingLevel.GOOD, "") for a in rated}, user=world.secretary
    )
    levels = {a.pk: RatingLevel.GOOD for a in rated}
    lan = rating_round.assessments.get(member=world.member)
    levels[lan.pk] = RatingLevel.EXCELLENT
    services.decide(rating_round, levels, user=world.reviewer)
    page = login(world.viewer).get(reverse("members:member_detail", args=[world.member.pk]))
    assert "Hoàn thành xuất sắc nhiệm vụ" in page.content.decode()
    assert reverse("rating:assessment", args=[lan.pk]) in page.content.decode()
