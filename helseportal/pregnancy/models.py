"""The pregnancy card as data: a pregnancy, its card sections, consultations, measurements and notes.

Every row carries the woman's key (`person`) so the tables can be partitioned by person, and who wrote it
(`Provenance`): the woman herself, or a practitioner with HPR and unit, copied in at the time. Nothing is
deleted: a correction marks the old row *entered in error* and keeps it (ARCHITECTURE.md rule 4).
"""

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from helseportal.identity.models import Person
from helseportal.pregnancy.dates import GestationalAge
from helseportal.pregnancy.sections import (
    BIRTH_STATUSES,
    DELIVERY_MODES,
    DUE_DATE_REASONS,
    NIPT_RESULTS,
    PLACENTA_POSITIONS,
    ULTRASOUND_KINDS,
    URINE_GLUCOSE,
    VACCINES,
)


class AuthorKind(models.TextChoices):
    WOMAN = "woman", _("Den gravide selv")
    PRACTITIONER = "practitioner", _("Helsepersonell")


class Provenance(models.Model):
    """Who wrote an entry and when; and whether it was later marked as entered in error."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    author_kind = models.CharField(max_length=20, choices=AuthorKind.choices)
    author_practitioner_id = models.BigIntegerField(null=True, blank=True)
    author_name = models.CharField(max_length=200)
    author_hpr_number = models.CharField(max_length=9, blank=True)
    author_unit_name = models.CharField(max_length=200, blank=True)
    author_unit_orgnr = models.CharField(max_length=9, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    entered_in_error_at = models.DateTimeField(null=True, blank=True)
    entered_in_error_by = models.CharField(max_length=200, blank=True)

    class Meta:
        abstract = True

    @property
    def self_reported(self) -> bool:
        return self.author_kind == AuthorKind.WOMAN

    @property
    def in_error(self) -> bool:
        return self.entered_in_error_at is not None


class PregnancyStatus(models.TextChoices):
    ONGOING = "ongoing", _("Pågående")
    BIRTH = "birth", _("Født")
    TERMINATION = "termination", _("Avsluttet (abort)")
    MISCARRIAGE = "miscarriage", _("Spontanabort")


class Pregnancy(Provenance):
    lmp = models.DateField(_("første dag i siste menstruasjon"), null=True, blank=True)
    due_date_lmp = models.DateField(_("termin etter siste menstruasjon"), null=True, blank=True)
    due_date_ultrasound = models.DateField(_("termin etter ultralyd"), null=True, blank=True)
    # Kept equal to the newest valid DueDateEntry of each method (DueDateEntry.save), so every reader of the due
    # date reads a column: the week counter, the worklist, the schedule.
    due_date_corrected = models.DateField(_("korrigert termin"), null=True, blank=True)
    number_of_fetuses = models.PositiveSmallIntegerField(_("antall fostre"), default=1)
    status = models.CharField(max_length=20, choices=PregnancyStatus.choices, default=PregnancyStatus.ONGOING)
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=Q(status="ongoing"), name="one_ongoing_pregnancy"),
            models.CheckConstraint(
                condition=Q(due_date_lmp__isnull=False) | Q(due_date_ultrasound__isnull=False),
                name="pregnancy_has_a_due_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Pregnancy {self.pk} ({self.status})"

    @property
    def due_date(self):  # type: ignore[no-untyped-def]
        """The confirmed due date: a corrected one, else by ultrasound, else by the last period."""
        return self.due_date_corrected or self.due_date_ultrasound or self.due_date_lmp

    @property
    def due_date_source(self) -> str:
        if self.due_date_corrected:
            return "corrected"
        return "ultrasound" if self.due_date_ultrasound else "lmp"

    @property
    def due_date_source_label(self) -> str:
        """How the due date was set, as the card's headline writes it: «etter ultralyd»."""
        labels = {"corrected": _("korrigert"), "ultrasound": _("etter ultralyd"), "lmp": _("etter siste menstruasjon")}
        return str(labels[self.due_date_source])


class SectionEntry(Provenance):
    """One version of a card section (mother, contacts, history, …) as JSON; the newest valid one is current."""

    pregnancy = models.ForeignKey(Pregnancy, on_delete=models.PROTECT, related_name="sections")
    section = models.CharField(max_length=40)  # a key of pregnancy.sections.SECTIONS
    data = models.JSONField(default=dict)

    class Meta:
        indexes = [models.Index(fields=["pregnancy", "section", "-recorded_at"])]

    def __str__(self) -> str:
        return f"{self.section} ({self.recorded_at:%Y-%m-%d})"


