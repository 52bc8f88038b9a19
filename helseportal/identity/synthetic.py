"""A plausible synthetic person for any synthetic (Tenor) fødselsnummer, for the local population register.

Skatteetaten's test persons (Tenor) have 80 added to the month. The local register knows only the persons in
this database, so a developer or a tester in ID-porten's test environment who types a new synthetic number was
told "Vi fant deg ikke i folkeregisteret". This makes the register answer for every valid synthetic number: the
birth date from the number, sex from the ninth digit (odd: male, as in a real fødselsnummer), a name and an
address in one of the demo's two municipalities chosen by a hash of the number, so the same number always gives
the same person. Real numbers get nothing.
"""

import hashlib
from dataclasses import dataclass

from helseportal.core.ids import InvalidPersonId, parse_pid

GIVEN_FEMALE = ("Emma", "Nora", "Sofie", "Ingrid", "Sara", "Maja", "Ida", "Thea", "Hanne", "Linn", "Marte", "Silje")
GIVEN_MALE = ("Jakob", "Emil", "Lukas", "Filip", "Magnus", "Henrik", "Sander", "Jonas", "Erik", "Martin", "Ole", "Tor")
FAMILY = (
    "Hansen",
    "Johansen",
    "Olsen",
    "Larsen",
    "Andersen",
    "Pedersen",
    "Nilsen",
    "Kristiansen",
    "Jensen",
    "Karlsen",
    "Johnsen",
    "Pettersen",
    "Eriksen",
    "Berg",
    "Haugen",
    "Hagen",
)
# (street, postcode, post place, municipality number): postcodes the demo's postcode file knows.
ADDRESSES = (
    ("Kirkeveien", "0368", "Oslo", "0301"),
    ("Bogstadveien", "0364", "Oslo", "0301"),
    ("Thorvald Meyers gate", "0555", "Oslo", "0301"),
    ("Schweigaards gate", "0182", "Oslo", "0301"),
    ("Trondheimsveien", "0958", "Oslo", "0301"),
    ("Strandgaten", "5013", "Bergen", "4601"),
    ("Kong Oscars gate", "5017", "Bergen", "4601"),
    ("Sandviksveien", "5035", "Bergen", "4601"),
)


@dataclass(frozen=True)
class InventedPerson:
    given_name: str
    family_name: str
    street_address: str
    postcode: str
    post_place: str
    municipality_number: str


def invented_person(pid: str) -> InventedPerson | None:
    """Name and address for a valid synthetic number, the same every time; None for anything else."""
    try:
        parsed = parse_pid(pid, allow_synthetic=True)
    except InvalidPersonId:
        return None
    if not parsed.synthetic:
        return None
    digest = hashlib.sha256(f"helseportal-synthetic:{parsed.value}".encode()).digest()
    given = GIVEN_MALE if int(parsed.value[8]) % 2 else GIVEN_FEMALE
    street, postcode, place, municipality = ADDRESSES[digest[2] % len(ADDRESSES)]
    return InventedPerson(
        given_name=given[digest[0] % len(given)],
        family_name=FAMILY[digest[1] % len(FAMILY)],
        street_address=f"{street} {1 + digest[3] % 60}",
        postcode=postcode,
        post_place=place,
        municipality_number=municipality,
    )
