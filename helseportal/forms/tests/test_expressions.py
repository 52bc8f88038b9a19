"""A form's FHIRPath (calculated scores, triage conditions): an expression that fails never lets a lower priority
through, an expression that would fail once answered is refused at import, and what an expression may cost is
bounded by the functions allowed, its length and how many a form has (the review of session 21, findings 2 and 4)."""

import copy
import dataclasses
import re
import time
from typing import Any

import pytest

from helseportal.core.actor import Actor
from helseportal.core.errors import Invalid
from helseportal.demo import actors, personas
from helseportal.forms import definition as definition_module
from helseportal.forms import logic, services
from helseportal.forms.definition import MAX_EXPRESSION_LENGTH, MAX_EXPRESSIONS, TriageRule, load
from helseportal.forms.models import Form
from helseportal.forms.tests.test_staff import client_for, send

SUM = "%resource.repeat(item).answer.value.sum() >= 4"  # fhirpathpy's sum() raises on answer values
AGGREGATE = "%resource.repeat(item).answer.value.aggregate($this + $total, 0) >= 4"


def expression(text: str) -> dict[str, Any]:
    return {"language": "text/fhirpath", "expression": text}


def rule(priority: str, condition: str = "") -> dict[str, Any]:
    parts: list[dict[str, Any]] = [{"url": "priority", "valueCode": priority}]
    parts += [{"url": "condition", "valueExpression": expression(condition)}] if condition else []
    parts += [
        {
            "url": "advice",
            "extension": [{"url": "lang", "valueCode": "nb"}, {"url": "content", "valueString": f"Råd {priority}"}],
        }
    ]
    return {"url": "rule", "extension": parts}


def scored(condition: str, *, calculated: str = "") -> dict[str, Any]:
    """Two integers, a score (if `calculated`), and triage: stat when `condition` holds, urgent, else routine."""
    items: list[dict[str, Any]] = [
        {"linkId": "a", "type": "integer", "text": "A"},
        {"linkId": "b", "type": "integer", "text": "B"},
    ]
    if calculated:
        extension = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression"
        items.append(
            {
                "linkId": "poeng",
                "type": "integer",
                "text": "Poeng",
                "extension": [{"url": extension, "valueExpression": expression(calculated)}],
            }
        )
    rules = [rule("stat", condition), rule("urgent", "false"), rule("routine")]
    return {
        "resourceType": "Questionnaire",
        "url": "urn:helseportal:forms:test:score",
        "version": "1",
        "status": "active",
        "title": "Poeng",
        "extension": [{"url": "urn:helseportal:forms:triage", "extension": rules}],
        "item": [{"linkId": "g", "type": "group", "text": "G", "item": items}],
    }


ANSWERS = {"a": [{"valueInteger": 3}], "b": [{"valueInteger": 4}]}


def failing(condition: str = SUM) -> Any:
    """The form with a condition that passed import (`AGGREGATE`) replaced by one that raises at run time (as a
    form stored before the import checked it would have)."""
    definition = load(scored(AGGREGATE))
    rules = (dataclasses.replace(definition.triage[0], condition=condition), *definition.triage[1:])
    return dataclasses.replace(definition, triage=rules)


def test_a_triage_condition_that_raises_gives_the_most_urgent_priority_flagged() -> None:
    definition = failing()
    outcome = logic.triage(definition, logic.response_resource(definition, ANSWERS))
    assert outcome is not None
    assert (outcome.priority, outcome.failed, str(outcome.advice)) == ("stat", True, "Råd stat")
    assert {"url": "urn:helseportal:forms:triage-failed", "valueBoolean": True} in logic.outcome_extensions(outcome)


def test_the_most_urgent_rule_wins_even_when_it_is_not_the_failing_one() -> None:
    definition = failing()
    rules = (TriageRule("", "routine", definition.triage[2].advice), definition.triage[1], definition.triage[0])
    reordered = dataclasses.replace(definition, triage=(rules[1], rules[2], rules[0]))
    outcome = logic.triage(reordered, logic.response_resource(reordered, ANSWERS))
    assert outcome is not None
    assert (outcome.priority, outcome.failed) == ("stat", True)


def test_a_condition_that_works_gives_its_own_priority_unflagged() -> None:
    definition = load(scored(AGGREGATE))
    outcome = logic.triage(definition, logic.response_resource(definition, ANSWERS))
    assert outcome is not None
    assert (outcome.priority, outcome.failed) == ("stat", False)
    low = logic.triage(definition, logic.response_resource(definition, {"a": [{"valueInteger": 1}]}))
    assert low is not None
    assert (low.priority, low.failed) == ("routine", False)


