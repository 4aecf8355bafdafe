"""Help inside the app: a short guide for each role and a one-page quick guide to
print. Plain templates, no model.

A guide's text is a document, not a string of the interface: each language has its
own copy (templates/help/<language>/<guide>.html), Vietnamese when a language has none.
The page around it (title, menu, links) is translated as usual.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

app_name = "help"

# slug: (title, who it is for)
GUIDES = {
    "secretary": (_("Recording the monthly cell meeting"), _("For cell secretaries")),
    "reviewer": (_("Reviewing minutes"), _("For superior committee staff")),
}

# The pages a guide explains: URL name -> (guide, section). Each of them shows a
# "Help" link near its title (templates/includes/help_link.html, from base.html).
HELP_FOR_PAGE = {
    "members:organization_detail": ("secretary", "plan"),
    "meetings:plan": ("secretary", "plan"),
    "meetings:plan_edit": ("secretary", "plan"),
    "meetings:detail": ("secretary", "finalize"),
    "meetings:record": ("secretary", "record"),
    "oversight:review_queue": ("reviewer", "queue"),
    "oversight:board": ("reviewer", "board"),
    "oversight:statistics": ("reviewer", "statistics"),
    "oversight:delegates": ("reviewer", "more"),
    "oversight:thematic_plans_overview": ("reviewer", "more"),
}


def help_for(request):
    """The guide (URL name and section) that explains the page being shown, if any."""
    match = getattr(request, "resolver_match", None)
    found = HELP_FOR_PAGE.get(match.view_name) if match else None
    if found is None:
        return None
    guide, section = found
    return {"url_name": f"help:{guide}", "section": section}


def guide_template(name):
    """The guide's text in the page's language, falling back to Vietnamese."""
    language = (get_language() or "vi").split("-")[0]
    return [f"help/{language}/{name}.html", f"help/vi/{name}.html"]


@login_required
def index(request):
    guides = [
        {"url_name": f"help:{slug}", "title": title, "audience": audience}
        for slug, (title, audience) in GUIDES.items()
    ]
    return render(request, "help/index.html", {"guides": guides})


def _guide_view(slug):
    title, audience = GUIDES[slug]

    @login_required
    def view(request):
        return render(
            request,
            "help/guide.html",
            {
                "title": title,
                "audience": audience,
                "body_templates": guide_template(slug),
                "guides": GUIDES,
            },
        )

    view.__name__ = f"{slug}_guide"
    return view


@login_required
def quick_guide(request):
    """One A4 page to print and keep beside the minutes book."""
    return render(request, "help/quick_guide.html", {"body_templates": guide_template("quick")})


urlpatterns = [
    path("", index, name="index"),
    *(path(f"{slug}/", _guide_view(slug), name=slug) for slug in GUIDES),
    path("quick/", quick_guide, name="quick_guide"),
]
