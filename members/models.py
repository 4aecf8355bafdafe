"""The organisation tree (materialised paths), members, positions, transfers and roles."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cellmeet.fields import BinaryOrderCharField
from cellmeet.text import name_sort_key, normalize_text, split_full_name
from members.roles import CELL_BOUND_ROLES, RoleKind, access_for
from members.subtree import ORGANIZATION_PATH, subtree_q, under_path_q


class OrganizationKind(models.TextChoices):
    SUPERIOR_COMMITTEE = "superior_committee", _("Superior committee")
    GRASSROOTS_COMMITTEE = "grassroots_committee", _("Grassroots party committee")
    GRASSROOTS_CELL = "grassroots_cell", _("Grassroots cell")
    CELL = "cell", _("Party cell")


MEETING_KINDS = {OrganizationKind.GRASSROOTS_CELL, OrganizationKind.CELL}

# Which kinds may stand directly under which. Superior committees may nest, since
# the levels above a commune changed in 2025 and differ between provinces.
ALLOWED_PARENT_KINDS = {
    OrganizationKind.SUPERIOR_COMMITTEE: {None, OrganizationKind.SUPERIOR_COMMITTEE},
    OrganizationKind.GRASSROOTS_COMMITTEE: {OrganizationKind.SUPERIOR_COMMITTEE},
    OrganizationKind.GRASSROOTS_CELL: {OrganizationKind.SUPERIOR_COMMITTEE},
    OrganizationKind.CELL: {OrganizationKind.GRASSROOTS_COMMITTEE},
}


class CellType(models.TextChoices):
    VILLAGE = "village", _("Rural village")
    RESIDENTIAL = "residential", _("Urban residential area")
    SCHOOL = "school", _("School")
    HEALTH = "health", _("Health")
    POLICE = "police", _("Police")
    MILITARY = "military", _("Military")
    AGENCY = "agency", _("Agency")
    STATE_ENTERPRISE = "state_enterprise", _("State enterprise")
    PRIVATE_ENTERPRISE = "private_enterprise", _("Private enterprise")
    STUDENT = "student", _("Students")
    OTHER = "other", _("Other")


# Path segments are zero-padded ids, so ordering by path lists siblings in the
# order they were created, each followed by its own subtree.
PATH_DIGITS = 9


def ids_on_path(path):
    """The organisation ids along a materialised path ("/000000001/000000007/"), root
    first, the organisation at its end last."""
    return [int(part) for part in path.strip("/").split("/") if part]


class VisibleThroughOrganizationQuerySet(models.QuerySet):
    """Rows reached through an organisation: `visible_to(user)` keeps those under the
    user's roles (members.roles), `subtree_of(organization)` those under an
    organisation. `organization_path` names the lookup to the organisation's path."""

    organization_path = ORGANIZATION_PATH

    def visible_to(self, user):
        return self.filter(access_for(user).scope_q(self.organization_path))

    def subtree_of(self, organization):
        """Rows of the organisation and of everything under it: one indexed prefix query."""
        return self.filter(subtree_q(organization, self.organization_path))


class OrganizationQuerySet(VisibleThroughOrganizationQuerySet):
    organization_path = "path"

    def cells(self):
        return self.filter(kind__in=MEETING_KINDS)


