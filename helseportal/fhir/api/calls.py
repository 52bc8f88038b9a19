"""One API call: who makes it, the base URL, what the client prefers, and what it touched (for the audit)."""

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from helseportal.core.actor import Actor
from helseportal.fhir import provider, scopes
from helseportal.fhir.outcome import Problem
from helseportal.fhir.provider import ResourceType
from helseportal.fhir.scopes import Interaction


@dataclass
class Call:
    actor: Actor
    base: str  # the absolute URL of the API's base, without the final slash
    strict: bool = False  # Prefer: handling=strict
    returns: str = ""  # Prefer: return=minimal|representation|OperationOutcome (lower-cased)
    touched: dict[str, tuple[list[str], set[int]]] = field(default_factory=dict)
    # Work done after the answer has left (`views.endpoint` runs it when the response closes): what must neither
    # delay nor change the answer (the audit of a refused look-up by fødselsnummer, `searching`).
    afterwards: list[Callable[[], None]] = field(default_factory=list)

    def url(self, path: str) -> str:
        return f"{self.base}/{path}"

    def touch(self, action: str, resources: Iterable[str], persons: Iterable[int | None]) -> None:
        """Remember what this call read or wrote, for the one audit call at its end."""
        ids, keys = self.touched.setdefault(action, ([], set()))
        ids.extend(resources)
        keys.update(person for person in persons if person is not None)

    def refuse(self, resource: str, person: int) -> None:
        """Remember a row this call asked for by id and may not see (answered 404 as a missing one), for the audit
        of the refusal: the person learns of it on her log page, the caller learns nothing."""
        self.touch("denied", [resource], [person])

    def audit(self) -> None:
        """Hand what the call touched to the auditor, once per action; nothing when it touched nothing."""
        for action, (ids, persons) in self.touched.items():
            if ids:
                provider.auditor()(self.actor, action, list(dict.fromkeys(ids)), sorted(persons))
        self.touched = {}


def not_found() -> Problem:
    """The one answer for a missing row and a row out of the caller's scope, so that a 404 tells nothing."""
    return Problem(_("Ressursen finnes ikke."), status=404, code="not-found")


def resource_type(name: str) -> ResourceType:
    found = provider.lookup(name)
    if found is None:
        raise Problem(_("Ressurstypen %(type)s støttes ikke.") % {"type": name}, status=404, code="not-supported")
    return found


def listed_type(name: str) -> ResourceType:
    """A type that may be searched and listed; one read by id only (`ResourceType.listed`: Binary) is a 405."""
    found = resource_type(name)
    if not found.listed:
        error = Problem(
            _("%(type)s kan bare hentes med id, ikke søkes i.") % {"type": name}, status=405, code="not-supported"
        )
        error.headers = {"Allow": ""}  # type: ignore[attr-defined]  # (RFC 9110 §10.2.1: no method on this URL)
        raise error
    return found


@functools.lru_cache(maxsize=4096)
def allowed(granted: frozenset[str], type_name: str, interaction: Interaction) -> bool:
    return scopes.allows(granted, type_name, interaction)


def require(call: Call, type_name: str, interaction: Interaction) -> None:
    """The SMART scope check (brief decision 3): 403 `forbidden` when no granted scope allows it."""
    if not allowed(call.actor.scopes, type_name, interaction):
        raise Problem(
            _("Tilgangen gir ikke lov til dette for %(type)s.") % {"type": type_name}, status=403, code="forbidden"
        )
