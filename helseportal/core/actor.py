"""The Actor: who makes a call, on whose behalf, how strongly authenticated, in which role.

Every service and query takes an Actor as its first argument (ARCHITECTURE.md rule 1). It holds plain keys,
not model instances, so the kernel depends on no domain and the Actor can live in the session as JSON.
"""

import enum
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Self


class Assurance(enum.IntEnum):
    """How strongly the person proved who they are. Ordered: a higher level satisfies a lower one."""

    NONE = 0
    SUBSTANTIAL = 1  # ID-porten idporten-loa-substantial (MinID)
    HIGH = 2  # ID-porten idporten-loa-high (BankID, Buypass, Commfides); HelseID security level 4

    @classmethod
    def from_acr(cls, acr: str) -> "Assurance":
        return {"idporten-loa-substantial": cls.SUBSTANTIAL, "idporten-loa-high": cls.HIGH}.get(acr, cls.NONE)

    @property
    def acr(self) -> str:
        return {Assurance.SUBSTANTIAL: "idporten-loa-substantial", Assurance.HIGH: "idporten-loa-high"}.get(self, "")


class Role(enum.StrEnum):
    ANONYMOUS = "anonymous"
    CITIZEN = "citizen"  # acting for themselves
    PARENT = "parent"  # acting for a child under parental responsibility
    PROXY = "proxy"  # acting for someone who gave power of attorney
    YOUTH = "youth"  # a MinID login: the youth services only, if access/rules.py says she is of youth age
    PRACTITIONER = "practitioner"  # HelseID, security level 4 with HPR
    EDITOR = "editor"  # unit staff editing pages, HelseID
    SYSTEM = "system"  # an API client (SMART backend services)


@dataclass(frozen=True)
class Actor:
    role: Role = Role.ANONYMOUS
    assurance: Assurance = Assurance.NONE
    person_id: int | None = None  # the logged-in citizen (identity.Person)
    subject_id: int | None = None  # whose data they act on; the person themselves unless acting for another
    practitioner_id: int | None = None  # identity.Practitioner
    hpr_number: str | None = None
    unit_id: int | None = None  # the unit a practitioner acts for (organisations.Unit)
    client_id: str | None = None  # a system client
    scopes: frozenset[str] = field(default_factory=frozenset)
    display_name: str = ""  # the logged-in person's name, shown in the header
    subject_name: str = ""  # the name of the person acted for, shown in the acting banner
    # The unit's name and organisasjonsnummer when whoever made the Actor read them anyway (SMART, from the system
    # client's row), so the audit record need not read the unit again; "" otherwise (then the audit reads them).
    unit_name: str = ""
    unit_orgnr: str = ""

    @property
    def is_authenticated(self) -> bool:
        return self.role != Role.ANONYMOUS

    @property
    def is_citizen(self) -> bool:
        return self.person_id is not None

    @property
    def is_practitioner(self) -> bool:
        return self.practitioner_id is not None

    @property
    def acts_for_other(self) -> bool:
        return self.person_id is not None and self.subject_id is not None and self.subject_id != self.person_id

    @property
    def own_person_id(self) -> int:
        """The logged-in citizen's key; for code the route level already restricts to citizens."""
        if self.person_id is None:
            raise PermissionError("this call needs a logged-in citizen")
        return self.person_id

    @property
    def subject_key(self) -> int:
        """Whose data the call is about; for code the route level already restricts to logged-in citizens."""
        if self.subject_id is None:
            raise PermissionError("this call needs a person to act on")
        return self.subject_id

    @property
    def practitioner_key(self) -> int:
        if self.practitioner_id is None:
            raise PermissionError("this call needs a logged-in practitioner")
        return self.practitioner_id

    def acting_for(self, subject_id: int, role: Role) -> Self:
        return replace(self, subject_id=subject_id, role=role)

    def to_session(self) -> dict[str, Any]:
        data = asdict(self)
        data["role"] = self.role.value
        data["assurance"] = int(self.assurance)
        data["scopes"] = sorted(self.scopes)
        return data

    @classmethod
    def from_session(cls, data: dict[str, Any] | None) -> "Actor":
        if not data:
            return ANONYMOUS
        return cls(
            **{
                **data,
                "role": Role(data["role"]),
                "assurance": Assurance(data["assurance"]),
                "scopes": frozenset(data.get("scopes", ())),
            }
        )


ANONYMOUS = Actor()