class Organization(models.Model):
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("superior organisation"),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganizationKind.choices)
    cell_type = models.CharField(
        _("cell type"), max_length=32, choices=CellType.choices, blank=True
    )
    code = models.CharField(
        _("code"),
        max_length=32,
        blank=True,
        help_text=_("Optional short code used by the superior committee."),
    )
    place = models.CharField(
        _("place name"),
        max_length=100,
        blank=True,
        help_text=_('Written before the date on documents, e.g. "Yên Hòa".'),
    )
    path = BinaryOrderCharField(max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["path", "depth", "version"])
    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~Q(code=""), name="organization_code_unique"
            ),
        ]
        indexes = [
            # LIKE 'prefix%' on PostgreSQL needs a pattern index; other databases
            # ignore the operator class and use the unique index on path.
            models.Index(
                fields=["path"], name="org_path_prefix_idx", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self):
        return self.name

    @transaction.atomic
    def save(self, *args, **kwargs):
        old_path = self.path
        super().save(*args, **kwargs)
        new_path = f"{self.parent.path if self.parent_id else '/'}{self.pk:0{PATH_DIGITS}d}/"
        if new_path != old_path:
            self._move_path(old_path, new_path)

    @property
    def is_cell(self):
        return self.kind in MEETING_KINDS

    def clean(self):
        self.name = normalize_text(self.name)
        parent_kind = self.parent.kind if self.parent_id else None
        allowed = ALLOWED_PARENT_KINDS.get(self.kind, set())
        if self.kind and parent_kind not in allowed:
            raise ValidationError(
                {
                    "parent": _("A %(kind)s cannot stand under this organisation.")
                    % {"kind": self.get_kind_display().lower()}
                }
            )
        if self.is_cell and not self.cell_type:
            raise ValidationError({"cell_type": _("Choose the type of the cell.")})
        if not self.is_cell:
            self.cell_type = ""
        if self.pk and self.parent_id and self.parent.path.startswith(self.path):
            raise ValidationError({"parent": _("An organisation cannot stand under itself.")})

    def ancestor_ids(self, *, include_self=False):
        """The ids of the organisations above this one, root first (then its own id,
        with include_self), read from the path without a query."""
        ids = ids_on_path(self.path)
        return ids if include_self else ids[:-1]

    def ancestors(self):
        """From the top of the tree down to the parent, in one query."""
        return list(Organization.objects.filter(pk__in=self.ancestor_ids()).order_by("depth"))

    def _move_path(self, old_path, new_path):
        new_depth = new_path.count("/") - 2
        depth_change = new_depth - (old_path.count("/") - 2 if old_path else new_depth)
        type(self).objects.filter(pk=self.pk).update(path=new_path, depth=new_depth)
        if old_path:
            moved = type(self).objects.filter(under_path_q(old_path, "path"))
            moved.exclude(pk=self.pk).update(
                path=Concat(models.Value(new_path), Substr("path", len(old_path) + 1)),
                depth=models.F("depth") + depth_change,
            )
        self.path = new_path
        self.depth = new_depth


class MembershipStatus(models.TextChoices):
    OFFICIAL = "official", _("Official member")
    PROBATIONARY = "probationary", _("Probationary member")


class ActivityStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    EXEMPT = "exempt", _("Exempt from activities")
    AWAY = "away", _("Temporarily active elsewhere")
    TRANSFERRED = "transferred", _("Transferred out")
    REMOVED = "removed", _("Removed from the rolls")
    EXPELLED = "expelled", _("Expelled")
    DECEASED = "deceased", _("Deceased")


# Members who still belong to the cell's roster (summoned to meetings or excused).
ON_ROSTER = {ActivityStatus.ACTIVE, ActivityStatus.EXEMPT, ActivityStatus.AWAY}


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class MemberQuerySet(VisibleThroughOrganizationQuerySet):
    def on_roster(self):
        return self.filter(activity_status__in=ON_ROSTER)

    def roster_of(self, organization):
        """The cell's members on its roster, in Vietnamese order (choices on forms)."""
        return self.filter(organization=organization).on_roster().in_vietnamese_order()

    def official(self):
        return self.filter(status=MembershipStatus.OFFICIAL)

    def committee_on(self, organization_id, day):
        """The cell committee (chi ủy) on `day`: members holding a position in the
        cell that day (secretary, deputy secretary, committee member)."""
        holders = Position.objects.filter(organization_id=organization_id).current(on=day)
        return self.filter(pk__in=holders.values("member_id"))

    def in_vietnamese_order(self):
        return self.order_by("sort_key", "pk")


MINIMUM_ADMISSION_AGE = 18


class Member(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="members", verbose_name=_("party cell")
    )
    full_name = models.CharField(_("full name"), max_length=120)
    sort_key = BinaryOrderCharField(max_length=600, editable=False, db_index=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    admitted_on = models.DateField(_("admission date"), null=True, blank=True)
    official_on = models.DateField(_("date became official"), null=True, blank=True)
    card_number = models.CharField(_("party card number"), max_length=30, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    wants_messages = models.BooleanField(
        _("receives messages by email"),
        default=False,
        help_text=_("Invitations to meetings and reminders are sent only to members who agree."),
    )
    status = models.CharField(
        _("membership"),
        max_length=16,
        choices=MembershipStatus.choices,
        default=MembershipStatus.OFFICIAL,
    )
    activity_status = models.CharField(
        _("activity status"),
        max_length=16,
        choices=ActivityStatus.choices,
        default=ActivityStatus.ACTIVE,
    )
    activity_since = models.DateField(_("status since"), null=True, blank=True)
    activity_note = models.CharField(_("status note"), max_length=255, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="member",
        verbose_name=_("user account"),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["sort_key", "version"])
    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["sort_key", "pk"]
        verbose_name = _("party member")
        verbose_name_plural = _("party members")
        constraints = [
            models.UniqueConstraint(
                fields=["card_number"],
                condition=~Q(card_number=""),
                name="member_card_number_unique",
                violation_error_message=_("Another member already has this party card number."),
            ),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.full_name = normalize_text(self.full_name)
        self.sort_key = name_sort_key(self.full_name)
        super().save(*args, **kwargs)

    @property
    def given_name(self):
        return split_full_name(self.full_name)[1]

    @property
    def is_official(self):
        return self.status == MembershipStatus.OFFICIAL

    @property
    def is_on_roster(self):
        return self.activity_status in ON_ROSTER

    def clean(self):
        self.full_name = normalize_text(self.full_name)
        self.card_number = self.card_number.strip()
        errors = {}
        if len(self.full_name.split(" ")) < 2:
            errors["full_name"] = _("Write the full name: family name and given name.")
        today = date.today()
        for field in ("birth_date", "admitted_on", "official_on"):
            value = getattr(self, field)
            if value and value > today:
                errors[field] = _("This date is in the future.")
        if self.birth_date and self.admitted_on and "admitted_on" not in errors:
            adult_on = _add_years(self.birth_date, MINIMUM_ADMISSION_AGE)
            if self.admitted_on < adult_on:
                errors["admitted_on"] = _(
                    "A member is admitted at %(age)s or older; check the dates."
                ) % {"age": MINIMUM_ADMISSION_AGE}
        if self.status == MembershipStatus.PROBATIONARY and self.official_on:
            errors["official_on"] = _("A probationary member has no official date yet.")
        if self.official_on and self.admitted_on and self.official_on < self.admitted_on:
            errors["official_on"] = _("The official date must come after the admission date.")
        if errors:
            raise ValidationError(errors)


def _add_years(value, years):
    try:
        return value.replace(year=value.year + years)
    except ValueError:  # 29 February
        return value.replace(year=value.year + years, day=28)


class PositionRole(models.TextChoices):
    SECRETARY = "secretary", _("Secretary")
    DEPUTY_SECRETARY = "deputy_secretary", _("Deputy secretary")
    COMMITTEE_MEMBER = "committee_member", _("Cell committee member")


class PositionQuerySet(models.QuerySet):
    def in_rank_order(self):
        """Secretary first, then the deputy, then the other committee members."""
        rank = models.Case(
            *(models.When(role=role, then=index) for index, role in enumerate(PositionRole)),
            output_field=models.IntegerField(),
        )
        return self.order_by(rank, "member__sort_key")

    def current(self, on=None):
        on = on or date.today()
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on), started_on__lte=on)


class Position(models.Model):
    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="positions", verbose_name=_("party member")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="positions",
        verbose_name=_("party cell"),
    )
    role = models.CharField(_("position"), max_length=32, choices=PositionRole.choices)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    term = models.CharField(_("term"), max_length=20, blank=True, help_text=_("e.g. 2025–2030"))

    history = HistoricalRecords()
    objects = PositionQuerySet.as_manager()

    class Meta:
        ordering = ["organization", "role", "-started_on"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(role="secretary", ended_on__isnull=True),
                name="one_open_secretary_per_cell",
                violation_error_message=_(
                    "This cell already has a secretary; end that term first."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()}: {self.member}"

    def clean(self):
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": _("The end date must come after the start date.")})


class MemberTransfer(models.Model):
    """A member moved from one cell to another; kept for the record."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="transfers")
    from_organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="transfers_out"
    )
    to_organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="transfers_in"
    )
    transferred_on = models.DateField(_("transfer date"))
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-transferred_on", "-pk"]
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")

    def __str__(self):
        return f"{self.member}: {self.from_organization} → {self.to_organization}"


class Role(models.Model):
    """What a user may do, and where: the organisation and everything under it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cell_roles"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="roles", verbose_name=_("organisation")
    )
    kind = models.CharField(_("role"), max_length=32, choices=RoleKind.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "kind"], name="role_unique_per_user"
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_kind_display()} — {self.organization}"

    def clean(self):
        if self.kind in CELL_BOUND_ROLES and self.organization_id and not self.organization.is_cell:
            raise ValidationError({"organization": _("Cell roles belong to a party cell.")})


