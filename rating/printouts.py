"""The rating's printouts in the Party format (printing.pdf, templates/pdf/) and the
list as a workbook (cellmeet.spreadsheets)."""

from collections import Counter

from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.styles import Font

from cellmeet.spreadsheets import workbook_bytes
from meetings.rules import ROMAN_QUARTERS
from meetings.templatetags.pdf_tags import official_date
from printing.pdf import header_context, render_pdf
from rating.evidence import with_labels
from rating.models import LEVEL_ORDER, RatingLevel, Standing
from rating.organization_report import organization_year


def _place_date(organization):
    return f"{organization.place or '……'}, {official_date(timezone.localdate())}"


def _label(level):
    return RatingLevel(level).label if level else ""


def assessment_pdf(assessment):
    """Mẫu 2C: her self-assessment with the evidence of her year, the cell's review
    and the superior's decision, as far as they have gone."""
    organization = assessment.round.organization
    context = {
        **header_context(organization),
        "place_date": _place_date(organization),
        "assessment": assessment,
        "round": assessment.round,
        "member": assessment.member,
        "evidence": with_labels(assessment.evidence),
        "proposed_level": _label(assessment.proposed_level),
        "cell_level": _label(assessment.cell_level),
        "final_level": _label(assessment.final_level),
    }
    return render_pdf("pdf/rating_assessment.html", context)


def list_rows(rating_round):
    return [
        {
            "member": assessment.member,
            "official": assessment.member.is_official,
            "score": assessment.score,
            "proposed_level": _label(assessment.proposed_level),
            "cell_level": _label(assessment.cell_level),
            "final_level": _label(assessment.final_level),
            "note": ""
            if assessment.standing == Standing.REGULAR
            else assessment.get_standing_display(),
            "opinions": assessment.cell_opinions,
        }
        for assessment in rating_round.assessments.select_related("member")
    ]


def level_totals(rating_round):
    """(label, count) per level: the superior's levels once decided, else the cell's."""
    counts = Counter(
        assessment.final_level or assessment.cell_level
        for assessment in rating_round.assessments.all()
        if assessment.standing != Standing.EXEMPT
    )
    return [(RatingLevel(level).label, counts[level]) for level in LEVEL_ORDER]


def list_pdf(rating_round):
    """The cell committee's compiled list (with the superior's levels once decided)."""
    organization = rating_round.organization
    context = {
        **header_context(organization),
        "place_date": _place_date(organization),
        "round": rating_round,
        "rows": list_rows(rating_round),
        "totals": level_totals(rating_round),
    }
    return render_pdf("pdf/rating_list.html", context)


LIST_COLUMNS = [
    "TT",
    "Họ và tên",
    "Đảng viên",
    "Điểm tự chấm",
    "Tự xếp loại",
    "Chi bộ đề nghị",
    "Ý kiến tại chi bộ",
    "Cấp trên quyết định",
    "Ghi chú",
]


def list_workbook(rating_round):
    """The list as an .xlsx: one row per member, in the order of the roster. In
    Vietnamese whatever the interface language, as the printouts are."""
    with translation.override("vi"):
        return _list_workbook(rating_round)


def _list_workbook(rating_round):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Xếp loại"
    sheet.append([f"{rating_round.organization.name} — xếp loại đảng viên năm {rating_round.year}"])
    sheet.append(LIST_COLUMNS)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for number, row in enumerate(list_rows(rating_round), start=1):
        sheet.append(
            [
                number,
                row["member"].full_name,
                "Chính thức" if row["official"] else "Dự bị",
                float(row["score"]) if row["score"] is not None else None,
                str(row["proposed_level"]),
                str(row["cell_level"]),
                row["opinions"],
                str(row["final_level"]),
                str(row["note"]),
            ]
        )
    return workbook_bytes(workbook)


def organization_report_pdf(rating_round):
    """Mẫu 01: the cell's report on itself, the figures drafted from the record."""
    organization = rating_round.organization
    report = organization_year(organization, rating_round.year)
    context = {
        **header_context(organization),
        "place_date": _place_date(organization),
        "round": rating_round,
        "report": report,
        "thematic": [
            (ROMAN_QUARTERS[quarter], count)
            for quarter, count in report.thematic_by_quarter.items()
        ],
    }
    return render_pdf("pdf/rating_organization.html", context)
