"""Operator view of message threads: status and dates only, read-only.

Subjects, bodies and attachments are health data and are read only through the audited pages, never here.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from helseportal.messaging.models import Thread


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin[Thread]):
    list_display = ("pk", "unit", "status", "created_at", "last_message_at", "unread_by_unit")
    list_filter = ("status", "unit__kind")
    fields = ("unit", "status", "created_at", "closed_at", "last_message_at", "hidden_from_representatives")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
