"""The audit event codes: `"domain:object:verb"`, each with what it means to the citizen who reads the log.

A code is written into the append-only log and read back for as long as the log is kept, so a code is never
renamed and never reused for something else. To stop using one, leave it here (and in docs/audit-codes.md)
with its old meaning; the citizen's page must still be able to describe events written years ago.
Every code here is listed in docs/audit-codes.md; a test keeps the two the same.
"""

from collections.abc import Collection

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from helseportal.access.models import ServiceArea
from helseportal.access.rules import ACCOUNT, APPOINTMENTS, AREAS, MESSAGES, PREGNANCY

CODES: dict[str, Promise] = {
    "identity:login:succeeded": _("Logget inn"),
    "identity:login:failed": _("Innlogging mislyktes"),
    "identity:logout": _("Logget ut"),
    "identity:staff:granted": _("Fikk tilgang til publisering eller administrasjon"),
    "identity:staff:revoked": _("Mistet tilgang til publisering eller administrasjon"),
    "access:acting_for:started": _("Begynte å bruke tjenester på vegne av en annen"),
    "access:power_of_attorney:granted": _("Ga fullmakt"),
    "access:power_of_attorney:revoked": _("Trakk tilbake fullmakt"),
    "access:power_of_attorney:refused": _("Prøvde å gi fullmakt"),
    "access:youth_access:given": _("Ga samtykke til ungdomstilgang"),
    "access:youth_access:withdrawn": _("Trakk tilbake samtykke til ungdomstilgang"),
    "audit:log:read": _("Så hvem som har sett opplysningene"),
    "audit:retention:applied": _("Slettet logg eldre enn lagringstiden"),
    "profile:read": _("Så personopplysninger og kontaktinformasjon"),
    "profile:contact:updated": _("Endret kontaktinformasjon"),
    "access:sharing:granted": _("Delte opplysninger med helsepersonell"),
    "access:sharing:revoked": _("Stoppet deling med helsepersonell"),
    "pregnancy:card:read": _("Så helsekortet for gravide"),
    "pregnancy:card:exported": _("Lastet ned helsekortet som PDF"),
    "pregnancy:worklist:read": _("Så deg på arbeidslisten til helsepersonell"),
    "pregnancy:pregnancy:started": _("Registrerte et svangerskap"),
    "pregnancy:pregnancy:updated": _("Endret termin eller svangerskapsopplysninger"),
    "pregnancy:section:written": _("Skrev i helsekortet"),
    "pregnancy:consultation:added": _("La til en svangerskapskontroll"),
    "pregnancy:sf:added": _("Registrerte SF-mål"),
    "pregnancy:test:added": _("Registrerte et prøvesvar"),
    "pregnancy:measurement:added": _("Registrerte en egen måling"),
    "pregnancy:symptom:added": _("Registrerte et symptom"),
    "pregnancy:note:written": _("Skrev på huskelappen"),
    "pregnancy:form:saved": _("Lagret kartleggingsskjemaet"),
    "pregnancy:form:submitted": _("Sendte kartleggingsskjemaet"),
    # The survey on the forms engine (forms/queries.py `AREA_CODES`): its events in the card's area.
    "pregnancy:form:started": _("Begynte på kartleggingsskjemaet"),
    "pregnancy:form:draft_read": _("Så et utkast til kartleggingsskjemaet"),
    "pregnancy:form:read": _("Så det sendte kartleggingsskjemaet"),
    "pregnancy:form:exported": _("Lastet ned kartleggingsskjemaet som PDF"),
    "pregnancy:entry:entered_in_error": _("Markerte en oppføring som feilregistrert"),
    "pregnancy:earlier_birth:added": _("Registrerte en tidligere fødsel"),
    "pregnancy:ultrasound:added": _("Registrerte et ultralydresultat"),
    "pregnancy:nipt:added": _("Registrerte et NIPT-svar"),
    "pregnancy:vaccination:added": _("Registrerte en vaksine"),
    "pregnancy:birth:added": _("Registrerte fødselen"),
    "appointments:request:sent": _("Ba om time"),
    "appointments:request:read": _("Helsepersonell så timeønsket"),
    "appointments:request:answered": _("Helsepersonell svarte på timeønsket"),
    "appointments:list:read": _("Så timeavtalene"),
    "appointments:appointment:read": _("Så en timeavtale"),
    "appointments:appointment:booked": _("Fikk en timeavtale"),
    "appointments:appointment:changed": _("Timeavtalen ble endret"),
    "appointments:appointment:cancelled": _("Timeavtalen ble avlyst"),
    "appointments:appointment:completed": _("Timeavtalen ble gjennomført"),
    "appointments:appointment:exported": _("Lastet ned timeavtalen til kalenderen"),
    "appointments:calendar:read": _("Helsepersonell så timen i kalenderen"),
    "messaging:inbox:read": _("Så meldingene"),
    "messaging:thread:read": _("Leste en samtale"),
    "messaging:message:sent": _("Sendte en melding"),
    "messaging:message:corrected": _("Meldingen ble rettet"),
    "messaging:receipt:sent": _("Fikk en kvittering i Meldinger"),
    "messaging:attachment:read": _("Åpnet et vedlegg"),
    "messaging:thread:assigned": _("Meldingen ble fordelt til helsepersonell"),
    "messaging:thread:closed": _("Samtalen ble avsluttet"),
    "forms:list:read": _("Så skjemaene som er sendt"),
    "forms:draft:started": _("Begynte på et skjema"),
    "forms:draft:read": _("Så et utkast til et skjema"),
    "forms:response:saved": _("Lagret et utkast til et skjema"),
    "forms:response:submitted": _("Sendte et skjema"),
    "forms:response:read": _("Så et sendt skjema"),
    "forms:inbox:read": _("Helsepersonell så skjemaet på enhetens liste"),
    "forms:response:opened": _("Helsepersonell leste et sendt skjema"),
    "forms:response:exported": _("Lastet ned et sendt skjema som PDF"),
    "forms:form:imported": _("Et skjema ble lastet opp av enheten"),
    "forms:form:submitted": _("Et skjema ble sendt til godkjenning"),
    "forms:form:approved": _("Et skjema ble godkjent og publisert"),
    "forms:form:refused": _("Et skjema ble avvist"),
    "forms:form:retired": _("Et skjema ble trukket tilbake"),
    "smart:app:connected": _("Koblet en app til helseportalen"),
    "smart:app:disconnected": _("Koblet fra en app"),
    # The record services (issue 11): a page of the family was read (`records/pages.py`); `resources` names the
    # records shown. A family adds its other codes (an export, a request) under the same start.
    "records:medicines:read": _("Så legemidler og resepter"),
    "records:medicines:renewal_requested": _("Ba om fornyelse av resept"),
    "records:results:read": _("Så prøvesvar"),
    "records:vaccines:read": _("Så vaksiner"),
    "records:vaccines:exported": _("Lastet ned vaksinasjonsattest"),
    "records:documents:read": _("Så dokumenter fra pasientjournalen"),
    "records:documents:downloaded": _("Lastet ned et dokument fra pasientjournalen"),
    "records:documents:correction_requested": _("Ba om retting i pasientjournalen"),
    "records:referrals:read": _("Så henvisninger"),
    "records:contacts:read": _("Så helsekontakter"),
    # Frikort og egenandeler (issue 12 item 4, `copayments`): the pages, the card's PDF, and the card itself.
    "copayments:overview:read": _("Så egenandeler og frikort"),
    "copayments:card:exported": _("Lastet ned frikortet som PDF"),
    "copayments:card:issued": _("Fikk frikort for helsetjenester"),
    "copayments:card:changed": _("Frikortets gyldighetsdato ble endret"),
    "copayments:card:withdrawn": _("Frikortet ble trukket tilbake"),
    "copayments:copayment:registered": _("En egenandel for en pasientreise ble registrert"),
    # Bytte fastlege (issue 12 item 3, `gp`): the pages, the switch and the waiting list.
    "gp:overview:read": _("Så fastlegen sin"),
    "gp:lists:read": _("Så fastlegelister"),
    "gp:list:read": _("Så en fastlegeliste"),
    "gp:switch:requested": _("Byttet fastlege"),
    "gp:waiting:joined": _("Satte seg på venteliste hos en fastlege"),
    "gp:waiting:left": _("Meldte seg av ventelisten hos en fastlege"),
    # Fastlegetjenester (issue 12 item 2, `gpservices`): her GP office's page, and an e-consultation sent (its thread
    # in Meldinger is audited by messaging). The service catalogue (`offerings`): a unit's editor changed its terms
    # (no person's data: never on a citizen's log).
    "gpservices:office:read": _("Så fastlegetjenestene"),
    "gpservices:econsultation:sent": _("Sendte en e-konsultasjon til fastlegekontoret"),
    "offerings:offering:changed": _("Endret tjenestetilbudet til en enhet"),
    # Usage statistics (issue 13, `stats`): an operator asked who uses a configuration (aggregates, no subject).
    "stats:usage:read": _("Så hvilke enheter som bruker en konfigurasjon"),
    # Usage statistics (issue 13, `stats`): the operator role given and taken by command, and the operator's dashboard
    # read (its page or a table's CSV). Aggregates only, no subject: on no one's log.
    "stats:operator:granted": _("Fikk tilgang til bruksstatistikken"),
    "stats:operator:revoked": _("Mistet tilgang til bruksstatistikken"),
    "stats:dashboard:read": _("Så bruksstatistikken"),
    # Pasientreiser (issue 12 item 5, `travel`): her claims, the form on the engine, the case officer's steps.
    "travel:list:read": _("Så pasientreisene"),
    "travel:claim:read": _("Så en søknad om pasientreise"),
    "travel:claim:submitted": _("Søkte om dekning av en pasientreise"),
    "travel:claim:complained": _("Klaget på et vedtak om pasientreise"),
    "travel:queue:read": _("Så deg på pasientreisekontorets liste over saker"),
    "travel:claim:opened": _("Saksbehandler åpnet en sak om pasientreise"),
    "travel:claim:taken": _("Saksbehandler begynte på en sak om pasientreise"),
    "travel:claim:decided": _("Fikk vedtak i en sak om pasientreise"),
    "travel:claim:paid": _("En pasientreise ble utbetalt"),
    "travel:claim:reopened": _("Klagen på en pasientreise ble tatt opp til ny behandling"),
    # The claim form on the forms engine (forms/queries.py `AREA_CODES`): its events in the travel area.
    "travel:form:started": _("Begynte på en søknad om pasientreise"),
    "travel:form:saved": _("Lagret en søknad om pasientreise"),
    "travel:form:draft_read": _("Så et utkast til søknad om pasientreise"),
    "travel:form:read": _("Så en sendt søknad om pasientreise"),
    "travel:form:exported": _("Lastet ned en søknad om pasientreise som PDF"),
}

