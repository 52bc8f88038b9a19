"""Timeavtaler: free times staff offer, appointment requests (Timeønske) and the appointments themselves.

Every table with personal data carries the person's key (`person`). Nothing is deleted: requests end as
declined, appointments as cancelled or completed, free times as withdrawn.

A practitioner cannot hold two non-cancelled appointments that overlap. The database enforces it (migration
0002: an exclusion constraint on PostgreSQL, triggers on SQLite; ADR 0006), not the code that books.

An appointment a unit's record system sent through the FHIR API keeps the source's business identifier
(`source_system`, `source_value`): the same identifier from the same unit always finds the same row (migration
0003's constraint), so a re-sent or re-keyed record updates it and never makes a second one.
"""

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helseportal.identity.models import Person, Practitioner
from helseportal.organisations.models import Unit

REASON_MAX_LENGTH = 200
ANSWER_MAX_LENGTH = 1000
IDENTIFIER_MAX_LENGTH = 255
DESCRIPTION_MAX_LENGTH = 1000  # our own limit: what the citizen reads on the appointment page
# The name of the rule in messages from the database (the SQLite trigger's RAISE and the PostgreSQL constraint).
NO_DOUBLE_BOOKING = "appointments_no_double_booking"


class MeetingForm(models.TextChoices):
    PHYSICAL = "physical", _("Oppmøte")
    PHONE = "phone", _("Telefon")
    VIDEO = "video", _("Video")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Venter på svar")
    CONFIRMED = "confirmed", _("Bekreftet")
    CHANGE_PROPOSED = "change_proposed", _("Forslag til endring")
    DECLINED = "declined", _("Avslått")


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("Bekreftet")
    CHANGED = "changed", _("Endret")
    CANCELLED = "cancelled", _("Avlyst")
    COMPLETED = "completed", _("Gjennomført")


class AppointmentType(models.TextChoices):
    ORDINARY = "ordinary", _("Time")
    GP = "gp", _("Legetime")
    HEALTH_STATION = "health_station", _("Helsestasjonstime")
    YOUTH = "youth", _("Ungdomstime")


