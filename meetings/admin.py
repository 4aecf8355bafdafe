"""The admin of the minutes core, scoped to the administrator's subtree."""

from django.contrib import admin

from cellmeet import limits
from cellmeet.paging import BoundedPaginator
from meetings.models import (
    Attendance,
    Guest,
    Meeting,
    QualityScheme,
    Review,
    Signature,
    Speech,
)
from meetings.row_forms import GuestFormSet, SpeechFormSet
from members.scoped_admin import OrganizationSearchFilter, SubtreeScopedAdmin, SubtreeScopedInline


class FrozenAwareInline(SubtreeScopedInline):
    """Rows of signed minutes are shown, never changed."""

    extra = 0
    organization_path = "meeting__organization__path"

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.is_frozen)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not (obj and obj.is_frozen)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.is_frozen)


class AttendanceInline(FrozenAwareInline):
    model = Attendance
    max_num = limits.LARGEST_CELL_MEMBERS  # one row per member
    fields = ["member", "status", "reason", "membership_at_meeting", "activity_at_meeting"]
    raw_id_fields = ["member"]


class GuestInline(FrozenAwareInline):
    model = Guest
    max_num = GuestFormSet.max_num  # as many as the recording page takes
    fields = ["name", "title", "unit", "order"]


class SpeechInline(FrozenAwareInline):
    model = Speech
    max_num = SpeechFormSet.max_num
    fields = ["speaker", "guest_name", "summary", "order"]
    raw_id_fields = ["speaker"]


class SignatureInline(FrozenAwareInline):
    model = Signature
    fields = ["role", "member", "method", "recorded_by", "signed_at"]
    raw_id_fields = ["member", "recorded_by"]


@admin.register(Meeting)
class MeetingAdmin(SubtreeScopedAdmin):
    list_display = ["__str__", "scheduled_at", "kind", "status", "revision"]
    list_filter = [OrganizationSearchFilter, "kind", "status", "year"]
    search_fields = ["organization__name", "topic", "conclusion"]
    list_select_related = ["organization"]
    # A province holds 61,000 minutes: count at most 1,001 of them ("1,000+"), once.
    paginator = BoundedPaginator
    show_full_result_count = False
    autocomplete_fields = ["organization"]
    date_hierarchy = "scheduled_at"
    raw_id_fields = ["chair", "note_taker", "presenter", "created_by"]
    readonly_fields = ["year", "month", "fingerprint", "signed_at", "finalized_at", "is_current"]
    inlines = [AttendanceInline, GuestInline, SpeechInline, SignatureInline]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.is_frozen)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.is_frozen)


@admin.register(Review)
class ReviewAdmin(SubtreeScopedAdmin):
    organization_path = "meeting__organization__path"
    list_display = ["meeting", "verdict", "reviewer", "created_at"]
    list_filter = ["verdict"]
    list_select_related = ["meeting__organization", "reviewer"]
    raw_id_fields = ["meeting", "reviewer"]


@admin.register(QualityScheme)
class QualitySchemeAdmin(SubtreeScopedAdmin):
    list_display = ["organization"]
