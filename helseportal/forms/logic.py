"""The rules the engine applies to answers, evaluated on the server on every step: which items are enabled
(`enableWhen`/`enableBehavior`), the calculated values (SDC `calculatedExpression`, FHIRPath with fhirpathpy), the
triage outcome (our extension), and the QuestionnaireResponse built from the answers of the enabled items.

Pure: no database. `Answers` maps a linkId to its answer elements (`[{"valueInteger": 3}]`); a repeating group's
linkId maps to its instances, each an `Answers` of its own (`[{"legemiddel.navn": [...]}, {...}]`). What is enabled
is worked out per instance (`Enabled`): an enableWhen inside a repeating group reads the answers of its own instance,
and those outside the group as at the top (FHIR R4: the nearest ancestor instance).
"""

import datetime
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from fhirpathpy.models import models

from helseportal.core.forms import decimal_problem
from helseportal.fhir import JSON
from helseportal.forms.definition import (
    PRIORITIES,
    PRIORITY_SYSTEM,
    TRIAGE,
    Condition,
    Definition,
    Item,
    Texts,
    evaluate_fhirpath,
)

logger = logging.getLogger(__name__)
Answers = Mapping[str, list[Any]]  # answer elements; for a repeating group, its instances (each an Answers)
R4 = models["r4"]
TRIAGE_OUTCOME = TRIAGE + "-outcome"
TRIAGE_FAILED = TRIAGE + "-failed"
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


@dataclass
class Enabled:
    """What the answers enable: `links`, the items answered at this level (the top, or one instance of a repeating
    group: the repeating groups directly below included, not their items), and per enabled repeating group one
    `Enabled` for each of its instances."""

    links: set[str]
    instances: dict[str, list["Enabled"]] = field(default_factory=dict)

    def everything(self) -> set[str]:
        """The linkIds enabled anywhere (an item in a repeating group: in at least one instance)."""
        found = set(self.links)
        for states in self.instances.values():
            for state in states:
                found |= state.everything()
        return found


@dataclass(frozen=True)
class _Scope:
    """The answers an enableWhen may read: this level's, then the instance around it, up to the top."""

    group: str  # the repeating group of this level ("" at the top)
    answers: Answers
    enabled: set[str]
    parent: "_Scope | None"

    def answers_to(self, question: str, level: str) -> list[JSON]:
        scope: _Scope | None = self
        while scope is not None and scope.group != level:
            scope = scope.parent
        if scope is None or question not in scope.enabled:
            return []
        return list(scope.answers.get(question, ()))


def initial_answers(items: Iterable[Item]) -> dict[str, list[JSON]]:
    """The start values of the questions at this level (the top, or a new instance of a repeating group)."""
    answers: dict[str, list[JSON]] = {}
    for top in items:
        for item in top.level():
            chosen = [option.answer for option in item.options if option.selected] or list(item.initial)
            if item.is_question and chosen:
                answers[item.link_id] = chosen if item.repeats else chosen[:1]
    return answers


def instances_of(group: Item, answers: Answers) -> list[dict[str, list[Any]]]:
    """A repeating group's instances in these answers: at least `least_instances` (new ones with the start
    values), at most `max_occurs`."""
    stored = [dict(one) for one in answers.get(group.link_id, ()) if isinstance(one, dict)][: group.max_occurs]
    return stored + [initial_answers(group.items) for _ in range(group.least_instances - len(stored))]


def enabled_tree(definition: Definition, answers: Answers) -> Enabled:
    """Which items these answers enable, per instance: an item is enabled when its own enableWhen holds and its
    group is enabled; a condition on a disabled question sees no answer. Each level is worked out to a fixed point
    (conditions may point forward), the top first, then each instance with the levels around it settled."""
    return _level(definition, definition.items, answers, "", None)


def enabled_links(definition: Definition, answers: Answers) -> set[str]:
    """The linkIds enabled by these answers (an item in a repeating group: in at least one instance)."""
    return enabled_tree(definition, answers).everything()