class FreeTime(models.Model):
    """A time a practitioner offers at a unit; it is free while no non-cancelled appointment overlaps it."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="free_times")
    practitioner = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="free_times")
    starts_at = models.DateTimeField(_("starter"))
    ends_at = models.DateTimeField(_("slutter"))
    meeting_forms = models.JSONField(_("møteformer"), default=list)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ledig tid")
        verbose_name_plural = _("ledige tider")
        indexes = [models.Index(fields=["unit", "starts_at"]), models.Index(fields=["practitioner", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="free_time_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.practitioner} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def duration(self) -> datetime.timedelta:
        return self.ends_at - self.starts_at


class AppointmentRequest(models.Model):
    """Timeønske: a citizen (or a youth, through the youth service) asks a unit for an appointment."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="appointment_requests")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="appointment_requests")
    meeting_form = models.CharField(_("møteform"), max_length=10, choices=MeetingForm.choices)
    phone = models.CharField(_("mobilnummer"), max_length=8)
    reason = models.CharField(_("kort om hva det gjelder"), max_length=REASON_MAX_LENGTH, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    answer = models.TextField(_("svar"), max_length=ANSWER_MAX_LENGTH, blank=True)
    answered_by = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, null=True, blank=True, related_name="answered_requests"
    )
    answered_by_name = models.CharField(max_length=200, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    appointment = models.OneToOneField(
        "Appointment", on_delete=models.PROTECT, null=True, blank=True, related_name="request"
    )
    # Made through the youth service (13–16 with MinID): never shown to a parent, nor any trace of it.
    via_youth_service = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # The last change (the API's `_lastUpdated` and `meta.lastUpdated`); a `save(update_fields=…)` must name it.
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("timeønske")
        verbose_name_plural = _("timeønsker")
        indexes = [
            models.Index(fields=["person", "via_youth_service", "created_at"]),
            models.Index(fields=["unit", "status", "created_at"]),
            models.Index(fields=["unit", "updated_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.created_at:%Y-%m-%d}"


class Appointment(models.Model):
    """A booked time. The practitioner's name and HPR are copied at booking, so the record stays true."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="appointments")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="appointments")
    practitioner = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="appointments")
    practitioner_name = models.CharField(_("behandler"), max_length=200)
    practitioner_hpr = models.CharField(_("HPR-nummer"), max_length=9)
    starts_at = models.DateTimeField(_("starter"))
    ends_at = models.DateTimeField(_("slutter"))
    place = models.CharField(_("sted"), max_length=300)
    meeting_form = models.CharField(_("møteform"), max_length=10, choices=MeetingForm.choices)
    type = models.CharField(_("type"), max_length=20, choices=AppointmentType.choices, default=AppointmentType.ORDINARY)
    status = models.CharField(
        _("status"), max_length=20, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED
    )
    via_youth_service = models.BooleanField(default=False)
    # The unit's rule, copied at booking: the citizen may cancel online until this time; never when empty.
    cancellable_until = models.DateTimeField(null=True, blank=True)
    free_time = models.ForeignKey(FreeTime, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by_citizen = models.BooleanField(default=False)
    # The business identifier of the record system that sent it (FHIR `identifier`: system|value); empty for a
    # time booked in the portal. Unique per unit: the unit's system is the source.
    source_system = models.CharField(max_length=IDENTIFIER_MAX_LENGTH, blank=True)
    source_value = models.CharField(max_length=IDENTIFIER_MAX_LENGTH, blank=True)
    # What a record system says of the time beyond our own fields, kept as it sent it and served back (FHIR
    # `description`, `serviceType` other than our type code, `specialty`, the Location participant's actor).
    description = models.TextField(_("beskrivelse"), max_length=DESCRIPTION_MAX_LENGTH, blank=True)
    service_types = models.JSONField(default=list, blank=True)  # CodeableConcepts
    specialties = models.JSONField(default=list, blank=True)  # CodeableConcepts
    location = models.JSONField(default=dict, blank=True)  # a Reference: display and identifier, no literal id
    created_at = models.DateTimeField(auto_now_add=True)
    # The last change (the API's `_lastUpdated` and `meta.lastUpdated`); a `save(update_fields=…)` must name it.
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("timeavtale")
        verbose_name_plural = _("timeavtaler")
        indexes = [
            models.Index(fields=["person", "via_youth_service", "starts_at"]),
            models.Index(fields=["practitioner", "starts_at"]),
            models.Index(fields=["unit", "starts_at"]),
            models.Index(fields=["unit", "updated_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="appointment_ends_after_start"),
            models.UniqueConstraint(
                fields=["unit", "source_system", "source_value"],
                condition=~Q(source_value=""),
                name="appointment_one_per_source_identifier",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.practitioner_name} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == AppointmentStatus.CANCELLED

    @property
    def services_shown(self) -> list[str]:
        """The record system's service types and specialties as words (a concept's text, else its codes' display)."""
        return [text for concept in [*self.service_types, *self.specialties] if (text := concept_text(concept))]

    @property
    def citizen_may_cancel_now(self) -> bool:
        return self.citizen_may_cancel(timezone.now())

    def citizen_may_cancel(self, at: datetime.datetime) -> bool:
        """Whether the citizen may still cancel online at `at` (the unit's notice rule, copied at booking)."""
        return (
            self.status in (AppointmentStatus.BOOKED, AppointmentStatus.CHANGED)
            and self.cancellable_until is not None
            and at < self.cancellable_until
        )


def concept_text(concept: object) -> str:
    if not isinstance(concept, dict):
        return ""
    shown = [c.get("display") for c in concept.get("coding") or [] if isinstance(c, dict) and c.get("display")]
    return str(concept.get("text") or (shown[0] if shown else ""))
