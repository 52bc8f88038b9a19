"""A read-only view of deliveries for operations: who (by id), what event, which channel, how it went.

There is no message content to show: the text is fixed per event (see texts.py).
"""

from django.contrib import admin
from django.http import HttpRequest

from helseportal.notify.models import Delivery, OutboxMessage


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["id", "person_id", "event", "channel", "status", "attempts", "last_error", "created", "sent"]
    list_filter = ["status", "channel", "event"]
    search_fields = ["key"]
    date_hierarchy = "created"
    fields = (
        "person_id",
        "event",
        "channel",
        "key",
        "status",
        "attempts",
        "last_error",
        "run_after",
        "created",
        "sent",
    )
    readonly_fields = fields


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    """Only the fake senders write here (development and tests)."""

    list_display = ["id", "channel", "to", "text", "created"]
    list_filter = ["channel"]
