"""Who one can log in as, and the claims each choice gives: the synthetic personas on the login page."""

import hashlib
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from helseportal.core.ids import InvalidPersonId, parse_pid
from helseportal.identity.devidp.providers import HELSEID
from helseportal.identity.models import Person, Practitioner

LOA_HIGH = "idporten-loa-high"


@dataclass(frozen=True)
class Method:
    """An ID-porten login method and the assurance level it gives."""

    key: str
    label: str
    acr: str
    amr: tuple[str, ...]


MINID = Method("minid", "MinID", "idporten-loa-substantial", ("Minid-PIN",))
BANKID = Method("bankid", "BankID", LOA_HIGH, ("BankID",))
METHODS = {m.key: m for m in (MINID, BANKID)}


@dataclass(frozen=True)
class NoHprPersona:
    """Health personnel with a HelseID login but no HPR number, such as a secretary at a GP office."""

    key = "uten-hpr"
    pid = "21837914067"  # synthetic (Tenor): 21.03.1979, month + 80
    given_name = "Siri"
    family_name = "Solberg"

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


NO_HPR = NoHprPersona()
SECURITY_LEVELS = ("4", "3")
ASSURANCE_BY_LEVEL = {"4": "high", "3": "substantial"}


class InvalidChoice(Exception):
    """The submitted login choice makes no sense; the message is shown on the login page."""


def methods_for(acr_values: str) -> tuple[Method, ...]:
    # The client asked for high (step-up): MinID cannot give it, so it is not offered.
    return (BANKID,) if LOA_HIGH in acr_values.split() else (MINID, BANKID)


def synthetic_pid(text: str) -> str:
    """Validate a typed fødselsnummer; only synthetic (Tenor) numbers, so no real person is ever impersonated."""
    try:
        pid = parse_pid(text, allow_synthetic=True)
    except InvalidPersonId as error:
        raise InvalidChoice(error.message) from None
    if not pid.synthetic:
        raise InvalidChoice(str(_("Bruk et syntetisk testnummer (måneden pluss 80), ikke et ekte fødselsnummer.")))
    return pid.value


def listed_pid(pid: str) -> str:
    """Check that a button's fødselsnummer belongs to a person on the list (the page shows it masked)."""
    if not Person.objects.filter(pid=pid).exists():
        raise InvalidChoice(str(_("Fant ikke personen du valgte.")))
    return pid


def citizen_claims(pid: str, method: Method) -> dict[str, Any]:
    return {"pid": pid, "acr": method.acr, "amr": list(method.amr), "locale": "nb"}


def practitioner_claims(hpr_number: str | None, level: str) -> dict[str, Any]:
    """HelseID's claims for a practitioner (by HPR number) or, without one, for the no-HPR persona."""
    if level not in SECURITY_LEVELS:
        raise InvalidChoice(str(_("Ukjent sikkerhetsnivå.")))
    claims: dict[str, Any] = {
        f"{HELSEID}/identity/security_level": level,
        f"{HELSEID}/identity/assurance_level": ASSURANCE_BY_LEVEL[level],
        "amr": ["pwd"],
    }
    if hpr_number is None:
        person: Practitioner | NoHprPersona = NO_HPR
        pid: str | None = NO_HPR.pid
    else:
        person = _practitioner(hpr_number)
        pid = person.pid
        claims[f"{HELSEID}/hpr/hpr_number"] = hpr_number
    if pid:
        claims[f"{HELSEID}/identity/pid"] = pid
    claims.update(name=person.full_name, given_name=person.given_name, family_name=person.family_name)
    return claims


def _practitioner(hpr_number: str) -> Practitioner:
    try:
        return Practitioner.objects.get(hpr_number=hpr_number)
    except Practitioner.DoesNotExist:
        raise InvalidChoice(str(_("Fant ikke helsepersonellet du valgte."))) from None


def session_claims(client_id: str, subject_key: str, sid: str, auth_time: int) -> dict[str, Any]:
    """The claims that come from the provider's session: pairwise sub, its sid and when the person authenticated."""
    return {
        # Pairwise (OIDC Core §8.1): another client would see another sub for the same person.
        "sub": hashlib.sha256(f"{client_id}:{subject_key}".encode()).hexdigest(),
        "sid": sid,
        "auth_time": auth_time,
    }
