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


class Operator(models.Model):
    """A practitioner (by HPR number, as HelseID names her) who may read the operator's dashboard (issue 13 item 2).

    Given and taken away by `helseportal stats operator grant|revoke` (audited); a revoked row stays, inactive, so the
    list says who held the role. No person key: the HPR number is what the login carries.
    """

    hpr_number = models.CharField(_("HPR-nummer"), max_length=9, unique=True)
    granted_at = models.DateTimeField(_("gitt"))
    granted_by = models.CharField(_("gitt av"), max_length=200)
    active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("driftsoperatør")
        verbose_name_plural = _("driftsoperatører")

    def __str__(self) -> str:
        return f"HPR {self.hpr_number}{'' if self.active else ' (inactive)'}"


class Population(models.Model):
    """How many lived in a municipality on 1 January of `year` (SSB table 07459; `population.py` imports it)."""

    municipality = models.CharField(_("kommunenummer"), max_length=4)
    name = models.CharField(_("kommune"), max_length=100)
    year = models.PositiveSmallIntegerField(_("år"))
    population = models.PositiveIntegerField(_("folkemengde"))

    class Meta:
        verbose_name = _("folkemengde")
        verbose_name_plural = _("folkemengder")
        constraints = [models.UniqueConstraint(fields=["municipality", "year"], name="stats_population_year")]

    def __str__(self) -> str:
        return f"{self.municipality} {self.name} {self.year}: {self.population}"


class MonthlyCounter(models.Model):
    """A closed month's counters summed over its days: the dashboard reads these instead of a month's daily rows.

    Written once per month by `queries.roll_up` (INSERT … SELECT … GROUP BY from `Counter`), run by the task worker
    (`stats.tasks`), never by a read, with a `RolledUpMonth` row saying it is done; `Counter` stays the source.
    `day` is the month's first day, so the same reads serve both tables.
    """

    day = models.DateField(_("måned"))
    event = models.CharField(_("hendelse"), max_length=64)
    service = models.CharField(_("tjeneste"), max_length=40)
    unit_orgnr = models.CharField(_("organisasjonsnummer"), max_length=9, blank=True, default="")
    municipality = models.CharField(_("kommunenummer"), max_length=4, blank=True, default="")
    detail = models.CharField(_("konfigurasjon"), max_length=64, blank=True, default="")
    count = models.PositiveBigIntegerField(_("antall"), default=0)

    class Meta:
        verbose_name = _("månedsteller")
        verbose_name_plural = _("månedstellere")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "event", "service", "unit_orgnr", "municipality", "detail"], name="stats_monthly_cell"
            )
        ]
        # The dashboard reads one event (page views, messages) over months: the trend, the top list, the youth table.
        indexes = [models.Index(fields=["event", "day"], name="stats_monthly_event_day")]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m} {self.event} {self.service} {self.unit_orgnr or '-'}: {self.count}"


class RolledUpMonth(models.Model):
    """A month whose `MonthlyCounter` rows are written (its first day)."""

    month = models.DateField(_("måned"), unique=True)
    rolled_up_at = models.DateTimeField(_("summert"), auto_now_add=True)

    class Meta:
        verbose_name = _("summert måned")
        verbose_name_plural = _("summerte måneder")

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"
