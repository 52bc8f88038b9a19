"""What the consent page tells a citizen an app will see, in plain words, per resource type in its scopes.

The API's sources decide what an app really gets (each asks `access` for its area); this table only names, for
the page, which service area each resource type belongs to, so the page can say "not for Nora" where the rule
table closes the area for a parent of a 12–15-year-old. The youth area belongs to no type: never shown.
"""

import datetime
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from helseportal.access import policy
from helseportal.access.rules import ACCOUNT, APPOINTMENTS, MESSAGES, PREGNANCY, RECORDS
from helseportal.core.actor import Actor
from helseportal.fhir.scopes import Context, Interaction, parse_all
from helseportal.smart.models import APP_TOKEN_SECONDS, OFFLINE_DAYS, ONLINE_SECONDS

# Resource type → (what it is, in the words of the page; the areas it belongs to; None: not personal health data).
TYPES: dict[str, tuple[Promise, tuple[str, ...] | None]] = {
    "Patient": (_("Navn, fødselsnummer, fødselsdato og adresse"), ()),
    "Appointment": (_("Timeavtaler og timeønsker"), (APPOINTMENTS,)),
    "Communication": (_("Meldinger til og fra helsetjenesten"), (MESSAGES,)),
    "Observation": (_("Målinger og prøvesvar, også fra helsekortet for gravide"), (PREGNANCY, RECORDS)),
    "EpisodeOfCare": (_("Svangerskapet: termin og forløp"), (PREGNANCY,)),
    "QuestionnaireResponse": (_("Skjemaer som er fylt ut, som kartleggingen før svangerskapskontrollen"), (PREGNANCY,)),
    "Consent": (_("Hvem helsekortet for gravide er delt med"), (PREGNANCY,)),
    "AuditEvent": (_("Hvem som har sett opplysningene (loggen)"), (ACCOUNT,)),
    "Practitioner": (_("Navn på helsepersonell som står i opplysningene"), None),
    "Organization": (_("Helsetjenester og virksomheter som står i opplysningene"), None),
    "HealthcareService": (_("Helsetjenester og virksomheter som står i opplysningene"), None),
}


@dataclass(frozen=True)
class Line:
    text: str
    may_change: bool  # create, update or delete, not only read
    available: bool  # false: the rule table closes it for this person (a parent of a 12–15-year-old)


def lines(scope: str, actor: Actor) -> list[Line]:
    """One line per kind of data the scopes open, for the person `actor` acts for, in the table's order."""
    permissions: dict[str, set[Interaction]] = {}
    for granted in parse_all(scope.split()):
        if granted.context != Context.PATIENT or granted.query:
            continue
        names = TYPES if granted.resource_type == "*" else [granted.resource_type]
        for name in names:
            permissions.setdefault(name, set()).update(granted.permissions)
    found: dict[str, Line] = {}
    for name, (text, areas) in TYPES.items():
        if name not in permissions or str(text) in found:
            continue
        change = bool(permissions[name] & {Interaction.CREATE, Interaction.UPDATE, Interaction.DELETE})
        found[str(text)] = Line(str(text), change, _available(actor, areas))
    return list(found.values())


def _available(actor: Actor, areas: tuple[str, ...] | None) -> bool:
    if not areas or actor.subject_id is None:
        return True
    return any(policy.check(actor, subject_id=actor.subject_id, area=area) for area in areas)


def lifetime_text(scope: str, now: datetime.datetime) -> str:
    """How long the app keeps access, as the consent page says it."""
    words = scope.split()
    if "offline_access" in words:
        until = (now + datetime.timedelta(days=OFFLINE_DAYS)).date()
        return str(
            _("til du kobler fra appen, men høyst %(days)s dager (til %(date)s)")
            % {"days": OFFLINE_DAYS, "date": until.strftime("%d.%m.%Y")}
        )
    if "online_access" in words:
        return str(_("i inntil %(minutes)s minutter") % {"minutes": ONLINE_SECONDS // 60})
    return str(_("i inntil %(minutes)s minutter") % {"minutes": APP_TOKEN_SECONDS // 60})


def identity_text(scope: str) -> str:
    """What the app learns about who is logged in (`openid fhirUser`), or nothing."""
    words = scope.split()
    if "openid" in words and "fhirUser" in words:
        return str(_("Appen får også vite hvem du er, slik at den kan vise navnet ditt."))
    return ""
