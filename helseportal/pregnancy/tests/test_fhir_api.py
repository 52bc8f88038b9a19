"""The pregnancy card through the FHIR API: her app reads and searches it; a unit's system only once she shares the
card with that unit; another unit never. Every answer validates as R4 (R4B models)."""

import datetime
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from fhir.resources.R4B.bundle import Bundle

from helseportal.core.actor import Actor, Assurance, Role
from helseportal.core.time import today
from helseportal.demo import personas
from helseportal.fhir.testing import api
from helseportal.identity.models import Person
from helseportal.organisations.models import Unit
from helseportal.pregnancy import services
from helseportal.pregnancy.fhir import api as pregnancy_fhir
from helseportal.pregnancy.fhir import served
from helseportal.pregnancy.models import Consultation, Pregnancy
from helseportal.pregnancy.tests.test_fhir import pregnancy, share

pytestmark = pytest.mark.django_db
__all__ = ["pregnancy"]  # the card with values, from the mapping tests

LOINC = "http://loinc.org"


def system(where: personas.UnitPersona) -> Actor:
    unit = Unit.objects.get(orgnr=where.orgnr)
    scopes = frozenset({"system/Observation.rs", "system/EpisodeOfCare.rs", "system/QuestionnaireResponse.rs"})
    return Actor(
        role=Role.SYSTEM, client_id=f"epj-{where.key}", unit_id=unit.pk, scopes=scopes, assurance=Assurance.HIGH
    )


def her_app(kari: Actor) -> Actor:
    return Actor(
        role=Role.CITIZEN,
        person_id=kari.person_id,
        subject_id=kari.subject_id,
        client_id="app",
        scopes=frozenset({"patient/*.rs"}),
        assurance=Assurance.HIGH,
    )


def search(actor: Actor, query: str) -> dict[str, Any]:
    response = api(actor).get(f"/fhir/R4/{query}")
    assert response.status_code == 200, response.content
    bundle = response.json()
    Bundle.model_validate(bundle)  # every entry's resource too
    return bundle


def ids(bundle: dict[str, Any], kind: str = "Observation") -> list[str]:
    return [e["resource"]["id"] for e in bundle.get("entry", []) if e["resource"]["resourceType"] == kind]


def test_her_app_searches_the_card_by_code_category_status_and_date(kari: Actor, pregnancy: Pregnancy):
    app = her_app(kari)
    everything = ids(search(app, f"Observation?patient={kari.subject_id}&_count=100"))
    bp, in_error = Consultation.objects.filter(pregnancy=pregnancy, systolic__isnull=False).order_by("pk")
    assert {f"consultation-bp-{bp.pk}", f"consultation-bp-{in_error.pk}", f"consultation-weight-{bp.pk}"} <= set(
        everything
    )
    # 4 from the consultations, 2 SF, 4 of hers, 3 tests; the last period, the due dates by LMP and ultrasound,
    # gestational age today and at both consultations, the fetus's heart rate and presentation, height, weight and BMI
    assert len(everything) == len(set(everything)) == 13 + 4 + 2 + 2 + 3
    panels = search(app, f"Observation?subject=Patient/{kari.subject_id}&code={LOINC}|85354-9&status=final")
    assert len(ids(panels)) == 2  # the midwife's and her own; the one in error only when asked for
    assert ids(search(app, "Observation?code=85354-9&status=entered-in-error")) == [f"consultation-bp-{in_error.pk}"]
    vital = ids(search(app, "Observation?category=vital-signs"))
    assert vital
    assert all(i.startswith(("consultation-bp", "consultation-weight", "own-", "section-")) for i in vital)
    tests = ids(search(app, "Observation?code=urn:helseportal:pregnancy-test|ferritin"))
    assert len(tests) == 1
    assert tests[0].startswith("test-")
    newest = search(app, f"Observation?patient={kari.subject_id}&_sort=-date&_count=3&_include=Observation:subject")
    # what she wrote today before the pregnancy comes first; her own measurements of two days ago after gestational age
    assert {i.rsplit("-", 1)[0] for i in ids(newest)} == {"section-height", "section-weight", "section-bmi"}
    assert ids(newest, "Patient") == [str(kari.subject_id)]
    week_24 = (today() - datetime.timedelta(days=30 * 7 + 2) + datetime.timedelta(weeks=24)).isoformat()
    assert set(ids(search(app, f"Observation?date={week_24}"))) >= {f"consultation-bp-{bp.pk}"}
    read = api(app).get(f"/fhir/R4/Observation/consultation-bp-{bp.pk}")
    assert read.status_code == 200
    assert read.json()["component"][0]["valueQuantity"]["value"] == 118