class Consultation(Provenance):
    """A row of the consultation table (svangerskapskontroll)."""

    pregnancy = models.ForeignKey(Pregnancy, on_delete=models.PROTECT, related_name="consultations")
    date = models.DateField(_("dato"))
    weight_kg = models.DecimalField(_("vekt (kg)"), max_digits=5, decimal_places=1, null=True, blank=True)
    systolic = models.PositiveSmallIntegerField(_("blodtrykk, øvre"), null=True, blank=True)
    diastolic = models.PositiveSmallIntegerField(_("blodtrykk, nedre"), null=True, blank=True)
    urine_protein = models.CharField(_("protein i urin"), max_length=10, blank=True)
    urine_glucose = models.CharField(_("glukose i urin"), max_length=10, blank=True, choices=URINE_GLUCOSE)
    oedema = models.CharField(_("ødem"), max_length=10, blank=True)
    fetuses = models.JSONField(default=list)  # per fetus: {"n", "heart_rate", "presentation", "movements"}
    medication = models.CharField(_("medisiner"), max_length=300, blank=True)
    work_percent = models.PositiveSmallIntegerField(_("arbeid (%)"), null=True, blank=True)
    note = models.TextField(_("merknad"), blank=True)

    class Meta:
        indexes = [models.Index(fields=["pregnancy", "date"])]

    def __str__(self) -> str:
        return f"Consultation {self.date}"


class SfMeasurement(Provenance):
    """SF-mål (symphysis-fundal height) in whole centimetres; self-measured values are shown apart."""

    pregnancy = models.ForeignKey(Pregnancy, on_delete=models.PROTECT, related_name="sf_measurements")
    date = models.DateField(_("dato"))
    cm = models.PositiveSmallIntegerField(_("SF-mål (cm)"))

    class Meta:
        indexes = [models.Index(fields=["pregnancy", "date"])]

    def __str__(self) -> str:
        return f"SF {self.cm} cm {self.date}"


class MeasurementKind(models.TextChoices):
    BLOOD_PRESSURE = "bp", _("Blodtrykk")
    WEIGHT = "weight", _("Vekt")
    GLUCOSE = "glucose", _("Blodsukker")
    PULSE = "pulse", _("Puls")


