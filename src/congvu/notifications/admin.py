from django.contrib import admin

from congvu.notifications.models import (
    DeliveryAttempt,
    InAppNotification,
    NotificationTemplate,
    OutboxMessage,
    RecipientPreference,
)


class DeliveryAttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    readonly_fields = ["at", "channel", "address", "number", "status", "provider_message_id", "error", "duration_ms"]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ("id", "template_key", "channel", "recipient", "group_key", "status", "attempts",
                    "next_attempt_at", "sent_at")
    list_filter = ("status", "channel", "template_key")
    search_fields = ("recipient", "idempotency_key", "group_key", "provider_ref")
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]
    inlines = [DeliveryAttemptInline]


@admin.register(NotificationTemplate)
class NotificationTemplateAdmin(admin.ModelAdmin):
    list_display = ("key", "version", "effective_from", "active", "zalo_template_id", "updated_at")
    list_filter = ("key", "active")
    search_fields = ("key", "subject", "body")


@admin.register(RecipientPreference)
class RecipientPreferenceAdmin(admin.ModelAdmin):
    list_display = ("__str__", "quiet_hours", "daily_digest", "last_digest_at")
    search_fields = ("address", "person__full_name")
    autocomplete_fields = ()
    raw_id_fields = ("person",)


@admin.register(InAppNotification)
class InAppNotificationAdmin(admin.ModelAdmin):
    list_display = ("id", "user", "title", "created_at", "read_at")
