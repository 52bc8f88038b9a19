"""Properties: any answer set the engine accepts, step by step, is a valid QuestionnaireResponse that fits its
Questionnaire (fhir.resources, and `logic.mismatches`); and no posted step, however wrong, is a 500."""

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helseportal.core.actor import Actor
from helseportal.core.testing import log_in
from helseportal.forms import logic
from helseportal.forms.definition import Definition, Item, load
from helseportal.forms.forms import StepForm
from helseportal.forms.models import Form

DATA = Path(__file__).parent.parent / "data"
DEFINITIONS = [load(json.loads((DATA / name).read_text())) for name in ("symptomsjekk.json", "e_konsultasjon.json")]
noise = st.text(max_size=12)


def value_for(item: Item) -> st.SearchStrategy[Any]:
    """A plausible or wrong value for the item's field, as a browser would post it."""
    options = [str(n) for n in range(len(item.options))]
    typed: dict[str, st.SearchStrategy[Any]] = {
        "boolean": st.sampled_from(["true", "false", ""]),
        "integer": st.integers(-5, 400).map(str),
        "decimal": st.decimals(-50, 50, places=2).map(lambda d: str(d).replace(".", ",")),
        "quantity": st.decimals(30, 45, places=1).map(str),
        "date": st.dates().map(lambda d: d.isoformat()),
        "time": st.times().map(lambda t: t.strftime("%H:%M")),
        "string": st.text(max_size=30),
        "text": st.text(max_size=60),
        "choice": st.lists(st.sampled_from(options), max_size=3) if item.repeats else st.sampled_from(options),
        "open-choice": st.sampled_from(options),
    }
    return st.one_of(typed.get(item.type, noise), noise)


@st.composite
def posts(draw: st.DrawFn, definition: Definition) -> list[dict[str, Any]]:
    return [
        {
            f"i{item.index}": draw(value_for(item))
            for top in step.items
            for item in top.walk()
            if item.is_question and not item.read_only and item.type != "attachment"
        }
        for step in definition.steps
    ]


@pytest.mark.parametrize("definition", DEFINITIONS, ids=["triage", "e-consultation"])
@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_what_the_engine_accepts_is_a_valid_response_to_its_form(definition: Definition, data: st.DataObject) -> None:
    answers: dict[str, list[Any]] = {}
    for _round in range(2):  # twice: an answer on a later step may open a question on an earlier one
        for step, posted in zip(definition.steps, data.draw(posts(definition)), strict=True):
            enabled = logic.enabled_links(definition, answers)
            form = StepForm(posted, {}, step=step, answers=answers, enabled=enabled, definition=definition)
            if form.is_valid():
                shown = form.shown()
                answers = {k: v for k, v in answers.items() if k not in shown} | {
                    k: v for k, v in form.answers().items() if v
                }
                answers = logic.calculate(definition, answers)
    if logic.missing(definition, answers):
        return  # the engine would not send it
    response = logic.response_resource(definition, answers)
    QuestionnaireResponse.model_validate(response)
    assert logic.mismatches(definition, response) == []


@pytest.mark.django_db
@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(
    posted=st.dictionaries(st.sampled_from([f"i{n}" for n in range(12)] + ["action", "i2_other"]), st.text(max_size=20))
)
def test_no_posted_step_is_a_500(kari: Actor, triage_form: Form, posted: dict[str, str]) -> None:
    client = Client()
    log_in(client, kari)
    client.post(f"/skjemaer/{triage_form.pk}/")
    for step in (0, 1):
        response = client.post(f"/skjemaer/{triage_form.pk}/steg/{step}/", posted)
        assert response.status_code in (200, 302, 400)