class DelegateAssignmentQuerySet(models.QuerySet):
    def active_on(self, day):
        """Assignments running on a day (the end day included)."""
        return self.filter(
            Q(started_on__lte=day) & (Q(ended_on__isnull=True) | Q(ended_on__gte=day))
        )

    def is_assigned(self, user, cell_id, day):
        """Whether the user follows the cell for the superior on that day."""
        return self.active_on(day).filter(cell_id=cell_id, delegate=user).exists()


class DelegateAssignment(models.Model):
    """A member of the superior committee assigned to follow and attend a cell.

    Organisation structure (who from above follows which cell), so it lives with the
    tree: the recording page checks a guest's delegate link against it, the superior's
    pages (oversight.delegates) assign people and count their visits.
    """

    superior = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="delegate_assignments"
    )
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="delegate_assignments",
        verbose_name=_("delegate"),
    )
    cell = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="assigned_delegates",
        verbose_name=_("party cell"),
    )
    title = models.CharField(_("position held"), max_length=200, blank=True)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)

    history = HistoricalRecords(table_name="meetings_historicaldelegateassignment")
    objects = DelegateAssignmentQuerySet.as_manager()

    class Meta:
        # Moved from meetings without moving data (migration 0004 of members).
        db_table = "meetings_delegateassignment"
        ordering = ["cell__path", "-started_on"]
        verbose_name = _("delegate assignment")
        verbose_name_plural = _("delegate assignments")

    def __str__(self):
        return f"{self.delegate} → {self.cell}"