def test_a_unit_sees_the_card_only_when_it_is_shared_with_the_unit(kari: Actor, pregnancy: Pregnancy):
    station, gp = system(personas.HEALTH_STATION), system(personas.MAJORSTUEN_GP)
    weight = Consultation.objects.filter(pregnancy=pregnancy, weight_kg__isnull=False).get()
    path = f"/fhir/R4/Observation/consultation-weight-{weight.pk}"
    # Shared with midwife Mette by name: she reads it in the portal; her unit's record system does not.
    assert ids(search(station, f"Observation?patient={kari.subject_id}")) == []
    assert api(station).get(path).status_code == 404
    with transaction.atomic():
        share(kari, unit_id=Unit.objects.get(orgnr=personas.HEALTH_STATION.orgnr).pk)
    assert len(ids(search(station, f"Observation?patient={kari.subject_id}&_count=100"))) == 24
    assert api(station).get(path).status_code == 200
    assert ids(search(station, "EpisodeOfCare"), "EpisodeOfCare") == [str(pregnancy.pk)]
    # The GP office, Kari's own GP: nothing of the card, by search, by id or through the episode.
    assert ids(search(gp, f"Observation?patient={kari.subject_id}")) == []
    assert api(gp).get(path).status_code == 404
    assert api(gp).get(f"/fhir/R4/EpisodeOfCare/{pregnancy.pk}").status_code == 404
    per = Person.objects.get(pid=personas.PER.pid)
    per_app = Actor(
        role=Role.CITIZEN,
        person_id=per.pk,
        subject_id=per.pk,
        client_id="app",
        scopes=frozenset({"patient/*.rs"}),
        assurance=Assurance.HIGH,
    )
    assert api(per_app).get(path).status_code == 404


def test_the_episode_and_her_sent_form(kari: Actor, pregnancy: Pregnancy):
    app = her_app(kari)
    episode = api(app).get(f"/fhir/R4/EpisodeOfCare/{pregnancy.pk}")
    assert episode.status_code == 200
    assert episode.json()["status"] == "active"
    assert ids(search(app, "EpisodeOfCare?status=finished"), "EpisodeOfCare") == []
    assert ids(search(app, "QuestionnaireResponse"), "QuestionnaireResponse") == []  # no form sent yet
    with transaction.atomic():
        form = services.save_first_form(kari, pregnancy, {"mother": {"occupation": "Lærer"}}, submit=True)
    sent = search(app, f"QuestionnaireResponse?patient={kari.subject_id}&authored=ge{today().isoformat()}")
    assert ids(sent, "QuestionnaireResponse") == [str(form.pk)]


def test_twenty_observations_cost_what_one_does(kari: Actor, pregnancy: Pregnancy):
    app = her_app(kari)

    def queries(count: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            search(app, f"Observation?patient={kari.subject_id}&_count={count}")
        return len(captured)

    assert queries(1) == queries(20)


def test_a_unit_no_card_is_shared_with_reads_no_card_table_in_a_search(kari: Actor, pregnancy: Pregnancy):
    """Whether the unit reaches any card is asked once per request, and the card's sources of Observation then cost
    no query at all (most of a record system's patients share no card with it)."""
    station = system(personas.HEALTH_STATION)

    def card_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            search(station, f"Observation?patient={kari.subject_id}&_count=100")
        return sum('"pregnancy_' in query["sql"] for query in captured)

    assert card_queries() == 0
    with transaction.atomic():
        share(kari, unit_id=Unit.objects.get(orgnr=personas.HEALTH_STATION.orgnr).pk)
    sources = len(pregnancy_fhir.OBSERVATIONS) + len(served.OBSERVATIONS)
    # One per source of the card (the search's page) and one for the due-date entries of the sources over the
    # pregnancy's row (prefetched once per source; the sources that hold nothing for her cost no query)
    assert card_queries() <= sources + 4
