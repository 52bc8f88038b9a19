"""Properties: any answer set the engine accepts, step by step, is a valid QuestionnaireResponse that fits its
Questionnaire (fhir.resources, and `logic.mismatches`), also for forms with repeating groups (any number of
instances, each filled in or not) and for a wide form (numbers typed any way, open-choice free text, a repeating
question, attachments of any bytes: what is kept is whole and of a type we take); and no posted step, however wrong,
is a 500."""

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helseportal.core.actor import Actor
from helseportal.core.testing import log_in
from helseportal.forms import logic
from helseportal.forms.definition import Definition, Item, load
from helseportal.forms.forms import ONE_OR_OTHER, StepForm
from helseportal.forms.models import Form
from helseportal.forms.tests.test_repeat import medicines as repeat_form

DATA = Path(__file__).parent.parent / "data"
DEFINITIONS = [load(json.loads((DATA / name).read_text())) for name in ("symptomsjekk.json", "e_konsultasjon.json")]
noise = st.text(max_size=12)
# Numbers as anyone might type them, and as no one would: exponents, NaN, 25 digits.
wide_numbers = st.one_of(
    st.from_regex(r"-?[0-9]{1,25}([.,][0-9]{1,25})?([eE][-+]?[0-9]{1,7})?", fullmatch=True),
    st.sampled_from(["NaN", "Infinity", "-inf", "1e300000", "0,000001", "1 000,5"]),
)


def value_for(item: Item) -> st.SearchStrategy[Any]:
    """A plausible or wrong value for the item's field, as a browser would post it."""
    options = [str(n) for n in range(len(item.options))]
    typed: dict[str, st.SearchStrategy[Any]] = {
        "boolean": st.sampled_from(["true", "false", ""]),
        "integer": st.integers(-5, 400).map(str),
        "decimal": st.decimals(-50, 50, places=2).map(lambda d: str(d).replace(".", ",")) | wide_numbers,
        "quantity": st.decimals(30, 45, places=1).map(str) | wide_numbers,
        "date": st.dates().map(lambda d: d.isoformat()),
        "dateTime": st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M")),
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


# A form with what the demo forms lack (the review of session 21, finding 16): decimals and quantities typed any way,
# a dateTime, an open choice answered in free text, a repeating question (three inputs), a repeating group with an
# attachment and an enableWhen inside it, and attachments of any bytes (a PNG, a PDF, an HTML page, nothing).
WIDE: dict[str, Any] = {
    "resourceType": "Questionnaire",
    "url": "urn:helseportal:forms:test:wide",
    "version": "1",
    "status": "active",
    "title": "Bredt",
    "item": [
        {
            "linkId": "tall",
            "type": "group",
            "text": "Tall",
            "item": [
                {"linkId": "vekt", "type": "decimal", "text": "Vekt", "required": True},
                {
                    "linkId": "temp",
                    "type": "quantity",
                    "text": "Temperatur",
                    "extension": [
                        {
                            "url": "http://hl7.org/fhir/StructureDefinition/questionnaire-unit",
                            "valueCoding": {"system": "http://unitsofmeasure.org", "code": "Cel", "display": "°C"},
                        }
                    ],
                },
                {"linkId": "når", "type": "dateTime", "text": "Når"},
                {"linkId": "ord", "type": "string", "text": "Ord", "repeats": True, "maxLength": 20},
                {
                    "linkId": "annet",
                    "type": "open-choice",
                    "text": "Hva",
                    "required": True,
                    "answerOption": [{"valueCoding": {"system": "urn:x", "code": "a", "display": "A"}}],
                },
                {"linkId": "bilde", "type": "attachment", "text": "Bilde"},
            ],
        },
        {
            "linkId": "barn",
            "type": "group",
            "text": "Barn",
            "repeats": True,
            "item": [
                {"linkId": "barn.navn", "type": "string", "text": "Navn", "required": True},
                {"linkId": "barn.syk", "type": "boolean", "text": "Syk"},
                {
                    "linkId": "barn.vedlegg",
                    "type": "attachment",
                    "text": "Legeerklæring",
                    "enableWhen": [{"question": "barn.syk", "operator": "=", "answerBoolean": True}],
                },
            ],
        },
    ],
}
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d4944415478da63f8ffff3f0005fe02fea7d6a4280000000049454e44ae426082"
)
FILES = st.sampled_from([PNG, b"%PDF-1.4\n%%EOF\n", b"\xff\xd8\xff\xe0JFIF", b"<html>hei</html>", b""])


