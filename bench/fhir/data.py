"""The data every stack serves: the schema by the project's migrations, the demo units and personas, 2,000
synthetic persons and 100,000 lab Observations received from the GP office's EPJ (50 per person, two years back).

Run after `django.setup()` with DATABASE_URL pointing at the benchmark's cluster (bench/fhir/__main__.py).
The persons are bulk-created as in `bench/scale.py` (valid synthetic fødselsnummer); the Observations are
bulk-created in the received-record store (`records.models.Record`) as its writer stores them. The values are
synthetic: random numbers in a broad band per analysis, with no reference range or interpretation.
"""

import datetime
import random
from dataclasses import dataclass

from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from bench.fhir import store

PERSONS = 2_000
OBSERVATIONS = 100_000
DAYS_BACK = 730
SOURCE_SYSTEM = "http://epj.example/observation-id"  # the EPJ's own business identifiers (not ours: not LOCAL)
LOINC, UCUM = "http://loinc.org", "http://unitsofmeasure.org"
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
# (LOINC code, display, UCUM unit, low, high): the band random values are drawn from (synthetic, not clinical).
ANALYSES = (
    ("718-7", "Hemoglobin [Mass/volume] in Blood", "g/dL", 9.0, 18.0),
    ("4548-4", "Hemoglobin A1c/Hemoglobin.total in Blood", "%", 4.0, 10.0),
    ("14682-9", "Creatinine [Moles/volume] in Serum or Plasma", "umol/L", 40.0, 160.0),
    ("1988-5", "C reactive protein [Mass/volume] in Serum or Plasma", "mg/L", 0.5, 80.0),
    ("2823-3", "Potassium [Moles/volume] in Serum or Plasma", "mmol/L", 3.0, 5.5),
    ("15074-8", "Glucose [Moles/volume] in Blood", "mmol/L", 3.5, 12.0),
)


@dataclass(frozen=True)
class Dataset:
    unit_id: int
    unit_orgnr: str
    unit_name: str
    person_ids: list[int]  # the persons with Observations
    observation_ids: list[str]  # logical ids, a sample
    observations: int

    def as_json(self) -> dict[str, object]:
        return {
            "unit_id": self.unit_id,
            "unit_orgnr": self.unit_orgnr,
            "unit_name": self.unit_name,
            "person_ids": self.person_ids,
            "observation_ids": self.observation_ids,
            "observations": self.observations,
        }


def migrate() -> None:
    call_command("migrate", verbosity=0, interactive=False)


def observation_json(
    rng: random.Random, person_id: int, unit: tuple[int, str, str], when: datetime.datetime, n: int
) -> dict[str, object]:
    """One lab result as the records store keeps it (as received, without `id` and `meta`, the subject as our
    key): business identifier, LOINC code, the performing unit by key and organisasjonsnummer, a UCUM quantity."""
    code, display, ucum, low, high = ANALYSES[n % len(ANALYSES)]
    unit_id, orgnr, unit_name = unit
    return {
        "resourceType": "Observation",
        "identifier": [{"system": SOURCE_SYSTEM, "value": f"lab-{n}"}],
        "status": "final",
        "category": [{"coding": [{"system": CATEGORY, "code": "laboratory"}]}],
        "code": {"coding": [{"system": LOINC, "code": code, "display": display}]},
        "subject": {"reference": f"Patient/{person_id}"},
        "effectiveDateTime": when.isoformat(),
        "issued": (when + datetime.timedelta(hours=rng.randint(2, 30))).isoformat(),
        "performer": [
            {
                "reference": f"Organization/{unit_id}",
                "identifier": {"system": "urn:oid:2.16.578.1.12.4.1.4.101", "value": orgnr},
                "display": unit_name,
            }
        ],
        "valueQuantity": {"value": round(rng.uniform(low, high), 1), "unit": ucum, "system": UCUM, "code": ucum},
    }


def load(persons: int = PERSONS, observations: int = OBSERVATIONS, sample: int = 20_000) -> Dataset:
    # After django.setup(): the models and bench.scale (which reads the URLconf) import here.
    from bench.scale import synthetic_pids
    from helseportal.core.ids import parse_pid
    from helseportal.demo import personas
    from helseportal.demo.loader import load_demo
    from helseportal.identity.models import Person
    from helseportal.organisations.models import Unit
    from helseportal.records.models import Record

    rng = random.Random(10)  # noqa: S311 -- synthetic data, seeded so every run loads the same
    with transaction.atomic():
        load_demo()
        unit = Unit.objects.get(orgnr=personas.MAJORSTUEN_GP.orgnr)
        taken = set(Person.objects.values_list("pid", flat=True))
        given = ("Ada", "Emil", "Ingrid", "Jonas", "Leah", "Noah", "Sara", "Aksel", "Nora", "Olav", "Maja", "Filip")
        family = ("Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Berg")
        people = Person.objects.bulk_create(
            Person(
                pid=pid,
                given_name=rng.choice(given),
                family_name=rng.choice(family),
                birth_date=parse_pid(pid, allow_synthetic=True).birth_date,
            )
            for pid in synthetic_pids(persons, rng, taken)
        )
    now = timezone.now().replace(microsecond=0)
    unit_key = (unit.pk, unit.orgnr, unit.shown_name)
    per_person = observations // len(people)
    rows = []
    for n in range(per_person * len(people)):
        person = people[n // per_person]
        when = now - datetime.timedelta(minutes=rng.randrange(DAYS_BACK * 24 * 60))
        rows.append(
            Record(
                person_id=person.pk,
                resource_type="Observation",
                resource=observation_json(rng, person.pk, unit_key, when, n),
                code_system=LOINC,
                code=ANALYSES[n % len(ANALYSES)][0],
                category_system=CATEGORY,
                category="laboratory",
                effective=when,
                status="final",
                identifier_system=SOURCE_SYSTEM,
                identifier_value=f"lab-{n}",
                source_unit_id=unit.pk,
                source_client="bench-epj",
            )
        )
    with transaction.atomic():
        Record.objects.bulk_create(rows, batch_size=5_000)
    layout = store.LAYOUT
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # the planner's statistics, as a database in use has them
        sample_sql = f"SELECT {layout.id} FROM {layout.table} ORDER BY random() LIMIT %s"  # noqa: S608 -- a constant
        cursor.execute(sample_sql, [sample])
        ids = [f"{layout.id_prefix}{row[0]}" for row in cursor.fetchall()]
        cursor.execute(f"SELECT count(*) FROM {layout.table}")  # noqa: S608 -- a constant table name
        (count,) = cursor.fetchone()
    return Dataset(unit.pk, unit.orgnr, unit.shown_name, [p.pk for p in people], ids, int(count))
