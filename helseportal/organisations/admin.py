"""Operator views of the units master data. Bulk changes go through `helseportal import-units`."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from helseportal.organisations.hours import weekly_of
from helseportal.organisations.hours_notation import format_hours
from helseportal.organisations.models import (
    GpListMembership,
    GpWaitingListEntry,
    Membership,
    OpeningException,
    OpeningHours,
    Postcode,
    RegisteredGpList,
    SchoolEnrolment,
    Unit,
)


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


class OpeningExceptionInline(admin.TabularInline):
    model = OpeningException
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["practitioner"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["shown_name", "orgnr", "kind", "municipality_name", "hours"]
    list_filter = ["kind", "municipality_name"]
    search_fields = ["name", "display_name", "orgnr"]
    autocomplete_fields = ["parent"]
    inlines = [OpeningHoursInline, OpeningExceptionInline, MembershipInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Unit]:
        return super().get_queryset(request).prefetch_related("opening_hours")

    @admin.display(description=_("Åpningstider"))
    def hours(self, unit: Unit) -> str:
        return format_hours(weekly_of(unit))


@admin.register(Postcode)
class PostcodeAdmin(admin.ModelAdmin):
    list_display = ["code", "place", "municipality_number", "municipality_name", "category"]
    search_fields = ["code", "place", "municipality_name"]


@admin.register(SchoolEnrolment)
class SchoolEnrolmentAdmin(admin.ModelAdmin):
    list_display = ["person_id", "school", "grade", "valid_from", "valid_to"]
    list_filter = ["grade", "school"]
    raw_id_fields = ["person"]
    autocomplete_fields = ["school"]


class GpListMembershipInline(admin.TabularInline):
    model = GpListMembership
    extra = 0
    raw_id_fields = ["person"]


class GpWaitingListEntryInline(admin.TabularInline):
    model = GpWaitingListEntry
    extra = 0
    raw_id_fields = ["person"]


@admin.register(RegisteredGpList)
class RegisteredGpListAdmin(admin.ModelAdmin):
    """The GP register's local fake (LocalGpRegister): lists for development, tests and the demo."""

    list_display = ["list_id", "doctor_name", "office_shown_name", "municipality_number", "capacity"]
    list_filter = ["municipality_number", "doctor_gender"]
    search_fields = ["list_id", "doctor_name", "doctor_hpr", "office_name", "office__name"]
    autocomplete_fields = ["office"]
    inlines = [GpListMembershipInline, GpWaitingListEntryInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[RegisteredGpList]:
        return super().get_queryset(request).select_related("office")
