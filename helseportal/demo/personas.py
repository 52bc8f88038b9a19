"""The personas, with synthetic (Tenor-style) fødselsnummer and fictional units in two real municipalities.

Each persona's comment says what the access rules should give it; tests use these constants, never their own.
The organisation numbers are synthetic but carry valid mod-11 check digits.
"""

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class CitizenPersona:
    key: str
    pid: str
    given_name: str
    family_name: str
    street_address: str
    postcode: str
    post_place: str
    municipality_number: str
    address_protection: str = ""
    children: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class UnitPersona:
    key: str
    orgnr: str
    kind: str
    name: str
    street_address: str
    postcode: str
    post_place: str
    municipality_number: str
    municipality_name: str
    latitude: Decimal
    longitude: Decimal
    phone: str
    parent: str | None = None


@dataclass(frozen=True)
class PractitionerPersona:
    key: str
    hpr_number: str
    pid: str
    given_name: str
    family_name: str
    profession: str
    memberships: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    description: str = ""


OSLO = ("0301", "Oslo")
BERGEN = ("4601", "Bergen")

# Kari (32): adult, pregnant; parent of Ola and Nora; full access for herself.
KARI = CitizenPersona(
    "kari",
    "12839440144",
    "Kari",
    "Nordmann",
    "Kirkeveien 12",
    "0368",
    "Oslo",
    OSLO[0],
    children=("ola", "nora"),
    description="Voksen, gravid, mor til Ola og Nora",
)
# Ola (10): under 12 and lives with Kari, so she may act for him.
OLA = CitizenPersona(
    "ola",
    "20851651242",
    "Ola",
    "Nordmann",
    "Kirkeveien 12",
    "0368",
    "Oslo",
    OSLO[0],
    description="10 år; Kari kan bruke tjenester på hans vegne",
)
# Nora (15): logs in with MinID to the youth services; her youth items are hidden from Kari.
NORA = CitizenPersona(
    "nora",
    "03891153456",
    "Nora",
    "Nordmann",
    "Kirkeveien 12",
    "0368",
    "Oslo",
    OSLO[0],
    description="15 år; ungdomstjenester som foreldre ikke ser",
)
# Per (46): unrelated to Kari; sees nothing of hers.
PER = CitizenPersona(
    "per",
    "15818030107",
    "Per",
    "Hansen",
    "Strandgaten 5",
    "5013",
    "Bergen",
    BERGEN[0],
    description="Voksen uten tilknytning til Kari",
)
CITIZENS = (KARI, OLA, NORA, PER)

