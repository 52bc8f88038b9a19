import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from helseportal.core.ids import age_on, parse_pid


class AddressProtection(models.TextChoices):
    """Adressebeskyttelse in the population register; protected persons neither represent nor are represented."""

    NONE = "", _("Ingen")
    CONFIDENTIAL = "7", _("Fortrolig adresse (kode 7)")
    STRICTLY_CONFIDENTIAL = "6", _("Strengt fortrolig adresse (kode 6)")


class Person(models.Model):
    """A citizen, keyed by fødselsnummer or D-nummer; name and address as last read from the register."""

    pid = models.CharField(_("fødselsnummer"), max_length=11, unique=True)
    given_name = models.CharField(_("fornavn"), max_length=200)
    family_name = models.CharField(_("etternavn"), max_length=200)
    birth_date = models.DateField(_("fødselsdato"))
    street_address = models.CharField(_("adresse"), max_length=200, blank=True)
    postcode = models.CharField(_("postnummer"), max_length=4, blank=True)
    post_place = models.CharField(_("poststed"), max_length=100, blank=True)
    municipality_number = models.CharField(_("kommunenummer"), max_length=4, blank=True)
    address_protection = models.CharField(
        _("adressebeskyttelse"), max_length=1, choices=AddressProtection.choices, blank=True, default=""
    )
    # Contact details and choices the person keeps on their profile (not from the register).
    email = models.EmailField(_("e-post"), blank=True)
    mobile = models.CharField(_("mobilnummer"), max_length=8, blank=True)
    preferred_language = models.CharField(_("språk"), max_length=2, blank=True)
    notify_by_email = models.BooleanField(_("varsel på e-post"), default=False)
    notify_by_sms = models.BooleanField(_("varsel på SMS"), default=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("personer")

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: object, **kwargs: object) -> None:
        # The birth date is derived from the number, never typed in separately.
        self.birth_date = parse_pid(self.pid, allow_synthetic=True).birth_date
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def masked_pid(self) -> str:
        return self.pid[:6] + "*****"

    def age_on(self, day: datetime.date) -> int:
        return age_on(self.birth_date, day)


class ParentalResponsibility(models.Model):
    """Foreldreansvar as registered in the population register: `parent` has it for `child`."""

    parent = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="responsible_for")
    child = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="responsible_parents")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["parent", "child"], name="unique_parental_responsibility")]

    def __str__(self) -> str:
        return f"{self.parent} → {self.child}"


class Practitioner(models.Model):
    """Health personnel, keyed by their number in the health-personnel register (HPR)."""

    hpr_number = models.CharField(_("HPR-nummer"), max_length=9, unique=True)
    pid = models.CharField(_("fødselsnummer"), max_length=11, unique=True, null=True, blank=True)
    given_name = models.CharField(_("fornavn"), max_length=200)
    family_name = models.CharField(_("etternavn"), max_length=200)
    profession = models.CharField(_("yrke"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("helsepersonell")
        verbose_name_plural = _("helsepersonell")

    def __str__(self) -> str:
        return f"{self.full_name} (HPR {self.hpr_number})"

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


class LoginSession(models.Model):
    """Which of our sessions belongs to a provider session (`sid`), for front-channel logout."""

    issuer = models.CharField(max_length=300)
    sid = models.CharField(max_length=200)
    session_key = models.CharField(max_length=40)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["issuer", "sid"]), models.Index(fields=["created"])]

    def __str__(self) -> str:
        return f"{self.issuer} {self.sid}"


class FailedLoginCount(models.Model):
    """How many failed logins one source (a keyed hash of its address) has had in one time window.

    The callback is open to anyone, and each refused login writes an audit event: without a limit a script could
    fill the append-only audit log. The count lives in the database so every app process shares it.
    """

    source = models.CharField(max_length=64)
    window = models.BigIntegerField()  # seconds since the epoch // the window's length
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "window"], name="unique_failed_login_window")]

    def __str__(self) -> str:
        return f"{self.source[:8]}… {self.window}: {self.count}"


class StaffAccount(models.Model):
    """An editor's or administrator's Django user, reached by logging in with HelseID as this HPR number.

    /cms/ (Wagtail) and /admin/ (Django) have no password login: an operator links a practitioner to a Django
    user with `helseportal staff grant`, and a HelseID login at security level 4 with that HPR number logs the
    user in as well (`identity.services.grant_staff`, and the login in `identity.views`).
    """

    hpr_number = models.CharField(_("HPR-nummer"), max_length=9, unique=True)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_account")
    granted = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tilgang til publisering og drift")
        verbose_name_plural = _("tilganger til publisering og drift")

    def __str__(self) -> str:
        return f"HPR {self.hpr_number} → {self.user}"
