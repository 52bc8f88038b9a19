"""The engine without a page: one test per item type (rendered as a field, posted, answered, and the answer a valid
QuestionnaireResponse), one per enableWhen operator, and the refusals at import."""

import base64
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from helseportal.core.errors import Invalid
from helseportal.forms import logic
from helseportal.forms.definition import Condition, load
from helseportal.forms.forms import StepForm

TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
MAX_OCCURS = "http://hl7.org/fhir/StructureDefinition/questionnaire-maxOccurs"
CODING = {"system": "urn:helseportal:forms:test", "code": "b", "display": "B"}
OPTIONS = [{"valueCoding": {"system": "urn:helseportal:forms:test", "code": c, "display": c.upper()}} for c in "ab"]


def questionnaire(*items: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "resourceType": "Questionnaire",
        "url": "urn:helseportal:forms:test:one",
        "version": "1",
        "status": "active",
        "title": "Test",
        "item": [{"linkId": "g", "type": "group", "text": "Gruppe", "item": list(items)}],
    } | extra


def post(resource: dict[str, Any], data: dict[str, Any], files: dict[str, Any] | None = None) -> StepForm:
    definition = load(resource)
    answers: dict[str, list[Any]] = {}
    return StepForm(
        data,
        files or {},
        step=definition.steps[0],
        answers=answers,
        enabled=logic.enabled_links(definition, answers),
    )


def valid_response(resource: dict[str, Any], answers: dict[str, list[Any]]) -> dict[str, Any]:
    definition = load(resource)
    response = logic.response_resource(definition, answers)
    QuestionnaireResponse.model_validate(response)
    assert logic.mismatches(definition, response) == []
    return response


PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=")
UNIT = {"url": "http://hl7.org/fhir/StructureDefinition/questionnaire-unit", "valueCoding": {"code": "kg"}}

# (item, posted, expected answer element)
TYPES = [
    ({"type": "boolean"}, {"i1": "true"}, {"valueBoolean": True}),
    ({"type": "decimal"}, {"i1": "72,5"}, {"valueDecimal": 72.5}),
    ({"type": "integer"}, {"i1": "42"}, {"valueInteger": 42}),
    ({"type": "date"}, {"i1": "2026-06-01"}, {"valueDate": "2026-06-01"}),
    ({"type": "dateTime"}, {"i1": "2026-06-01T08:30"}, {"valueDateTime": "2026-06-01T08:30:00+02:00"}),
    ({"type": "time"}, {"i1": "08:30"}, {"valueTime": "08:30:00"}),
    ({"type": "string"}, {"i1": "Hei"}, {"valueString": "Hei"}),
    ({"type": "text"}, {"i1": "Linje 1\nLinje 2"}, {"valueString": "Linje 1\nLinje 2"}),
    ({"type": "choice", "answerOption": OPTIONS}, {"i1": "1"}, {"valueCoding": OPTIONS[1]["valueCoding"]}),
    ({"type": "open-choice", "answerOption": OPTIONS}, {"i1_other": "Noe annet"}, {"valueString": "Noe annet"}),
    (
        {"type": "quantity", "extension": [UNIT]},
        {"i1": "3,2"},
        {"valueQuantity": {"value": 3.2, "unit": "kg", "code": "kg"}},
    ),
]


@pytest.mark.parametrize(("item", "posted", "expected"), TYPES, ids=[t[0]["type"] for t in TYPES])
def test_each_item_type_is_a_field_whose_answer_is_a_valid_response(
    item: dict[str, Any], posted: dict[str, Any], expected: dict[str, Any]
) -> None:
    resource = questionnaire({"linkId": "q", "text": "Spørsmål", "required": True} | item)
    form = post(resource, posted)
    assert form.is_valid(), form.errors
    answers = form.answers()
    assert answers == {"q": [expected]}
    assert valid_response(resource, answers)["item"][0]["item"][0]["answer"] == [expected]


