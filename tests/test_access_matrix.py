"""Every URL, every role: outsiders get 404, insiders without the right 403,
anonymous users the login page; and every URL that only accepts POST answers GET with
405, even for a user entitled to post. A new URL fails `test_every_url_is_in_the_matrix`
until it is added here or in a module of tests/access_matrices/.

Refusals (403, 404 and redirects) are answered without rendering templates, as
pretix's permission tests do: the status, the headers and the redirect target are what
is checked there. Pages that answer 200 are rendered for real, so that their HTML can
be checked for inline scripts and styles."""

import importlib
import pkgutil
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests import access_matrices
from tests.access_rules import (
    ANY_REDIRECT,
    LOGIN,
    ROLES,
    edited_by_secretary,
    everyone_signed_in,
    expect,
    managed_by_admin_on_cell,
    managed_by_admin_on_commune,
    meeting_in,
    meeting_with_lead_report,
    open_position,
    review_by_superior,
    seen_by_cell,
)

# name: (method, kwargs builder, expectations)
MATRIX = {
    "home": ("get", lambda w: {}, everyone_signed_in(ANY_REDIRECT)),
    "login": (
        "get",
        lambda w: {},
        expect(anonymous=200, **dict.fromkeys(ROLES[1:], ANY_REDIRECT)),
    ),
    "logout": ("post", lambda w: {}, dict.fromkeys(ROLES, LOGIN)),
    "password_change": ("get", lambda w: {}, everyone_signed_in()),
    "password_change_done": ("get", lambda w: {}, everyone_signed_in()),
    "set_language": (
        "post",
        lambda w: {},
        expect(anonymous=ANY_REDIRECT, **dict.fromkeys(ROLES[1:], ANY_REDIRECT)),
    ),
    "members:organization_list": ("get", lambda w: {}, everyone_signed_in()),
    "members:organization_detail": ("get", lambda w: {"pk": w.cell.pk}, seen_by_cell()),
    "members:organization_edit": ("get", lambda w: {"pk": w.cell.pk}, managed_by_admin_on_cell()),
    "members:organization_create": (
        "get",
        lambda w: {"parent_pk": w.commune.pk},
        managed_by_admin_on_commune(),
    ),
    "members:member_list": ("get", lambda w: {"pk": w.cell.pk}, seen_by_cell()),
    "members:member_create": ("get", lambda w: {"pk": w.cell.pk}, edited_by_secretary()),
    "members:member_import": ("get", lambda w: {"pk": w.cell.pk}, edited_by_secretary()),
    "members:member_import_confirm": (
        "post",
        lambda w: {"pk": w.cell.pk},
        edited_by_secretary(ANY_REDIRECT),
    ),
    "members:member_import_template": ("get", lambda w: {"pk": w.cell.pk}, edited_by_secretary()),
    "members:member_detail": ("get", lambda w: {"pk": w.member.pk}, seen_by_cell()),
    "members:member_edit": ("get", lambda w: {"pk": w.member.pk}, edited_by_secretary()),
    "members:member_transfer": ("get", lambda w: {"pk": w.member.pk}, edited_by_secretary()),
    "members:position_create": ("get", lambda w: {"pk": w.member.pk}, edited_by_secretary()),
    "members:position_end": (
        "post",
        lambda w: {"pk": w.member.pk, "position_pk": open_position(w).pk},
        edited_by_secretary(ANY_REDIRECT),
    ),
    "meetings:list": ("get", lambda w: {}, everyone_signed_in()),
    "meetings:plan": ("get", lambda w: {"pk": w.cell.pk}, edited_by_secretary()),
    "meetings:cell_year": ("get", lambda w: {"pk": w.cell.pk, "year": 2026}, seen_by_cell()),
    "meetings:detail": ("get", lambda w: {"pk": meeting_in(w).pk}, seen_by_cell()),
    "meetings:plan_edit": ("get", lambda w: {"pk": meeting_in(w).pk}, edited_by_secretary()),
    "meetings:start": (
        "post",
        lambda w: {"pk": meeting_in(w).pk},
        edited_by_secretary(ANY_REDIRECT),
    ),
    "meetings:record": ("get", lambda w: {"pk": meeting_in(w, "draft").pk}, edited_by_secretary()),
    "meetings:finalize": (
        "post",
        lambda w: {"pk": meeting_in(w, "draft").pk},
        edited_by_secretary(ANY_REDIRECT),
    ),
    "meetings:reopen": (
        "post",
        lambda w: {"pk": meeting_in(w, "finalized").pk},
        edited_by_secretary(ANY_REDIRECT),
    ),
    # Signers confirm with their own account (the service refuses anyone else, with a
    # message); recording a paper signature is for the record keepers: see below.
    "meetings:sign": (
        "post",
        lambda w: {"pk": meeting_in(w, "finalized").pk},
        seen_by_cell(ANY_REDIRECT),
    ),
    "oversight:return": (
        "post",
        lambda w: {"pk": meeting_in(w, "signed").pk},
        review_by_superior(),
    ),
    "meetings:correct": (
        "post",
        lambda w: {"pk": meeting_in(w, "returned").pk},
        edited_by_secretary(ANY_REDIRECT),
    ),
    "meetings:lead_report": (
        "get",
        lambda w: {"pk": meeting_with_lead_report(w).pk},
        seen_by_cell(),
    ),
    "printing:minutes_pdf": ("get", lambda w: {"pk": meeting_in(w, "draft").pk}, seen_by_cell()),
    "printing:attendance_sheet": ("get", lambda w: {"pk": meeting_in(w).pk}, seen_by_cell()),
    "printing:minutes_book": ("get", lambda w: {"pk": w.cell.pk, "year": 2026}, seen_by_cell()),
    # Anyone may check a paper copy; what they learn is tested in tests/meetings/.
    "printing:verify_form": ("get", lambda w: {}, dict.fromkeys(ROLES, 200)),
    "printing:verify": (
        "get",
        lambda w: {"fingerprint": meeting_in(w, "signed", fingerprint="ab" * 32).fingerprint},
        dict.fromkeys(ROLES, 200),
    ),
    "resolutions:task_board": ("get", lambda w: {"pk": w.cell.pk}, seen_by_cell()),
    "resolutions:my_tasks": ("get", lambda w: {}, everyone_signed_in()),
    "meetings:member_record": (
        "get",
        lambda w: {"pk": w.member.pk, "year": 2026},
        seen_by_cell(),
    ),
}

