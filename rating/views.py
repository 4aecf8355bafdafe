"""The rating's pages: the cell's rounds, a round with every member's draft, her
Mẫu 2C, the cell's review, the superior's decision and the printouts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cellmeet.downloads import XLSX, document_response
from members.access import access_for, check, get_organization_for
from rating import printouts, services
from rating.access import can_open_round, can_write, get_assessment_for, get_round_for
from rating.evidence import with_labels
from rating.forms import CellReviewForm, DecisionForm, OpenRoundForm, SelfAssessmentForm
from rating.levels import TaskFacts, apply_cap, level_for
from rating.models import MemberAssessment, RatingRound, RoundStatus
from rating.organization_report import organization_year


def _cell_for(user, pk):
    organization = get_organization_for(user, pk)
    if not organization.is_cell:
        raise Http404
    return organization


@login_required
def cell_rounds(request, pk):
    organization = _cell_for(request.user, pk)
    context = {
        "organization": organization,
        "rounds": RatingRound.objects.filter(organization=organization),
        "can_open": can_open_round(request.user, organization),
    }
    return render(request, "rating/cell_rounds.html", context)


@login_required
def round_open(request, pk):
    organization = _cell_for(request.user, pk)
    check(can_open_round(request.user, organization))
    form = OpenRoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rating_round = services.open_round(organization, user=request.user, **form.cleaned_data)
        except services.RatingError as error:
            form.add_error(None, error)
        else:
            return redirect("rating:round", rating_round.pk)
    return render(request, "rating/round_open.html", {"organization": organization, "form": form})


def _rows(rating_round):
    """Every member's assessment with the level the rules give her points and tasks."""
    rows = []
    for assessment in rating_round.assessments.select_related("member"):
        rule_level = None
        if assessment.is_rated and assessment.score is not None:
            rule_level = level_for(
                rating_round.rules, assessment.score, TaskFacts.from_evidence(assessment.evidence)
            )
        rows.append({"assessment": assessment, "rule_level": rule_level})
    return rows


@login_required
def round_detail(request, pk):
    rating_round = get_round_for(request.user, pk)
    access = access_for(request.user)
    rows = _rows(rating_round)
    context = {
        "round": rating_round,
        "organization": rating_round.organization,
        "rows": rows,
        "written": sum(1 for row in rows if row["assessment"].is_written),
        "rated": sum(1 for row in rows if row["assessment"].is_rated),
        "can_keep_records": access.can_keep_records(rating_round.organization),
        "can_review": access.can_review(rating_round.organization),
        "report": organization_year(rating_round.organization, rating_round.year),
    }
    return render(request, "rating/round_detail.html", context)


@require_POST
@login_required
def round_refresh(request, pk):
    rating_round = get_round_for(request.user, pk, keep_records=True)
    try:
        services.refresh_evidence(rating_round, user=request.user)
    except services.RatingError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The evidence was computed again from the record."))
    return redirect("rating:round", rating_round.pk)


@login_required
def assessment_detail(request, pk):
    """Her Mẫu 2C: the evidence of her year and, while the round is open, her form."""
    assessment = get_assessment_for(request.user, pk, write=request.method == "POST")
    rating_round = assessment.round
    writable = rating_round.is_open and assessment.is_rated and can_write(request.user, assessment)
    form = SelfAssessmentForm(request.POST or None, instance=assessment, rules=rating_round.rules)
    if request.method == "POST":
        if not writable:
            messages.error(request, _("This assessment can no longer be changed."))
            return redirect("rating:assessment", assessment.pk)
        if form.is_valid():
            try:
                services.write_self_assessment(
                    assessment, user=request.user, **_self_assessment_fields(form)
                )
            except services.RatingError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The self-assessment was saved."))
                return redirect("rating:assessment", assessment.pk)
    rule_level = None
    if assessment.score is not None:
        rule_level = level_for(
            rating_round.rules, assessment.score, TaskFacts.from_evidence(assessment.evidence)
        )
    context = {
        "assessment": assessment,
        "round": rating_round,
        "member": assessment.member,
        "evidence": with_labels(assessment.evidence),
        "form": form if writable else None,
        "rule_level": rule_level,
        "on_behalf": assessment.member.user_id != request.user.pk,
    }
    return render(request, "rating/assessment_detail.html", context)


