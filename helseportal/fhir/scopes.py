"""SMART on FHIR scopes: what a token lets its holder do, read by the API before anything else.

SMART App Launch 2.0 (https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html): a scope is
`<context>/<resource type or *>.<permissions>`, the context `patient`, `user` or `system`, the permissions a
subset of `cruds` in that order (create, read, update, delete, search). The SMART 1.0 forms `.read`, `.write`
and `.*` are accepted as their 2.0 equivalents (`rs`, `cud`, `cruds`), as the specification asks of servers.
Granular scopes with a query (`patient/Observation.rs?category=…`) are parsed but their query is not honoured
yet: such a scope grants nothing (we refuse rather than over-grant).

This module knows nothing of tokens or clients: the authorization server (`helseportal.smart`) puts the granted
scopes on the `Actor`; the API asks `allows(actor.scopes, "Appointment", Interaction.SEARCH)`.
"""

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass


class Context(enum.StrEnum):
    PATIENT = "patient"  # a citizen's app: the one patient in the token's launch context
    USER = "user"  # whatever the logged-in user may see (not offered yet)
    SYSTEM = "system"  # a backend service (SMART Backend Services): its organisation's patients


class Interaction(enum.StrEnum):
    """A FHIR interaction by the SMART permission letter that allows it."""

    CREATE = "c"
    READ = "r"  # read, vread, history of an instance, $everything
    UPDATE = "u"
    DELETE = "d"
    SEARCH = "s"  # search, _include, history of a type


PERMISSION_ORDER = "cruds"
V1 = {"read": "rs", "write": "cud", "*": "cruds"}
_SCOPE = re.compile(r"^(patient|user|system)/([A-Za-z]+|\*)\.([a-z*]+)(\?.*)?$")


@dataclass(frozen=True)
class Scope:
    context: Context
    resource_type: str  # a resource type, or "*"
    permissions: frozenset[Interaction]
    query: str = ""  # a granular scope's constraint; such a scope grants nothing yet

    def grants(self, resource_type: str, interaction: Interaction) -> bool:
        if self.query:
            return False
        return self.resource_type in ("*", resource_type) and interaction in self.permissions

    def __str__(self) -> str:
        letters = "".join(letter for letter in PERMISSION_ORDER if Interaction(letter) in self.permissions)
        return f"{self.context}/{self.resource_type}.{letters}{self.query}"


def parse(text: str) -> Scope | None:
    """One scope string, or None for anything that is not a resource scope (`openid`, `launch/patient`, junk)."""
    match = _SCOPE.match(text)
    if not match:
        return None
    context, resource_type, permissions, query = match.groups()
    permissions = V1.get(permissions, permissions)
    if not permissions or any(letter not in PERMISSION_ORDER for letter in permissions):
        return None
    ordered = "".join(letter for letter in PERMISSION_ORDER if letter in permissions)
    if ordered != permissions:  # SMART 2.0: the letters in the order c, r, u, d, s, each once
        return None
    return Scope(Context(context), resource_type, frozenset(Interaction(letter) for letter in permissions), query or "")


def parse_all(texts: Iterable[str]) -> list[Scope]:
    return [scope for text in texts if (scope := parse(text)) is not None]


def allows(scopes: Iterable[str], resource_type: str, interaction: Interaction) -> bool:
    """Whether any of the granted scopes allows this interaction on this resource type."""
    return any(scope.grants(resource_type, interaction) for scope in parse_all(scopes))


def contexts(scopes: Iterable[str]) -> set[Context]:
    return {scope.context for scope in parse_all(scopes)}
