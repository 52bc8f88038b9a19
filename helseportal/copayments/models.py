"""A provider's co-payment (*egenandel*) as received, and the exemption card (*frikort*) of a person's year.

Nothing is deleted: a co-payment the provider withdraws (`entered-in-error`) is kept and marked, and leaves the sum;
a card the sum no longer supports is kept and marked withdrawn (`ExemptionCard.withdrawn_at`). Amounts are whole
øre (an integer: money is never a float).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from helseportal.identity.models import Person
from helseportal.organisations.models import Unit


class CoPayment(models.Model):
    """One co-payment a provider registered for a person: a FHIR ChargeItem from the unit's record system."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")  # the provider that sent it
    # The provider's business identifier: the same (unit, system, value) is the same co-payment, whatever key the
    # provider's own system gives it today.
    identifier_system = models.CharField(max_length=200)
    identifier_value = models.CharField(max_length=200)
    # When the service was given (occurrence[x]) and its date in Norwegian time: the calendar year it counts in.
    occurred_at = models.DateTimeField()
    service_date = models.DateField()
    amount_ore = models.PositiveIntegerField()  # what the person paid, in øre (ChargeItem.priceOverride, NOK)
    code_system = models.CharField(max_length=200, blank=True)
    code = models.CharField(max_length=100, blank=True)
    service = models.CharField(max_length=300, blank=True)  # the service as the provider names it (code.text)
    status = models.CharField(max_length=40)
    entered_in_error = models.BooleanField(default=False)
    resource = models.JSONField()  # as received, without `id` and `meta`, the subject as `Patient/<our key>`
    source_client = models.CharField(max_length=100)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("egenandel")
        verbose_name_plural = _("egenandeler")
        indexes = [
            models.Index(fields=["person", "service_date"], name="copayment_person_date"),
            models.Index(fields=["unit", "occurred_at"], name="copayment_unit_date"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "identifier_system", "identifier_value"], name="copayment_one_per_identifier"
            )
        ]

    def __str__(self) -> str:
        return f"ChargeItem/{self.pk}"


class ExemptionCard(models.Model):
    """The *frikort* of one person's calendar year: issued when the year's co-payments reached the cap."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    number = models.CharField(max_length=20, unique=True)
    valid_from = models.DateField()  # the date of the service whose co-payment reached the cap
    issued_at = models.DateTimeField()
    # A correction took the year's sum below the cap again: the card no longer holds (kept, marked; our choice).
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("frikort")
        verbose_name_plural = _("frikort")
        constraints = [models.UniqueConstraint(fields=["person", "year"], name="exemption_card_one_per_year")]

    def __str__(self) -> str:
        return f"frikort {self.year} ({self.number})"

    @property
    def in_force(self) -> bool:
        return self.withdrawn_at is None
