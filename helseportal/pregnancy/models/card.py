"""The card's own tables: the pregnancy, its section versions, consultations, SF-mål, her measurements, symptoms,
tests, notes and the form before the first consultation; and who wrote each (`Provenance`)."""

import secrets

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from helseportal.identity.models import Person
from helseportal.pregnancy.sections import SEVERITIES, SYMPTOMS, URINE_GLUCOSE


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


def new_version() -> int:
    """A card's next `Pregnancy.version`: 63 random bits (a collision between two states of one card: never, in
    practice)."""
    return secrets.randbits(63)


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
    # The last change (the FHIR API's `meta.lastUpdated` of the EpisodeOfCare); a `save(update_fields=…)` or an
    # `update()` must set it too.
    updated_at = models.DateTimeField(auto_now=True)
    # A new random number at every write to the card, in its transaction (`services.writing.changed`): her overview's
    # rendered part is kept under it (`pregnancy.overview`), so a write makes the next view render anew. Random, not
    # a counter, so that no state is ever given a number another state had: not after a restore of the database, nor
    # after a test's rollback, nor for a row made without the services.
    version = models.BigIntegerField(default=new_version, editable=False)

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
        return str(dict(SYMPTOMS).get(self.kind, self.kind))

    @property
    def severity_label(self) -> str:
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
    # The Questionnaire it was filled in on, `url|version` (the survey on the forms engine); "" for one sent on the
    # hand-coded form before the survey moved (its QuestionnaireResponse names the canonical URL alone).
    questionnaire = models.CharField(max_length=255, blank=True)

    def __str__(self) -> str:
        return f"First consultation form ({self.status})"
