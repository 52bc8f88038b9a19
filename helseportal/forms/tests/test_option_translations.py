"""Answer options in the page's language (the review of session 21, finding 14): a ValueSet's `designation`s (with a
`language`) as well as the translation extension on `display`, and the demo forms' options in nynorsk and English."""

from typing import Any

import pytest
from django.utils import translation

from helseportal.forms.definition import load
from helseportal.forms.models import Form
from helseportal.forms.tests.test_views import client_for

VALUE_SET: dict[str, Any] = {
    "resourceType": "ValueSet",
    "id": "vs",
    "status": "active",
    "compose": {
        "include": [
            {
                "system": "urn:x",
                "concept": [
                    {
                        "code": "1",
                        "display": "Hodepine",
                        "designation": [
                            {"language": "nn", "value": "Hovudverk"},
                            {"language": "en-GB", "value": "Headache"},
                        ],
                    },
                    {
                        "code": "2",
                        "designation": [{"language": "nb-NO", "value": "Hoste"}, {"language": "en", "value": "Cough"}],
                    },
                    {"code": "3", "display": "Feber", "designation": [{"value": "Pyreksi"}]},
                ],
            }
        ]
    },
}


def form_with(value_set: dict[str, Any]) -> dict[str, Any]:
    return {
        "resourceType": "Questionnaire",
        "url": "urn:helseportal:forms:test:vs",
        "version": "1",
        "status": "active",
        "title": "Test",
        "contained": [value_set],
        "item": [{"linkId": "c", "type": "choice", "text": "Velg", "answerValueSet": "#vs"}],
    }


@pytest.mark.parametrize(
    ("language", "labels"),
    [
        ("nb", ["Hodepine", "Hoste", "Feber"]),
        ("nn", ["Hovudverk", "Hoste", "Feber"]),
        ("en", ["Headache", "Cough", "Feber"]),
    ],
)
def test_a_value_sets_designations_translate_its_options(language: str, labels: list[str]) -> None:
    options = load(form_with(VALUE_SET)).by_link["c"].options
    with translation.override(language):
        assert [str(option.label) for option in options] == labels
    assert options[0].answer == {"valueCoding": {"system": "urn:x", "code": "1", "display": "Hodepine"}}


def test_an_expansions_designations_translate_too() -> None:
    expanded = {
        "resourceType": "ValueSet",
        "id": "vs",
        "status": "active",
        "expansion": {
            "timestamp": "2026-01-01",
            "contains": [
                {
                    "system": "urn:x",
                    "code": "1",
                    "display": "Ja",
                    "designation": [{"language": "nn", "value": "Ja, takk"}],
                }
            ],
        },
    }
    options = load(form_with(expanded)).by_link["c"].options
    with translation.override("nn"):
        assert str(options[0].label) == "Ja, takk"


@pytest.mark.django_db
def test_the_demo_forms_options_are_in_nynorsk_and_english(econsultation: Form, triage_form: Form) -> None:
    for form, words in (
        (econsultation, {"nn": "Sjukmelding", "en": "Sick note"}),
        (triage_form, {"nn": "Hovudverk", "en": "Headache"}),
    ):
        options = [option for item in load(form.resource).questions for option in item.options]
        assert options
        for language, word in words.items():
            with translation.override(language):
                assert word in [str(option.label) for option in options]
        assert all({"nn", "en"} <= dict(option.label.others).keys() for option in options)


@pytest.mark.django_db
def test_the_triage_form_shows_its_options_in_english(kari: Any, triage_form: Form) -> None:
    client = client_for(kari)
    client.cookies["helseportal_language"] = "en"
    start = f"/skjemaer/{triage_form.pk}/"
    client.post(start)
    page = client.get(f"{start}steg/0/").content.decode()
    assert "Headache" in page
    assert "Sore throat" in page
