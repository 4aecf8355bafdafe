"""Random and boundary input to every form a secretary and a reviewer can submit:
whatever arrives, the answer is a page or a redirect, never a server error.

Each example starts from what the browser would send (the values on the page), then
replaces, duplicates or drops a few fields with hostile values: impossible dates,
huge and negative numbers, NUL bytes, 100 kB strings, nonsense formset counts.
The examples are few and without deadline, so the module runs in well under a minute.
"""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import BaseForm, BaseFormSet
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meetings import services
from meetings.models import Meeting, MeetingKind, MeetingStatus
from resolutions import services as resolution_services
from resolutions.models import Resolution, Task
from tests.helpers import at, complete
from tests.meetings.formdata import _field_items, _formset_items, record_post_data

HOSTILE_VALUES = [
    "",
    " ",
    "0",
    "-1",
    "-99999999999999999999",
    "99999999999999999999",
    "1e309",
    "NaN",
    "31/02/2026",
    "29/02/2025",
    "00/00/0000",
    "32/13/2026",
    "2026-02-31",
    "01/01/0001",
    "31/12/9999",
    "25:61",
    "9:15",
    "24:00",
    "\x00",
    "Nguyễn\x00Văn",
    "x",
    "/x",
    "//evil.example/",
    "https://evil.example/",
    "javascript:alert(1)",
    "meetings:list",
    "/\r\nSet-Cookie: a=b",
    "on",
    "official",
    "present",
    "<script>alert(1)</script>",
    "𝟙𝟚",
    "١٢",
    "Đ" * 100_000,
]
hostile_value = st.one_of(
    st.sampled_from(HOSTILE_VALUES),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.text(max_size=30),
)
times = st.one_of(
    st.times().map(lambda moment: moment.strftime("%H:%M")),
    st.sampled_from(["9:15", "21:15", "00:40", "23:59", "24:00", "7h30", "-1:00"]),
)
dates = st.one_of(
    st.dates().map(lambda day: day.strftime("%d/%m/%Y")),
    st.tuples(st.integers(0, 40), st.integers(0, 14), st.integers(-1, 10_000)).map(
        lambda parts: "{:02d}/{:02d}/{:04d}".format(*parts)
    ),
)
counts = st.integers(min_value=-(10**12), max_value=10**12).map(str)
# No value (a missing field), one, or the same field twice.
field_values = st.lists(hostile_value, max_size=2)


def values_for(name):
    """Hostile values, weighted toward what the field expects to get past its parsing."""
    if "time" in name:
        kind = times
    elif name.endswith(("_on", "_date", "day")) or "held_on" in name:
        kind = dates
    elif name.endswith(("FORMS", "votes", "_for", "_against", "_other", "year", "month")) or (
        "quality_" in name
    ):
        kind = counts
    else:
        return field_values
    return st.lists(st.one_of(kind, kind, hostile_value), max_size=2)


FOCUS = ("time", "_on", "day", "FORMS", "votes", "quality_", "year", "month", "next", "role")


def row_game(data, prefix, game, index):
    """A formset row added, duplicated or dropped, as no browser would send it."""
    try:
        total = int(data[f"{prefix}-TOTAL_FORMS"][0])
    except (KeyError, ValueError, IndexError):
        return
    row = f"{prefix}-{index % max(total, 1)}-"
    fields = {name[len(row) :]: values for name, values in data.items() if name.startswith(row)}
    if game == "drop":
        for field in fields:
            del data[row + field]
        return
    new_row = f"{prefix}-{total}-"
    data[f"{prefix}-TOTAL_FORMS"] = [str(total + 1)]
    for field, values in fields.items():
        if game == "duplicate" or field != "id":
            data[new_row + field] = values
    if game == "duplicate":
        data[f"{prefix}-INITIAL_FORMS"] = [str(total + 1)]


ODD_NAMES = [
    "attendance-TOTAL_FORMS",
    "attendance-INITIAL_FORMS",
    "guests-TOTAL_FORMS",
    "speeches-TOTAL_FORMS",
    "tasks-TOTAL_FORMS",
    "tasks-INITIAL_FORMS",
    "items-TOTAL_FORMS",
    "documents-TOTAL_FORMS",
    "version",
    "next",
    "role",
    "on_paper",
    "stay",
    "finalize",
]


def page_values(response):
    """What the browser would send back from this page, unchanged."""
    context = response.context
    if "editor" in context:
        return record_post_data(response)
    html = response.content.decode()
    data = {}
    for key in context.keys():  # noqa: SIM118 (a ContextList, not a dict)
        value = context[key]
        if isinstance(value, BaseFormSet):
            data.update(_formset_items(value, html))
        elif isinstance(value, BaseForm):
            data.update(_field_items(value, html))
    return data


def adopt_a_resolution(meeting, lead):
    resolution = resolution_services.save_resolution(
        Resolution(meeting=meeting, number=1, title="Nghị quyết tháng 9")
    )
    Task.objects.create(
        resolution=resolution, title="Sửa đường thôn", lead=lead, due_on=date(2026, 10, 1)
    )


@pytest.fixture
def scene(world, roster, make_meeting):
    """One meeting in every state a form can be posted in, and a user for each side."""
    lead = roster["official"][0]
    finalized = complete(make_meeting(when=at(2026, 8, 5)), roster)
    finalized = services.finalize_minutes(finalized, user=world.secretary)
    september = make_meeting(when=at(2026, 9, 5))
    adopt_a_resolution(september, lead)
    draft = make_meeting(when=at(2026, 10, 5))
    planned = make_meeting(when=at(2026, 11, 5), start=False)
    thematic = make_meeting(kind=MeetingKind.THEMATIC, when=at(2026, 10, 20))
    signed = Meeting.objects.create(
        organization=world.cell,
        kind="extraordinary",
        topic="Kết nạp đảng viên",
        scheduled_at=at(2026, 7, 5),
        started_at=at(2026, 7, 5),
        ended_at=at(2026, 7, 5) + timedelta(minutes=95),
        signed_at=timezone.now(),
        status=MeetingStatus.SIGNED,
    )
    return {
        "world": world,
        "member": lead,
        "draft": draft,
        "planned": planned,
        "finalized": finalized,
        "thematic": thematic,
        "signed": signed,
    }


