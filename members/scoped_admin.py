"""Admin base classes that only show staff the part of the tree their roles cover.

They live in members, not cellmeet, because they apply members' scope rule
(members.roles): cellmeet is the layer below every app and knows no roles.
"""

from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from cellmeet import limits
from cellmeet.forms import BoundedInlineFormSet
from members.roles import access_for


def _scope_q(request, path_lookup):
    return access_for(request.user).scope_q(path_lookup)


class PostedValueSafeAutocomplete(AutocompleteSelect):
    """Django's autocomplete box looks what was posted up as a key when the form comes
    back with errors: a value that cannot be one ("00/00/0000") raised a server error.
    Such a value is shown as nothing chosen, and the form's own error says why."""

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [item for item in value if self._is_key(item)], attr)

    def _is_key(self, item):
        try:
            self.field.target_field.to_python(item)
        except ValidationError:
            return False
        return True


class ScopedChoicesMixin:
    """Choice lists (selects and raw-id boxes alike) offer, and accept, only rows in the
    staff user's subtree: any model reached through an organisation has visible_to()."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs.setdefault("queryset", _choices_for(request, db_field.related_model))
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget",
                PostedValueSafeAutocomplete(db_field, self.admin_site, using=kwargs.get("using")),
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("queryset", _choices_for(request, db_field.related_model))
        return super().formfield_for_manytomany(db_field, request, **kwargs)


def _choices_for(request, model):
    queryset = model._default_manager.all()
    if hasattr(queryset, "visible_to"):
        return queryset.visible_to(request.user)
    if model is get_user_model():
        # Accounts holding a role in the subtree (and her own).
        roles_q = _scope_q(request, "cell_roles__organization__path")
        return queryset.filter(roles_q | Q(pk=request.user.pk)).distinct()
    return queryset


class SubtreeScopedAdmin(ScopedChoicesMixin, SimpleHistoryAdmin):
    """Scope an admin to the organisations under the staff user's roles.

    `organization_path` names the lookup from the model to its organisation's path.
    Superusers see everything.
    """

    organization_path = "organization__path"

    def get_queryset(self, request):
        return super().get_queryset(request).filter(_scope_q(request, self.organization_path))

    def _refuse_outside_the_subtree(self, request, object_id):
        # simple_history falls back to the history of rows get_queryset() leaves out.
        if not self.get_queryset(request).filter(pk=object_id).exists():
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._refuse_outside_the_subtree(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._refuse_outside_the_subtree(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


class SubtreeScopedInline(ScopedChoicesMixin, admin.TabularInline):
    """An inline whose rows and choices stay in the staff user's subtree, and whose row
    count is bounded (cellmeet/limits.py): Django's admin would build up to max_num +
    1,000 rows for any count a POST claims."""

    organization_path = "organization__path"
    formset = BoundedInlineFormSet
    max_num = limits.ADMIN_INLINE_ROWS

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault("absolute_max", self.get_max_num(request, obj, **kwargs))
        kwargs.setdefault("validate_max", True)
        return super().get_formset(request, obj, **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(_scope_q(request, self.organization_path))


class OrganizationSearchFilter(admin.SimpleListFilter):
    """The organisation as a search box (part of its name or its code), not a list:
    a province's 2,000 cells would make a list of 2,000 links on every page."""

    title = _("organisation")
    parameter_name = "organization"
    template = "admin/organization_search_filter.html"
    organization_path = "organization__"

    def lookups(self, request, model_admin):
        return ()

    def has_output(self):
        return True

    def queryset(self, request, queryset):
        words = (self.value() or "").strip()
        if not words:
            return queryset
        prefix = self.organization_path
        return queryset.filter(
            Q(**{f"{prefix}name__icontains": words}) | Q(**{f"{prefix}code__iexact": words})
        )

    def choices(self, changelist):
        # One "choice": what the template needs to draw the box and keep the other
        # parameters of the list (filters, search, ordering) as hidden fields.
        yield {
            "selected": bool(self.value()),
            "value": self.value() or "",
            "parameter_name": self.parameter_name,
            "others": [
                (name, value)
                for name, value in changelist.params.items()
                if name != self.parameter_name
            ],
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
        }