@login_required
def my_assessments(request):
    """Her own assessments, whatever her roles (the menu's "My annual rating"): a
    member with no role reaches her Mẫu 2C from here."""
    member = getattr(request.user, "member", None)
    assessments = []
    if member is not None:
        assessments = list(
            MemberAssessment.objects.filter(member=member)
            .select_related("round", "round__organization")
            .order_by("-round__year", "-pk")
        )
    return render(request, "rating/mine.html", {"member": member, "assessments": assessments})


def _self_assessment_fields(form):
    return {name: form.cleaned_data[name] for name in SelfAssessmentForm.Meta.fields}


def _rated(rating_round):
    return [a for a in rating_round.assessments.select_related("member") if a.is_rated]


@login_required
def cell_review(request, pk):
    """The cell's review: each member's level and the opinions; compiles the list."""
    rating_round = get_round_for(request.user, pk, keep_records=True)
    assessments = _rated(rating_round)
    form = CellReviewForm(
        request.POST or None,
        assessments=assessments,
        initial_levels={a.pk: a.cell_level or a.proposed_level for a in assessments},
        meetings=services.meetings_for_review(rating_round),
    )
    if request.method == "POST" and rating_round.is_open and form.is_valid():
        try:
            services.record_cell_review(
                rating_round, form.proposals(), user=request.user, vote=form.vote()
            )
        except services.RatingError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The cell's list was compiled and sent to the superior."))
            return redirect("rating:round", rating_round.pk)
    context = {"round": rating_round, "organization": rating_round.organization, "form": form}
    return render(request, "rating/cell_review.html", context)


@login_required
def round_decide(request, pk):
    """The superior's standing committee decides each level (the cap applied)."""
    rating_round = get_round_for(request.user, pk, review=True)
    assessments = _rated(rating_round)
    suggested = apply_cap(
        rating_round.rules,
        [(a.pk, a.final_level or a.cell_level, a.score) for a in assessments],
    )
    form = DecisionForm(
        request.POST or None,
        assessments=assessments,
        with_opinions=False,
        initial_levels=suggested,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.decide(
                rating_round,
                form.levels(),
                user=request.user,
                decision_number=form.cleaned_data["decision_number"],
            )
        except services.RatingError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The levels were decided."))
            return redirect("rating:round", rating_round.pk)
    context = {
        "round": rating_round,
        "organization": rating_round.organization,
        "form": form,
        "can_decide": rating_round.status == RoundStatus.COMPILED,
    }
    return render(request, "rating/round_decide.html", context)


@login_required
def assessment_pdf(request, pk):
    assessment = get_assessment_for(request.user, pk)
    return document_response(
        printouts.assessment_pdf(assessment),
        f"mau-2c-{assessment.round.year}-{assessment.member_id}.pdf",
    )


@login_required
def list_pdf(request, pk):
    rating_round = get_round_for(request.user, pk)
    return document_response(
        printouts.list_pdf(rating_round),
        f"danh-sach-xep-loai-{rating_round.year}.pdf",
    )


@login_required
def organization_report_pdf(request, pk):
    rating_round = get_round_for(request.user, pk)
    return document_response(
        printouts.organization_report_pdf(rating_round),
        f"mau-01-{rating_round.year}-{rating_round.organization_id}.pdf",
    )


@login_required
def list_xlsx(request, pk):
    rating_round = get_round_for(request.user, pk)
    return document_response(
        printouts.list_workbook(rating_round),
        f"danh-sach-xep-loai-{rating_round.year}.xlsx",
        content_type=XLSX,
        attachment=True,
    )
