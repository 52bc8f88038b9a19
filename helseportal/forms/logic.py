"""The rules the engine applies to answers, evaluated on the server on every step: which items are enabled
(`enableWhen`/`enableBehavior`), the calculated values (SDC `calculatedExpression`, FHIRPath with fhirpathpy), the
triage outcome (our extension), and the QuestionnaireResponse built from the answers of the enabled items.

Pure: no database. `Answers` maps a linkId to its answer elements (`[{"valueInteger": 3}]`).
"""

import datetime
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import fhirpathpy
from fhirpathpy.models import models

from helseportal.fhir import JSON
from helseportal.forms.definition import PRIORITY_SYSTEM, TRIAGE, Condition, Definition, Item, Texts

logger = logging.getLogger(__name__)
Answers = Mapping[str, list[JSON]]
R4 = models["r4"]
TRIAGE_OUTCOME = TRIAGE + "-outcome"
MAX_PASSES = 50  # enableWhen may point forward; the answer settles within as many passes as there are levels


def value_of(answer: JSON) -> tuple[str, Any]:
    """The one `value[x]` of an answer element: its key and its value (("", None) for an empty one)."""
    return next(iter(answer.items()), ("", None))


def _python(answer: JSON) -> tuple[str, Any]:
    """An answer element as (kind, comparable value); ("", None) when it cannot be compared."""
    key, value = value_of(answer)
    try:
        match key:
            case "valueBoolean" | "valueString" | "valueUri":
                return key, value
            case "valueInteger" | "valueDecimal":
                return "number", Decimal(str(value))
            case "valueDate":
                return key, datetime.date.fromisoformat(value)
            case "valueDateTime":
                return key, datetime.datetime.fromisoformat(value)
            case "valueTime":
                return key, datetime.time.fromisoformat(value)
            case "valueQuantity":
                return f"quantity:{value.get('code') or value.get('unit') or ''}", Decimal(str(value.get("value")))
            case "valueCoding":
                return key, (value.get("system") or "", value.get("code") or "")
    except (ValueError, TypeError, InvalidOperation, AttributeError):
        pass
    return "", None


def _equal(answer: JSON, wanted: JSON) -> bool:
    kind, value = _python(answer)
    wanted_kind, wanted_value = _python(wanted)
    if not kind or kind != wanted_kind:
        return False
    if kind == "valueCoding":  # a side without a system matches any system (R4: the code is what is compared)
        return value[1] == wanted_value[1] and (not value[0] or not wanted_value[0] or value[0] == wanted_value[0])
    return bool(value == wanted_value)


def _order(answer: JSON, wanted: JSON) -> int | None:
    kind, value = _python(answer)
    wanted_kind, wanted_value = _python(wanted)
    if not kind or kind != wanted_kind or kind in ("valueBoolean", "valueCoding"):
        return None
    try:
        return (value > wanted_value) - (value < wanted_value)
    except TypeError:  # an aware and a naive dateTime
        return None


def holds(condition: Condition, answers: list[JSON]) -> bool:
    """One enableWhen against the question's answers (none when the question is disabled): R4's operator table.
    `!=` holds when no answer equals (so also when there is none); the ordering operators need an answer."""
    match condition.operator:
        case "exists":
            return bool(answers) == bool(condition.answer.get("valueBoolean"))
        case "=":
            return any(_equal(a, condition.answer) for a in answers)
        case "!=":
            return not any(_equal(a, condition.answer) for a in answers)
    wanted = {">": (1,), "<": (-1,), ">=": (0, 1), "<=": (-1, 0)}[condition.operator]
    return any(_order(a, condition.answer) in wanted for a in answers)


def enabled_links(definition: Definition, answers: Answers) -> set[str]:
    """The linkIds enabled by these answers: an item is enabled when its own enableWhen holds and its group is
    enabled; a condition on a disabled question sees no answer. Repeated to a fixed point (conditions may point
    forward or at items whose own enabling depends on others)."""
    enabled = {item.link_id for item in definition.walk()}
    for _pass in range(MAX_PASSES):
        now: set[str] = set()
        for item in definition.items:
            _enable(item, answers, enabled, now, parent=True)
        if now == enabled:
            return now
        enabled = now
    return enabled


def _enable(item: Item, answers: Answers, previous: set[str], into: set[str], *, parent: bool) -> None:
    on = parent and _conditions_hold(item, answers, previous)
    if on:
        into.add(item.link_id)
    for child in item.items:
        _enable(child, answers, previous, into, parent=on)


def _conditions_hold(item: Item, answers: Answers, enabled: set[str]) -> bool:
    if not item.conditions:
        return True
    results = (holds(c, list(answers.get(c.question, ())) if c.question in enabled else []) for c in item.conditions)
    return any(results) if item.behavior == "any" else all(results)


def response_items(definition: Definition, answers: Answers, enabled: set[str]) -> list[JSON]:
    """The `item` tree of a QuestionnaireResponse: enabled items with answers, and the groups that hold them."""
    return [found for item in definition.items if (found := _response_item(item, answers, enabled))]


def _response_item(item: Item, answers: Answers, enabled: set[str]) -> JSON | None:
    if item.link_id not in enabled or item.type == "display":
        return None
    head: JSON = {"linkId": item.link_id} | ({"text": item.text.nb} if item.text else {})
    if item.type == "group":
        children = [found for child in item.items if (found := _response_item(child, answers, enabled))]
        return head | {"item": children} if children else None
    given = [dict(answer) for answer in answers.get(item.link_id, ()) if answer]
    return head | {"answer": given} if given else None


