"""Dues in the admin: the rules (superusers: they are national decisions) and the
exemptions and reductions (scoped to the staff user's subtree). Profiles and entries,
which hold salary bases, are kept on the cell's ledger only."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from dues.models import DuesRelief, DuesRule
from members.scoped_admin import SubtreeScopedAdmin


@admin.register(DuesRule)
class DuesRuleAdmin(SimpleHistoryAdmin):
    list_display = ["name", "valid_from", "exempt_after_party_years", "max_reduction_months"]

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return False  # months were computed under it


@admin.register(DuesRelief)
class DuesReliefAdmin(SubtreeScopedAdmin):
    organization_path = "member__organization__path"
    list_display = ["member", "kind", "percent", "decision", "starts_on", "ends_on"]
    list_filter = ["kind"]
    raw_id_fields = ["member"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