def _level(
    definition: Definition, items: tuple[Item, ...], answers: Answers, group: str, parent: _Scope | None
) -> Enabled:
    enabled = {item.link_id for top in items for item in top.level()}
    for _pass in range(MAX_PASSES):
        now: set[str] = set()
        scope = _Scope(group, answers, enabled, parent)
        for item in items:
            _enable(definition, item, scope, now, parent=True)
        if now == enabled:
            break
        enabled = now
    scope = _Scope(group, answers, enabled, parent)
    instances = {
        item.link_id: [_level(definition, item.items, one, item.link_id, scope) for one in instances_of(item, answers)]
        for top in items
        for item in top.level()
        if item.is_repeating_group and item.link_id in enabled
    }
    return Enabled(enabled, instances)


def _enable(definition: Definition, item: Item, scope: _Scope, into: set[str], *, parent: bool) -> None:
    on = parent and _conditions_hold(definition, item, scope)
    if on:
        into.add(item.link_id)
    if not item.is_repeating_group:
        for child in item.items:
            _enable(definition, child, scope, into, parent=on)


def _conditions_hold(definition: Definition, item: Item, scope: _Scope) -> bool:
    if not item.conditions:
        return True
    levels = definition.level_of
    results = (holds(c, scope.answers_to(c.question, levels.get(c.question, ""))) for c in item.conditions)
    return any(results) if item.behavior == "any" else all(results)


def response_items(definition: Definition, answers: Answers, enabled: Enabled) -> list[JSON]:
    """The `item` tree of a QuestionnaireResponse: enabled items with answers, and the groups that hold them; a
    repeating group once per instance that holds an answer, each with the group's linkId."""
    return [found for item in definition.items for found in _response_items(item, answers, enabled)]


def _response_items(item: Item, answers: Answers, enabled: Enabled) -> list[JSON]:
    if item.link_id not in enabled.links or item.type == "display":
        return []
    head: JSON = {"linkId": item.link_id} | ({"text": item.text.nb} if item.text else {})
    if item.is_repeating_group:
        found = []
        for one, state in zip(instances_of(item, answers), enabled.instances.get(item.link_id, ()), strict=False):
            children = [inner for child in item.items for inner in _response_items(child, one, state)]
            found += [head | {"item": children}] if children else []
        return found
    if item.type == "group":
        children = [inner for child in item.items for inner in _response_items(child, answers, enabled)]
        return [head | {"item": children}] if children else []
    given = [dict(answer) for answer in answers.get(item.link_id, ()) if answer]
    return [head | {"answer": given}] if given else []


def response_resource(definition: Definition, answers: Answers, *, status: str = "completed") -> JSON:
    """A QuestionnaireResponse of these answers, without subject, author or dates (the mapper adds them)."""
    items = response_items(definition, answers, enabled_tree(definition, answers))
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": definition.canonical,
        "status": status,
    } | ({"item": items} if items else {})


class ExpressionFailed(Exception):
    """A FHIRPath expression raised at run time (`evaluate(..., strict=True)`)."""


def evaluate(expression: str, response: JSON, definition: Definition, *, strict: bool = False) -> list[Any]:
    """A FHIRPath expression over the response (`%resource`), the Questionnaire as `%questionnaire`. One that fails
    at run time (a type the library cannot add) is logged with the form, never the answers; it gives no value, or
    with `strict` raises `ExpressionFailed` (triage: a failing rule must not let a lower priority through)."""
    try:
        result = evaluate_fhirpath(response, expression, {"resource": response, "questionnaire": definition.resource})
    except Exception as error:  # fhirpathpy raises what its evaluators raise
        logger.warning("FHIRPath expression failed in %s: %s", definition.canonical, type(error).__name__)
        if strict:
            raise ExpressionFailed(expression) from None
        return []
    return list(result) if isinstance(result, list) else [result]


def _as_answer(item: Item, value: Any) -> JSON | None:
    """A calculated value as an answer element of the item's type; None when it does not fit."""
    if isinstance(value, bool):
        return {"valueBoolean": value} if item.type == "boolean" else None
    if isinstance(value, int | float | Decimal) and item.type in ("integer", "decimal", "quantity"):
        number = _bounded(value)
        if number is None:
            return None
        if item.type == "integer":
            return {"valueInteger": int(number)} if number == number.to_integral_value() else None
        plain = int(number) if number == number.to_integral_value() else float(number)
        if item.type == "quantity":
            return {"valueQuantity": {"value": plain} | _unit_of(item)}
        return {"valueDecimal": plain}
    if isinstance(value, str) and item.type in ("string", "text"):
        return {"valueString": value}
    return None


