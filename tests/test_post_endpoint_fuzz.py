"""Hostile POSTs to every URL that takes a POST, as every kind of user: never a 5xx,
never a redirect off the site.

The URLs are enumerated from the URLconf (the walk of tests/test_access_matrix.py, whose
MATRIX says how to build each URL's arguments); every URL name is either posted to here
or listed in GET_ONLY with the reason, and a test checks that those views indeed never
read what is posted. A new URL fails `test_every_url_is_posted_to_or_skipped_with_a_reason`
until it is placed in one of the two. Every admin add page is posted to as well.

Each URL gets a few fixed payloads per user (no random search: tests/test_form_fuzz.py
does that for the main forms): the values of the form page with a bare-word `next` and
every formset claiming 2,147,483,648 rows; then every field replaced by values from
tests/test_form_fuzz.HOSTILE_VALUES with an unsafe `next`. The module stays near a minute.
"""

from urllib.parse import urlsplit

import pytest
from django.contrib import admin
from django.core.handlers.wsgi import WSGIRequest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory
from tests.test_access_matrix import MATRIX, all_url_names
from tests.test_form_fuzz import HOSTILE_VALUES, ODD_NAMES, page_values

# The users who post: the cell's secretary, a member who only views the cell, the
# reviewer of the commune above it, an administrator above that, and nobody signed in.
ROLES = ["anonymous", "secretary", "viewer", "reviewer", "admin"]
HUGE_COUNT = "2147483648"
# A bare word first (with the page's own values), then with hostile values everywhere.
UNSAFE_NEXT = ["x", "//evil.example/", "javascript:alert(1)"]
# Fields some POST-only views read, sent to every URL whatever its form.
COMMON_FIELDS = [
    "comment",
    "role",
    "on_paper",
    "ended_on",
    "reason",
    "language",
    "username",
    "password",
    "go",
    "year",
    "month",
    "committee",
    "confirm",
]
# Every value but the 100 kB one, which is sent in one field only (a page re-rendered
# with it in every box would be megabytes, for nothing more learnt).
SMALL_HOSTILE = [value for value in HOSTILE_VALUES if len(value) < 1_000]
GIANT = max(HOSTILE_VALUES, key=len)

# URLs that take no POST: their views never read the body (checked below), so hostile
# POST data cannot reach them. Reason for each.
_PAGE = "a page or list: GET only, a POST is answered as a GET or with 405"
_DOCUMENT = "a document (PDF, spreadsheet, calendar, file): GET only"
GET_ONLY = {
    "help:index": _PAGE,
    "help:quick_guide": _PAGE,
    "help:reviewer": _PAGE,
    "help:secretary": _PAGE,
    "home": "redirects to the user's start page; reads nothing posted",
    "printing:attendance_sheet": _DOCUMENT,
    "meetings:cell_year": _PAGE,
    "meetings:detail": _PAGE,
    "meetings:lead_report": _DOCUMENT,
    "meetings:member_record": _PAGE,
    "printing:minutes_book_download": _DOCUMENT,
    "printing:minutes_book_status": _PAGE,
    "printing:minutes_pdf": _DOCUMENT,
    "printing:national_app_package": _DOCUMENT,
    "printing:resolution_pdf": _DOCUMENT,
    "printing:verify": _PAGE,
    "printing:verify_form": _PAGE,
    "members:member_detail": _PAGE,
    "members:member_import_template": _DOCUMENT,
    "members:member_list": _PAGE,
    "members:organization_detail": _PAGE,
    "members:organization_list": _PAGE,
    "notifications:calendar_feed": _DOCUMENT,
    "oversight:committee_books_download": _DOCUMENT,
    "oversight:delegate_visits": _PAGE,
    "oversight:guidance_detail": _PAGE,
    "oversight:guidance_document": _DOCUMENT,
    "oversight:guidance_list": _PAGE,
    "oversight:review_queue": _PAGE,
    "oversight:statistics": _PAGE,
    "oversight:statistics_pdf": _DOCUMENT,
    "oversight:statistics_xlsx": _DOCUMENT,
    "notifications:subtree_calendar": _DOCUMENT,
    "oversight:thematic_plans_overview": _PAGE,
    "password_change_done": _PAGE,
    "rating:mine": _PAGE,
    "resolutions:my_tasks": _PAGE,
    "resolutions:task_board": _PAGE,
    "service_worker": "the service worker's script: GET only (405 to a POST)",
    "web_manifest": "the web app manifest: GET only (405 to a POST)",
}
POSTED = sorted(set(MATRIX) - set(GET_ONLY))