# The FHIR API (issue 10): an app or a record system read or wrote a person's data. One code per service area and
# interaction, `api:<area>:<action>`, so that the log knows whose representatives may see the event (by the area, as
# for every other code); the app or system is named by the event's actor fields. docs/audit-codes.md lists them by
# action with `<area>` for the area; the areas are `ServiceArea`'s values, which never change either.
API_ACTIONS = {
    "read": _("Hentet opplysninger ({area})"),
    "search": _("Søkte i opplysninger ({area})"),
    "create": _("Sendte inn opplysninger ({area})"),
    "update": _("Endret opplysninger ({area})"),
    "everything": _("Hentet alle opplysninger ({area})"),
    "denied": _("Ble nektet å hente opplysninger ({area})"),
}
API_AREAS = tuple(sorted(AREAS))
RECORD_FAMILY_AREAS = tuple(
    area.value
    for area in (
        ServiceArea.MEDICINES,
        ServiceArea.RESULTS,
        ServiceArea.VACCINES,
        ServiceArea.DOCUMENTS,
        ServiceArea.REFERRALS,
        ServiceArea.CONTACTS,
    )
)


def api_code(area: str, action: str) -> str:
    """The code of an API event (`api:appointments:read`); a `ValueError` for an area or action not registered."""
    if area not in API_AREAS or action not in API_ACTIONS:
        raise ValueError(f"no API audit code for area {area!r} and action {action!r}")
    return f"api:{area}:{action}"


