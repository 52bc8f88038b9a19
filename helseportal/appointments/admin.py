"""Operator views. Only free times are here: they hold no personal data.

Requests and appointments are left out on purpose. Every read of them must pass the access check and leave an
audit record (ARCHITECTURE.md rule 3), and Django's admin does neither; operators answer questions about a
booking through the unit's own pages, where the read is logged.
"""

from django.contrib import admin

from helseportal.appointments.models import FreeTime


@admin.register(FreeTime)
class FreeTimeAdmin(admin.ModelAdmin[FreeTime]):
    list_display = ("starts_at", "ends_at", "practitioner", "unit", "withdrawn_at")
    list_filter = ("unit",)
    date_hierarchy = "starts_at"
    raw_id_fields = ("unit", "practitioner")
