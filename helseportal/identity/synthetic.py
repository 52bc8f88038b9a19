"""Names and addresses for a plausible synthetic person, whom the local population register invents for any
synthetic (Tenor) fødselsnummer (`register.LocalRegister`).

Skatteetaten's test persons (Tenor) have 80 added to the month. The local register knows only the persons in
this database, so a developer or a tester in ID-porten's test environment who types a new synthetic number was
told "Vi fant deg ikke i folkeregisteret". This makes the register answer for every valid synthetic number: the
birth date from the number, sex from the ninth digit (odd: male, as in a real fødselsnummer), a name and an
address in one of the demo's two municipalities chosen by a hash of the number, so the same number always gives
the same person. Real numbers get nothing.
"""

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
