from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from stdnum.no import orgnr

from helseportal.identity.models import Practitioner


def validate_orgnr(value: str) -> None:
    if not orgnr.is_valid(value):
        raise ValidationError(_("Organisasjonsnummeret må ha 9 sifre og gyldig kontrollsiffer."))


class UnitKind(models.TextChoices):
    GP_OFFICE = "gp_office", _("Fastlegekontor")
    HEALTH_STATION = "health_station", _("Helsestasjon")
    YOUTH_HEALTH_STATION = "hfu", _("Helsestasjon for ungdom")
    SCHOOL = "school", _("Skole")
    SCHOOL_HEALTH_SERVICE = "sht", _("Skolehelsetjeneste")
    HOSPITAL = "hospital", _("Sykehus")
    BIRTH_UNIT = "birth_unit", _("Fødeavdeling")


class Unit(models.Model):
    """An organisation the portal knows, keyed by organisasjonsnummer (master data from the registry)."""

    orgnr = models.CharField(_("organisasjonsnummer"), max_length=9, unique=True, validators=[validate_orgnr])
    kind = models.CharField(_("type"), max_length=20, choices=UnitKind.choices)
    name = models.CharField(_("navn"), max_length=200)
    display_name = models.CharField(_("visningsnavn"), max_length=200, blank=True)
    street_address = models.CharField(_("adresse"), max_length=200, blank=True)
    postcode = models.CharField(_("postnummer"), max_length=4, blank=True)
    post_place = models.CharField(_("poststed"), max_length=100, blank=True)
    municipality_number = models.CharField(_("kommunenummer"), max_length=4)
    municipality_name = models.CharField(_("kommune"), max_length=100)
    latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    phone = models.CharField(_("telefon"), max_length=20, blank=True)
    # A school health service serves a school; a birth unit belongs to a hospital.
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")

    class Meta:
        verbose_name = _("enhet")
        verbose_name_plural = _("enheter")

    def __str__(self) -> str:
        return self.shown_name

    @property
    def shown_name(self) -> str:
        return self.display_name or self.name

    @property
    def location(self) -> tuple[Decimal, Decimal] | None:
        if self.latitude is None or self.longitude is None:
            return None
        return (self.latitude, self.longitude)


class Role(models.TextChoices):
    CLINICIAN = "clinician", _("Helsepersonell")
    EDITOR = "editor", _("Redaktør")


class Membership(models.Model):
    """A practitioner works at a unit in a role; the access rules ask this, not HelseID."""

    practitioner = models.ForeignKey(Practitioner, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("rolle"), max_length=20, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["practitioner", "unit", "role"], name="unique_membership_role"),
        ]

    def __str__(self) -> str:
        return f"{self.practitioner} – {self.unit} ({self.get_role_display()})"
