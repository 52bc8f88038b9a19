"""Turn validated ID-token claims into an Actor: which person or practitioner, how strongly, in which role."""

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from helseportal.core.actor import Actor, Assurance, Role
from helseportal.core.ids import InvalidPersonId, parse_pid
from helseportal.identity import services
from helseportal.identity.oidc import LoginError

HELSEID_PID = "helseid://claims/identity/pid"
HELSEID_LEVEL = "helseid://claims/identity/security_level"
HELSEID_HPR = "helseid://claims/hpr/hpr_number"


def _pid(value: object) -> str:
    try:
        return parse_pid(str(value or ""), allow_synthetic=settings.HELSEPORTAL_TEST_IDENTITIES).value
    except InvalidPersonId as error:
        raise LoginError("invalid_pid", _("Fødselsnummeret fra innloggingen er ikke gyldig her.")) from error


def citizen_actor(claims: dict[str, Any]) -> Actor:
    """ID-porten: the client must check acr itself (Digdir's integration guide)."""
    assurance = Assurance.from_acr(str(claims.get("acr", "")))
    if assurance == Assurance.NONE:
        raise LoginError("unknown_acr", _("Innloggingen hadde et ukjent sikkerhetsnivå."))
    requested = Assurance.from_acr(claims.get("_acr_requested", ""))
    if assurance < requested:
        raise LoginError(
            "acr_too_low", _("Denne tjenesten krever innlogging med BankID, Buypass eller Commfides. Prøv igjen.")
        )
    person = services.ensure_person(_pid(claims.get("pid")))
    if person is None:
        raise LoginError("unknown_person", _("Vi fant deg ikke i folkeregisteret."))
    # A MinID login reaches the youth services only (DOMAIN.md §2); whether she is of youth age is access's rule
    # (access/rules.py YOUTH_AGES), asked where the youth services are offered.
    return Actor(
        role=Role.YOUTH if assurance == Assurance.SUBSTANTIAL else Role.CITIZEN,
        assurance=assurance,
        person_id=person.pk,
        subject_id=person.pk,
        display_name=person.full_name,
        subject_name=person.full_name,
    )


def practitioner_actor(claims: dict[str, Any]) -> Actor:
    """HelseID: clinical data needs security level 4 and an HPR number; HelseID does not decide access, we do."""
    level = str(claims.get(HELSEID_LEVEL, ""))
    if level != "4":
        raise LoginError(
            "security_level_too_low",
            _("Du logget inn med sikkerhetsnivå %(level)s. Helseopplysninger krever sikkerhetsnivå 4 i HelseID.")
            % {"level": level or "?"},
        )
    hpr = str(claims.get(HELSEID_HPR) or "").strip()
    if not hpr.isdigit():
        raise LoginError(
            "no_hpr",
            _(
                "Du er logget inn med HelseID, men du har ikke HPR-nummer i Helsepersonellregisteret. "
                "Bare autorisert helsepersonell kan se helseopplysninger her. Mener du at dette er feil, "
                "kontakt arbeidsgiveren din eller Helsedirektoratet."
            ),
        )
    practitioner = services.ensure_practitioner(
        hpr_number=hpr,
        pid=_pid(claims.get(HELSEID_PID)),
        given_name=str(claims.get("given_name", "")),
        family_name=str(claims.get("family_name", "")),
    )
    return Actor(
        role=Role.PRACTITIONER,
        assurance=Assurance.HIGH,
        practitioner_id=practitioner.pk,
        hpr_number=hpr,
        display_name=practitioner.full_name,
    )
