"""The aggregate counter: one row per day, event, service, unit, municipality and configuration."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Counter(models.Model):
    """How many times `event` happened on `day`, for `service`, at the unit `unit_orgnr` in `municipality`.

    `unit_orgnr` and `municipality` are empty when no unit took part (a page view of a citizen's own card);
    `municipality` is the unit's, never a person's. `detail` names one configuration the event used (an appointment
    type's code, a service kind, an assurance level), empty when none. Nothing here names or points to a person.
    """

    day = models.DateField(_("dag"))
    event = models.CharField(_("hendelse"), max_length=64)
    service = models.CharField(_("tjeneste"), max_length=40)
    unit_orgnr = models.CharField(_("organisasjonsnummer"), max_length=9, blank=True, default="")
    municipality = models.CharField(_("kommunenummer"), max_length=4, blank=True, default="")
    detail = models.CharField(_("konfigurasjon"), max_length=64, blank=True, default="")
    count = models.PositiveBigIntegerField(_("antall"), default=0)

    class Meta:
        verbose_name = _("teller")
        verbose_name_plural = _("tellere")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "event", "service", "unit_orgnr", "municipality", "detail"], name="stats_counter_cell"
            )
        ]
        indexes = [models.Index(fields=["service", "day"]), models.Index(fields=["unit_orgnr", "day"])]

    def __str__(self) -> str:
        return f"{self.day} {self.event} {self.service} {self.unit_orgnr or '-'}: {self.count}"
