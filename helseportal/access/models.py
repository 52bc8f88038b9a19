from typing import Any

from django.db import NotSupportedError, models
from django.utils.translation import gettext_lazy as _

from helseportal.identity.models import Person


class ServiceArea(models.TextChoices):
    """The one list of service areas: what a service asks `access.require` about, what a power of attorney can
    name, what the rule table in `rules.py` opens or closes per age band.

    `ALL` is only for a power of attorney ("every service"). `ACCOUNT` (the person's own use of the portal) and
    `YOUTH` (the youth services) are areas a decision is asked about but no power of attorney can name. The
    areas from medicines on are those the next services bring (issues 10–13); each is closed to a representative
    until `rules.py` says otherwise.
    """

    ALL = "all", _("Alle tjenester")
    MESSAGES = "messages", _("Meldinger")
    APPOINTMENTS = "appointments", _("Timeavtaler")
    PREGNANCY = "pregnancy", _("Helsekort for gravide")
    RECORDS = "records", _("Journal, prøvesvar og legemidler")
    MEDICINES = "medicines", _("Legemidler")
    RESULTS = "results", _("Prøvesvar")
    VACCINES = "vaccines", _("Vaksiner")
    DOCUMENTS = "documents", _("Dokumenter")
    REFERRALS = "referrals", _("Henvisninger")
    CONTACTS = "contacts", _("Helsekontakter")
    GP = "gp", _("Fastlege")
    COPAYMENTS = "copayments", _("Egenandeler og frikort")
    PATIENT_TRAVEL = "patient_travel", _("Pasientreiser")
    USAGE_STATISTICS = "usage_statistics", _("Bruksstatistikk")
    ACCOUNT = "account", _("Din bruk av helseportalen")
    YOUTH = "youth", _("Ungdomstjenester")


