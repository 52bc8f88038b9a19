"""The received-record store: FHIR resources as a source system sent them, with the columns we search on.

One table for every type the portal only shows (Observation now; Immunization, MedicationStatement,
DocumentReference, ServiceRequest as the record services arrive): the resource as received, normalised only where
it must be (our logical id, `meta` and the subject are ours), beside indexed copies of what the API and the pages
filter and sort by. The JSON stays the truth; the columns are derived from it on every write (`extract.py`).

Every row carries the person's key, and each index starts with it or with the sending unit, so no read joins
across persons. Nothing is deleted: a source that withdraws a record sends it again with status
`entered-in-error`, and the row is marked. The versions are the FHIR engine's (`fhir.models.ResourceVersion`).
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helseportal.identity.models import Person
from helseportal.organisations.models import Unit


class Record(models.Model):
    """One resource from a source system: a lab result, later a vaccine, a prescription, a document."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    resource_type = models.CharField(max_length=40)
    resource = models.JSONField()  # as received, without `id` and `meta`; `subject` as `Patient/<our key>`
    # The first coding of the resource's code (Observation.code, Immunization.vaccineCode).
    code_system = models.CharField(max_length=200, blank=True)
    code = models.CharField(max_length=100, blank=True)
    category_system = models.CharField(max_length=200, blank=True)
    category = models.CharField(max_length=100, blank=True)
    # When it happened (effective[x], occurrence[x]), else when the source issued it, else when we received it: a
    # column the lists sort by, never empty. The resource keeps what the source said.
    effective = models.DateTimeField()
    status = models.CharField(max_length=40)
    entered_in_error = models.BooleanField(default=False)
    # *Vergeinnsynsreservasjon*: the clinician and the youth hid this item from her parents (DOMAIN.md §2). The
    # source's own label, read from the resource's `meta.security` (`extract.guardian_reserved`) ...
    guardian_labelled = models.BooleanField(default=False)
    # ... or a reserved record of hers that this one names (`records.links`: a dispensing its prescription, a report
    # its results, a source's access log the document read), kept by `records.reservation` on every write. Every
    # read for a representative leaves the row out (`access.policy.records_visible`).
    guardian_reserved = models.BooleanField(default=False)
    # When the source lets the patient see it (`extract.released`): a result the lab has sent to the doctor who
    # ordered it may be held back from the citizen until then. The source's time when it sends one, else when the
    # record was first received. Every citizen's read filters on it (`pages.visible`, `queries.in_scope`).
    released = models.DateTimeField(default=timezone.now)
    # The source's business identifier: the same (unit, type, system, value) is the same record, whatever the
    # source's own key for it (`id`, `fullUrl`) said this time.
    identifier_system = models.CharField(max_length=200)
    identifier_value = models.CharField(max_length=200)
    source_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    source_client = models.CharField(max_length=100)  # the API client that sent the last version
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("mottatt opplysning")
        verbose_name_plural = _("mottatte opplysninger")
        indexes = [
            models.Index(fields=["person", "resource_type", "effective"], name="record_person_type_date"),
            # A family of several types (Prøvesvar: Observation and DiagnosticReport) newest first, by keyset.
            models.Index(fields=["person", "effective", "id"], name="record_person_date"),
            models.Index(fields=["person", "resource_type", "code"], name="record_person_type_code"),
            models.Index(fields=["source_unit", "resource_type", "effective"], name="record_unit_type_date"),
            models.Index(fields=["source_unit", "person"], name="record_unit_person"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source_unit", "resource_type", "identifier_system", "identifier_value"],
                name="record_one_per_source_identifier",
            )
        ]

    def __str__(self) -> str:
        return f"{self.resource_type}/{self.pk}"


class RecordLink(models.Model):
    """A reference from one received record to another record of the same person (`records.links`), kept so that
    when a record becomes reserved, or stops being, the rows that name it are found by index
    (`records.reservation`). The record named may not have arrived yet: the reference is kept as the source wrote it
    (`links.Named.token`), and matched when it comes."""

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    target = models.CharField(max_length=500)  # `MedicationRequest/17`, or `["type","system","value"]`

    class Meta:
        verbose_name = _("kobling mellom mottatte opplysninger")
        verbose_name_plural = _("koblinger mellom mottatte opplysninger")
        indexes = [
            models.Index(fields=["person", "target"], name="record_link_person_target"),
        ]

    def __str__(self) -> str:
        return f"{self.record_id} → {self.target}"
