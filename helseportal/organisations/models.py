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
    # A health trust's patient travel office: it handles the claims of Pasientreiser (issue 12 item 5).
    PATIENT_TRAVEL_OFFICE = "travel_office", _("Pasientreisekontor")


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
    # Decides travel claims at a pasientreisekontor (issue 12 item 5).
    CASE_OFFICER = "case_officer", _("Saksbehandler")


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


# --- The GP register's local stand-in (organisations/gp_register.py: LocalGpRegister) -----------------------------


class DoctorGender(models.TextChoices):
    FEMALE = "female", _("Kvinne")
    MALE = "male", _("Mann")


class RegisteredGpList(models.Model):
    """One GP list (fastlegeliste) as the GP register keeps it: the local fake's copy for development, tests and
    the demo. Its doctor (none while the list is without one), its office (a `Unit` on the portal, or only the
    office's organisasjonsnummer and name when the office is not on the portal), municipality and size (listetak).

    Bytte fastlege (issue 12) adds its switch rules on these three tables: memberships carry why and when they were
    asked for (`GpListMembership.reason`, `requested_on`), and the waiting list is `GpWaitingListEntry`."""

    list_id = models.CharField(_("listenummer"), max_length=20, unique=True)  # the register's id (FLR GPContract)
    doctor_hpr = models.CharField(_("legens HPR-nummer"), max_length=9, blank=True)
    doctor_name = models.CharField(_("legens navn"), max_length=200, blank=True)
    doctor_gender = models.CharField(_("legens kjønn"), max_length=6, choices=DoctorGender.choices, blank=True)
    doctor_languages = models.JSONField(_("språk"), default=list, blank=True)  # ISO 639-1, besides Norwegian
    office = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="gp_lists",
        limit_choices_to={"kind": UnitKind.GP_OFFICE},
    )  # fmt: skip
    office_orgnr = models.CharField(_("legekontorets organisasjonsnummer"), max_length=9, blank=True,
                                    validators=[validate_orgnr])  # fmt: skip
    office_name = models.CharField(_("legekontor"), max_length=200, blank=True)
    municipality_number = models.CharField(_("kommunenummer"), max_length=4)
    capacity = models.PositiveIntegerField(_("listetak"))
    # The fake's own device: members it does not name (people not in this database), so a demo list can be of a
    # real list's size, and full, with only the demo's persons in it. The real register counts every member.
    other_members = models.PositiveIntegerField(_("andre på listen"), default=0)

    class Meta:
        ordering = ["municipality_number", "list_id"]
        verbose_name = _("fastlegeliste")
        verbose_name_plural = _("fastlegelister")
        indexes = [models.Index(fields=["municipality_number", "list_id"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(office__isnull=False) | (~models.Q(office_orgnr="") & ~models.Q(office_name="")),
                name="gp_list_office_unit_or_orgnr_and_name",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.list_id} {self.doctor_name or '–'}"

    @property
    def orgnr(self) -> str:
        return self.office.orgnr if self.office else self.office_orgnr

    @property
    def office_shown_name(self) -> str:
        return self.office.shown_name if self.office else self.office_name


class MembershipReason(models.TextChoices):
    """Why a person came onto a list: Bytte fastlege counts only `switch` towards two a calendar year."""

    ASSIGNED = "assigned", _("Tildelt")
    SWITCH = "switch", _("Bytte")
    MOVED = "moved", _("Flytting")
    GP_LEFT = "gp_left", _("Legen sluttet")
    LIST_REDUCED = "list_reduced", _("Listen ble redusert")


class GpListMembership(models.Model):
    """A person on a list from `since` until `until` (none: still on it). A switch ends the current membership on
    the last day of a month and starts the next on the first of the next: at most one membership is open-ended."""

    gp_list = models.ForeignKey(RegisteredGpList, on_delete=models.PROTECT, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="gp_list_memberships")
    since = models.DateField(_("fra"))
    until = models.DateField(_("til"), null=True, blank=True)
    reason = models.CharField(_("årsak"), max_length=20, choices=MembershipReason.choices,
                              default=MembershipReason.ASSIGNED)  # fmt: skip
    requested_on = models.DateField(_("bedt om"), null=True, blank=True)  # the day a switch was asked for
    # Her address in the population register when she asked ("street|postcode", lower case; "" when not known): a
    # later switch is a move only if the register's address differs from it (`gp_register.LocalGpRegister.switch`).
    address = models.CharField(_("adresse ved byttet"), max_length=210, blank=True)

    class Meta:
        ordering = ["person", "-since"]
        verbose_name = _("plass på fastlegeliste")
        verbose_name_plural = _("plasser på fastlegelister")
        indexes = [models.Index(fields=["person", "since"]), models.Index(fields=["gp_list", "since"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(until__isnull=True) | models.Q(until__gte=models.F("since")),
                name="gp_membership_until_after_since",
            ),
            models.UniqueConstraint(
                fields=["person"], condition=models.Q(until__isnull=True), name="gp_membership_one_open_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.gp_list} {self.since}–{self.until or ''}"


class GpWaitingListEntry(models.Model):
    """A person on a list's waiting list (venteliste) from `joined_on` until `left_on`; one at a time."""

    gp_list = models.ForeignKey(RegisteredGpList, on_delete=models.PROTECT, related_name="waiting_entries")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="gp_waiting_entries")
    joined_on = models.DateField(_("satt på venteliste"))
    left_on = models.DateField(_("tatt av venteliste"), null=True, blank=True)

    class Meta:
        ordering = ["gp_list", "joined_on", "pk"]  # the queue
        verbose_name = _("plass på venteliste")
        verbose_name_plural = _("plasser på ventelister")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True) | models.Q(left_on__gte=models.F("joined_on")),
                name="gp_waiting_left_after_joined",
            ),
            models.UniqueConstraint(
                fields=["person"], condition=models.Q(left_on__isnull=True), name="gp_waiting_one_list_at_a_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.gp_list} {self.joined_on}"