def test_an_attachment_is_kept_as_a_valid_attachment_answer() -> None:
    resource = questionnaire({"linkId": "q", "type": "attachment", "text": "Bilde", "required": True})
    form = post(resource, {}, {"i1": SimpleUploadedFile("bilde.png", PNG, content_type="image/png")})
    assert form.is_valid(), form.errors
    attachment = form.answers()["q"][0]["valueAttachment"]
    assert (attachment["contentType"], base64.b64decode(attachment["data"])) == ("image/png", PNG)
    valid_response(resource, form.answers())
    wrong = post(resource, {}, {"i1": SimpleUploadedFile("x.exe", b"MZ", content_type="application/octet-stream")})
    assert not wrong.is_valid()
    assert wrong.errors["i1"] == ["Vi tar bare imot PDF, JPEG og PNG."]


def test_group_and_display_items_show_as_headings_and_text() -> None:
    resource = questionnaire({"linkId": "d", "type": "display", "text": "Les dette først"})
    form = post(resource, {})
    assert [(row.kind, str(row.item.text)) for row in form.rows] == [("display", "Les dette først")]
    assert not form.fields


def test_required_min_max_and_max_length_give_a_norwegian_error_per_field() -> None:
    bounds = [
        {"url": "http://hl7.org/fhir/StructureDefinition/minValue", "valueInteger": 1},
        {"url": "http://hl7.org/fhir/StructureDefinition/maxValue", "valueInteger": 10},
    ]
    resource = questionnaire(
        {"linkId": "n", "type": "integer", "text": "Tall", "extension": bounds},
        {"linkId": "s", "type": "string", "text": "Kort", "maxLength": 3},
        {"linkId": "r", "type": "string", "text": "Må", "required": True},
        {"linkId": "x", "type": "decimal", "text": "Desimal"},
    )
    form = post(resource, {"i1": "11", "i2": "abcd", "i4": "to"})
    assert not form.is_valid()
    assert form.errors["i1"] == ["Svaret kan være høyst 10."]
    assert form.errors["i2"] == ["Skriv høyst 3 tegn. Du har skrevet 4."]
    assert form.errors["i3"] == ["Svar på dette spørsmålet."]
    assert form.errors["i4"] == ["Skriv et tall, for eksempel 72,5."]
    assert post(resource, {"i1": "0", "i3": "x"}).errors["i1"] == ["Svaret må være minst 1."]


def test_repeats_initial_read_only_and_help() -> None:
    help_item = {
        "linkId": "h",
        "type": "display",
        "text": "Velg alle som passer",
        "extension": [
            {
                "url": "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl",
                "valueCodeableConcept": {"coding": [{"code": "help"}]},
            }
        ],
    }
    resource = questionnaire(
        {
            "linkId": "c",
            "type": "choice",
            "repeats": True,
            "text": "Flere",
            "answerOption": OPTIONS,
            "item": [help_item],
        },
        {"linkId": "s", "type": "string", "repeats": True, "text": "Navn"},
        {"linkId": "i", "type": "integer", "text": "Start", "initial": [{"valueInteger": 7}]},
        {"linkId": "ro", "type": "string", "readOnly": True, "text": "Bare vist"},
    )
    definition = load(resource)
    assert definition.by_link["c"].help is not None
    form = post(resource, {"i1": ["0", "1"], "i2": "Ada", "i2_1": "Bo", "i3": "7"})
    assert form.is_valid(), form.errors
    assert form.fields["i1"].help_text == "Velg alle som passer"
    assert len(form.answers()["c"]) == 2
    assert form.answers()["s"] == [{"valueString": "Ada"}, {"valueString": "Bo"}]
    assert "i4" not in form.fields  # read-only: shown, not asked
    from helseportal.forms.services import initial_answers

    assert initial_answers(definition) == {"i": [{"valueInteger": 7}]}
    valid_response(resource, form.answers())


def test_a_contained_value_set_gives_the_options() -> None:
    value_set = {
        "resourceType": "ValueSet",
        "id": "vs",
        "status": "active",
        "compose": {"include": [{"system": "urn:x", "concept": [{"code": "1", "display": "En"}, {"code": "2"}]}]},
    }
    resource = questionnaire(
        {"linkId": "c", "type": "choice", "text": "Velg", "answerValueSet": "#vs"}, contained=[value_set]
    )
    options = load(resource).by_link["c"].options
    assert [str(o.label) for o in options] == ["En", "2"]


