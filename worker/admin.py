from django.contrib import admin

from worker.models import Notification, NotificationPreference, OutboxMessage, TaskReceipt


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["id", "task", "queue", "created_at", "attempts", "sent_at"]
    list_filter = ["task", "queue", ("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["task", "dedupe_key"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]


@admin.register(TaskReceipt)
class TaskReceiptAdmin(admin.ModelAdmin):
    list_display = ["key", "task", "task_id", "completed_at"]
    search_fields = ["key", "task_id"]
    readonly_fields = ["key", "task", "task_id", "completed_at"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["id", "recipient", "kind", "title", "created_at", "read_at", "emailed_at"]
    list_filter = ["kind", "language"]
    search_fields = ["recipient__email", "title", "dedupe_key"]
    raw_id_fields = ["recipient"]
    readonly_fields = ["created_at", "read_at", "emailed_at", "dedupe_key", "context"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "email_enabled"]
    list_filter = ["kind", "email_enabled"]
    raw_id_fields = ["user"]