# Features add their URLs in a module of tests/access_matrices/ defining MATRIX.
for module_info in pkgutil.iter_modules(access_matrices.__path__):
    module = importlib.import_module(f"tests.access_matrices.{module_info.name}")
    overlap = set(MATRIX) & set(module.MATRIX)
    assert not overlap, f"{module_info.name} repeats {overlap}"
    MATRIX.update(module.MATRIX)

# Covered by Django's own admin permission checks and tests/test_admin.py.
NOT_IN_MATRIX_NAMESPACES = {"admin"}


def all_url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            if entry.namespace in NOT_IN_MATRIX_NAMESPACES:
                continue
            yield from all_url_names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"


def test_every_url_is_in_the_matrix():
    assert set(all_url_names()) == set(MATRIX)


# Views the matrix drives with POST that answer GET too, and why.
ACCEPTS_GET = {
    # Django's own view: a GET changes nothing and is sent back where it came from.
    "set_language",
}
POST_ONLY = sorted(name for name, (method, _, _) in MATRIX.items() if method == "post")
SIGNED_IN = ROLES[1:]
REFUSALS = (403, 404, LOGIN)


@pytest.fixture
def render_nothing(monkeypatch):
    """pretix's trick (src/tests/control/test_permissions.py): template rendering
    answers a fixed string, for the cases where only the refusal itself is checked."""
    monkeypatch.setattr(
        "django.template.backends.django.Template.render",
        lambda *args, **kwargs: "mocked template",
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_url_answers_each_role_as_the_access_rule_says(world, login, request, name, role):
    method, build_kwargs, expectations = MATRIX[name]
    if expectations[role] in (*REFUSALS, ANY_REDIRECT):
        request.getfixturevalue("render_nothing")
    client = login(world.user(role))
    url = reverse(name, kwargs=build_kwargs(world))
    response = getattr(client, method)(url)
    expected = expectations[role]
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    elif expected == ANY_REDIRECT:
        assert response.status_code == 302, response.content[:300]
        assert not response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == expected
    assert_security_headers(response, signed_in=role != "anonymous")


def assert_security_headers(response, *, signed_in):
    """Every answer of the matrix, whatever its status: the policy, and private pages."""
    policy = parse_policy(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert not any("unsafe" in source for sources in policy.values() for source in sources)
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    if signed_in or response.get("Content-Type", "").startswith("application/"):
        assert response["Cache-Control"] == "private, no-store"
    if "text/html" in response.get("Content-Type", "") and response.status_code == 200:
        assert_no_inline_code(response.content.decode())


def assert_no_inline_code(page):
    assert "<style" not in page
    assert " style=" not in page
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), "inline script"
    assert not re.search(r"\son[a-z]+=", page), "inline event handler"


@pytest.mark.parametrize(
    ("name", "role", "status"),
    [("oversight:review_queue", "secretary", 403), ("members:member_detail", "outsider", 404)],
)
def test_the_refusal_pages_themselves_are_rendered_and_checked(world, login, name, role, status):
    """The matrix does not render its refusals; the 403 and 404 pages are checked here."""
    _method, build_kwargs, expectations = MATRIX[name]
    assert expectations[role] == status
    response = login(world.user(role)).get(reverse(name, kwargs=build_kwargs(world)))
    assert response.status_code == status
    assert "text/html" in response["Content-Type"]
    page = response.content.decode()
    assert "<html" in page and "mocked template" not in page
    assert_security_headers(response, signed_in=True)
    assert_no_inline_code(page)


def parse_policy(header):
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def entitled_role(expectations):
    """The first role signed in that the matrix lets post (a redirect or a page)."""
    return next(role for role in SIGNED_IN if expectations[role] not in (403, 404))


def test_the_post_only_column_covers_every_url_posted_to():
    assert set(POST_ONLY) >= ACCEPTS_GET
    assert {"logout", "oversight:accept", "members:position_end"} <= set(POST_ONLY)


@pytest.mark.parametrize("name", [name for name in POST_ONLY if name not in ACCEPTS_GET])
def test_post_only_urls_refuse_get(world, login, render_nothing, name):
    method, build_kwargs, expectations = MATRIX[name]
    role = entitled_role(expectations)
    client = login(world.user(role))
    url = reverse(name, kwargs=build_kwargs(world))
    response = client.get(url)
    assert response.status_code == 405, (role, response.status_code)
    assert "POST" in response["Allow"]
    assert_security_headers(response, signed_in=True)
    # Refused before doing anything: the same user's POST still works afterwards.
    assert client.post(url).status_code != 405


def test_only_record_keepers_record_a_paper_signature(world, login):
    for role, expected in [("viewer", 403), ("reviewer", 403), ("outsider", 404)]:
        meeting = meeting_in(world, "finalized")
        response = login(world.user(role)).post(
            reverse("meetings:sign", args=[meeting.pk]), {"role": "chair", "on_paper": "1"}
        )
        assert response.status_code == expected, role