def test_texts_follow_the_page_language_by_the_translation_extension() -> None:
    text = {
        "extension": [
            {
                "url": TRANSLATION,
                "extension": [{"url": "lang", "valueCode": "nn"}, {"url": "content", "valueString": "Kva"}],
            }
        ]
    }
    definition = load(questionnaire({"linkId": "q", "type": "string", "text": "Hva", "_text": text}))
    item = definition.by_link["q"]
    with translation.override("nn"):
        assert str(item.text) == "Kva"
    with translation.override("en"):
        assert str(item.text) == "Hva"  # no English given: bokmål
    assert str(item.text) == "Hva"


@pytest.mark.parametrize(
    ("operator", "wanted", "answers", "enabled"),
    [
        ("exists", {"valueBoolean": True}, [{"valueInteger": 3}], True),
        ("exists", {"valueBoolean": True}, [], False),
        ("exists", {"valueBoolean": False}, [], True),
        ("=", {"valueInteger": 3}, [{"valueInteger": 3}], True),
        ("=", {"valueInteger": 3}, [{"valueInteger": 4}], False),
        ("!=", {"valueInteger": 3}, [{"valueInteger": 4}], True),
        ("!=", {"valueInteger": 3}, [{"valueInteger": 3}], False),
        ("!=", {"valueInteger": 3}, [], True),
        (">", {"valueInteger": 3}, [{"valueInteger": 4}], True),
        (">", {"valueInteger": 3}, [{"valueInteger": 3}], False),
        ("<", {"valueInteger": 3}, [{"valueInteger": 2}], True),
        ("<", {"valueInteger": 3}, [], False),
        (">=", {"valueInteger": 3}, [{"valueInteger": 3}], True),
        (">=", {"valueInteger": 3}, [{"valueInteger": 2}], False),
        ("<=", {"valueInteger": 3}, [{"valueInteger": 3}], True),
        ("<=", {"valueInteger": 3}, [{"valueInteger": 4}], False),
        (">", {"valueDate": "2026-01-01"}, [{"valueDate": "2026-02-01"}], True),
        ("=", {"valueCoding": {"code": "b"}}, [{"valueCoding": CODING}], True),
        ("=", {"valueBoolean": True}, [{"valueBoolean": False}], False),
    ],
)
def test_each_enable_when_operator(operator: str, wanted: dict[str, Any], answers: list[Any], enabled: bool) -> None:
    assert logic.holds(Condition("q", operator, wanted), answers) is enabled


def test_enable_behavior_and_disabled_items_count_as_unanswered() -> None:
    def when(question: str, value: bool) -> dict[str, Any]:
        return {"question": question, "operator": "=", "answerBoolean": value}

    resource = questionnaire(
        {"linkId": "a", "type": "boolean", "text": "A"},
        {"linkId": "b", "type": "boolean", "text": "B", "enableWhen": [when("a", True)]},
        {
            "linkId": "all",
            "type": "string",
            "text": "Alle",
            "enableWhen": [when("a", True), when("b", True)],
            "enableBehavior": "all",
        },
        {
            "linkId": "any",
            "type": "string",
            "text": "Én",
            "enableWhen": [when("a", True), when("b", True)],
            "enableBehavior": "any",
        },
    )
    definition = load(resource)
    yes, no = [{"valueBoolean": True}], [{"valueBoolean": False}]
    assert logic.enabled_links(definition, {"a": yes, "b": no}) >= {"any"}
    assert "all" not in logic.enabled_links(definition, {"a": yes, "b": no})
    assert "all" in logic.enabled_links(definition, {"a": yes, "b": yes})
    # b is disabled when a is no: its answer no longer counts, and is not sent
    enabled = logic.enabled_links(definition, {"a": no, "b": yes})
    assert {"b", "all", "any"}.isdisjoint(enabled)
    response = logic.response_resource(definition, {"a": no, "b": yes, "any": [{"valueString": "x"}]})
    assert [i["linkId"] for i in response["item"][0]["item"]] == ["a"]