class PowerOfAttorney(models.Model):
    """Fullmakt: `giver` (16 or older) lets `receiver` (18 or older) use one service area on their behalf."""

    giver = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="powers_given")
    receiver = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="powers_received")
    area = models.CharField(_("tjenesteområde"), max_length=20, choices=ServiceArea.choices)
    valid_from = models.DateField(_("gyldig fra"))
    valid_to = models.DateField(_("gyldig til"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("trukket tilbake"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("fullmakt")
        verbose_name_plural = _("fullmakter")
        indexes = [models.Index(fields=["receiver", "giver"]), models.Index(fields=["giver"])]
        constraints = [
            models.CheckConstraint(condition=~models.Q(giver=models.F("receiver")), name="poa_not_to_self"),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                name="poa_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.giver} → {self.receiver} ({self.area})"


class Outcome(models.TextChoices):
    ALLOWED = "allowed", _("Tillatt")
    DENIED = "denied", _("Avvist")


class AppendOnlyQuerySet(models.QuerySet["AuditEvent"]):
    """Refuse changes in bulk: the audit log is append-only (migration 0002's triggers refuse them too)."""

    def update(self, **kwargs: Any) -> int:
        raise NotSupportedError("the audit log is append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise NotSupportedError("the audit log is append-only")


class AuditEvent(models.Model):
    """One read or write of personal health data (or a login), append-only and hash-chained.

    Names, HPR and unit are copied in at the time of the event, so the record stays true when people move.
    The subject is a key, never a fødselsnummer: the table can be partitioned by person.
    The request writes the event unchained (`seq`, `hash` empty); the task worker links it into the chain
    seconds later, setting `seq`, `previous_hash` and `hash` once (ADR 0013; `audit.chain`).
    """

    occurred_at = models.DateTimeField(db_index=True)
    action = models.CharField(max_length=80)  # a stable code from access/audit/codes.py, "pregnancy:card:read"
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    reason = models.CharField(max_length=80, blank=True)  # the access check's reason code
    purpose = models.CharField(max_length=200, blank=True)
    actor_role = models.CharField(max_length=20)
    actor_person_id = models.BigIntegerField(null=True, blank=True)
    actor_practitioner_id = models.BigIntegerField(null=True, blank=True)
    actor_name = models.CharField(max_length=200, blank=True)
    actor_hpr_number = models.CharField(max_length=9, blank=True)
    actor_unit_id = models.BigIntegerField(null=True, blank=True)
    actor_unit_name = models.CharField(max_length=200, blank=True)
    actor_unit_orgnr = models.CharField(max_length=9, blank=True)
    actor_client_id = models.CharField(max_length=200, blank=True)
    on_behalf_of_id = models.BigIntegerField(null=True, blank=True)  # the person acted for, when not the actor
    subject_id = models.BigIntegerField(null=True, blank=True, db_index=True)  # whose data was touched
    resources = models.JSONField(default=list, blank=True)  # e.g. ["Observation/123"]
    # Youth-service events (DOMAIN.md §2): never shown to a parent acting for the youth.
    hidden_from_representatives = models.BooleanField(default=False)
    # The chain (ADR 0013): empty until the worker links the event; then set once, never changed.
    seq = models.BigIntegerField(null=True, blank=True, unique=True)  # the event's position in the chain, 1…
    previous_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, null=True, blank=True, unique=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["subject_id", "occurred_at"]),
            # The worker's queue: the few events not yet chained, in the order they were written.
            models.Index(fields=["id"], condition=models.Q(seq__isnull=True), name="access_audit_unchained"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action} {self.outcome}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise NotSupportedError("the audit log is append-only: an event cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise NotSupportedError("the audit log is append-only: an event cannot be deleted")


class Permission(models.TextChoices):
    READ = "read", _("Lese")
    READ_WRITE = "read_write", _("Lese og skrive")


class SharingGrant(models.Model):
    """The citizen shares one service area (the pregnancy card) with a named practitioner or with a unit."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="sharing_grants")
    area = models.CharField(max_length=20, choices=ServiceArea.choices)
    practitioner = models.ForeignKey(
        "identity.Practitioner", on_delete=models.PROTECT, null=True, blank=True, related_name="grants"
    )
    unit = models.ForeignKey(
        "organisations.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="grants"
    )
    permission = models.CharField(max_length=12, choices=Permission.choices, default=Permission.READ)
    valid_to = models.DateField(_("gyldig til"))
    created = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    updated = models.DateTimeField(auto_now=True)  # the last change (made, revoked): the FHIR Consent's lastUpdated

    class Meta:
        indexes = [
            models.Index(fields=["person", "area"]),
            models.Index(fields=["practitioner"]),
            models.Index(fields=["unit"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(practitioner__isnull=False, unit__isnull=True)
                | models.Q(practitioner__isnull=True, unit__isnull=False),
                name="grant_to_practitioner_or_unit",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.practitioner_id or self.unit_id} ({self.area})"


class YouthAccessConsent(models.Model):
    """*Ungdomstilgang med foreldresamtykke* (DOMAIN.md §2): a parent with parental responsibility lets a child of
    13–15 use some services herself with BankID (`rules.YOUTH_CONSENT_AREAS`). Either parent may give it and either
    may withdraw it; at most one is in force per child. Never deleted: a withdrawn consent keeps who withdrew it and
    when, so the child's log and the parents' can always say who let her in and who stopped it."""

    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="youth_access_consents")
    given_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="youth_access_given")
    given_at = models.DateTimeField(_("gitt"))
    withdrawn_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="youth_access_withdrawn"
    )
    withdrawn_at = models.DateTimeField(_("trukket tilbake"), null=True, blank=True)

    class Meta:
        verbose_name = _("samtykke til ungdomstilgang")
        verbose_name_plural = _("samtykker til ungdomstilgang")
        indexes = [models.Index(fields=["child", "withdrawn_at"], name="youth_consent_child")]
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=models.Q(withdrawn_at__isnull=True), name="youth_consent_one_in_force"
            ),
            models.CheckConstraint(condition=~models.Q(child=models.F("given_by")), name="youth_consent_not_self"),
            models.CheckConstraint(
                condition=models.Q(withdrawn_at__isnull=True, withdrawn_by__isnull=True)
                | models.Q(withdrawn_at__isnull=False, withdrawn_by__isnull=False),
                name="youth_consent_withdrawn_by_whom",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.given_by_id} → {self.child_id} ({'withdrawn' if self.withdrawn_at else 'in force'})"

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise NotSupportedError("a youth access consent is never deleted: withdraw it")
