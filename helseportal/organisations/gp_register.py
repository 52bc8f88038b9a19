"""The GP register (fastlegeregisteret) behind an interface: whose list a person is on, and the lists there are.

Helfo keeps the register; Norsk helsenett serves it to health services (the FLR service). The portal asks it
through `gp_register()`, which builds the class named by HELSEPORTAL_GP_REGISTER, like the population register
(`identity.register`). Helsekontakter (issue 11, `records/contacts/`) shows her GP from `current`; Legemidler's
«Be om fornyelse» goes to that GP's office; Bytte fastlege (issue 12) browses `lists` and switches.

The interface is read-only here; the switch itself (at most twice a year, a waiting list) is issue 12's and is
added to the same Protocol when it is built. The fake for development, tests and the demo, and the client for the
real register, are in this module beside the Protocol.
"""

import datetime
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Doctor:
    """The GP who holds a list (fastlege), as the register names her: HPR number, name, gender, languages."""

    hpr: str
    name: str
    gender: str = ""  # "female" / "male" as the register says; "" when not stated
    languages: tuple[str, ...] = ()  # ISO 639-1 codes besides Norwegian


@dataclass(frozen=True)
class GpList:
    """One list (fastlegeliste) at a GP office: its doctor (None while the list has none), the office by
    organisasjonsnummer, the municipality, and its size."""

    list_id: str
    doctor: Doctor | None
    office_orgnr: str
    office_name: str
    municipality_number: str
    capacity: int  # listetak
    members: int
    waiting: int = 0  # on the list's waiting list

    @property
    def free_places(self) -> int:
        return max(self.capacity - self.members, 0)


@dataclass(frozen=True)
class Membership:
    """A person on a list from `since`, until `until` (None: still on it)."""

    gp_list: GpList
    since: datetime.date
    until: datetime.date | None = None


class GpRegister(Protocol):
    def current(self, pid: str, on: datetime.date) -> Membership | None:
        """The list the person is on, on `on`; None when she has no GP (or the register does not know her)."""
        ...

    def history(self, pid: str) -> list[Membership]:
        """Her lists, newest first, the current one included."""
        ...

    def lists(self, municipality_number: str) -> list[GpList]:
        """The lists in a municipality (Bytte fastlege browses them)."""
        ...


def gp_register() -> GpRegister:
    """The register this deployment talks to (HELSEPORTAL_GP_REGISTER)."""
    register: GpRegister = import_string(settings.HELSEPORTAL_GP_REGISTER)()
    return register
