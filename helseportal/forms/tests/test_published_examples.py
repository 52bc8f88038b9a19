"""Questionnaires published by HL7 (the FHIR R4 specification's examples and the SDC implementation guide's test
forms), minimal faithful copies written by hand: those the engine renders and round-trips — every step renders
its questions, the answers come back in a QuestionnaireResponse that validates and says what was answered, only
for the questions enabled — and those it refuses whole at import, with the reason in Norwegian (an external value
set it cannot look up, a linkId used twice), never half-rendered."""

import pytest
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from helseportal.core.actor import Actor
from helseportal.core.errors import Invalid
from helseportal.demo import personas
from helseportal.fhir import JSON
from helseportal.forms import services
from helseportal.forms.models import Form
from helseportal.forms.tests.conftest import unit
from helseportal.forms.tests.test_views import client_for
from tests.test_fhir_spec_examples import QUESTIONNAIRE, without

pytestmark = pytest.mark.django_db

# https://hl7.org/fhir/R4/questionnaire-example-f201-lifelines.html (the copy the API's specification tests use), with
# the `version` and `title` the portal needs (every response points at url|version).
LIFELINES: JSON = without(QUESTIONNAIRE, "id") | {"version": "1", "title": "Lifelines Questionnaire 1 part 1"}

# https://hl7.org/fhir/R4/questionnaire-example.html (Cancer Quality Forum 2012), its first question: a choice from
# the external value set yesnodontknow, with a group under it.
CANCER_QUALITY_FORUM: JSON = {
    "resourceType": "Questionnaire",
    "url": "http://hl7.org/fhir/Questionnaire/3141",
    "version": "1",
    "title": "Cancer Quality Forum Questionnaire 2012",
    "status": "draft",
    "subjectType": ["Patient"],
    "date": "2012-01",
    "item": [
        {
            "linkId": "1",
            "code": [{"system": "http://example.org/system/code/sections", "code": "COMORBIDITY"}],
            "type": "group",
            "item": [
                {
                    "linkId": "1.1",
                    "code": [{"system": "http://example.org/system/code/questions", "code": "COMORB"}],
                    "prefix": "1",
                    "type": "choice",
                    "answerValueSet": "http://hl7.org/fhir/ValueSet/yesnodontknow",
                }
            ],
        }
    ],
}

ANSWERS: dict[int, dict[str, list[JSON]]] = {
    0: {"1": [{"valueBoolean": True}]},
    1: {
        "2.1": [{"valueString": "female"}],
        "2.2": [{"valueDate": "1990-02-14"}],
        "2.3": [{"valueString": "Norway"}],
        "2.4": [{"valueString": "married"}],
    },
    2: {"3.1": [{"valueBoolean": False}], "3.2": [{"valueBoolean": True}]},
}


@pytest.fixture
def lifelines(demo: None) -> Form:
    return services.import_form(LIFELINES, unit=unit(personas.MAJORSTUEN_GP), public=True)


def test_the_lifelines_questionnaire_renders_every_step_and_round_trips(kari: Actor, lifelines: Form) -> None:
    client = client_for(kari)
    start = f"/skjemaer/{lifelines.pk}/"
    assert client.get(start).status_code == 200
    assert client.post(start).url == f"{start}steg/0/"
    for step, answers in ANSWERS.items():
        page = client.get(f"{start}steg/{step}/")
        assert page.status_code == 200, step
        html = page.content.decode()
        for item in _items_of(step):
            assert item["text"] in html, (step, item["linkId"])
        services.save_step(kari, lifelines.pk, step, answers, list(answers))
    assert client.get(f"{start}oppsummering/").status_code == 200
    sent = services.submit(kari, lifelines.pk)

    resource = sent.resource
    QuestionnaireResponse.model_validate(resource)
    assert resource["questionnaire"] == "http://hl7.org/fhir/Questionnaire/f201|1"
    assert _answers_of(resource["item"]) == {link: value for step in ANSWERS.values() for link, value in step.items()}


def test_a_questionnaire_with_an_external_value_set_is_refused_whole_with_the_reason(demo: None) -> None:
    with pytest.raises(Invalid) as refused:
        services.import_form(CANCER_QUALITY_FORUM, unit=unit(personas.MAJORSTUEN_GP), public=True)
    assert "yesnodontknow" in refused.value.message or "verdisett" in refused.value.message.lower()
    assert not Form.objects.filter(url=CANCER_QUALITY_FORUM["url"]).exists()


def _items_of(step: int) -> list[JSON]:
    top = LIFELINES["item"][step]
    return top["item"] if top["type"] == "group" else [top]


def _answers_of(items: list[JSON]) -> dict[str, list[JSON]]:
    found: dict[str, list[JSON]] = {}
    for item in items:
        if "answer" in item:
            found[item["linkId"]] = [{k: v for k, v in a.items() if k != "item"} for a in item["answer"]]
        found |= _answers_of(item.get("item", []))
    return found


