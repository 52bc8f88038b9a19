"""The whole card on the FHIR API: every Observation the card's mapping makes is served, equal to the mapping, to her
app and to the unit she shared the card with (never to another unit), and every reference between them opens."""

import datetime
from typing import Any

import pytest
from django.db import transaction

from helseportal.core.actor import Actor
from helseportal.core.time import today
from helseportal.demo import personas
from helseportal.fhir.testing import api
from helseportal.organisations.models import Unit
from helseportal.pregnancy import fhir, queries, services
from helseportal.pregnancy.fhir.served import MAX_FETUSES
from helseportal.pregnancy.models import Pregnancy, Ultrasound
from helseportal.pregnancy.tests.card_fields_data import fill
from helseportal.pregnancy.tests.test_fhir import pregnancy, share
from helseportal.pregnancy.tests.test_fhir_api import LOINC, her_app, ids, search

pytestmark = pytest.mark.django_db
__all__ = ["pregnancy"]

SCOPES = frozenset({"system/Observation.rs", "system/DiagnosticReport.rs", "system/EpisodeOfCare.rs"})


def system(where: personas.UnitPersona) -> Actor:
    from helseportal.pregnancy.tests.test_fhir_api import system as base

    return Actor(**{**base(where).__dict__, "scopes": SCOPES})


@pytest.fixture
def whole(kari: Actor, mette: Actor, pregnancy: Pregnancy) -> Pregnancy:
    """The mapping tests' card (a consultation with a fetus, her measurements, one entry in error), the issue-16
    fields, her earlier pregnancies, twins' values at one consultation, and a corrected due date marked in error."""
    fill(kari, mette, pregnancy)
    with transaction.atomic():
        services.write_section(kari, pregnancy, "previous", {"count": 2, "live_births": 1, "miscarriages": 1})
        twins = [
            {"n": 1, "heart_rate": 150, "presentation": "breech", "movements": True},
            {"n": 2, "heart_rate": 138, "presentation": "", "movements": None},
        ]
        services.add_consultation(mette, pregnancy, date=today() - datetime.timedelta(days=1), fetuses=twins)
        wrong = services.correct_due_date(mette, pregnancy, due_date=pregnancy.due_date, reason="assisted_conception")
        services.mark_in_error(mette, "termin", wrong.pk)
        services.add_symptom(kari, pregnancy, date=today(), kind="reduced_fetal_movements", severity="severe")
    return pregnancy


def mapped(kari: Actor, pregnancy: Pregnancy) -> dict[str, dict[str, Any]]:
    card = queries.load_card(kari, pregnancy)
    return {r["id"]: r for r in [*fhir.observations(card), *fhir.card_resources(card)]}


def served(actor: Actor, kari: Actor, kind: str = "Observation") -> dict[str, dict[str, Any]]:
    bundle = search(actor, f"{kind}?patient={kari.subject_id}&_count=100")
    assert "next" not in {link["relation"] for link in bundle["link"]}
    return {e["resource"]["id"]: without_meta(e["resource"]) for e in bundle.get("entry", [])}


def without_meta(resource: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in resource.items() if k != "meta"}


def references(resource: dict[str, Any]) -> list[str]:
    found = [r["reference"] for r in resource.get("derivedFrom", []) + resource.get("result", [])]
    return [r for r in found if r.startswith(("Observation/", "DiagnosticReport/"))]


def test_the_api_serves_every_value_of_the_card_as_the_mapping_makes_it(kari: Actor, whole: Pregnancy):
    expected = mapped(kari, whole)
    observations = {k: v for k, v in expected.items() if v["resourceType"] == "Observation"}
    station = system(personas.HEALTH_STATION)
    with transaction.atomic():
        share(kari, unit_id=Unit.objects.get(orgnr=personas.HEALTH_STATION.orgnr).pk)
    for actor in (her_app(kari), station):
        found = served(actor, kari)
        assert set(found) == set(observations)
        assert found == observations  # equal in meaning: the very resources the card's mapping makes
        reports = served(actor, kari, "DiagnosticReport")
        assert reports == {k: v for k, v in expected.items() if v["resourceType"] == "DiagnosticReport"}
        for reference in {r for resource in [*found.values(), *reports.values()] for r in references(resource)}:
            assert api(actor).get(f"/fhir/R4/{reference}").status_code == 200, reference
    kinds = {i.rsplit("-", 1)[0] for i in observations}
    assert {
        "pregnancy-lmp",
        "pregnancy-due-date-lmp",
        "pregnancy-due-date-ultrasound",
        "pregnancy-due-date-corrected",
        "due-date",  # the correction marked in error
        "pregnancy-ga",
        "consultation-ga",
        "consultation-fetus1-heart-rate",
        "consultation-fetus1-presentation",
        "consultation-fetus2-heart-rate",
        "section-height",
        "section-weight",
        "section-bmi",
        "section-pregnancies",
        "section-live-births",
        "section-miscarriages",
        "earlier-birth",
        "ultrasound-ga",
        "ultrasound-fetuses",
        "ultrasound-placenta",
        "nipt",
        "birth",
        "symptom",  # what she registered herself, as the midwife's worklist flags it
    } <= kinds
    assert "consultation-fetus2-presentation" not in kinds  # not stated for the second twin: nothing to serve


