"""The population register (Folkeregisteret) behind an interface: name, address, parents, protected address.

`LocalRegister` answers from the persons already in this database (the demo data feeds it), and for any other
valid synthetic (Tenor) number with a plausible invented person: it is the fake for development, tests and
ID-porten's test environment. `FolkeregisteretRegister` asks Skatteetaten's API; it needs a Maskinporten token
and is chosen with
HELSEPORTAL_POPULATION_REGISTER=helseportal.identity.register.FolkeregisteretRegister.
"""

import hashlib
from dataclasses import dataclass
from typing import Protocol

import httpx2 as httpx
from django.conf import settings
from django.utils.module_loading import import_string

from helseportal.core.ids import InvalidPersonId, parse_pid
from helseportal.identity import synthetic
from helseportal.identity.models import ParentalResponsibility, Person


@dataclass(frozen=True)
class RegisterPerson:
    pid: str
    given_name: str
    family_name: str
    street_address: str = ""
    postcode: str = ""
    post_place: str = ""
    municipality_number: str = ""
    address_protection: str = ""  # "", "7" (fortrolig) or "6" (strengt fortrolig)
    children: tuple[str, ...] = ()  # pids of children the person has parental responsibility for


class PopulationRegister(Protocol):
    def lookup(self, pid: str) -> RegisterPerson | None: ...


class DatabaseRegister:
    """The register as this database knows it (demo data), and nobody else."""

    def lookup(self, pid: str) -> RegisterPerson | None:
        person = Person.objects.filter(pid=pid).first()
        if person is None:
            return None
        children = ParentalResponsibility.objects.filter(parent=person).values_list("child__pid", flat=True)
        return RegisterPerson(
            pid=person.pid,
            given_name=person.given_name,
            family_name=person.family_name,
            street_address=person.street_address,
            postcode=person.postcode,
            post_place=person.post_place,
            municipality_number=person.municipality_number,
            address_protection=person.address_protection,
            children=tuple(children),
        )


class LocalRegister(DatabaseRegister):
    """The fake for development, tests and staging: the database's persons, and a made-up person for any other
    synthetic (Tenor) number, as the test environments' register knows every Tenor person. Never a real number."""

    def lookup(self, pid: str) -> RegisterPerson | None:
        return super().lookup(pid) or invented_person(pid)


def invented_person(pid: str) -> RegisterPerson | None:
    """A person for a valid synthetic number, the same every time (`synthetic.py`); None for anything else."""
    try:
        parsed = parse_pid(pid, allow_synthetic=True)
    except InvalidPersonId:
        return None
    if not parsed.synthetic:
        return None
    digest = hashlib.sha256(f"helseportal-synthetic:{parsed.value}".encode()).digest()
    given = synthetic.GIVEN_MALE if int(parsed.value[8]) % 2 else synthetic.GIVEN_FEMALE
    street, postcode, place, municipality = synthetic.ADDRESSES[digest[2] % len(synthetic.ADDRESSES)]
    return RegisterPerson(
        pid=pid,
        given_name=given[digest[0] % len(given)],
        family_name=synthetic.FAMILY[digest[1] % len(synthetic.FAMILY)],
        street_address=f"{street} {1 + digest[3] % 60}",
        postcode=postcode,
        post_place=place,
        municipality_number=municipality,
    )


class FolkeregisteretRegister:
    """Skatteetaten's Folkeregisteret API (offentlig-med-hjemmel), with a Maskinporten bearer token.

    The field names follow Skatteetaten's published model as we read it (*unverified* against the live API:
    this machine has no access to it). Configure HELSEPORTAL_FREG_URL and HELSEPORTAL_FREG_TOKEN.
    """

    def __init__(self, base_url: str | None = None, token: str | None = None) -> None:
        self.base_url = (base_url or settings.HELSEPORTAL_FREG_URL).rstrip("/")
        self.token = token or settings.HELSEPORTAL_FREG_TOKEN

    def lookup(self, pid: str) -> RegisterPerson | None:
        response = httpx.get(
            f"{self.base_url}/v1/personer/{pid}",
            params={"part": ["navn", "bostedsadresse", "foreldreansvar", "adressebeskyttelse"]},
            headers={"Authorization": f"Bearer {self.token}"},
            timeout=10.0,
        )
        if response.status_code == 404:
            return None
        return _from_freg(pid, response.raise_for_status().json())


def _from_freg(pid: str, doc: dict) -> RegisterPerson:
    def current(part: str) -> dict:
        entries = doc.get(part) or [{}]
        return next((e for e in entries if e.get("erGjeldende")), entries[0])

    name, address = current("navn"), current("bostedsadresse").get("vegadresse", {})
    protection = {"fortrolig": "7", "strengtFortrolig": "6", "strengtFortroligUtland": "6"}
    return RegisterPerson(
        pid=pid,
        given_name=name.get("fornavn", ""),
        family_name=name.get("etternavn", ""),
        street_address=f"{address.get('adressenavn', '')} {_house_number(address)}".strip(),
        postcode=address.get("poststed", {}).get("postnummer", ""),
        post_place=address.get("poststed", {}).get("poststedsnavn", ""),
        municipality_number=address.get("kommunenummer", ""),
        address_protection=protection.get(current("adressebeskyttelse").get("gradering", ""), ""),
        children=tuple(
            e["ansvarssubjekt"]
            for e in doc.get("foreldreansvar", [])
            if e.get("erGjeldende") and e.get("ansvarlig") == pid and e.get("ansvarssubjekt")
        ),
    )


def _house_number(address: dict) -> str:
    return str(address.get("adressenummer", {}).get("husnummer", ""))


def population_register() -> PopulationRegister:
    register: PopulationRegister = import_string(settings.HELSEPORTAL_POPULATION_REGISTER)()
    return register
