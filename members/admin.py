"""The admin pages for organisations, members, positions, transfers and roles."""

from django.contrib import admin

from members.models import Member, MemberTransfer, Organization, Position, Role
from members.scoped_admin import SubtreeScopedAdmin, SubtreeScopedInline


@admin.register(Organization)
class OrganizationAdmin(SubtreeScopedAdmin):
    organization_path = "path"
    list_display = ["name", "kind", "cell_type", "code", "parent"]
    list_filter = ["kind", "cell_type"]
    search_fields = ["name", "code", "place"]
    readonly_fields = ["path", "depth"]


class PositionInline(SubtreeScopedInline):
    model = Position
    extra = 0
    fields = ["organization", "role", "started_on", "ended_on", "term"]


@admin.register(Member)
class MemberAdmin(SubtreeScopedAdmin):
    list_display = ["full_name", "organization", "status", "activity_status", "card_number"]
    list_filter = ["status", "activity_status", "gender", "organization__kind"]
    search_fields = ["full_name", "card_number", "phone"]
    list_select_related = ["organization"]
    inlines = [PositionInline]
    raw_id_fields = ["user"]


@admin.register(Position)
class PositionAdmin(SubtreeScopedAdmin):
    list_display = ["member", "role", "organization", "started_on", "ended_on", "term"]
    list_filter = ["role"]
    search_fields = ["member__full_name", "organization__name"]
    list_select_related = ["member", "organization"]


@admin.register(MemberTransfer)
class MemberTransferAdmin(SubtreeScopedAdmin):
    organization_path = "to_organization__path"
    list_display = ["member", "from_organization", "to_organization", "transferred_on"]
    search_fields = ["member__full_name"]
    list_select_related = ["member", "from_organization", "to_organization"]


@admin.register(Role)
class RoleAdmin(SubtreeScopedAdmin):
    list_display = ["user", "kind", "organization"]
    list_filter = ["kind"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "organization__name"]
    list_select_related = ["user", "organization"]
    raw_id_fields = ["user"]
