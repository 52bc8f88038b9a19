"""Calculated bounds (issue 17): a minValue/maxValue whose `_valueDate`/`_valueDateTime` carries
`cqf-calculatedValue` (FHIRPath such as `today()`), worked out on the portal's clock (the test clock here, never the
wall clock), refused at import when it is not FHIRPath or gives no date; and the pregnancy survey's urine-test date,
which may not be in the future (the hand-coded form's check, with its words)."""

import datetime
import json
from pathlib import Path
from typing import Any

import pytest

from helseportal.core.errors import Invalid
from helseportal.core.time import today
from helseportal.forms import logic
from helseportal.forms.definition import load
from helseportal.forms.forms import StepForm

pytestmark = pytest.mark.dates
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
CALCULATED_VALUE = "http://hl7.org/fhir/StructureDefinition/cqf-calculatedValue"
SURVEY = Path(__file__).parent.parent / "data" / "svangerskap_kartlegging.json"


def bound(url: str, expression: str, key: str = "_valueDate") -> dict[str, Any]:
    return {"url": url, key: {"extension": [{"url": CALCULATED_VALUE, "valueString": expression}]}}


def questionnaire(kind: str, *extensions: dict[str, Any]) -> dict[str, Any]:
    item = {"linkId": "d", "type": kind, "text": "Når?", "extension": list(extensions)}
    return {
        "resourceType": "Questionnaire",
        "url": "urn:helseportal:forms:test:dato",
        "version": "1",
        "status": "active",
        "item": [{"linkId": "g", "type": "group", "text": "Dato", "item": [item]}],
    }


def errors(resource: dict[str, Any], posted: dict[str, str]) -> list[str]:
    definition = load(resource)
    form = StepForm(posted, {}, step=definition.steps[0], answers={}, enabled=logic.enabled_links(definition, {}))
    form.is_valid()
    return [str(message) for messages in form.errors.values() for message in messages]


def day(offset: int) -> str:
    return (today() + datetime.timedelta(days=offset)).isoformat()


def test_max_value_today_refuses_tomorrow_with_the_old_forms_words_and_takes_today() -> None:
    resource = questionnaire("date", bound(MAX_VALUE, "today()"))
    assert load(resource).by_link["d"].maximum_expression == "today()"
    assert errors(resource, {"i1": day(1)}) == ["Datoen kan ikke være fram i tid."]
    assert errors(resource, {"i1": day(0)}) == []


def test_a_calculated_min_value_is_worked_out_on_the_portals_clock() -> None:
    resource = questionnaire("date", bound(MIN_VALUE, "today() - 14 days"))
    fortnight = (today() - datetime.timedelta(days=14)).strftime("%d.%m.%Y")
    assert errors(resource, {"i1": day(-15)}) == [f"Svaret må være minst {fortnight}."]
    assert errors(resource, {"i1": day(-14)}) == []


def test_a_date_as_the_latest_for_a_date_time_question_allows_any_time_that_day() -> None:
    resource = questionnaire("dateTime", bound(MAX_VALUE, "today()", "_valueDateTime"))
    assert errors(resource, {"i1": f"{day(0)}T23:30"}) == []
    assert errors(resource, {"i1": f"{day(1)}T00:10"}) != []


@pytest.mark.parametrize(
    ("extension", "kind", "reason"),
    [
        (bound(MAX_VALUE, "today() +"), "date", "ikke gyldig FHIRPath"),
        (bound(MAX_VALUE, "1 + 1"), "date", "gir ikke en dato"),
        (bound(MAX_VALUE, "'tomorrow'"), "date", "gir ikke en dato"),
        (bound(MAX_VALUE, "today()"), "integer", "bare bruke på datoer"),
        (bound(MAX_VALUE, "today()", "_valueDateTime"), "date", "bare bruke på datoer"),
        ({"url": MAX_VALUE, "_valueDate": {"extension": [{"url": "urn:annet", "valueString": "x"}]}}, "date", "datoer"),
        (
            {
                "url": "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-maxValueExpression",
                "valueExpression": {"language": "text/fhirpath", "expression": "today()"},
            },
            "date",
            "maxValueExpression",  # not an SDC extension: refused rather than the bound left unchecked
        ),
    ],
)
def test_a_calculated_bound_that_is_not_fhirpath_or_no_date_is_refused(
    extension: dict[str, Any], kind: str, reason: str
) -> None:
    with pytest.raises(Invalid) as refused:
        load(questionnaire(kind, extension))
    assert reason in refused.value.message


def test_the_survey_refuses_a_urine_test_date_in_the_future_and_takes_today() -> None:
    resource = json.loads(SURVEY.read_text(encoding="utf-8"))
    definition = load(resource)
    assert resource["version"] == "1.1.0"  # 1.0.0 was published without the check: a published version never changes
    date = definition.by_link["urine.date"]
    step = next(step for step in definition.steps if any(item.link_id == "urine.date" for item in step.items))
    taken = {"urine.taken": [definition.by_link["urine.taken"].options[0].answer]}  # «Ja»
    assert date.link_id in logic.enabled_links(definition, taken)
    name = f"i{date.index}"

    def posted(value: str) -> StepForm:
        taken_field = {f"i{definition.by_link['urine.taken'].index}": "0"}
        enabled = logic.enabled_links(definition, taken)
        return StepForm(
            taken_field | {name: value}, {}, step=step, answers=taken, enabled=enabled, definition=definition
        )

    future = posted(day(1))
    assert not future.is_valid()
    assert future.errors[name] == ["Datoen kan ikke være fram i tid."]
    assert posted(day(0)).is_valid()
