"""The accounts and permission groups admin: a superuser's business only.

The admin base classes scoped to the organisation tree are in members.scoped_admin.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group


class SuperuserOnly:
    """Accounts and permission groups are a superuser's business: an administrator of a
    subtree must neither see other communes' accounts (nor the superuser's) nor raise
    her own permissions."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    has_change_permission = has_view_permission
    has_add_permission = has_view_permission
    has_delete_permission = has_view_permission


User = get_user_model()
admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class SuperuserOnlyUserAdmin(SuperuserOnly, UserAdmin):
    pass


@admin.register(Group)
class SuperuserOnlyGroupAdmin(SuperuserOnly, GroupAdmin):
    pass
