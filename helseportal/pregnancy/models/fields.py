"""The series added in issue 16 (ADR 0005: typed series): due dates set after the start, earlier births,
ultrasound, NIPT, vaccines and the birth of each fetus."""

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from helseportal.pregnancy import sections
from helseportal.pregnancy.dates import GestationalAge
from helseportal.pregnancy.models.card import Pregnancy, Provenance


def _day(value: Any) -> str:
    return date_format(value, "d.m.Y")


class DueDateMethod(models.TextChoices):
    ULTRASOUND = "ultrasound", _("Termin etter ultralyd")
    CORRECTED = "corrected", _("Korrigert termin")


class DueDateEntry(Provenance):
    """A due date health personnel set after the card was started: by ultrasound, or corrected with a reason.

    The newest valid entry of each method is copied to the pregnancy's column on every save (so also when one is
    marked as entered in error): the week counter reads one column, and a wrong correction makes the previous
    one count again. A corrected due date outranks the ultrasound one (`Pregnancy.due_date`).
    """

    pregnancy = models.ForeignKey(Pregnancy, on_delete=models.PROTECT, related_name="due_dates")
    method = models.CharField(max_length=20, choices=DueDateMethod.choices)
    due_date = models.DateField(_("termin"))
    reason = models.CharField(_("grunn"), max_length=30, blank=True, choices=sections.DUE_DATE_REASONS)
    note = models.CharField(_("merknad"), max_length=500, blank=True)

    class Meta:
        indexes = [models.Index(fields=["pregnancy", "method", "-recorded_at"])]

    def __str__(self) -> str:
        return gettext("%(what)s %(date)s") % {"what": self.get_method_display(), "date": _day(self.due_date)}

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        self._copy_to_pregnancy()

    def _copy_to_pregnancy(self) -> None:
        column = "due_date_corrected" if self.method == DueDateMethod.CORRECTED else "due_date_ultrasound"
        newest = (
            DueDateEntry.objects.filter(pregnancy_id=self.pregnancy_id, method=self.method)
            .filter(entered_in_error_at__isnull=True)
            .order_by("-recorded_at", "-pk")
            .first()
        )
        value = newest.due_date if newest else None
        if value is None and column == "due_date_ultrasound" and self.pregnancy.due_date_lmp is None:
            return  # the card's only due date: the constraint keeps it rather than leave none
        Pregnancy.objects.filter(pk=self.pregnancy_id).update(**{column: value, "updated_at": timezone.now()})
        setattr(self.pregnancy, column, value)


class EarlierBirth(Provenance):
    """One earlier birth: year, week, how she gave birth, the child's weight, complications (a repeated group)."""

    pregnancy = models.ForeignKey(Pregnancy, on_delete=models.PROTECT, related_name="earlier_births")
    year = models.PositiveSmallIntegerField(_("år"))
    weeks = models.PositiveSmallIntegerField(_("svangerskapsuke ved fødselen"), null=True, blank=True)
    mode = models.CharField(_("fødselsmåte"), max_length=20, blank=True, choices=sections.DELIVERY_MODES)
    birth_weight_g = models.PositiveIntegerField(_("fødselsvekt (gram)"), null=True, blank=True)
    complications = models.CharField(_("komplikasjoner"), max_length=1000, blank=True)

    class Meta:
        indexes = [models.Index(fields=["pregnancy", "year"])]

    def __str__(self) -> str:
        return gettext("Tidligere fødsel %(year)s") % {"year": self.year}


class Ultrasound(Provenance):
    """A structured ultrasound result: the early (11–14) or routine (17–19) scan, or another."""

    pregnancy = models.ForeignKey(Pregnancy, on_delete=models.PROTECT, related_name="ultrasounds")
    kind = models.CharField(_("type"), max_length=10, choices=sections.ULTRASOUND_KINDS)
    date = models.DateField(_("dato"))
    ga_days = models.PositiveSmallIntegerField(_("svangerskapslengde etter ultralyd (dager)"), null=True, blank=True)
    fetuses = models.PositiveSmallIntegerField(_("antall fostre"), null=True, blank=True)
    placenta = models.CharField(_("morkake"), max_length=20, blank=True, choices=sections.PLACENTA_POSITIONS)
    findings = models.TextField(_("funn"), blank=True)

    class Meta:
        indexes = [models.Index(fields=["pregnancy", "date"])]

    def __str__(self) -> str:
        return gettext("%(kind)s %(date)s") % {"kind": self.get_kind_display(), "date": _day(self.date)}

    @property
    def ga(self) -> GestationalAge | None:
        """Gestational age by the scan, written 12+3."""
        return GestationalAge.from_days(self.ga_days) if self.ga_days is not None else None


class Nipt(Provenance):
    """NIPT: a blood test of the fetus's DNA in her blood for trisomy 21, 18 and 13."""

    pregnancy = models.ForeignKey(Pregnancy, on_delete=models.PROTECT, related_name="nipts")
    date = models.DateField(_("dato prøven ble tatt"))
    result = models.CharField(_("resultat"), max_length=20, choices=sections.NIPT_RESULTS)
    note = models.CharField(_("merknad"), max_length=1000, blank=True)

    def __str__(self) -> str:
        return gettext("NIPT %(date)s") % {"date": _day(self.date)}


class Vaccination(Provenance):
    """A vaccine given in the pregnancy: by health personnel, or one she got elsewhere and registers herself."""

    pregnancy = models.ForeignKey(Pregnancy, on_delete=models.PROTECT, related_name="vaccinations")
    vaccine = models.CharField(_("vaksine"), max_length=20, choices=sections.VACCINES)
    date = models.DateField(_("dato"))
    place = models.CharField(_("hvor"), max_length=200, blank=True)

    class Meta:
        indexes = [models.Index(fields=["pregnancy", "date"])]

    def __str__(self) -> str:
        return gettext("Vaksine mot %(vaccine)s %(date)s") % {
            "vaccine": self.get_vaccine_display().lower(),
            "date": _day(self.date),
        }


class BirthOutcome(Provenance):
    """Fødsel: the status of one fetus at birth, and the time. One valid entry per fetus."""

    pregnancy = models.ForeignKey(Pregnancy, on_delete=models.PROTECT, related_name="birth_outcomes")
    fetus = models.PositiveSmallIntegerField(_("foster"))
    status = models.CharField(_("status"), max_length=10, choices=sections.BIRTH_STATUSES)
    born_at = models.DateTimeField(_("tidspunkt"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["pregnancy", "fetus"],
                condition=Q(entered_in_error_at__isnull=True),
                name="one_valid_birth_outcome_per_fetus",
            ),
        ]

    def __str__(self) -> str:
        return gettext("Fødsel, foster %(n)s: %(status)s") % {"n": self.fetus, "status": self.get_status_display()}