def _bounded(value: int | float | Decimal) -> Decimal | None:
    """A calculated number within the house bounds for decimals (`core.forms.decimal_problem`), or None: a score of
    10^5000 is no score, and `int()` of it would be slow."""
    if isinstance(value, int) and value.bit_length() > 80:  # str() of a huge int is itself slow; 2^80 > 10^20
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return None if decimal_problem(number) else number


def _unit_of(item: Item) -> JSON:
    unit = item.unit or {}
    found = {"unit": unit.get("display") or unit.get("code"), "system": unit.get("system"), "code": unit.get("code")}
    return {key: value for key, value in found.items() if value}


def calculate(definition: Definition, answers: Answers, failed: list[str] | None = None) -> dict[str, list[JSON]]:
    """The answers with every calculated item filled in from the others, in document order, twice over so that
    a calculation may use one further down. An expression that fails leaves its item empty (and is logged); its
    linkId goes into `failed` (sending: the triage cannot be trusted then)."""
    result = {link: list(given) for link, given in answers.items()}
    calculated = [item for item in definition.walk() if item.calculated]
    for round_number in range(2):
        for item in calculated:
            result.pop(item.link_id, None)
            response = response_resource(definition, result, status="in-progress")
            try:
                found = evaluate(item.calculated, response, definition, strict=True)[:1]
            except ExpressionFailed:
                if failed is not None and round_number == 1:
                    failed.append(item.link_id)
                continue
            values = [answer for value in found if (answer := _as_answer(item, value))]
            if values:
                result[item.link_id] = values
    return result


@dataclass(frozen=True)
class Outcome:
    priority: str
    advice: Texts
    rule: int  # which rule gave it (its place in the extension)
    failed: bool = False  # the triage could not be worked out: the most urgent rule's priority, flagged for staff


def triage(definition: Definition, response: JSON, *, failed: bool = False) -> Outcome | None:
    """The first triage rule whose condition holds (a rule without one always does); None without rules. A rule
    whose condition raises (or `failed`: a calculation the rules may read raised) never lets a later, lower rule
    through: the outcome is the form's most urgent rule, marked `failed` (our choice, docs/forms.md)."""
    if failed and definition.triage:
        return _failed(definition)
    for number, rule in enumerate(definition.triage):
        try:
            holds = not rule.condition or _true(evaluate(rule.condition, response, definition, strict=True))
        except ExpressionFailed:
            return _failed(definition)
        if holds:
            return Outcome(rule.priority, rule.advice, number)
    return None


def _failed(definition: Definition) -> Outcome:
    """The most urgent rule of the form (request-priority's order: routine, urgent, asap, stat), flagged."""
    number, rule = max(enumerate(definition.triage), key=lambda found: PRIORITIES.index(found[1].priority))
    return Outcome(rule.priority, rule.advice, number, failed=True)


def triage_failed(resource: JSON | None) -> bool:
    """Whether a sent response carries the mark that its triage could not be worked out."""
    return any(extension.get("url") == TRIAGE_FAILED for extension in (resource or {}).get("extension") or ())


def _true(values: list[Any]) -> bool:
    return values == [True]


def outcome_extensions(outcome: Outcome) -> list[JSON]:
    """The triage outcome on the response, for the unit's record system: a request-priority code, and when the rules
    could not be worked out our mark `urn:helseportal:forms:triage-failed` (valueBoolean true)."""
    found = [{"url": TRIAGE_OUTCOME, "valueCoding": {"system": PRIORITY_SYSTEM, "code": outcome.priority}}]
    return found + ([{"url": TRIAGE_FAILED, "valueBoolean": True}] if outcome.failed else [])


@dataclass(frozen=True)
class Gap:
    """A required question left unanswered (or a repeating group filled in fewer times than it must be), and the
    instances around it: (the repeating group, its number counted from 1), outermost first."""

    item: Item
    where: tuple[tuple[Item, int], ...] = ()


