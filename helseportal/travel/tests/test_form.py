"""The claim on the forms engine: Kari fills in the shipped Questionnaire and sends it; the travel app takes it and
makes the claim (the engine's copy stays hers, in no unit's forms inbox); a version without what a claim needs is
refused on sending, and nothing is sent."""

import datetime
import json
from pathlib import Path

import pytest

from helseportal.core.errors import Invalid
from helseportal.core.time import today
from helseportal.fhir import questionnaires
from helseportal.forms import services as forms_services
from helseportal.forms.models import Form, FormResponse, ResponseStatus
from helseportal.travel import survey
from helseportal.travel.models import TravelClaim
from helseportal.travel.rules import Status
from helseportal.travel.tests.conftest import World

SHIPPED = Path(survey.__file__).parents[1] / "forms" / "data" / f"{survey.SHIPPED_NAME}.json"
KIND = "urn:helseportal:forms:pasientreise:kind"
TRANSPORT = "urn:helseportal:forms:pasientreise:transport"


def fill(world: World, form: Form, day: datetime.date) -> None:
    me = world.me()
    trip = {
        "trip.date": [{"valueDate": day.isoformat()}],
        "trip.place": [{"valueString": "Sykehuset i Vestfold"}],
        "trip.from": [{"valueString": "Hjemme"}],
        "trip.round": [{"valueBoolean": True}],
        "trip.kind": [{"valueCoding": {"system": KIND, "code": "standard"}}],
    }
    forms_services.start(me, form.pk)
    forms_services.save_step(me, form.pk, 1, trip, list(trip))
    standard = {
        "standard.km": [{"valueInteger": 104}],
        "standard.transport": [{"valueCoding": {"system": TRANSPORT, "code": "car"}}],
    }
    forms_services.save_step(me, form.pk, 2, standard, list(standard))


def test_the_sent_claim_form_makes_a_claim_the_office_receives(world: World):
    form = Form.objects.get(url=survey.CLAIM_URL)
    assert form.area == "patient_travel"
    assert form.unit == world.office
    assert questionnaires.page_of(survey.CLAIM_URL) == f"/skjemaer/{form.pk}/"
    fill(world, form, today() - datetime.timedelta(days=3))
    sent = forms_services.submit(world.me(), form.pk)
    assert sent.status == ResponseStatus.COMPLETED
    claim = TravelClaim.objects.get(person=world.kari)
    assert claim.status == Status.RECEIVED
    assert claim.office == world.office
    assert claim.km == 104
    assert claim.round_trip
    assert claim.treatment_place == "Sykehuset i Vestfold"
    assert claim.proposed_ore == 104 * 300 * 2 - 17_100 * 2
    assert claim.questionnaire == f"{survey.CLAIM_URL}|1.0.0"


def test_a_version_that_lacks_the_distance_is_refused_and_nothing_is_sent(world: World):
    resource = json.loads(SHIPPED.read_text(encoding="utf-8"))
    resource["version"] = "1.0.1-uten-avstand"
    standard = next(item for item in resource["item"] if item["linkId"] == "standardsats")
    standard["item"] = [item for item in standard["item"] if item["linkId"] != "standard.km"]
    form = forms_services.import_form(resource, unit=world.office, area="patient_travel")
    fill(world, form, today() - datetime.timedelta(days=3))
    with pytest.raises(Invalid, match="avstanden"):
        forms_services.submit(world.me(), form.pk)
    assert not TravelClaim.objects.exists()
    assert FormResponse.objects.get(form=form).status == ResponseStatus.IN_PROGRESS
