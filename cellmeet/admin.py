"""Admin pages that only show staff the part of the tree their roles cover."""

from simple_history.admin import SimpleHistoryAdmin

from members.models import Organization


class SubtreeScopedAdmin(SimpleHistoryAdmin):
    """Scope an admin to the organisations under the staff user's roles.

    `organization_path` names the lookup from the model to its organisation's path.
    Superusers see everything.
    """

    organization_path = "organization__path"

    def get_queryset(self, request):
        return super().get_queryset(request).filter(self._visible_q(request))

    def _visible_q(self, request):
        from members.access import access_for

        return access_for(request.user).visible_q(self.organization_path)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Organization:
            kwargs["queryset"] = Organization.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
