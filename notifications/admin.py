"""The message log and each organisation's choices, in the admin, scoped to the staff
user's subtree (members.scoped_admin's rule)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from members.roles import access_for
from members.scoped_admin import ScopedChoicesMixin
from notifications import tasks
from notifications.models import Message, MessageStatus, NotificationSettings


class ScopedAdmin(ScopedChoicesMixin, admin.ModelAdmin):
    organization_path = "organization__path"

    def get_queryset(self, request):
        scope = access_for(request.user).scope_q(self.organization_path)
        return super().get_queryset(request).filter(scope)


@admin.register(NotificationSettings)
class NotificationSettingsAdmin(ScopedAdmin):
    list_display = ["organization", "invitation", "task_due", "unplanned_day", "delegate_digest"]
    search_fields = ["organization__name"]
    raw_id_fields = ["organization"]


@admin.register(Message)
class MessageAdmin(ScopedAdmin):
    list_display = ["created_at", "kind", "recipient", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind", "created_at"]
    search_fields = ["recipient", "recipient_name", "subject"]
    date_hierarchy = "created_at"
    list_select_related = ["organization"]
    fields = [
        "kind",
        "organization",
        "recipient",
        "recipient_name",
        "subject",
        "status",
        "reason",
        "attempts",
        "created_at",
        "sent_at",
        "body_text",
        "calendar",
    ]
    readonly_fields = fields
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Try the failed messages again"), permissions=["view"])
    def send_again(self, request, queryset):
        pks = list(queryset.filter(status=MessageStatus.FAILED).values_list("pk", flat=True))
        Message.objects.filter(pk__in=pks).update(status=MessageStatus.PENDING, attempts=0)
        sent = tasks.deliver_all(Message.objects.filter(pk__in=pks))
        self.message_user(request, _("%(count)d messages sent.") % {"count": sent})
