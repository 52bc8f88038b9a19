"""*Vergeinnsynsreservasjon* on received records: a source marks an item with our security label; the row keeps it;
nobody acting for the patient finds the item, by search, by id, in `_total`, in `$everything` or its history, while
the patient herself and the source that sent it do."""

from typing import Any

import pytest

from helseportal.access import policy
from helseportal.access.tests.test_policy import child_of, power
from helseportal.core.actor import Actor, Role
from helseportal.demo import personas
from helseportal.fhir.testing import api
from helseportal.identity.models import Person
from helseportal.records import extract, services
from helseportal.records.models import Record
from helseportal.records.tests.conftest import citizen_app, key, person, result

pytestmark = pytest.mark.django_db
BASE = "/fhir/R4"
LABEL = {"system": "urn:helseportal:security-label", "code": "vergeinnsynsreservasjon"}


def reserved(label: str, pid: str, **changes: Any) -> dict[str, Any]:
    return result(label, pid, meta={"security": [LABEL]}, **changes)


def app_for(parent: Person, child: Person) -> Actor:
    """A parent's app launched for her child (the logged-in person is the parent, the patient the child)."""
    return Actor(
        role=Role.PARENT,
        assurance=citizen_app(personas.KARI, personas.KARI).assurance,
        person_id=parent.pk,
        subject_id=child.pk,
        client_id="helseapp",
        scopes=frozenset({"patient/*.rs"}),
    )


def ids(bundle: dict[str, Any], kind: str = "Observation") -> list[str]:
    return sorted(e["resource"]["id"] for e in bundle.get("entry", []) if e["resource"]["resourceType"] == kind)


# --- What the store reads ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        ({"security": [LABEL]}, True),
        (
            {"security": [{"system": "http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "code": "R"}, LABEL]},
            True,
        ),
        ({"security": [{**LABEL, "system": "urn:other"}]}, False),
        ({"security": [{**LABEL, "code": "other"}]}, False),
        ({"security": "vergeinnsynsreservasjon"}, False),
        ({}, False),
        (None, False),
    ],
)
def test_the_label_is_read_from_meta_security(meta: Any, expected: bool):
    resource = {"resourceType": "Observation"} | ({"meta": meta} if meta is not None else {})
    assert extract.guardian_reserved(resource) is expected


def test_the_row_keeps_the_label_and_a_re_send_that_only_changes_it_is_a_change(gp: Actor):
    services.receive(gp, reserved("r", personas.OLA.pid))
    assert Record.objects.get().guardian_reserved
    lifted = services.receive(gp, result("r", personas.OLA.pid))
    assert lifted.outcome.value == "updated"
    assert not Record.objects.get().guardian_reserved
    services.receive(gp, reserved("r", personas.OLA.pid))
    assert Record.objects.get().guardian_reserved
    assert Record.objects.count() == 1


# --- The one filter ------------------------------------------------------------------------------------------------


def test_records_visible_leaves_reserved_rows_out_for_a_parent_and_in_for_the_youth(gp: Actor):
    services.receive(gp, reserved("hidden", personas.NORA.pid))
    services.receive(gp, result("open", personas.NORA.pid))
    kari, nora = person(personas.KARI), person(personas.NORA)
    rows = Record.objects.filter(person=nora)
    as_parent = citizen_app(personas.KARI, personas.KARI).acting_for(nora.pk, Role.PARENT)
    as_herself = citizen_app(personas.NORA, personas.NORA)
    seen = {
        who: sorted(policy.records_visible(actor, rows).values_list("identifier_value", flat=True))
        for who, actor in (("parent", as_parent), ("youth", as_herself), ("source", gp))
    }
    assert seen == {"parent": [key("open")], "youth": sorted([key("hidden"), key("open")]), "source": seen["youth"]}
    assert policy.records_visible(as_parent, rows).count() == 1  # a count a parent's page shows
    assert not policy.item_visible(as_parent, reserved=True)
    assert policy.item_visible(as_herself, reserved=True)
    assert kari.pk != nora.pk


# --- Through the FHIR API ------------------------------------------------------------------------------------------


@pytest.fixture
def olas(gp: Actor) -> dict[str, str]:
    """The GP office sent Ola (10) two results, one of them reserved; their logical ids by label."""
    client = api(gp)
    made = {
        label: client.post(f"{BASE}/Observation", resource).json()["id"]
        for label, resource in (
            ("open", result("open", personas.OLA.pid)),
            ("hidden", reserved("hidden", personas.OLA.pid)),
        )
    }
    return made


def test_the_source_reads_back_the_label_it_sent(gp: Actor, olas: dict[str, str]):
    served = api(gp).get(f"{BASE}/Observation/{olas['hidden']}").json()
    assert LABEL in served["meta"]["security"]
    assert "security" not in api(gp).get(f"{BASE}/Observation/{olas['open']}").json()["meta"]


def test_a_parent_s_app_never_finds_the_reserved_observation(olas: dict[str, str]):
    client = api(app_for(person(personas.KARI), person(personas.OLA)))
    ola = person(personas.OLA).pk
    searched = client.get(f"{BASE}/Observation?subject=Patient/{ola}&_total=accurate").json()
    assert ids(searched) == [olas["open"]]
    assert searched["total"] == 1
    assert client.get(f"{BASE}/Observation/{olas['hidden']}").status_code == 404
    assert client.get(f"{BASE}/Observation/{olas['hidden']}/_history").status_code == 404
    assert client.get(f"{BASE}/Observation/{olas['hidden']}/_history/1").status_code == 404
    everything = client.get(f"{BASE}/Patient/{ola}/$everything").json()
    assert ids(everything) == [olas["open"]]
    assert not [e for e in everything["entry"] if e.get("fullUrl", "").endswith(f"Observation/{olas['hidden']}")]
    assert client.get(f"{BASE}/Observation/{olas['open']}").status_code == 200


def test_the_youth_herself_reads_it_and_her_parent_with_a_power_does_not(gp: Actor):
    kari = person(personas.KARI)
    sixteen = child_of(kari, 16)  # helserettslig myndig: her own app reads her results
    power(sixteen, kari, "all")
    client = api(gp)
    hidden = client.post(f"{BASE}/Observation", reserved("h16", sixteen.pid)).json()["id"]
    shown = client.post(f"{BASE}/Observation", result("o16", sixteen.pid)).json()["id"]
    her_app = Actor(**{**app_for(sixteen, sixteen).__dict__, "role": Role.CITIZEN})
    mine = api(her_app).get(f"{BASE}/Observation?subject=Patient/{sixteen.pk}").json()
    assert ids(mine) == sorted([hidden, shown])
    assert api(her_app).get(f"{BASE}/Observation/{hidden}").status_code == 200
    by_power = api(app_for(kari, sixteen))
    assert ids(by_power.get(f"{BASE}/Observation?subject=Patient/{sixteen.pk}").json()) == [shown]
    assert by_power.get(f"{BASE}/Observation/{hidden}").status_code == 404