@st.composite
def wide_post(draw: st.DrawFn, rows: list[Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A post of every field on the page (each input of a repeating question, an open choice's free text) and a file
    for each attachment, or none."""
    posted: dict[str, Any] = {row.count_name: str(row.count) for row in rows if row.kind == "add"}
    files: dict[str, Any] = {}
    for row in (row for row in rows if row.kind == "question"):
        for name in row.names:
            if row.item.type == "attachment":
                content = draw(st.none() | FILES)
                if content is not None:
                    files[name] = SimpleUploadedFile(draw(st.sampled_from(["a.png", "b.pdf", "c"])), content)
            elif name.endswith("_other"):
                posted[name] = draw(st.text(max_size=25))
            else:
                posted[name] = draw(value_for(row.item))
    return posted, files


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_wide_form_accepts_only_what_is_a_valid_response(data: st.DataObject) -> None:
    definition = load(WIDE)
    answers: dict[str, Any] = {}
    for _round in range(2):
        for step in definition.steps:
            for group in (item for top in step.items for item in top.level() if item.is_repeating_group):
                count = data.draw(st.integers(1, 3))
                answers[group.link_id] = [*logic.instances_of(group, answers), {}, {}, {}][:count]
            enabled = logic.enabled_tree(definition, answers)
            rows = StepForm(None, step=step, answers=answers, enabled=enabled, definition=definition).rows
            posted, files = data.draw(wide_post(rows))
            form = StepForm(posted, files, step=step, answers=answers, enabled=enabled, definition=definition)
            if form.is_valid():
                kept = {k: v for k, v in answers.items() if k not in form.shown()}
                answers = logic.calculate(definition, kept | {k: v for k, v in form.answers().items() if v})
    json.dumps(answers, allow_nan=False)  # what the draft's JSON column holds
    for attachment in _attachments(answers):
        assert attachment["size"] == len(base64.b64decode(attachment["data"])) > 0
        assert attachment["contentType"] in ("image/png", "application/pdf", "image/jpeg")
    if logic.missing(definition, answers):
        return
    response = logic.response_resource(definition, answers)
    QuestionnaireResponse.model_validate(response)
    assert logic.mismatches(definition, response) == []


def _attachments(answers: Any) -> list[dict[str, Any]]:
    """Every valueAttachment in the answers, in repeating groups too."""
    found: list[dict[str, Any]] = []
    for entries in answers.values():
        for one in entries:
            if "valueAttachment" in one:
                found.append(one["valueAttachment"])
            elif "valueAttachment" not in one and not any(key.startswith("value") for key in one):
                found += _attachments(one)
    return found


def test_an_open_choice_that_does_not_repeat_takes_an_option_or_her_own_words_not_both() -> None:
    """Found by the property above: an option and «Annet» together made two answers to a question that takes one."""
    definition = load(WIDE)
    step = definition.steps[0]
    enabled = logic.enabled_tree(definition, {})
    rows = StepForm(None, step=step, answers={}, enabled=enabled, definition=definition).rows
    [row] = [row for row in rows if row.kind == "question" and row.item.type == "open-choice" and not row.item.repeats]
    name = row.names[0]
    both = StepForm(
        {name: "0", f"{name}_other": "noe annet"}, {}, step=step, answers={}, enabled=enabled, definition=definition
    )
    assert not both.is_valid()
    assert both.errors[name] == [str(ONE_OR_OTHER)]
    either = StepForm(
        {name: "", f"{name}_other": "noe annet"}, {}, step=step, answers={}, enabled=enabled, definition=definition
    )
    either.is_valid()
    assert name not in either.errors
