"""The operator's view of subscriptions and their deliveries; switching one on again is an action.

The secret and the client's headers (the receiver's credentials, perhaps) are never shown.
"""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from helseportal.subscriptions import operations
from helseportal.subscriptions.models import Delivery, Subscription


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class DeliveryInline(admin.TabularInline):
    model = Delivery
    fields = ("at", "event", "event_number", "focus", "attempt", "status_code", "error", "delivered")
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    ordering = ("-at", "-pk")


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyAdmin):
    list_display = ["id", "client_id", "unit", "status", "consecutive_failures", "criteria", "endpoint", "updated"]
    list_filter = ["status", "resource_type"]
    search_fields = ["client_id", "endpoint", "unit__orgnr"]
    fields = (
        "client_id",
        "unit",
        "status",
        "error",
        "consecutive_failures",
        "reason",
        "criteria",
        "endpoint",
        "payload",
        "content",
        "heartbeat_period",
        "end",
        "events",
        "created",
        "updated",
    )
    readonly_fields = fields
    actions = ["enable"]
    inlines = [DeliveryInline]

    @admin.action(description=_("Slå på igjen (nullstill feil)"))
    def enable(self, request: HttpRequest, queryset: QuerySet[Subscription]) -> None:
        for row in queryset:
            operations.enable(row.pk)
        self.message_user(
            request,
            _("%(count)d abonnement slått på igjen: aktive når mottakeren svarer på håndtrykket.")
            % {"count": len(queryset)},
            messages.SUCCESS,
        )


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "subscription_id",
        "at",
        "event",
        "event_number",
        "attempt",
        "status_code",
        "error",
        "delivered",
    ]
    list_filter = ["delivered", "event"]
    date_hierarchy = "at"
    fields = ("subscription", "at", "event", "event_number", "focus", "attempt", "status_code", "error", "delivered")
    readonly_fields = fields
