from django.contrib import admin

from congvu.notifications.models import InAppNotification, OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ("id", "channel", "recipient", "template_key", "status", "attempts", "next_attempt_at", "sent_at")
    list_filter = ("channel", "status", "template_key")
    search_fields = ("recipient", "idempotency_key")
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]


@admin.register(InAppNotification)
class InAppNotificationAdmin(admin.ModelAdmin):
    list_display = ("id", "user", "title", "created_at", "read_at")
