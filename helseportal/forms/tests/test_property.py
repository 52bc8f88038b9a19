"""Properties: any answer set the engine accepts, step by step, is a valid QuestionnaireResponse that fits its
Questionnaire (fhir.resources, and `logic.mismatches`), also for forms with repeating groups (any number of
instances, each filled in or not); and no posted step, however wrong, is a 500."""

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
from helseportal.forms.tests.test_repeat import medicines as repeat_form

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


# Forms with a repeating group: the e-consultation's medicines (nested in a step, opened by a question outside it),
# and the children of test_repeat (nested and as a step of its own, enableWhen within an instance and from outside).
REPEATING = [DEFINITIONS[1], load(repeat_form()), load(repeat_form(top=True))]


@st.composite
def filled_in(draw: st.DrawFn, definition: Definition) -> dict[str, Any]:
    """Answers as the pages would leave them: step by step (twice over), each repeating group at the top of a step
    given 1 to 3 instances (as "Legg til en til" and "Fjern" would), every field posted a plausible or wrong
    value, and a step's answers kept only when the engine accepts the step."""
    answers: dict[str, Any] = {}
    for _round in range(2):
        for step in definition.steps:
            for group in (item for top in step.items for item in top.level() if item.is_repeating_group):
                count = draw(st.integers(1, 3))
                answers[group.link_id] = [*logic.instances_of(group, answers), {}, {}, {}][:count]
            enabled = logic.enabled_tree(definition, answers)
            shown = StepForm(None, step=step, answers=answers, enabled=enabled, definition=definition).rows
            posted = {row.count_name: str(row.count) for row in shown if row.kind == "add"} | {
                row.names[0]: draw(value_for(row.item))
                for row in shown
                if row.kind == "question" and row.item.type != "attachment"
            }
            form = StepForm(posted, {}, step=step, answers=answers, enabled=enabled, definition=definition)
            if form.is_valid():
                kept = {k: v for k, v in answers.items() if k not in form.shown()}
                answers = logic.calculate(definition, kept | {k: v for k, v in form.answers().items() if v})
    return answers


@pytest.mark.parametrize("definition", REPEATING, ids=["e-consultation", "nested", "top"])
@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_what_the_engine_accepts_with_repeating_groups_is_a_valid_response(
    definition: Definition, data: st.DataObject
) -> None:
    answers = data.draw(filled_in(definition))
    if logic.missing(definition, answers):
        return  # the engine would not send it
    response = logic.response_resource(definition, answers)
    QuestionnaireResponse.model_validate(response)
    assert logic.mismatches(definition, response) == []
    for group in (item for item in definition.walk() if item.is_repeating_group):
        sent = [item for item in _items(response.get("item", [])) if item["linkId"] == group.link_id]
        assert len(sent) == sum(1 for one in logic.instances_of(group, answers) if logic.filled(group, one))


def _items(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [found for entry in entries for found in [entry, *_items(entry.get("item", []))]]


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
