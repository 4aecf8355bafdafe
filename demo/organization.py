"""The demo organisation: a province, the commune Yên Hòa, its 13 cells, members, accounts.

One made-up province committee, one commune committee (Đảng bộ xã Yên Hòa) and its
13 cells with about 270 members, like the commune in the seed articles. Everything
is generated from fixed seeds, so every run builds the same people. No real persons:
names are drawn from lists of common family, middle and given names
(demo/data/phrases.json).

`seed_demo(today=...)` is idempotent: organisations are found by their codes, a
cell that already has members is left alone, and the three demo accounts are
brought to the documented state (password, flags, roles) without duplicates.
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from simple_history.utils import bulk_create_with_history

from cellmeet.text import name_sort_key, split_full_name
from demo.phrases import (
    AWAY_NOTES,
    EXEMPT_NOTE,
    FAMILY_NAMES,
    FEMALE_GIVEN,
    FEMALE_MIDDLE,
    FEMALE_SECOND_MIDDLE,
    MALE_GIVEN,
    MALE_MIDDLE,
    PHONE_PREFIXES,
)
from members.models import (
    ActivityStatus,
    CellType,
    Gender,
    Member,
    MembershipStatus,
    Organization,
    OrganizationKind,
    Position,
    PositionRole,
    Role,
    RoleKind,
)

PASSWORD = "demo-cellmeet"
LOGIN_URL = "http://127.0.0.1:8000/"
SEED = 2025
TERM = "2025–2030"
TERM_START = date(2025, 9, 1)
CHANGE_REASON = "Demo data (seed_demo)"
# Demo members and accounts get addresses here (reserved for examples, RFC 2606).
DEMO_MAIL_DOMAIN = "example.org"
# A cell with this many official members elects a cell committee (at most 7).
COMMITTEE_THRESHOLD = 9


@dataclass(frozen=True)
class OrgSpec:
    code: str
    name: str
    kind: str
    place: str
    cell_type: str = ""
    size: int = 0
    probationary: int = 0
    exempt: int = 0
    away: int = 0


SUPERIOR, COMMITTEE = OrganizationKind.SUPERIOR_COMMITTEE, OrganizationKind.GRASSROOTS_COMMITTEE
TOP = OrgSpec("DEMO-SN", "Đảng bộ tỉnh Sơn Nguyên", SUPERIOR, "Sơn Nguyên")
COMMUNE = OrgSpec("DEMO-YH", "Đảng bộ xã Yên Hòa", COMMITTEE, "Yên Hòa")


def _cell(number, name, cell_type, size, probationary=0, exempt=0, away=0):
    return OrgSpec(
        f"DEMO-YH-{number:02d}",
        name,
        OrganizationKind.CELL,
        "Yên Hòa",
        cell_type,
        size,
        probationary,
        exempt,
        away,
    )


# Days since the admission of the probationary member of these cells (others: drawn).
# bithu's cell: 12 months ended before last month's meeting, which voted to recognise
# her (demo.year); Trung Hòa: 12 months end within days, so its page reminds the cell.
PROBATION_DAYS = {"DEMO-YH-01": 430, "DEMO-YH-03": 355}

V, S, P, H = CellType.VILLAGE, CellType.SCHOOL, CellType.POLICE, CellType.HEALTH
CELLS = [
    _cell(1, "Chi bộ thôn Đông Hòa", V, 36, probationary=1, exempt=2),
    _cell(2, "Chi bộ thôn Tây Hòa", V, 31, exempt=1, away=1),
    _cell(3, "Chi bộ thôn Trung Hòa", V, 24, probationary=1, exempt=1),
    _cell(4, "Chi bộ thôn Bắc Sơn", V, 33, probationary=1, exempt=1),
    _cell(5, "Chi bộ thôn Nam Sơn", V, 21, away=1),
    _cell(6, "Chi bộ thôn Yên Thịnh", V, 28, probationary=1, exempt=1),
    _cell(7, "Chi bộ thôn Phú Lộc", V, 20, exempt=1),
    _cell(8, "Chi bộ thôn An Lạc", V, 27, probationary=1),
    _cell(9, "Chi bộ Trường Mầm non Yên Hòa", S, 9, probationary=1),
    _cell(10, "Chi bộ Trường Tiểu học Yên Hòa", S, 11, probationary=1),
    _cell(11, "Chi bộ Trường THCS Yên Hòa", S, 13, probationary=1),
    _cell(12, "Chi bộ Công an xã", P, 9),
    _cell(13, "Chi bộ Trạm Y tế xã", H, 7),
]
DEMO_CODES = [TOP.code, COMMUNE.code, *(spec.code for spec in CELLS)]


@dataclass(frozen=True)
class Profile:
    """Who tends to be in a kind of cell: share of women and birth years."""

    female_share: float
    born: tuple  # ((weight, first year, last year), ...) for ordinary members
    secretary_born: tuple
    committee_born: tuple


# Villages: many retired members born 1945–1975, a younger minority.
VILLAGE_BORN = ((55, 1945, 1975), (30, 1976, 1990), (15, 1991, 2001))
PROFILES = {
    V: Profile(0.4, VILLAGE_BORN, (1952, 1968), (1958, 1985)),
    S: Profile(0.75, ((1, 1970, 1998),), (1968, 1980), (1972, 1990)),
    P: Profile(0.15, ((1, 1980, 2000),), (1975, 1984), (1978, 1992)),
    H: Profile(0.7, ((1, 1968, 1996),), (1968, 1978), (1972, 1990)),
}
PROBATIONARY_BORN = (1993, 2004)
EXEMPT_BORN = (1936, 1948)
LEADER_ADMITTED_BY = date(2019, 12, 31)
AWAY_BORN = (1984, 1996)


@dataclass(frozen=True)
class AccountSpec:
    username: str
    role: str
    superuser: bool = False
    # Names of accounts not tied to a member: (family and middle names, given name).
    last_name: str = ""
    first_name: str = ""


ACCOUNTS = [
    AccountSpec("bithu", RoleKind.CELL_SECRETARY),
    AccountSpec("canbo", RoleKind.SUPERIOR_REVIEWER, last_name="Lê Thị Thanh", first_name="Hương"),
    AccountSpec("admin", RoleKind.ADMIN, superuser=True, last_name="Phạm Quốc", first_name="Bảo"),
]


@dataclass
class Report:
    organizations_created: list = field(default_factory=list)
    organizations_found: list = field(default_factory=list)
    cells_filled: list = field(default_factory=list)
    cells_skipped: list = field(default_factory=list)
    members_created: int = 0
    positions_created: int = 0
    accounts: list = field(default_factory=list)  # (username, outcome, role, user)
    warnings: list = field(default_factory=list)


def add_years(value, years):
    try:
        return value.replace(year=value.year + years)
    except ValueError:  # 29 February
        return value.replace(year=value.year + years, day=28)


def committee_size(official_count):
    """Secretary only below 9 official members; a committee of 3 or 5 above."""
    if official_count >= 30:
        return 5
    if official_count >= COMMITTEE_THRESHOLD:
        return 3
    return 1


class PeopleGenerator:
    """Builds unsaved Member rows; keeps names, phones and card numbers unique."""

    def __init__(self, today, used_cards=(), used_phones=()):
        self.today = today
        # Official members were admitted at least 13 months ago.
        self.latest_official_admission = min(date(2025, 6, 30), today - timedelta(days=400))
        self.names = set()
        self.cards = set(used_cards)
        self.phones = set(used_phones)

    def members_for(self, spec):
        rng = random.Random(f"{SEED}:{spec.code}")
        profile = PROFILES[spec.cell_type]
        official_count = spec.size - spec.probationary
        leaders = committee_size(official_count)
        plan = (
            ["secretary"]
            + ["committee"] * (leaders - 1)
            + ["exempt"] * spec.exempt
            + ["away"] * spec.away
            + ["probationary"] * spec.probationary
        )
        plan += ["regular"] * (spec.size - len(plan))
        members = [(kind, self._member(rng, profile, kind)) for kind in plan]
        if spec.code in PROBATION_DAYS:
            for kind, member in members:
                if kind == "probationary":
                    member.admitted_on = self.today - timedelta(days=PROBATION_DAYS[spec.code])
        return members

    def _member(self, rng, profile, kind):
        if kind == "secretary":
            born = profile.secretary_born
        elif kind == "committee":
            born = profile.committee_born
        elif kind == "exempt":
            born = EXEMPT_BORN
        elif kind == "away":
            born = AWAY_BORN
        elif kind == "probationary":
            born = PROBATIONARY_BORN
        else:
            weights = [band[0] for band in profile.born]
            born = rng.choices(profile.born, weights=weights)[0][1:]
        birth_date = date(rng.randint(*born), 1, 1) + timedelta(days=rng.randint(0, 364))
        gender = Gender.FEMALE if rng.random() < profile.female_share else Gender.MALE
        member = Member(
            full_name=self._name(rng, gender, birth_date.year),
            gender=gender,
            birth_date=birth_date,
            card_number=self._card_number(rng),
            phone="" if kind == "exempt" and rng.random() < 0.5 else self._phone(rng),
        )
        self._contact(member, kind)
        if kind == "probationary":
            member.status = MembershipStatus.PROBATIONARY
            member.admitted_on = self.today - timedelta(days=rng.randint(30, 330))
        else:
            member.status = MembershipStatus.OFFICIAL
            # Cell committee members have been in the Party for some years.
            latest = self.latest_official_admission
            if kind in {"secretary", "committee"}:
                latest = min(latest, LEADER_ADMITTED_BY)
            member.admitted_on = self._official_admission(rng, birth_date, latest)
            member.official_on = add_years(member.admitted_on, 1)
        if kind == "exempt":
            member.activity_status = ActivityStatus.EXEMPT
            member.activity_since = date(2021, 1, 1) + timedelta(days=rng.randint(0, 1460))
            member.activity_note = EXEMPT_NOTE
        elif kind == "away":
            member.activity_status = ActivityStatus.AWAY
            member.activity_since = self.today - timedelta(days=rng.randint(45, 240))
            member.activity_note = rng.choice(AWAY_NOTES)
        member.sort_key = name_sort_key(member.full_name)  # bulk_create skips Member.save
        return member

    @staticmethod
    def _contact(member, kind):
        """An address at the reserved example.org (RFC 2606: never a real inbox) for
        every secretary and most members, most of whom agree to messages (`make run`
        prints them). Drawn from the card number, so that the other draws stay as they
        were."""
        own = random.Random(f"{SEED}:mail:{member.card_number}")
        if kind == "secretary":
            member.email = f"dangvien{member.card_number}@{DEMO_MAIL_DOMAIN}"
            member.wants_messages = True
        elif member.phone and own.random() < 0.85:
            member.email = f"dangvien{member.card_number}@{DEMO_MAIL_DOMAIN}"
            member.wants_messages = own.random() < 0.9

    def _official_admission(self, rng, birth_date, latest):
        """Mostly admitted at 20–30, some later; never after `latest`."""
        oldest = min(45, latest.year - birth_date.year - 1)
        if rng.random() < 0.75 or oldest < 31:
            age = rng.randint(20, min(30, oldest))
        else:
            age = rng.randint(31, oldest)
        admitted = add_years(birth_date, age) + timedelta(days=rng.randint(0, 364))
        return max(add_years(birth_date, 19), min(admitted, latest))

    def _name(self, rng, gender, birth_year):
        traditional = 0.7 if birth_year < 1975 else 0.4  # Văn / Thị
        while True:
            family = rng.choices(list(FAMILY_NAMES), weights=list(FAMILY_NAMES.values()))[0]
            if gender == Gender.MALE:
                middle = "Văn" if rng.random() < traditional else rng.choice(MALE_MIDDLE)
                given = rng.choice(MALE_GIVEN)
            else:
                middle = "Thị" if rng.random() < traditional else rng.choice(FEMALE_MIDDLE)
                if middle == "Thị" and rng.random() < 0.15:
                    middle = f"Thị {rng.choice(FEMALE_SECOND_MIDDLE)}"
                given = rng.choice(FEMALE_GIVEN)
            name = f"{family} {middle} {given}"
            if given not in middle.split() and name not in self.names:
                self.names.add(name)
                return name

    def _card_number(self, rng):
        while True:
            card = f"{rng.randint(0, 99_999_999):08d}"
            if card not in self.cards:
                self.cards.add(card)
                return card

    def _phone(self, rng):
        while True:
            phone = rng.choice(PHONE_PREFIXES) + f"{rng.randint(0, 9_999_999):07d}"
            if phone not in self.phones:
                self.phones.add(phone)
                return phone


def _organization(spec, parent, report):
    organization = Organization.objects.filter(code=spec.code).first()
    if organization is not None:
        report.organizations_found.append(organization)
        return organization
    organization = Organization(
        parent=parent,
        name=spec.name,
        kind=spec.kind,
        cell_type=spec.cell_type,
        code=spec.code,
        place=spec.place,
    )
    organization.full_clean(exclude=["path"])  # the path is computed on save
    organization._change_reason = CHANGE_REASON
    organization.save()
    report.organizations_created.append(organization)
    return organization


def _fill_cell(cell, spec, people, report):
    drafts = people.members_for(spec)
    for _kind, member in drafts:
        member.organization = cell
        member.full_clean()
    members = [member for _kind, member in drafts]
    # SQLite and PostgreSQL return the new primary keys, which the positions need.
    bulk_create_with_history(members, Member, default_change_reason=CHANGE_REASON)
    roles = iter(
        [PositionRole.SECRETARY, PositionRole.DEPUTY_SECRETARY]
        + [PositionRole.COMMITTEE_MEMBER] * 5
    )
    positions = [
        Position(
            member=member,
            organization=cell,
            role=next(roles),
            started_on=TERM_START,
            term=TERM,
        )
        for (kind, _draft), member in zip(drafts, members, strict=True)
        if kind in {"secretary", "committee"}
    ]
    bulk_create_with_history(positions, Position, default_change_reason=CHANGE_REASON)
    report.members_created += len(members)
    report.positions_created += len(positions)
    report.cells_filled.append(cell)


def _secretary_of(cell):
    position = (
        Position.objects.current()
        .filter(organization=cell, role=PositionRole.SECRETARY)
        .select_related("member")
        .first()
    )
    return position.member if position else None


def _account(spec, organization, report, member=None):
    User = get_user_model()
    user, created = User.objects.get_or_create(username=spec.username)
    if member is not None:
        last_name, first_name = split_full_name(member.full_name)
    else:
        last_name, first_name = spec.last_name, spec.first_name
    wanted = {
        "first_name": first_name,
        "last_name": last_name,
        "is_active": True,
        "is_staff": spec.superuser,
        "is_superuser": spec.superuser,
        "email": f"{spec.username}@{DEMO_MAIL_DOMAIN}",
    }
    changed = [name for name, value in wanted.items() if getattr(user, name) != value]
    for name in changed:
        setattr(user, name, wanted[name])
    if not user.check_password(PASSWORD):
        user.set_password(PASSWORD)
        changed.append("password")
    if changed or created:
        user.save()
    role, role_created = Role.objects.get_or_create(
        user=user, organization=organization, kind=spec.role
    )
    if member is not None and member.user_id != user.pk:
        Member.objects.filter(user=user).exclude(pk=member.pk).update(user=None)
        member.user = user
        member.version += 1
        member._change_reason = CHANGE_REASON
        member.save()
        changed.append("member link")
    if role_created and not created:
        changed.append("role")
    if created:
        outcome = "created"
    elif changed:
        outcome = "updated (" + ", ".join(changed) + ")"
    else:
        outcome = "already up to date"
    report.accounts.append((spec.username, outcome, role, user))
    return user


def seed_demo(today=None):
    """Create or complete the demo tree and accounts; call inside a transaction."""
    today = today or date.today()
    report = Report()
    top = _organization(TOP, None, report)
    commune = _organization(COMMUNE, top, report)
    cells = [(spec, _organization(spec, commune, report)) for spec in CELLS]

    people = PeopleGenerator(
        today,
        used_cards=Member.objects.exclude(card_number="").values_list("card_number", flat=True),
        used_phones=Member.objects.exclude(phone="").values_list("phone", flat=True),
    )
    for spec, cell in cells:
        if cell.members.exists():
            report.cells_skipped.append(cell)
        else:
            _fill_cell(cell, spec, people, report)

    first_village = cells[0][1]
    secretary = _secretary_of(first_village)
    if secretary is None:
        report.warnings.append(
            f"{first_village.name} has no current secretary: bithu is not linked to a member."
        )
    bithu, canbo, admin = ACCOUNTS
    _account(bithu, first_village, report, member=secretary)
    _account(canbo, commune, report)
    _account(admin, top, report)
    return report