def test_a_calculation_that_raises_leaves_the_score_empty_and_fails_the_triage(
    caplog: pytest.LogCaptureFixture,
) -> None:
    definition = load(scored("%resource.repeat(item).where(linkId='poeng').answer.value >= 4", calculated="a.count()"))
    item = definition.by_link["poeng"]
    broken = dataclasses.replace(
        definition,
        items=(
            dataclasses.replace(
                definition.items[0],
                items=(*definition.items[0].items[:2], dataclasses.replace(item, calculated=SUM.removesuffix(" >= 4"))),
            ),
        ),
    )
    failed: list[str] = []
    answers = logic.calculate(broken, ANSWERS, failed)
    assert "poeng" not in answers
    assert failed == ["poeng"]
    outcome = logic.triage(broken, logic.response_resource(broken, answers), failed=bool(failed))
    assert outcome is not None
    assert (outcome.priority, outcome.failed) == ("stat", True)
    assert "urn:helseportal:forms:test:score|1" in caplog.text
    assert "3" not in caplog.text.replace("score|1", "")


@pytest.mark.django_db
def test_staff_see_that_the_triage_failed(
    kari: Actor, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from helseportal.forms.tests.conftest import unit

    form = services.import_form(scored(AGGREGATE), unit=unit(personas.MAJORSTUEN_GP), public=True)
    monkeypatch.setattr(services, "definition_of", lambda found: failing())
    sent = send(kari, form, ANSWERS)
    assert (sent.priority, logic.triage_failed(sent.resource)) == ("stat", True)
    assert "Hemmelig" not in caplog.text
    lars = client_for(actors.clinician(personas.LARS, personas.MAJORSTUEN_GP))
    page = lars.get(f"/helsepersonell/skjemaer/svar/{sent.pk}/").content.decode()
    assert "Vurderingen kunne ikke regnes ut." in page


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"condition": SUM}, "Uttrykket i triage gir en feil når skjemaet er fylt ut"),
        (
            {"calculated": "%resource.repeat(item).answer.value.sum()"},
            "Uttrykket i poeng gir en feil når skjemaet er fylt ut",
        ),
    ],
)
def test_an_expression_that_raises_once_answered_is_refused_at_import(change: dict[str, str], reason: str) -> None:
    with pytest.raises(Invalid, match=reason):
        load(scored(change.get("condition", AGGREGATE), calculated=change.get("calculated", "")))


def test_aggregate_adds_what_sum_cannot() -> None:
    definition = load(
        scored(
            AGGREGATE,
            calculated="%resource.repeat(item).where(linkId='a' or linkId='b').answer.value"
            ".aggregate($this + $total, 0)",
        )
    )
    assert logic.calculate(definition, ANSWERS)["poeng"] == [{"valueInteger": 7}]


@pytest.mark.parametrize(
    ("condition", "reason"),
    [
        ("'aaaaaaaaaa'.replace('a', 'aaaaaaaaaa').replace('a', 'aaaaaaaaaa').length() > 1", "bruker replace()"),
        ("%resource.descendants().select(%resource.descendants()).count() > 1", "bruker descendants()"),
        ("%resource.children().count() > 1", "bruker children()"),
        ("%resource.trace('svar').exists()", "bruker trace()"),
        ("%resource.item.select(%resource.repeat(item)).count() > 1", "bruker repeat() inne i en annen funksjon"),
        (
            "%resource.item.where(item.select(item.where(linkId = 'a').exists()).exists()).exists()",
            "for mange funksjoner inne i hverandre",
        ),
        ("'a'.matches('(a+)+b')", "bruker matches()"),
        ("true or " * 130 + "true", f"lengre enn {MAX_EXPRESSION_LENGTH} tegn"),
    ],
)
def test_costly_fhirpath_is_refused_at_import(condition: str, reason: str) -> None:
    began = time.monotonic()
    with pytest.raises(Invalid, match=re.escape(reason)):
        load(scored(condition))
    assert time.monotonic() - began < 1


def test_a_form_with_too_many_expressions_is_refused() -> None:
    resource = scored(AGGREGATE)
    resource["extension"][0]["extension"] = [rule("urgent", "true")] * (MAX_EXPRESSIONS + 1) + [rule("routine")]
    with pytest.raises(Invalid, match=f"flere enn {MAX_EXPRESSIONS} uttrykk"):
        load(resource)


def test_trace_prints_nothing_even_where_it_is_evaluated(capsys: pytest.CaptureFixture[str]) -> None:
    definition = load(scored(AGGREGATE))
    logic.evaluate("%resource.trace('hemmelig').exists()", logic.response_resource(definition, ANSWERS), definition)
    assert "hemmelig" not in capsys.readouterr().out


def test_the_shipped_forms_expressions_are_allowed(econsultation: Form, triage_form: Form) -> None:
    for form in (econsultation, triage_form):
        assert load(copy.deepcopy(form.resource)).canonical == form.canonical


def test_a_form_whose_expressions_are_slow_on_a_full_response_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(definition_module, "EXPRESSION_BUDGET_SECONDS", 0)  # every form is "slow" now
    resource = scored(AGGREGATE)
    resource["extension"][0]["extension"] = [rule("urgent", "true"), rule("urgent", "false"), rule("routine")]
    with pytest.raises(Invalid, match="Uttrykkene i skjemaet tar for lang tid å regne ut"):
        load(resource)