class OwnMeasurement(Provenance):
    """A measurement she took herself at home."""

    pregnancy = models.ForeignKey(Pregnancy, on_delete=models.PROTECT, related_name="own_measurements")
    kind = models.CharField(max_length=10, choices=MeasurementKind.choices)
    measured_at = models.DateTimeField(_("tidspunkt"))
    systolic = models.PositiveSmallIntegerField(null=True, blank=True)
    diastolic = models.PositiveSmallIntegerField(null=True, blank=True)
    value = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)  # kg, mmol/L or /min

    class Meta:
        indexes = [models.Index(fields=["pregnancy", "kind", "measured_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.measured_at:%Y-%m-%d}"


class Symptom(Provenance):
    pregnancy = models.ForeignKey(Pregnancy, on_delete=models.PROTECT, related_name="symptoms")
    date = models.DateField(_("dato"))
    kind = models.CharField(_("symptom"), max_length=30)  # a key of pregnancy.sections.SYMPTOMS
    severity = models.CharField(_("hvor plagsomt"), max_length=10)  # mild | moderate | severe
    note = models.CharField(_("merknad"), max_length=500, blank=True)

    class Meta:
        indexes = [models.Index(fields=["pregnancy", "date"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.date}"

    @property
    def kind_label(self) -> str:
        from helseportal.pregnancy.sections import SYMPTOMS

        return str(dict(SYMPTOMS).get(self.kind, self.kind))

    @property
    def severity_label(self) -> str:
        from helseportal.pregnancy.sections import SEVERITIES

        return str(dict(SEVERITIES).get(self.severity, self.severity))


class ClinicalTest(Provenance):
    pregnancy = models.ForeignKey(Pregnancy, on_delete=models.PROTECT, related_name="tests")
    test = models.CharField(_("prøve"), max_length=30)  # a key of pregnancy.sections.TESTS
    value = models.CharField(_("resultat"), max_length=100)
    unit = models.CharField(_("enhet"), max_length=20, blank=True)
    taken_on = models.DateField(_("dato"))

    def __str__(self) -> str:
        return f"{self.test} {self.taken_on}"


class Note(Provenance):
    """Huskelapp: something she wants to ask or tell at the next visit."""

    pregnancy = models.ForeignKey(Pregnancy, on_delete=models.PROTECT, related_name="notes")
    text = models.CharField(_("notat"), max_length=1000)
    done = models.BooleanField(_("tatt opp"), default=False)

    def __str__(self) -> str:
        return self.text[:40]


class FormStatus(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    SUBMITTED = "submitted", _("Sendt")


class FirstConsultationForm(Provenance):
    """Kartlegging før første svangerskapskontroll: her answers, saved as a draft, then submitted."""

    pregnancy = models.ForeignKey(Pregnancy, on_delete=models.PROTECT, related_name="first_forms")
    answers = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=FormStatus.choices, default=FormStatus.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"First consultation form ({self.status})"


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
    reason = models.CharField(_("grunn"), max_length=30, blank=True, choices=DUE_DATE_REASONS)
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
        Pregnancy.objects.filter(pk=self.pregnancy_id).update(**{column: value})
        setattr(self.pregnancy, column, value)


class EarlierBirth(Provenance):
    """One earlier birth: year, week, how she gave birth, the child's weight, complications (a repeated group)."""

    pregnancy = models.ForeignKey(Pregnancy, on_delete=models.PROTECT, related_name="earlier_births")
    year = models.PositiveSmallIntegerField(_("år"))
    weeks = models.PositiveSmallIntegerField(_("svangerskapsuke ved fødselen"), null=True, blank=True)
    mode = models.CharField(_("fødselsmåte"), max_length=20, blank=True, choices=DELIVERY_MODES)
    birth_weight_g = models.PositiveIntegerField(_("fødselsvekt (gram)"), null=True, blank=True)
    complications = models.CharField(_("komplikasjoner"), max_length=1000, blank=True)

    class Meta:
        indexes = [models.Index(fields=["pregnancy", "year"])]

    def __str__(self) -> str:
        return gettext("Tidligere fødsel %(year)s") % {"year": self.year}


class Ultrasound(Provenance):
    """A structured ultrasound result: the early (11–14) or routine (17–19) scan, or another."""

    pregnancy = models.ForeignKey(Pregnancy, on_delete=models.PROTECT, related_name="ultrasounds")
    kind = models.CharField(_("type"), max_length=10, choices=ULTRASOUND_KINDS)
    date = models.DateField(_("dato"))
    ga_days = models.PositiveSmallIntegerField(_("svangerskapslengde etter ultralyd (dager)"), null=True, blank=True)
    fetuses = models.PositiveSmallIntegerField(_("antall fostre"), null=True, blank=True)
    placenta = models.CharField(_("morkake"), max_length=20, blank=True, choices=PLACENTA_POSITIONS)
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
    result = models.CharField(_("resultat"), max_length=20, choices=NIPT_RESULTS)
    note = models.CharField(_("merknad"), max_length=1000, blank=True)

    def __str__(self) -> str:
        return gettext("NIPT %(date)s") % {"date": _day(self.date)}


class Vaccination(Provenance):
    """A vaccine given in the pregnancy: by health personnel, or one she got elsewhere and registers herself."""

    pregnancy = models.ForeignKey(Pregnancy, on_delete=models.PROTECT, related_name="vaccinations")
    vaccine = models.CharField(_("vaksine"), max_length=20, choices=VACCINES)
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
    status = models.CharField(_("status"), max_length=10, choices=BIRTH_STATUSES)
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


class PdfVariant(models.TextChoices):
    OWN = "own", _("Egen kopi")  # her full fødselsnummer
    COPY = "copy", _("Kopi for andre")  # a parent's, a proxy's or a clinician's: masked


class CardPdf(models.Model):
    """The last PDF made of a card, kept with the hash of the HTML it was laid out from.

    Laying out the card takes WeasyPrint most of a second; an unchanged card (same HTML apart from the time it
    was made) is served from here instead (`pdf.card_pdf`). One row per pregnancy, variant and language; a new
    render replaces it. A copy of health data: it carries the person key and goes with the pregnancy.
    """

    pregnancy = models.ForeignKey(Pregnancy, on_delete=models.CASCADE, related_name="pdfs")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    variant = models.CharField(max_length=4, choices=PdfVariant.choices)
    language = models.CharField(max_length=5)
    content_hash = models.CharField(max_length=64)  # sha256 of the HTML with the time it was made left out
    made_at = models.DateTimeField()
    pdf = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pregnancy", "variant", "language"], name="one_stored_pdf_per_variant"),
        ]

    def __str__(self) -> str:
        return f"PDF {self.variant}/{self.language} of pregnancy {self.pregnancy_id}"