def response_resource(definition: Definition, answers: Answers, *, status: str = "completed") -> JSON:
    """A QuestionnaireResponse of these answers, without subject, author or dates (the mapper adds them)."""
    enabled = enabled_links(definition, answers)
    items = response_items(definition, answers, enabled)
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": definition.canonical,
        "status": status,
    } | ({"item": items} if items else {})


def evaluate(expression: str, response: JSON, definition: Definition) -> list[Any]:
    """A FHIRPath expression over the response (`%resource`), the Questionnaire as `%questionnaire`; an expression
    that fails at run time (a type the library cannot add) gives no value, and the log says which form."""
    try:
        result = fhirpathpy.evaluate(
            response, expression, {"resource": response, "questionnaire": definition.resource}, R4
        )
    except Exception:  # fhirpathpy raises what its evaluators raise
        logger.warning("FHIRPath expression failed in %s", definition.canonical)
        return []
    return list(result) if isinstance(result, list) else [result]


def _as_answer(item: Item, value: Any) -> JSON | None:
    """A calculated value as an answer element of the item's type; None when it does not fit."""
    if isinstance(value, bool):
        return {"valueBoolean": value} if item.type == "boolean" else None
    if isinstance(value, int | float | Decimal) and item.type in ("integer", "decimal", "quantity"):
        number = Decimal(str(value))
        if item.type == "integer":
            return {"valueInteger": int(number)} if number == number.to_integral_value() else None
        plain = int(number) if number == number.to_integral_value() else float(number)
        if item.type == "quantity":
            return {"valueQuantity": {"value": plain} | _unit_of(item)}
        return {"valueDecimal": plain}
    if isinstance(value, str) and item.type in ("string", "text"):
        return {"valueString": value}
    return None


def _unit_of(item: Item) -> JSON:
    unit = item.unit or {}
    found = {"unit": unit.get("display") or unit.get("code"), "system": unit.get("system"), "code": unit.get("code")}
    return {key: value for key, value in found.items() if value}


def calculate(definition: Definition, answers: Answers) -> dict[str, list[JSON]]:
    """The answers with every calculated item filled in from the others, in document order, twice over so that
    a calculation may use one further down."""
    result = {link: list(given) for link, given in answers.items()}
    calculated = [item for item in definition.walk() if item.calculated]
    for _round in range(2):
        for item in calculated:
            result.pop(item.link_id, None)
            response = response_resource(definition, result, status="in-progress")
            values = [
                found
                for value in evaluate(item.calculated, response, definition)[:1]
                if (found := _as_answer(item, value))
            ]
            if values:
                result[item.link_id] = values
    return result


@dataclass(frozen=True)
class Outcome:
    priority: str
    advice: Texts
    rule: int  # which rule gave it (its place in the extension)


def triage(definition: Definition, response: JSON) -> Outcome | None:
    """The first triage rule whose condition holds (a rule without one always does); None without rules."""
    for number, rule in enumerate(definition.triage):
        if not rule.condition or _true(evaluate(rule.condition, response, definition)):
            return Outcome(rule.priority, rule.advice, number)
    return None


def _true(values: list[Any]) -> bool:
    return values == [True]


def outcome_extension(outcome: Outcome) -> JSON:
    """The triage outcome on the response, for the unit's record system: a request-priority code."""
    return {"url": TRIAGE_OUTCOME, "valueCoding": {"system": PRIORITY_SYSTEM, "code": outcome.priority}}


def missing(definition: Definition, answers: Answers) -> list[Item]:
    """The required questions that are enabled and have no answer (a calculated item is never required)."""
    enabled = enabled_links(definition, answers)
    return [
        item
        for item in definition.questions
        if item.required and item.link_id in enabled and not answers.get(item.link_id)
    ]


def mismatches(definition: Definition, response: JSON) -> list[str]:
    """What in a QuestionnaireResponse does not fit its Questionnaire (empty: it fits): unknown or repeated
    linkIds, answers to a group or a display item, an answer of the wrong type or not among the options, several
    answers to an item that does not repeat, an answer to a disabled item, a required enabled item unanswered."""
    by_link = definition.by_link
    found: list[str] = []
    answers: dict[str, list[JSON]] = {}
    for entry in _flatten(response.get("item") or ()):
        item = by_link.get(entry.get("linkId", ""))
        if item is None or entry["linkId"] in answers:
            found.append(f"unknown or repeated linkId {entry.get('linkId')!r}")
            continue
        given = list(entry.get("answer") or ())
        answers[item.link_id] = given
        found += [f"{item.link_id}: {problem}" for problem in _answer_problems(item, given)]
    enabled = enabled_links(definition, answers)
    found += [f"{link}: answered but disabled" for link in answers if link not in enabled and answers[link]]
    found += [f"{item.link_id}: required" for item in missing(definition, answers)]
    return found


def _flatten(entries: Any) -> list[JSON]:
    flat: list[JSON] = []
    for entry in entries:
        flat.append(entry)
        flat += _flatten(entry.get("item") or ())
    return flat


def _answer_problems(item: Item, given: list[JSON]) -> list[str]:
    if item.type in ("group", "display"):
        return ["answer to a group or display"] if given else []
    problems = ["several answers but repeats is false"] if len(given) > 1 and not item.repeats else []
    options = [option.answer for option in item.options]
    for answer in given:
        key = next(iter(answer), "")
        free_text = item.type == "open-choice" and key == "valueString"
        if item.type in ("choice", "open-choice") and not free_text and not any(_equal(answer, o) for o in options):
            problems.append(f"{answer} is not an option")
        elif item.type not in ("choice", "open-choice") and key != item.value_key:
            problems.append(f"{key} in a {item.type} item")
    return problems
