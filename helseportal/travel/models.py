"""A travel claim (*krav om dekning av reiseutgifter*) as a case, and what happened to it.

Amounts are whole øre. Nothing is deleted: each step is a `ClaimEvent` row, and a decision taken again after a
complaint keeps the earlier one in those rows.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from helseportal.identity.models import Person
from helseportal.organisations.models import Unit
from helseportal.travel import rules
from helseportal.travel.rules import Kind, Outcome, Status


class TravelClaim(models.Model):
    """Pasientreise: one claim for one trip to treatment, made from the form she sent."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")  # whose trip
    author = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+"
    )  # who sent it (she, a parent, a proxy)
    office = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")  # the pasientreisekontor handling it
    status = models.CharField(max_length=20, choices=[(s.value, s.value) for s in Status], default=Status.RECEIVED)
    kind = models.CharField(max_length=20, choices=[(k.value, k.value) for k in Kind])
    trip_date = models.DateField()
    treatment_place = models.CharField(max_length=200)
    from_address = models.CharField(max_length=200)
    round_trip = models.BooleanField()
    km = models.PositiveIntegerField(default=0)
    transport = models.CharField(max_length=40, blank=True)
    expenses_ore = models.PositiveIntegerField(default=0)
    note = models.TextField(blank=True)
    # Her appointment that day, when there was one she may see (copied: the record stays true).
    appointment_id = models.PositiveIntegerField(null=True, blank=True)
    appointment_text = models.CharField(max_length=300, blank=True)
    # The amount the rules give (`rules.propose`) when she sent it, with the notes for the officer.
    proposed_ore = models.PositiveIntegerField()
    # The own share the proposal deducted (none for a child or with a frikort on the trip's date): registered towards
    # her egenandelstak when the claim is paid (`copayments.services.register_own`).
    own_share_ore = models.PositiveIntegerField(default=0)
    proposal_notes = models.JSONField(default=list)
    # The form as sent (QuestionnaireResponse, with the receipts): the claim's documents.
    questionnaire = models.CharField(max_length=330)
    response = models.JSONField()
    received_at = models.DateTimeField()
    # The decision in force; earlier ones are in the events.
    outcome = models.CharField(max_length=20, choices=[(o.value, o.value) for o in Outcome], blank=True)
    amount_ore = models.PositiveIntegerField(null=True, blank=True)
    reasons = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)  # the latest payment; each one is a "pay" event
    # All payments together: a decision taken again after a complaint is paid only by what is still owed
    # (`rules.owed`); each pay event holds the amount of that payment.
    paid_ore = models.PositiveIntegerField(default=0)
    complaint = models.TextField(blank=True)
    complained_at = models.DateTimeField(null=True, blank=True)
    complaint_taken_up_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("pasientreisekrav")
        verbose_name_plural = _("pasientreisekrav")
        indexes = [
            models.Index(fields=["person", "received_at"], name="travel_claim_person"),
            models.Index(fields=["office", "status", "received_at"], name="travel_claim_queue"),
        ]

    def __str__(self) -> str:
        return f"TravelClaim/{self.pk}"

    @property
    def complaint_open(self) -> bool:
        return self.complained_at is not None and self.complaint_taken_up_at is None

    @property
    def complained_on_decision(self) -> bool:
        """Whether her complaint was sent after the decision in force (one complaint per decision)."""
        return self.complained_at is not None and self.decided_at is not None and self.complained_at >= self.decided_at

    @property
    def owed_ore(self) -> int:
        return rules.owed(self.amount_ore, self.paid_ore) if self.outcome == Outcome.APPROVED else 0

    def case(self) -> rules.Case:
        """The facts the table of steps (`rules.may`) is checked against: the one place they are read from a claim."""
        return rules.Case(
            Status(self.status),
            Outcome(self.outcome) if self.outcome else None,
            self.complaint_open,
            complained_on_decision=self.complained_on_decision,
            owed_ore=self.owed_ore,
        )


class ClaimEvent(models.Model):
    """One step of a claim: who took it and when; a decision's outcome, amount and reasons as they were."""

    claim = models.ForeignKey(TravelClaim, on_delete=models.PROTECT, related_name="events")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")  # the claim's person (sharding key)
    step = models.CharField(max_length=20)  # a `rules.Step`, or "receive"
    at = models.DateTimeField()
    actor_name = models.CharField(max_length=200)
    outcome = models.CharField(max_length=20, blank=True)
    amount_ore = models.PositiveIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["claim", "at"], name="travel_event_claim")]

    def __str__(self) -> str:
        return f"{self.step} {self.at:%Y-%m-%d}"
