import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from stdnum.no import orgnr

from helseportal.identity.models import Person, Practitioner


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


class UnitQuerySet(models.QuerySet["Unit"]):
    def with_hours(self) -> "UnitQuerySet":
        """Prefetch the weekly pattern and the exceptions, so hours.py answers without further queries."""
        return self.prefetch_related("opening_hours", "opening_exceptions")


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

    objects = UnitQuerySet.as_manager()

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


class OpeningHours(models.Model):
    """One interval of a unit's weekly pattern; a weekday may have several (drop-in 08–11 and 13–15).

    `closes` of 00:00 means the interval runs to midnight (the end of the day), so 18:00–00:00 is valid.
    """

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(_("ukedag"))  # 0 = Monday, as date.weekday()
    opens = models.TimeField(_("åpner"))
    closes = models.TimeField(_("stenger"))

    class Meta:
        ordering = ["weekday", "opens"]
        verbose_name = _("åpningstid")
        verbose_name_plural = _("åpningstider")
        constraints = [
            models.CheckConstraint(condition=models.Q(weekday__lte=6), name="opening_hours_weekday_0_6"),
            models.CheckConstraint(
                condition=models.Q(closes__gt=models.F("opens")) | models.Q(closes=datetime.time(0, 0)),
                name="opening_hours_closes_after_opens",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.weekday} {self.opens:%H:%M}–{self.closes:%H:%M}"


class OpeningException(models.Model):
    """Hours on one date that replace the weekly pattern: closed (no times) or other hours, with a note.

    All rows for a (unit, date) together make that day's hours; a row without times means closed all day.
    """

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="opening_exceptions")
    date = models.DateField(_("dato"))
    opens = models.TimeField(_("åpner"), null=True, blank=True)
    closes = models.TimeField(_("stenger"), null=True, blank=True)
    note = models.CharField(_("merknad"), max_length=200, blank=True)  # «Stengt i påsken»

    class Meta:
        ordering = ["date", "opens"]
        verbose_name = _("avvikende åpningstid")
        verbose_name_plural = _("avvikende åpningstider")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(opens__isnull=True) & models.Q(closes__isnull=True))
                | (
                    models.Q(opens__isnull=False)
                    & (models.Q(closes__gt=models.F("opens")) | models.Q(closes=datetime.time(0, 0)))
                ),
                name="opening_exception_closed_or_interval",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.date}"


class Postcode(models.Model):
    """A Norwegian postcode from Posten/Bring's register (postnummerregisteret)."""

    code = models.CharField(_("postnummer"), max_length=4, primary_key=True)
    place = models.CharField(_("poststed"), max_length=100)
    municipality_number = models.CharField(_("kommunenummer"), max_length=4)
    municipality_name = models.CharField(_("kommune"), max_length=100)
    category = models.CharField(_("kategori"), max_length=1, blank=True)  # G street, P box, B both, S service

    class Meta:
        verbose_name = _("postnummer")
        verbose_name_plural = _("postnumre")

    def __str__(self) -> str:
        return f"{self.code} {self.place}"


class SchoolEnrolment(models.Model):
    """A pupil at a school in a grade for a period: the local stand-in for the school register."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="school_enrolments")
    school = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="enrolments")
    grade = models.PositiveSmallIntegerField(_("trinn"))
    valid_from = models.DateField(_("gyldig fra"))
    valid_to = models.DateField(_("gyldig til"), null=True, blank=True)

    class Meta:
        ordering = ["person", "-valid_from"]
        verbose_name = _("skoleplass")
        verbose_name_plural = _("skoleplasser")
        constraints = [
            models.CheckConstraint(condition=models.Q(grade__gte=1, grade__lte=13), name="enrolment_grade_1_13"),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                name="enrolment_valid_to_after_from",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.grade}. trinn"