def _url(name, *args):
    return reverse(name, args=args)


# (who, how to find the address, whether a GET shows the form first)
TARGETS = {
    "plan": ("secretary", lambda s: _url("meetings:plan", s["world"].cell.pk), True),
    "plan_edit": ("secretary", lambda s: _url("meetings:plan_edit", s["planned"].pk), True),
    "record": ("secretary", lambda s: _url("meetings:record", s["draft"].pk), True),
    "record_thematic": ("secretary", lambda s: _url("meetings:record", s["thematic"].pk), True),
    "start": ("secretary", lambda s: _url("meetings:start", s["planned"].pk), False),
    "finalize": ("secretary", lambda s: _url("meetings:finalize", s["draft"].pk), False),
    "sign": ("secretary", lambda s: _url("meetings:sign", s["finalized"].pk), False),
    "reopen": ("secretary", lambda s: _url("meetings:reopen", s["finalized"].pk), False),
    "correct": ("secretary", lambda s: _url("meetings:correct", s["signed"].pk), False),
    "return": ("reviewer", lambda s: _url("oversight:return", s["signed"].pk), False),
    "accept": ("reviewer", lambda s: _url("oversight:accept", s["signed"].pk), False),
    "guidance": (
        "reviewer",
        lambda s: _url("oversight:guidance_create", s["world"].commune.pk),
        True,
    ),
    "delegates": ("reviewer", lambda s: _url("oversight:delegates", s["world"].commune.pk), True),
    "thematic_plan": (
        "secretary",
        lambda s: _url("meetings:thematic_plan", s["world"].cell.pk, 2026),
        True,
    ),
    "member_create": (
        "secretary",
        lambda s: _url("members:member_create", s["world"].cell.pk),
        True,
    ),
    "member_edit": ("secretary", lambda s: _url("members:member_edit", s["member"].pk), True),
    "member_transfer": (
        "secretary",
        lambda s: _url("members:member_transfer", s["member"].pk),
        True,
    ),
    "position": ("secretary", lambda s: _url("members:position_create", s["member"].pk), True),
    "organization_edit": (
        "admin",
        lambda s: _url("members:organization_edit", s["world"].cell.pk),
        True,
    ),
    "organization_create": (
        "admin",
        lambda s: _url("members:organization_create", s["world"].commune.pk),
        True,
    ),
    "import_upload": (
        "secretary",
        lambda s: _url("members:member_import", s["world"].cell.pk),
        True,
    ),
    "import_confirm": (
        "secretary",
        lambda s: _url("members:member_import_confirm", s["world"].cell.pk),
        False,
    ),
    "schedule_register": (
        "secretary",
        lambda s: _url("oversight:schedule_register", s["world"].cell.pk, 2026, 11),
        True,
    ),
    "schedule_deadline": (
        "reviewer",
        lambda s: _url("oversight:schedule_month", s["world"].commune.pk, 2026, 11),
        True,
    ),
}
EXAMPLES = {"record": 40, "record_thematic": 15, "accept": 20, "plan": 15, "plan_edit": 15}


def fuzz_client(user):
    client = Client(raise_request_exception=False)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_no_form_answers_with_a_server_error(scene, target):
    role, address, shows_form = TARGETS[target]
    client = fuzz_client(getattr(scene["world"], role))
    url = address(scene)
    baseline = {}
    if shows_form:
        page = client.get(url)
        assert page.status_code == 200, f"{target}: the form page itself is not reachable"
        baseline = page_values(page)
    names = sorted(set(baseline) | set(ODD_NAMES))
    focus = [name for name in names if any(part in name for part in FOCUS)]
    prefixes = sorted(name[: -len("-TOTAL_FORMS")] for name in baseline if "TOTAL_FORMS" in name)

    @settings(
        max_examples=EXAMPLES.get(target, 8),
        deadline=None,
        database=None,
        derandomize=True,  # the same examples on every run: a failure is reproducible
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        focused=st.lists(
            st.sampled_from(focus or names).flatmap(
                lambda name: st.tuples(st.just(name), values_for(name))
            ),
            max_size=4,
        ),
        changes=st.lists(
            st.sampled_from(names).flatmap(lambda name: st.tuples(st.just(name), values_for(name))),
            max_size=6,
        ),
        games=st.lists(
            st.tuples(
                st.sampled_from(prefixes or [""]),
                st.sampled_from(["extra", "duplicate", "drop"]),
                st.integers(0, 50),
            ),
            max_size=2,
        ),
        stranger=st.dictionaries(st.text(max_size=20), field_values, max_size=2),
        upload=st.one_of(st.none(), st.binary(max_size=2_000)),
    )
    def post(focused, changes, games, stranger, upload):
        data = {
            name: value if isinstance(value, list) else [value] for name, value in baseline.items()
        }
        for prefix, game, index in games:
            row_game(data, prefix, game, index)
        data.update(dict(focused))
        data.update(dict(changes))
        data.update({name.replace("\x00", ""): values for name, values in stranger.items()})
        data = {name: values for name, values in data.items() if values}
        if upload is not None and target == "import_upload":
            data["file"] = SimpleUploadedFile("members.xlsx", upload)
        response = client.post(url, data)
        assert response.status_code < 500, (target, response.status_code)

    post()