def refused(resource: dict[str, Any]) -> str:
    with pytest.raises(Invalid) as refusal:
        load(resource)
    return refusal.value.message


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"item": [{"linkId": "r", "type": "reference", "text": "Hvem"}]}, "typen «reference»"),
        ({"item": [{"linkId": "u", "type": "url", "text": "Lenke"}]}, "typen «url»"),
        (
            {
                "item": [
                    {
                        "linkId": "s",
                        "type": "string",
                        "extension": [{"url": MAX_OCCURS, "valueInteger": 2}],
                    }
                ]
            },
            "bare på gjentatte grupper",
        ),
        (
            {"item": [{"linkId": "c", "type": "choice", "answerValueSet": "http://example.org/vs"}]},
            "ikke følger med skjemaet",
        ),
        ({"item": [{"linkId": "s", "type": "string"}, {"linkId": "s", "type": "string"}]}, "finnes to ganger"),
        ({"item": [{"linkId": "s", "type": "string", "item": [{"linkId": "t", "type": "string"}]}]}, "underspørsmål"),
        ({"version": None}, "både url og version"),
        (
            {
                "item": [
                    {
                        "linkId": "s",
                        "type": "string",
                        "enableWhen": [{"question": "x", "operator": "exists", "answerBoolean": True}],
                    }
                ]
            },
            "ikke er et spørsmål",
        ),
        (
            {
                "item": [
                    {
                        "linkId": "a",
                        "type": "boolean",
                        "enableWhen": [{"question": "b", "operator": "=", "answerBoolean": True}],
                    },
                    {
                        "linkId": "b",
                        "type": "boolean",
                        "enableWhen": [{"question": "a", "operator": "=", "answerBoolean": True}],
                    },
                ]
            },
            "går i ring",
        ),
        (
            {
                "item": [
                    {
                        "linkId": "s",
                        "type": "string",
                        "extension": [
                            {
                                "url": "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-initialExpression",
                                "valueExpression": {"language": "text/fhirpath", "expression": "1"},
                            }
                        ],
                    }
                ]
            },
            "initialExpression",
        ),
        (
            {
                "item": [
                    {
                        "linkId": "s",
                        "type": "integer",
                        "readOnly": True,
                        "extension": [
                            {
                                "url": "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression",
                                "valueExpression": {"language": "text/fhirpath", "expression": "1 +* ("},
                            }
                        ],
                    }
                ]
            },
            "ikke gyldig FHIRPath",
        ),
        (
            {
                "item": [
                    {
                        "linkId": "s",
                        "type": "string",
                        "extension": [
                            {
                                "url": "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl",
                                "valueCodeableConcept": {"coding": [{"code": "gtable"}]},
                            }
                        ],
                    }
                ]
            },
            "visningen «gtable»",
        ),
        (
            {
                "item": [
                    {"linkId": "s", "type": "string", "modifierExtension": [{"url": "urn:x", "valueBoolean": True}]}
                ]
            },
            "modifierExtension",
        ),
        ({"item": [{"linkId": "s", "type": "string", "required": "kanskje"}]}, "ikke et gyldig FHIR R4 Questionnaire"),
    ],
)
def test_a_form_the_engine_cannot_render_is_refused_with_the_reason(change: dict[str, Any], reason: str) -> None:
    resource = questionnaire() | {key: value for key, value in change.items() if value is not None}
    if change.get("version", "") is None:
        del resource["version"]
    assert reason in refused(resource)


def test_a_calculated_score_and_the_triage_outcome(triage_form: Any) -> None:
    from helseportal.forms.queries import definition_of

    definition = definition_of(triage_form)
    symptom = "urn:helseportal:forms:demo:symptom"
    answers = {
        "pustebesvaer": [{"valueBoolean": False}],
        "dager": [{"valueInteger": 9}],
        "symptomer": [{"valueCoding": {"system": symptom, "code": c, "display": c}} for c in ("hoste", "hodepine")],
    }
    calculated = logic.calculate(definition, answers)
    assert calculated["poeng"] == [{"valueInteger": 4}]  # two symptoms, and two for more than 7 days
    outcome = logic.triage(definition, logic.response_resource(definition, calculated))
    assert outcome is not None
    assert (outcome.priority, str(outcome.advice)) == (
        "urgent",
        "Legekontoret ser på svarene dine i dag og tar kontakt med deg.",
    )
    answers["pustebesvaer"] = [{"valueBoolean": True}]
    assert (
        logic.triage(definition, logic.response_resource(definition, logic.calculate(definition, answers))).priority
        == "asap"
    )  # type: ignore[union-attr]
    answers |= {"pustebesvaer": [{"valueBoolean": False}], "dager": [{"valueInteger": 1}]}
    assert (
        logic.triage(definition, logic.response_resource(definition, logic.calculate(definition, answers))).priority
        == "routine"
    )  # type: ignore[union-attr]