CODES.update(
    {
        f"api:{area}:{action}": format_lazy(text, area=ServiceArea(area).label)
        for area in API_AREAS
        for action, text in API_ACTIONS.items()
    }
)


# The area each code's events belong to, by the code's start (the longest matching start wins). A representative
# (a parent, a proxy) sees an event on the log only when the rule table lets her use its area for the person
# (queries.log.visible_events): what she may not see in the service, she may not see in the log either.
# Derived from the code rather than stored, so events written before this table existed are covered too.
AREA_BY_PREFIX: dict[str, str] = {
    "identity:": ACCOUNT,
    "access:": ACCOUNT,
    "access:sharing:": PREGNANCY,  # only the pregnancy card can be shared with health personnel so far
    "audit:": ACCOUNT,
    "profile:": ACCOUNT,
    "pregnancy:": PREGNANCY,
    "appointments:": APPOINTMENTS,
    "messaging:": MESSAGES,
    # A form to a unit is a message with structure; the youth services' are hidden anyway; a form in an area with codes
    # of its own writes those (forms/queries.py `AREA_CODES`: the pregnancy survey's are `pregnancy:form:`).
    "forms:": MESSAGES,
    **{f"api:{area}:": area for area in API_AREAS},
    # The record services: each family's events belong to its own area (records/pages.py `Family.area`).
    **{f"records:{area}:": area for area in RECORD_FAMILY_AREAS},
    "smart:": ACCOUNT,
    "copayments:": ServiceArea.COPAYMENTS.value,
    "gp:": ServiceArea.GP.value,
    "gpservices:": ServiceArea.GP.value,
    # An e-consultation is a message to the office: not on the log of a parent of a 12–15-year-old (no Meldinger).
    "gpservices:econsultation:": MESSAGES,
    "offerings:": ACCOUNT,  # a unit's master data, written with no subject: never on anyone's log
    "stats:": ACCOUNT,  # usage statistics: aggregates with no subject, never on anyone's log
    "travel:": ServiceArea.PATIENT_TRAVEL.value,
}


def area_of(code: str) -> str | None:
    """The area of `code`'s events; None for a code no prefix covers (never shown to a representative)."""
    matches = [prefix for prefix in AREA_BY_PREFIX if code.startswith(prefix)]
    return AREA_BY_PREFIX[max(matches, key=len)] if matches else None


def codes_in(areas: Collection[str]) -> list[str]:
    """The registered codes whose events belong to one of `areas`."""
    return sorted(code for code in CODES if area_of(code) in areas)


def is_registered(code: str) -> bool:
    return code in CODES


def describe(code: str) -> str:
    """The code's meaning in the active language; the bare code for one this version does not know."""
    description = CODES.get(code)
    return str(description) if description is not None else code
