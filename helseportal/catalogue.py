"""The services the portal offers, as shown on the front page.

A service counts as available only when its start page's URL name resolves: the list can never claim a
service that is not built. `../shared/DOMAIN.md` §1 is the source of the list. Each service names the access
area it belongs to, so /min-side/ can ask `access` which of them the acting person may use.

Each service has a stable `key` ("pregnancy", "messages", …): the usage statistics count page views and
transactions under it (`stats`, ADR 0016), so a key is never renamed or reused, like an audit code. `SERVICES` is
the front page's list; `COUNTED` adds the citizen's pages that are not a service on it (Min side, her profile,
"Hvem har sett") but are counted all the same. `by_key(key)` finds either.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from helseportal.access.models import ServiceArea
from helseportal.access.rules import ACCOUNT, APPOINTMENTS, MESSAGES, PREGNANCY, YOUTH


@dataclass(frozen=True)
class Service:
    key: str  # stable: the statistics' name of the service (never renamed)
    name: Promise
    summary: Promise
    url_name: str
    area: str  # the access area (access/rules.py) that decides who may use it

    @property
    def url(self) -> str | None:
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return None

    @property
    def available(self) -> bool:
        return self.url is not None


SERVICES = (
    Service(
        "pregnancy",
        _("Helsekort for gravide"),
        _("Svangerskapet uke for uke, egne målinger og skjema, og helsekortet du deler med jordmor."),
        "pregnancy:overview",
        PREGNANCY,
    ),
    Service(
        "youth",
        _("Ungdom: helsesykepleier og helsestasjon for ungdom"),
        _("For deg mellom 13 og 16 år: se skolehelsetjenesten på skolen din og be om time."),
        "youth:school",
        YOUTH,
    ),
    Service(
        "messages",
        _("Meldinger"),
        _("Send og motta sikre meldinger med fastlegekontoret, helsestasjonen og sykehuset."),
        "messaging:inbox",
        MESSAGES,
    ),
    Service(
        "forms",
        _("Skjemaer"),
        _("Fyll ut og send skjemaer til fastlegekontoret og andre helsetjenester, og se skjemaene du har sendt."),
        "forms:list",
        MESSAGES,  # the area of a form to a unit (forms/services.py `area_for`); the youth's are on the youth pages
    ),
    Service(
        "appointments",
        _("Timeavtaler"),
        _("Se kommende og tidligere timer, avlys eller endre der det er mulig."),
        "appointments:list",
        APPOINTMENTS,
    ),
    Service(
        "medicines",
        _("Legemidler"),
        _("Se gyldige resepter og utleveringer, og be om fornyelse der fastlegen tilbyr det."),
        "records:medications",
        ServiceArea.MEDICINES.value,
    ),
    Service(
        "gpservices",
        _("Fastlegetjenester"),
        _("Bestill time, forny resept, e-konsultasjon og kontakt med fastlegekontoret."),
        "gpservices:overview",
        ServiceArea.GP.value,
    ),
    Service(
        "documents",
        _("Pasientjournal"),
        _("Les dokumenter fra sykehusjournalen og se hvem som har lest den."),
        "records:journal",
        ServiceArea.DOCUMENTS.value,
    ),
    Service(
        "referrals",
        _("Henvisninger"),
        _("Se henvisninger til spesialisthelsetjenesten, status og frist."),
        "records:referrals",
        ServiceArea.REFERRALS.value,
    ),
    Service(
        "copayments",
        _("Frikort og egenandeler"),
        _("Se egenandeler som er registrert mot egenandelstaket og om du har frikort."),
        "copayments:overview",
        ServiceArea.COPAYMENTS.value,
    ),
    Service(
        "results",
        _("Prøvesvar"),
        _("Se svar på laboratorieprøver og røntgenundersøkelser."),
        "records:results",
        ServiceArea.RESULTS.value,
    ),
    Service(
        "gp",
        _("Bytte fastlege"),
        _("Se fastlegen din, finn leger med ledige plasser og bytt."),
        "gp:overview",
        ServiceArea.GP.value,
    ),
    Service(
        "travel",
        _("Pasientreiser"),
        _("Søk om å få dekket reiseutgifter til behandling og følg saken."),
        "travel:overview",
        ServiceArea.PATIENT_TRAVEL.value,
    ),
    Service(
        "vaccines",
        _("Vaksiner"),
        _("Se vaksinene dine og barnas fra Nasjonalt vaksinasjonsregister, og skriv ut vaksinekort."),
        "records:vaccines",
        ServiceArea.VACCINES.value,
    ),
    Service(
        "contacts",
        _("Helsekontakter"),
        _("Se fastlege og kommunale helsekontakter som helsestasjon og skolehelsetjeneste."),
        "records:contacts",
        ServiceArea.CONTACTS.value,
    ),
)

# Not on the front page, but her pages all the same: counted under these keys (stats/pages.py).
COUNTED = (
    Service(
        "home",
        _("Min side"),
        _("Startsiden etter innlogging, og valget av hvem du bruker tjenestene for."),
        "home",
        ACCOUNT,
    ),
    Service(
        "profile",
        _("Profil og innstillinger"),
        _("Kontaktinformasjon, fullmakter, ungdomstilgang og tilkoblede apper."),
        "access:profile",
        ACCOUNT,
    ),
    Service(
        "audit_log",
        _("Hvem har sett opplysningene"),
        _("Loggen over hvem som har sett og endret opplysningene dine."),
        "audit:log",
        ACCOUNT,
    ),
    Service(
        "login",
        _("Innlogging"),
        _("Innlogging med ID-porten eller HelseID."),
        "identity:login",
        ACCOUNT,
    ),
)

_BY_KEY = {service.key: service for service in (*SERVICES, *COUNTED)}


def by_key(key: str) -> Service | None:
    """The service with this statistics key, on the front page or not; None for a key nobody gave."""
    return _BY_KEY.get(key)


def keys() -> frozenset[str]:
    """Every service key the portal has."""
    return frozenset(_BY_KEY)