def test_the_values_read_back_as_the_card_holds_them(kari: Actor, whole: Pregnancy):
    app = her_app(kari)
    scan = Ultrasound.objects.get(pregnancy=whole)
    report = api(app).get(f"/fhir/R4/DiagnosticReport/ultrasound-{scan.pk}").json()
    assert report["conclusion"] == "Ett levende foster"
    assert {r["reference"] for r in report["result"]} == {
        f"Observation/ultrasound-{kind}-{scan.pk}" for kind in ("ga", "fetuses", "placenta")
    }
    by_lmp = api(app).get(f"/fhir/R4/Observation/pregnancy-due-date-lmp-{whole.pk}").json()
    assert whole.lmp is not None
    assert by_lmp["valueDateTime"] == (whole.lmp + datetime.timedelta(days=283)).isoformat()  # Norwegian: LMP + 283
    rates = search(app, f"Observation?code={LOINC}|55283-6&_sort=date")
    assert [e["resource"]["valueQuantity"]["value"] for e in rates["entry"]] == [142, 150, 138]
    assert [e["resource"]["focus"][0]["display"] for e in rates["entry"]] == ["Foster 1", "Foster 1", "Foster 2"]
    due_dates = ids(search(app, f"Observation?code={LOINC}|11778-8&status=final"))
    assert {i.rsplit("-", 1)[0] for i in due_dates} == {
        "pregnancy-due-date-lmp",
        "pregnancy-due-date-ultrasound",
        "pregnancy-due-date-corrected",
    }
    gravida = search(app, f"Observation?code={LOINC}|11996-6")["entry"][0]["resource"]
    assert gravida["valueInteger"] == 3  # two earlier pregnancies, and this one
    assert gravida["performer"][0]["reference"] == f"Patient/{kari.subject_id}"  # she wrote it herself
    consultation_ages = search(app, f"Observation?code={LOINC}|18185-9&date={today().isoformat()}")
    assert {e["resource"]["id"].rsplit("-", 1)[0] for e in consultation_ages["entry"]} == {
        "consultation-ga",  # the consultation of today
        "pregnancy-ga",  # and today's
    }


def test_a_symptom_she_registered_reaches_the_unit_she_shares_with(kari: Actor, whole: Pregnancy):
    with transaction.atomic():
        share(kari, unit_id=Unit.objects.get(orgnr=personas.HEALTH_STATION.orgnr).pk)
    found = search(system(personas.HEALTH_STATION), "Observation?code=urn:helseportal:pregnancy-symptom|")
    [symptom] = [e["resource"] for e in found["entry"]]
    assert symptom["code"]["text"] == "Mindre liv fra barnet"
    assert symptom["valueCodeableConcept"]["coding"][0]["code"] == "severe"
    assert symptom["performer"] == [symptom["subject"]]  # she registered it


def test_another_unit_and_another_app_see_none_of_it(kari: Actor, whole: Pregnancy):
    gp = system(personas.MAJORSTUEN_GP)
    expected = mapped(kari, whole)
    assert served(gp, kari) == {}
    assert served(gp, kari, "DiagnosticReport") == {}
    for logical_id, resource in expected.items():
        if resource["resourceType"] in ("Observation", "DiagnosticReport"):
            assert api(gp).get(f"/fhir/R4/{resource['resourceType']}/{logical_id}").status_code == 404


def test_every_fetus_the_card_may_hold_has_a_source():
    from helseportal.pregnancy.forms.card_fields import FETUSES

    assert FETUSES[1] == MAX_FETUSES