def missing(definition: Definition, answers: Answers) -> list[Gap]:
    """The required questions that are enabled and have no answer, per instance (a calculated item is never
    required); and each enabled repeating group with fewer filled-in instances than minOccurs (one when required)."""
    return _missing(definition.items, answers, enabled_tree(definition, answers), ())


def _missing(
    items: Iterable[Item], answers: Answers, enabled: Enabled, where: tuple[tuple[Item, int], ...]
) -> list[Gap]:
    gaps: list[Gap] = []
    for item in (inner for top in items for inner in top.level()):
        if item.link_id not in enabled.links:
            continue
        if item.is_question and item.required and not answers.get(item.link_id):
            gaps.append(Gap(item, where))
        if not item.is_repeating_group:
            continue
        instances = instances_of(item, answers)
        if sum(1 for one in instances if filled(item, one)) < max(item.min_occurs, 1 if item.required else 0):
            gaps.append(Gap(item, where))
        states = enabled.instances.get(item.link_id, [])
        for number, (one, state) in enumerate(zip(instances, states, strict=False), start=1):
            gaps += _missing(item.items, one, state, (*where, (item, number)))
    return gaps


def filled(group: Item, instance: Answers) -> bool:
    """Whether an instance of a repeating group holds any answer at all (also in a repeating group within it)."""
    for item in (inner for top in group.items for inner in top.level()):
        given = instance.get(item.link_id) or []
        if any(filled(item, one) for one in given if isinstance(one, dict)) if item.is_repeating_group else given:
            return True
    return False


def mismatches(definition: Definition, response: JSON) -> list[str]:
    """What in a QuestionnaireResponse does not fit its Questionnaire (empty: it fits): unknown, misplaced or
    repeated linkIds (a repeating group may repeat, up to its maxOccurs), answers to a group or a display item, an
    answer of the wrong type or not among the options, several answers to an item that does not repeat, an answer
    to a disabled item, a required enabled item unanswered (per instance)."""
    found: list[str] = []
    answers: dict[str, list[Any]] = {}
    _read_into(definition, definition.by_link, response.get("item") or (), "", answers, set(), found)
    enabled = enabled_tree(definition, answers)
    found += _answered_but_disabled(definition.items, answers, enabled)
    found += [f"{gap.item.link_id}: required" for gap in missing(definition, answers)]
    return found


def _read_into(
    definition: Definition,
    by_link: Mapping[str, Item],
    entries: Any,
    parent: str,
    answers: dict[str, list[Any]],
    seen: set[str],
    found: list[str],
) -> None:
    """The response's items as answers (a repeating group's entries as its instances), noting what does not fit."""
    for entry in entries:
        link = str(entry.get("linkId", ""))
        item = by_link.get(link)
        if item is None or definition.parent_of.get(link) != parent:
            found.append(f"unknown or misplaced linkId {link!r}")
            continue
        given = list(entry.get("answer") or ())
        found += [f"{link}: {problem}" for problem in _answer_problems(item, given)]
        if item.is_repeating_group:
            instance: dict[str, list[Any]] = {}
            _read_into(definition, by_link, entry.get("item") or (), link, instance, set(), found)
            answers.setdefault(link, []).append(instance)
            if len(answers[link]) == item.max_occurs + 1:
                found.append(f"{link}: more than {item.max_occurs} instances")
            continue
        if link in seen:
            found.append(f"unknown or repeated linkId {link!r}")
            continue
        seen.add(link)
        if item.type == "group":
            _read_into(definition, by_link, entry.get("item") or (), link, answers, seen, found)
        else:
            answers[link] = given
            if entry.get("item"):
                found.append(f"{link}: items under a question")


def _answered_but_disabled(items: Iterable[Item], answers: Answers, enabled: Enabled) -> list[str]:
    found: list[str] = []
    for item in (inner for top in items for inner in top.level()):
        link = item.link_id
        given = list(answers.get(link, ()))
        if item.is_repeating_group and link in enabled.links:
            for one, state in zip(given, enabled.instances.get(link, ()), strict=False):
                found += _answered_but_disabled(item.items, one, state)
        elif link not in enabled.links and (
            any(filled(item, one) for one in given) if item.is_repeating_group else given
        ):
            found.append(f"{link}: answered but disabled")
    return found


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