# SDC's test form "Enable When" (questionnaire-sdc-test-enableWhen, HL7/sdc input/examples), its scenario 5: a date
# and a time that enable questions by `>` and `<=`. As published the form is refused whole (see the next test); this
# scenario alone, with the url and version the portal needs, is rendered.
SDC_ENABLE_WHEN_DATES: JSON = {
    "resourceType": "Questionnaire",
    "url": "http://hl7.org/fhir/uv/sdc/Questionnaire/questionnaire-sdc-test-enableWhen-scenario-5",
    "version": "1",
    "name": "EnableWhenTests",
    "title": "Enable When",
    "status": "active",
    "item": [
        {
            "linkId": "scenario-5",
            "text": "Scenario 5: Test EnableWhen Date Trigger",
            "type": "group",
            "item": [
                {"linkId": "date_of_birth_question", "text": "Date of Birth", "type": "date"},
                {
                    "linkId": "date_greater_2000-01-01",
                    "text": "Please specify if DOB > 2000-01-01",
                    "type": "string",
                    "enableWhen": [{"question": "date_of_birth_question", "operator": ">", "answerDate": "2000-01-01"}],
                },
                {
                    "linkId": "date_less_2000-01-01",
                    "text": "Please specify if DOB is <= 2000-01-01",
                    "type": "string",
                    "enableWhen": [
                        {"question": "date_of_birth_question", "operator": "<=", "answerDate": "2000-01-01"}
                    ],
                },
                {"linkId": "datetime_question", "text": "Please specify time", "type": "time"},
                {
                    "linkId": "datetime_question_greter_than",
                    "text": "If Time Greater Than 11:11:11",
                    "type": "string",
                    "enableWhen": [{"question": "datetime_question", "operator": ">", "answerTime": "11:11:11"}],
                },
                {
                    "linkId": "datetime_question_less_than_equal",
                    "text": "If Time Less Than 11:11:11",
                    "type": "string",
                    "enableWhen": [{"question": "datetime_question", "operator": "<=", "answerTime": "11:11:11"}],
                },
            ],
        }
    ],
}


def test_sdcs_date_and_time_enable_when_renders_and_sends_only_what_is_enabled(kari: Actor, demo: None) -> None:
    form = services.import_form(SDC_ENABLE_WHEN_DATES, unit=unit(personas.MAJORSTUEN_GP), public=True)
    client = client_for(kari)
    assert client.post(f"/skjemaer/{form.pk}/").url == f"/skjemaer/{form.pk}/steg/0/"
    answers = {
        "date_of_birth_question": [{"valueDate": "2005-03-01"}],
        "date_greater_2000-01-01": [{"valueString": "born after"}],
        "date_less_2000-01-01": [{"valueString": "never asked"}],
        "datetime_question": [{"valueTime": "09:30:00"}],
        "datetime_question_greter_than": [{"valueString": "never asked either"}],
        "datetime_question_less_than_equal": [{"valueString": "morning"}],
    }
    services.save_step(kari, form.pk, 0, answers, list(answers))
    html = client.get(f"/skjemaer/{form.pk}/steg/0/").content.decode()
    assert "Please specify if DOB &gt; 2000-01-01" in html
    assert "Please specify if DOB is &lt;= 2000-01-01" not in html  # disabled by the answer: not shown
    sent = services.submit(kari, form.pk).resource
    QuestionnaireResponse.model_validate(sent)
    assert set(_answers_of(sent["item"])) == {
        "date_of_birth_question",
        "date_greater_2000-01-01",
        "datetime_question",
        "datetime_question_less_than_equal",
    }


def test_sdcs_enable_when_form_as_published_is_refused_for_a_link_id_used_twice(demo: None) -> None:
    """As published, scenario 1 gives two questions the linkId e5da17a7-…: answers could not say which they answer."""
    twice = {"linkId": "e5da17a7-7546-45c5-9bcd-d0b09a74cc14", "type": "string"}
    published = SDC_ENABLE_WHEN_DATES | {
        "url": "http://hl7.org/fhir/uv/sdc/Questionnaire/questionnaire-sdc-test-enableWhen",
        "item": [
            {
                "linkId": "3239e619-e2b9-492c-bf05-88b314fbe3e4",
                "text": "Scenario 1",
                "type": "group",
                "item": [
                    {"linkId": "83d5c1a6-5dc3-44d0-9d9e-d687c72e143e", "text": "Question 1 Check", "type": "boolean"},
                    twice | {"text": "Question hidden until Q1 checked"},
                    twice | {"text": "Question hidden until Q3 radio 2 Selected"},
                ],
            }
        ],
    }
    with pytest.raises(Invalid) as refused:
        services.import_form(published, unit=unit(personas.MAJORSTUEN_GP), public=True)
    assert "e5da17a7-7546-45c5-9bcd-d0b09a74cc14" in refused.value.message
    assert not Form.objects.filter(url=published["url"]).exists()