def test_every_url_is_posted_to_or_skipped_with_a_reason():
    names = set(all_url_names())
    assert set(GET_ONLY) <= names, set(GET_ONLY) - names
    assert names == set(POSTED) | set(GET_ONLY)
    assert all(reason.strip() for reason in GET_ONLY.values())
    # The endpoints issue 19 found, and the ones every role posts to, are fuzzed here.
    assert {
        "notifications:feed_revoke",
        "kept_discard",
        "oversight:return",
        "meetings:correct",
        "oversight:guidance_create",
        "oversight:schedule_register",
        "oversight:schedule_month",
        "meetings:record",
        "meetings:record_step",
        "meetings:finalize",
        "meetings:offline_sync",
        "meetings:start",
        "set_language",
        "login",
        "logout",
    } <= set(POSTED)


def fuzz_client(user):
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _url(world, name):
    _method, build_kwargs, _expectations = MATRIX[name]
    return reverse(name, kwargs=build_kwargs(world))


@pytest.fixture
def reading_the_body(monkeypatch):
    """Paths whose request body was read (request.POST or FILES)."""
    paths = []
    load = WSGIRequest._load_post_and_files

    def recording(request):
        paths.append(request.path)
        return load(request)

    monkeypatch.setattr(WSGIRequest, "_load_post_and_files", recording)
    return paths


@pytest.mark.parametrize("name", sorted(GET_ONLY))
def test_a_get_only_view_never_reads_what_is_posted(world, reading_the_body, name):
    """Else it belongs in POSTED: hostile data would reach it."""
    url = _url(world, name)
    expectations = MATRIX[name][2]
    role = next((role for role in ROLES[1:] if expectations.get(role) == 200), "admin")
    response = fuzz_client(world.user(role)).post(url, {"next": "x", "comment": "x"})
    assert response.status_code < 500
    assert url not in reading_the_body, f"{name} reads the POST: fuzz it (POSTED)"


def hostile_payloads(baseline):
    """The few POST bodies each URL receives from each user."""
    names = sorted(set(baseline) | set(ODD_NAMES) | set(COMMON_FIELDS))
    prefixes = sorted(name[: -len("-TOTAL_FORMS")] for name in names if "TOTAL_FORMS" in name)
    huge_counts = {f"{prefix}-TOTAL_FORMS": HUGE_COUNT for prefix in prefixes}
    yield {**baseline, **huge_counts, "next": UNSAFE_NEXT[0], "stay": "\r\nSet-Cookie: a=b"}
    for shift, target in enumerate(UNSAFE_NEXT[1:], start=1):
        hostile = {
            name: SMALL_HOSTILE[(index * shift + 7 * shift) % len(SMALL_HOSTILE)]
            for index, name in enumerate(names)
        }
        if shift == 1 and names:
            hostile[names[0]] = GIANT
        yield {**hostile, "next": target}


def assert_safe_answer(response, context):
    assert response.status_code < 500, (*context, response.status_code)
    if 300 <= response.status_code < 400:
        location = urlsplit(response["Location"])
        assert location.scheme in ("", "http", "https"), (*context, response["Location"])
        assert location.netloc in ("", "testserver"), (*context, response["Location"])


def form_values(world, url, name):
    """What the page's form holds, as the first user who may open it sees it."""
    if MATRIX[name][0] == "post":
        return {}
    for role in ROLES[1:]:
        page = fuzz_client(world.user(role)).get(url)
        is_form_page = "text/html" in page.get("Content-Type", "") and page.context is not None
        if page.status_code == 200 and is_form_page:
            return {
                key: value for key, value in page_values(page).items() if not key.endswith("file")
            }
    return {}


@pytest.mark.parametrize("name", POSTED)
def test_no_post_endpoint_answers_any_user_with_a_server_error(world, name):
    url = _url(world, name)
    baseline = form_values(world, url, name)
    clients = {role: fuzz_client(world.user(role)) for role in ROLES}
    for payload in hostile_payloads(baseline):
        for role, client in clients.items():
            assert_safe_answer(client.post(url, payload), (name, role))


# ---------------------------------------------------------------- the admin's add pages


def admin_add_pages():
    return sorted(
        f"admin:{model._meta.app_label}_{model._meta.model_name}_add"
        for model in admin.site._registry
    )


@pytest.mark.parametrize("name", admin_add_pages())
def test_no_admin_add_page_answers_with_a_server_error(world, name):
    superuser = UserFactory(username="quan-tri-fuzz", is_superuser=True, is_staff=True)
    url = reverse(name)
    client = fuzz_client(superuser)
    page = client.get(url)
    # Some models are never added by hand (the log of sign-ins, messages sent): 403.
    baseline = page_values_of_admin(page) if page.status_code == 200 else {}
    for payload in hostile_payloads(baseline):
        for role, each in (("superuser", client), ("anonymous", fuzz_client(None))):
            assert_safe_answer(each.post(url, payload), (name, role))


def page_values_of_admin(page):
    from tests.meetings.formdata import _field_items, _formset_items

    html = page.content.decode()
    data = dict(_field_items(page.context["adminform"].form, html))
    for inline in page.context["inline_admin_formsets"]:
        data.update(_formset_items(inline.formset, html))
    return data
