"""Who sees which received records through the API: a unit its own, a citizen's app the patient's own."""

from typing import Any

import pytest

from helseportal.access import policy
from helseportal.core.actor import Actor, Role
from helseportal.demo import personas
from helseportal.fhir import provider
from helseportal.identity.models import Person
from helseportal.records import fhir, services
from helseportal.records.tests.conftest import URI_SYSTEM, citizen_app, key, person, result

pytestmark = pytest.mark.django_db


def seen(actor: Actor, **search: Any) -> list[str]:
    """The source identifiers of the records `actor` sees, with params filtered as the engine does."""
    rows = fhir.source("Observation").scope(actor)
    for name, value in search.items():
        param = fhir.PARAMS[name]
        rows = rows.filter(param.filter(value)) if param.filter else rows.filter(**{param.field: value})
    return sorted(rows.values_list("identifier_value", flat=True))


@pytest.fixture
def results(gp: Actor, station: Actor) -> None:
    """The GP office and the health station each sent Kari a result; the GP office also one for Ola."""
    services.receive(gp, result("gp-kari", personas.KARI.pid))
    services.receive(gp, result("gp-ola", personas.OLA.pid))
    services.receive(station, result("station-kari", personas.KARI.pid, status="preliminary"))


def test_a_unit_sees_the_records_it_sent_never_another_unit_s_of_the_same_person(
    results: None, gp: Actor, station: Actor
):
    assert seen(gp) == sorted([key("gp-kari"), key("gp-ola")])
    assert seen(station) == [key("station-kari")]
    kari = person(personas.KARI).pk
    assert seen(station, patient=kari) == [key("station-kari")]
    assert seen(Actor(role=Role.SYSTEM, client_id="no-unit")) == []


def test_a_record_sent_ties_the_person_to_the_unit(results: None, gp: Actor, station: Actor):
    reached = {a: set(policy.api_persons(a).values_list("pk", flat=True)) for a in (gp, station)}
    assert reached[gp] >= {person(personas.KARI).pk, person(personas.OLA).pk}
    assert person(personas.OLA).pk not in reached[station]
    assert person(personas.PER).pk not in reached[gp] | reached[station]


def test_a_citizen_s_app_sees_the_patient_s_records_within_the_age_rules(results: None):
    everything_of_kari = sorted([key("gp-kari"), key("station-kari")])
    assert seen(citizen_app(personas.KARI, personas.KARI)) == everything_of_kari
    assert seen(citizen_app(personas.KARI, personas.OLA, Role.PARENT)) == [key("gp-ola")]  # he is 10
    assert seen(citizen_app(personas.PER, personas.KARI)) == []  # nothing to her
    assert seen(citizen_app(personas.KARI, personas.KARI).acting_for(person(personas.OLA).pk, Role.CITIZEN)) == [
        key("gp-ola")
    ]


def test_a_parent_s_app_of_a_fifteen_year_old_sees_no_results(gp: Actor):
    services.receive(gp, result("gp-nora", personas.NORA.pid))
    assert seen(citizen_app(personas.KARI, personas.NORA, Role.PARENT)) == []  # 12–15: no test results
    # Nor does her own app: under 16 she reads the GP, vaccines and medicines, and those only with a parent's
    # consent (ungdomstilgang, access.rules.YOUTH_CONSENT_AREAS); test results are not among them.
    assert seen(citizen_app(personas.NORA, personas.NORA)) == []


def test_the_search_parameters_filter_the_columns(results: None, gp: Actor, station: Actor):
    app = citizen_app(personas.KARI, personas.KARI)
    assert seen(app, code="http://loinc.org|718-7") == sorted([key("gp-kari"), key("station-kari")])
    assert seen(app, code="718-7") == seen(app, code="http://loinc.org|718-7")
    assert seen(app, code="http://snomed.info/sct|718-7") == []
    assert seen(app, code=["http://loinc.org|1-1", "http://loinc.org|"]) == seen(app)
    assert seen(app, status="preliminary") == [key("station-kari")]
    assert seen(app, category="laboratory") == seen(app)
    assert seen(app, identifier=f"{URI_SYSTEM}|{key('gp-kari')}") == [key("gp-kari")]
    assert seen(app, identifier=f"other|{key('gp-kari')}") == []
    assert seen(app, code="|718-7") == []  # `|code`: a code without a system, and ours all have one


def test_observation_is_one_type_with_the_store_s_source_and_the_card_s(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(provider, "_ADDED", {})  # pregnancy's own source, if its branch adds one, stays out
    monkeypatch.setattr(provider, "_COMPOSED", {})
    store = fhir.OBSERVATION.sources[0]
    card = provider.Source(model=Person, scope=lambda actor: Person.objects.none(), to_fhir=dict, id_prefix="sf-")
    provider.add_source("Observation", card)
    provider.add_source("Observation", card)  # once, however often an app's ready() runs
    observation = provider.lookup("Observation")
    assert observation is not None
    assert observation is provider.lookup("Observation")  # composed once: the engine caches by the type's identity
    assert observation.sources == (store, card)
    assert observation.writer is fhir.OBSERVATION.writer
    assert observation.source_for("17") == (store, "17")
    assert observation.source_for("sf-17") == (card, "17")
    assert [t.name for t in provider.provided()].count("Observation") == 1
    provider.add_source("Observation", provider.Source(model=Person, scope=card.scope, to_fhir=dict))
    with pytest.raises(ValueError, match="share an id_prefix"):
        provider.lookup("Observation")