MAJORSTUEN_GP = UnitPersona(
    "gp_office",
    "910000004",
    "gp_office",
    "Kirkeveien legesenter",
    "Kirkeveien 64",
    "0364",
    "Oslo",
    *OSLO,
    Decimal("59.92880"),
    Decimal("10.71690"),
    "22 46 00 00",
)
HEALTH_STATION = UnitPersona(
    "health_station",
    "910002740",
    "health_station",
    "Frogner helsestasjon",
    "Frognerveien 20",
    "0263",
    "Oslo",
    *OSLO,
    Decimal("59.91940"),
    Decimal("10.71310"),
    "21 80 21 80",
)
HFU_OSLO = UnitPersona(
    "hfu_oslo",
    "910004115",
    "hfu",
    "Helsestasjon for ungdom Oslo sentrum",
    "Storgata 40",
    "0182",
    "Oslo",
    *OSLO,
    Decimal("59.91530"),
    Decimal("10.75690"),
    "21 80 21 81",
)
HFU_BERGEN = UnitPersona(
    "hfu_bergen",
    "910005480",
    "hfu",
    "Helsestasjon for ungdom Bergen sentrum",
    "Kong Oscars gate 15",
    "5017",
    "Bergen",
    *BERGEN,
    Decimal("60.39460"),
    Decimal("5.33140"),
    "55 56 55 56",
)
HFU_GRUNERLOKKA = UnitPersona(
    "hfu_grunerlokka",
    "910016008",
    "hfu",
    "Helsestasjon for ungdom Grünerløkka",
    "Thorvald Meyers gate 30",
    "0555",
    "Oslo",
    *OSLO,
    Decimal("59.92300"),
    Decimal("10.75900"),
    "21 80 21 90",
)
HFU_GRORUD = UnitPersona(
    "hfu_grorud",
    "910017373",
    "hfu",
    "Helsestasjon for ungdom Grorud",
    "Ammerudveien 22",
    "0958",
    "Oslo",
    *OSLO,
    Decimal("59.96100"),
    Decimal("10.88000"),
    "21 80 21 95",
)
HFU_FANA = UnitPersona(
    "hfu_fana",
    "910018744",
    "hfu",
    "Helsestasjon for ungdom Fana",
    "Østre Nesttunvegen 6",
    "5221",
    "Nesttun",
    *BERGEN,
    Decimal("60.31900"),
    Decimal("5.35300"),
    "55 56 55 70",
)
SCHOOL_OSLO = UnitPersona(
    "school_oslo",
    "910006851",
    "school",
    "Fjellhaug ungdomsskole",
    "Fjellhaugveien 3",
    "0369",
    "Oslo",
    *OSLO,
    Decimal("59.93210"),
    Decimal("10.72080"),
    "23 46 10 00",
)
SHT_OSLO = UnitPersona(
    "sht_oslo",
    "910008226",
    "sht",
    "Skolehelsetjenesten ved Fjellhaug ungdomsskole",
    "Fjellhaugveien 3",
    "0369",
    "Oslo",
    *OSLO,
    Decimal("59.93210"),
    Decimal("10.72080"),
    "23 46 10 10",
    parent="school_oslo",
)
SCHOOL_BERGEN = UnitPersona(
    "school_bergen",
    "910009591",
    "school",
    "Sjøsiden skole",
    "Sjøgaten 8",
    "5035",
    "Bergen",
    *BERGEN,
    Decimal("60.40370"),
    Decimal("5.32200"),
    "55 56 20 00",
)
SHT_BERGEN = UnitPersona(
    "sht_bergen",
    "910010964",
    "sht",
    "Skolehelsetjenesten ved Sjøsiden skole",
    "Sjøgaten 8",
    "5035",
    "Bergen",
    *BERGEN,
    Decimal("60.40370"),
    Decimal("5.32200"),
    "55 56 20 10",
    parent="school_bergen",
)
HOSPITAL = UnitPersona(
    "hospital",
    "910012339",
    "hospital",
    "Oslo sykehus",
    "Kirkeveien 166",
    "0450",
    "Oslo",
    *OSLO,
    Decimal("59.93650"),
    Decimal("10.73620"),
    "22 11 80 80",
)
BIRTH_UNIT = UnitPersona(
    "birth_unit",
    "910015079",
    "birth_unit",
    "Fødeavdelingen, Oslo sykehus",
    "Kirkeveien 166",
    "0450",
    "Oslo",
    *OSLO,
    Decimal("59.93650"),
    Decimal("10.73620"),
    "22 11 90 00",
    parent="hospital",
)
# The hospital's patient travel office: it handles Pasientreiser's claims (issue 12 item 5).
TRAVEL_OFFICE = UnitPersona(
    "travel_office",
    "910030000",
    "travel_office",
    "Pasientreisekontoret, Oslo sykehus",
    "Kirkeveien 166",
    "0450",
    "Oslo",
    *OSLO,
    Decimal("59.93650"),
    Decimal("10.73620"),
    "22 11 81 00",
    parent="hospital",
)
UNITS = (
    MAJORSTUEN_GP,
    HEALTH_STATION,
    HFU_OSLO,
    HFU_BERGEN,
    HFU_GRUNERLOKKA,
    HFU_GRORUD,
    HFU_FANA,
    SCHOOL_OSLO,
    SHT_OSLO,
    SCHOOL_BERGEN,
    SHT_BERGEN,
    HOSPITAL,
    BIRTH_UNIT,
    TRAVEL_OFFICE,
)

# Midwife Mette: HPR, works at the health station; Kari shares her card with her.
METTE = PractitionerPersona(
    "mette",
    "9144889",
    "02868546320",
    "Mette",
    "Berg",
    "Jordmor",
    memberships=(("health_station", "clinician"),),
    description="Jordmor ved Frogner helsestasjon",
)
# GP Lars: HPR, Kari's GP office; nothing of the pregnancy card is shared with him.
LARS = PractitionerPersona(
    "lars",
    "9100023",
    "08917237779",
    "Lars",
    "Bakken",
    "Lege",
    memberships=(("gp_office", "clinician"),),
    description="Fastlege ved Kirkeveien legesenter",
)
# School nurse Ingrid: Nora's school health service; clinician and editor of its page.
INGRID = PractitionerPersona(
    "ingrid",
    "9200345",
    "23847924683",
    "Ingrid",
    "Dahl",
    "Helsesykepleier",
    memberships=(("sht_oslo", "clinician"), ("sht_oslo", "editor"), ("hfu_oslo", "clinician")),
    description="Helsesykepleier ved Fjellhaug ungdomsskole",
)
# Case officer Siv: decides travel claims at the hospital's patient travel office; sees no health records. The staff
# side's login asks for an HPR number (`access.policy.is_clinician`), so she has one (a nurse by training).
SIV = PractitionerPersona(
    "siv",
    "9300456",
    "14838542035",
    "Siv",
    "Nilsen",
    "Sykepleier",
    memberships=(("travel_office", "case_officer"),),
    description="Saksbehandler ved pasientreisekontoret, Oslo sykehus",
)
# Doctor Tone: the operator of the usage statistics (issue 13); `helseportal demo` grants her the role. No unit role.
TONE = PractitionerPersona(
    "tone",
    "9400567",
    "11907945784",
    "Tone",
    "Lie",
    "Lege",
    description="Driftsoperatør: ser bruksstatistikken",
)
PRACTITIONERS = (METTE, LARS, INGRID, SIV, TONE)
# The practitioners `helseportal demo` makes operators of the usage statistics (stats/operators.py).
OPERATORS = (TONE,)
