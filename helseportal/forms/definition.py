"""A FHIR R4 Questionnaire read into what the engine renders: `load(resource)` validates it with `fhir.resources` and
checks that the engine can render every item, or raises `Invalid` with the reason in Norwegian (a form is refused
whole at import, never half-rendered).

Pure: no database. An answer is kept as the FHIR `QuestionnaireResponse.item.answer` element it becomes
(`{"valueInteger": 3}`, `{"valueCoding": {...}}`), so a draft, the response and the FHIRPath context are one shape.

**Repeating groups** (`repeats: true` on a group): the answers keep one map per instance under the group's linkId
(`{"legemiddel": [{"legemiddel.navn": [...]}, {...}]}`), and the response repeats the group's `item`, one per
instance, with the same linkId (R4 QuestionnaireResponse: a repeating group repeats the item, not the answer). The
number of instances is bounded by the core extensions `questionnaire-minOccurs`/`questionnaire-maxOccurs`
(http://hl7.org/fhir/R4/extension-questionnaire-minoccurs.html, ...-maxoccurs.html) and, without a maxOccurs, by our
own cap `MAX_INSTANCES`. An `enableWhen` inside a repeating group sees the answers of its own instance and those
outside the group (FHIR: "the nearest ancestor instance"); one pointing into a repeating group from outside it is
refused (which instance would it mean?), and so is a `calculatedExpression` inside one.

**Dynamic bounds**: a `minValue`/`maxValue` (http://hl7.org/fhir/R4/extension-minvalue.html, -maxvalue.html) whose
`_valueDate`/`_valueDateTime` carries `cqf-calculatedValue` (R4: http://hl7.org/fhir/R4/extension-cqf-calculatedvalue.html,
a `valueString` holding an expression) instead of a fixed value. The SDC guide's Form Behavior page
(http://hl7.org/fhir/uv/sdc/behavior.html#minValue) names this as the way to a dynamic limit ("can be used together
with the cqf-calculatedValue extension to establish a dynamic limit", its example `today() - 18 years`):

    {"url": "http://hl7.org/fhir/StructureDefinition/maxValue",
     "_valueDate": {"extension": [{"url": "http://hl7.org/fhir/StructureDefinition/cqf-calculatedValue",
                                   "valueString": "today()"}]}}

The expression is FHIRPath, evaluated with fhirpathpy against the portal's clock (`helseportal.core.time`, never the
wall clock: `today()` and `now()` are ours) each time a page is built; at import it must parse and give a date (a
date or dateTime for a dateTime question). SDC defines no `sdc-questionnaire-minValueExpression`/`maxValueExpression`
(not among the guide's extensions; only third-party renderers use those names): a form with them is refused, rather
than its bound left unchecked.
"""

import copy
import datetime
import time as _time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import Any

import fhirpathpy
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from fhir.resources.R4B.questionnaire import Questionnaire
from fhirpathpy.models import models
from fhirpathpy.parser import parse
from pydantic import ValidationError

from helseportal.core import time
from helseportal.core.errors import Invalid
from helseportal.core.forms import decimal_problem
from helseportal.fhir import JSON

TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
ITEM_CONTROL = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"
UNIT = "http://hl7.org/fhir/StructureDefinition/questionnaire-unit"
CALCULATED = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression"
CALCULATED_VALUE = "http://hl7.org/fhir/StructureDefinition/cqf-calculatedValue"
MIN_OCCURS = "http://hl7.org/fhir/StructureDefinition/questionnaire-minOccurs"
MAX_OCCURS = "http://hl7.org/fhir/StructureDefinition/questionnaire-maxOccurs"
# Our own choice: without maxOccurs a repeating group takes at most this many instances (and a maxOccurs above it is
# held to it), so a draft cannot grow without end; a medicine list or a list of children fits well within it.
MAX_INSTANCES = 50
# Our own extension on the Questionnaire (docs/forms.md, the app's docstring): ordered rules, the first that holds wins.
TRIAGE = "urn:helseportal:forms:triage"
PRIORITY_SYSTEM = "http://hl7.org/fhir/request-priority"
PRIORITIES = ("routine", "urgent", "asap", "stat")

QUESTION_TYPES = frozenset(
    {
        "boolean",
        "decimal",
        "integer",
        "date",
        "dateTime",
        "time",
        "string",
        "text",
        "choice",
        "open-choice",
        "attachment",
        "quantity",
    }
)
TYPES = QUESTION_TYPES | {"group", "display"}
OPERATORS = frozenset({"exists", "=", "!=", ">", "<", ">=", "<="})
# Item controls that only say how to show an item; we show each type one way, so they are accepted and ignored.
PRESENTATION_CONTROLS = frozenset({"radio-button", "check-box", "drop-down", "list", "text-box", "slider", "spinner"})
# SDC features that change what the form asks or fills in: refused rather than silently ignored.
UNSUPPORTED_EXTENSIONS = {
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression": "enableWhenExpression",
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-initialExpression": "initialExpression",
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-answerExpression": "answerExpression",
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-candidateExpression": "candidateExpression",
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-itemPopulationContext": "itemPopulationContext",
    "http://hl7.org/fhir/StructureDefinition/variable": "variable",
    "http://hl7.org/fhir/StructureDefinition/questionnaire-unitOption": "unitOption",
    "http://hl7.org/fhir/StructureDefinition/questionnaire-referenceResource": "referenceResource",
    # Not in the SDC guide (some renderers' own names): a bound we would not check, so refused; cqf-calculatedValue is
    # the published way (the module's docstring).
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-minValueExpression": "minValueExpression",
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-maxValueExpression": "maxValueExpression",
}
VALUE_KEYS = {
    "boolean": "valueBoolean",
    "decimal": "valueDecimal",
    "integer": "valueInteger",
    "date": "valueDate",
    "dateTime": "valueDateTime",
    "time": "valueTime",
    "string": "valueString",
    "text": "valueString",
    "attachment": "valueAttachment",
    "quantity": "valueQuantity",
}
MAX_ITEMS = 500  # a house limit: a form longer than this is a mistake, and each step is built from the whole form
# Our own choices (docs/forms.md, "Limits"): no form we know nests groups more than a few levels, and the validation
# and the rules recurse through the nesting, so a deeper one is refused before anything reads it.
MAX_ITEM_DEPTH = 10
MAX_JSON_DEPTH = 60
URL_MAX_LENGTH = 255  # the columns of `models.Form` (a longer one would fail on PostgreSQL)
VERSION_MAX_LENGTH = 64


@dataclass(frozen=True)
class Texts:
    """A text in bokmål with its translations (the translation extension): shown in the page's language."""

    nb: str = ""
    others: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        language = (get_language() or "nb")[:2]
        return dict(self.others).get(language, self.nb) if language != "nb" else self.nb

    def __bool__(self) -> bool:
        return bool(self.nb)


@dataclass(frozen=True)
class Option:
    answer: JSON  # the answer element it gives: {"valueCoding": {...}} or {"valueString": "…"}
    label: Texts
    selected: bool = False  # initialSelected


@dataclass(frozen=True)
class Condition:
    """One `enableWhen`: the answer to `question` compared with `answer` (an answer element) by `operator`."""

    question: str
    operator: str
    answer: JSON


@dataclass(frozen=True)
class Item:
    link_id: str
    type: str
    text: Texts
    index: int  # its place in the form, document order: the field's name on the page (`i<index>`)
    prefix: str = ""
    required: bool = False
    repeats: bool = False
    read_only: bool = False
    max_length: int | None = None
    options: tuple[Option, ...] = ()
    initial: tuple[JSON, ...] = ()
    conditions: tuple[Condition, ...] = ()
    behavior: str = "all"
    minimum: Any = None  # an int, a Decimal-able number or an ISO date string, by type
    maximum: Any = None
    minimum_expression: str = ""  # a dynamic bound: FHIRPath (cqf-calculatedValue) giving a date, e.g. today()
    maximum_expression: str = ""
    min_occurs: int = 0  # a repeating group: how many instances at least and at most
    max_occurs: int = MAX_INSTANCES
    help: Texts | None = None
    unit: JSON | None = None  # a quantity's unit (a Coding)
    calculated: str = ""  # an SDC calculatedExpression (FHIRPath)
    items: tuple["Item", ...] = ()

    @property
    def is_question(self) -> bool:
        return self.type in QUESTION_TYPES

    @property
    def value_key(self) -> str:
        return VALUE_KEYS.get(self.type, "")

    @property
    def is_repeating_group(self) -> bool:
        return self.type == "group" and self.repeats

    @property
    def least_instances(self) -> int:
        """A repeating group shows at least one instance (and at least minOccurs)."""
        return max(1, self.min_occurs)

    def instance_label(self, number: int) -> str:
        """An instance of a repeating group as the pages name it: its text and number counted from 1."""
        return f"{self.text} {number}"

    def level(self) -> Iterator["Item"]:
        """This item and those below it that answer in the same instance: not into a repeating group below."""
        yield self
        if not self.is_repeating_group:
            for child in self.items:
                yield from child.level()

    def walk(self) -> Iterator["Item"]:
        yield self
        for child in self.items:
            yield from child.walk()


@dataclass(frozen=True)
class TriageRule:
    """One rule of our triage extension: when `condition` (FHIRPath, a boolean) holds, or always if empty."""

    condition: str
    priority: str
    advice: Texts


@dataclass(frozen=True)
class Step:
    """A page of the form: a top-level group, or a run of top-level items that are not groups."""

    number: int
    title: Texts
    items: tuple[Item, ...]
    group: Item | None = None


@dataclass(frozen=True)
class Definition:
    url: str
    version: str
    title: Texts
    description: Texts
    items: tuple[Item, ...]
    triage: tuple[TriageRule, ...] = ()
    resource: JSON = field(default_factory=dict, repr=False, compare=False)

    @property
    def canonical(self) -> str:
        return f"{self.url}|{self.version}"

    def walk(self) -> Iterator[Item]:
        for item in self.items:
            yield from item.walk()

    @property
    def by_link(self) -> Mapping[str, Item]:
        return {item.link_id: item for item in self.walk()}

    @cached_property
    def level_of(self) -> Mapping[str, str]:
        """Per linkId, the repeating group whose instance holds its answers ("" for the top level)."""
        found: dict[str, str] = {}

        def visit(item: Item, group: str) -> None:
            found[item.link_id] = group
            for child in item.items:
                visit(child, item.link_id if item.is_repeating_group else group)

        for item in self.items:
            visit(item, "")
        return found

    @cached_property
    def parent_of(self) -> Mapping[str, str]:
        """Per linkId, the linkId of the group it sits in ("" at the top)."""
        return {child.link_id: item.link_id for item in self.walk() for child in item.items} | {
            item.link_id: "" for item in self.items
        }

    def levels_of(self, link_id: str) -> list[str]:
        """The repeating groups around an item, innermost first, ending with "" (the top level)."""
        chain = [self.level_of.get(link_id, "")]
        while chain[-1]:
            chain.append(self.level_of.get(chain[-1], ""))
        return chain

    @property
    def questions(self) -> list[Item]:
        return [item for item in self.walk() if item.is_question]

    @property
    def steps(self) -> list[Step]:
        steps: list[Step] = []
        loose: list[Item] = []
        for item in self.items:
            if item.type == "group":
                if loose:
                    steps.append(Step(len(steps), self.title, tuple(loose)))
                    loose = []
                # a repeating group as a step: the page shows its instances (the group itself is the one item)
                shown = (item,) if item.is_repeating_group else item.items
                steps.append(Step(len(steps), item.text or self.title, shown, group=item))
            else:
                loose.append(item)
        if loose:
            steps.append(Step(len(steps), self.title, tuple(loose)))
        return steps


def refuse(message: str, **params: Any) -> Invalid:
    return Invalid(message % params if params else message)


def load(resource: Any) -> Definition:
    """The Questionnaire as a `Definition`, or `Invalid` saying (in Norwegian) why the engine will not render it."""
    if not isinstance(resource, dict) or resource.get("resourceType") != "Questionnaire":
        raise refuse(_("Filen er ikke et FHIR Questionnaire."))
    _check_depth(resource)
    try:
        Questionnaire.model_validate(_without_calculated_bounds(resource))
    except (ValidationError, ValueError, TypeError) as error:
        raise refuse(_("Skjemaet er ikke et gyldig FHIR R4 Questionnaire: %(reason)s"), reason=_short(error)) from None
    if not resource.get("url") or not resource.get("version"):
        raise refuse(_("Skjemaet må ha både url og version, så svarene kan vise til nøyaktig denne versjonen."))
    if len(str(resource["url"])) > URL_MAX_LENGTH or len(str(resource["version"])) > VERSION_MAX_LENGTH:
        raise refuse(
            _("Skjemaets url kan ha høyst %(url)s tegn og version høyst %(version)s."),
            url=URL_MAX_LENGTH,
            version=VERSION_MAX_LENGTH,
        )
    if resource.get("modifierExtension"):
        raise refuse(_("Skjemaet har en modifierExtension som vi ikke kan tolke."))
    reader = _Reader(resource)
    items = tuple(reader.item(raw, top=True) for raw in resource.get("item") or ())
    if not items:
        raise refuse(_("Skjemaet har ingen spørsmål."))
    definition = Definition(
        url=resource["url"],
        version=resource["version"],
        title=_texts(resource, "title") if resource.get("title") else Texts(resource.get("name") or resource["url"]),
        description=_texts(resource, "description"),
        items=items,
        triage=_triage(resource),
        resource=resource,
    )
    _check_references(definition)
    _check_expression_count(definition)
    _check_expressions_run(definition)
    return definition


def _check_depth(resource: JSON) -> None:
    """Refuse a form nested deeper than `MAX_JSON_DEPTH` (JSON) or `MAX_ITEM_DEPTH` (groups in groups) before the
    validation reads it: both are recursive, and 300 nested groups (10 kB) exhaust Python's stack. Counted without
    recursion."""
    stack: list[tuple[Any, int, int]] = [(resource, 1, 0)]
    while stack:
        node, depth, items = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise refuse(_("Skjemaet er nøstet dypere enn %(limit)s nivåer."), limit=MAX_JSON_DEPTH)
        if items > MAX_ITEM_DEPTH:
            raise refuse(_("Skjemaet har grupper i flere enn %(limit)s nivåer."), limit=MAX_ITEM_DEPTH)
        if isinstance(node, dict):
            for key, value in node.items():
                stack.append((value, depth + 1, items + (key == "item")))
        elif isinstance(node, list):
            stack.extend((value, depth + 1, items) for value in node)


def _without_calculated_bounds(resource: JSON) -> JSON:
    """A copy without the `_value[x]` of minValue/maxValue extensions: valid FHIR (a primitive's extension), but
    fhir.resources' R4B Extension has no field for it. The engine reads and checks those itself (`_Reader._bound`)."""
    stripped = copy.deepcopy(resource)

    def clean(items: Any) -> None:
        for raw in items or ():
            for extension in raw.get("extension") or ():
                if extension.get("url") in (MIN_VALUE, MAX_VALUE):
                    for key in [k for k in extension if k.startswith("_value")]:
                        del extension[key]
            clean(raw.get("item"))

    clean(stripped.get("item"))
    return stripped


def _short(error: Exception) -> str:
    return str(error).splitlines()[0][:300] if str(error) else type(error).__name__


def _texts(element: JSON, name: str) -> Texts:
    """`element[name]` in bokmål, with the translations from `_<name>`'s translation extension."""
    others = []
    for extension in (element.get(f"_{name}") or {}).get("extension") or ():
        if extension.get("url") != TRANSLATION:
            continue
        parts = {part.get("url"): part for part in extension.get("extension") or ()}
        language = (parts.get("lang") or {}).get("valueCode", "")
        content = (parts.get("content") or {}).get("valueString", "")
        if language[:2] in ("nb", "nn", "en") and content:
            others.append((language[:2], content))
    return Texts(str(element.get(name) or ""), tuple(others))


def _extensions(element: JSON, url: str) -> list[JSON]:
    return [extension for extension in element.get("extension") or () if extension.get("url") == url]


def _controls(element: JSON) -> set[str]:
    return {
        coding.get("code", "")
        for extension in _extensions(element, ITEM_CONTROL)
        for coding in (extension.get("valueCodeableConcept") or {}).get("coding") or ()
    }


def _answer_of(element: JSON, prefix: str) -> JSON:
    """The one `<prefix>[x]` of an element (`answerBoolean`, `valueCoding`) as an answer element (`valueBoolean`)."""
    found = {key: value for key, value in element.items() if key.startswith(prefix) and not key.startswith("_")}
    if len(found) != 1:
        return {}
    key, value = next(iter(found.items()))
    return {"value" + key.removeprefix(prefix): value}


def _fhirpath(expression: str, where: str) -> str:
    """The expression, if it is short, parses whole, uses only the functions we allow (`_check_functions`) and runs on
    an empty response (ANTLR's parser recovers from a syntax error by inventing the missing token: such a tree is
    refused, not run)."""
    if len(expression) > MAX_EXPRESSION_LENGTH:
        raise refuse(_("Uttrykket i %(where)s er lengre enn %(limit)s tegn."), where=where, limit=MAX_EXPRESSION_LENGTH)
    empty = {"resourceType": "QuestionnaireResponse", "status": "in-progress"}
    try:
        tree = parse(expression)
        if "<missing" in repr(tree) or "extraneous" in repr(tree):
            raise ValueError(expression)
    except Exception:  # the library raises what its parser raises; any of it means "not FHIRPath"
        raise refuse(_("Uttrykket i %(where)s er ikke gyldig FHIRPath."), where=where) from None
    _check_functions(tree, where)
    try:
        evaluate_fhirpath(empty, expression, {"resource": empty, "questionnaire": {}})
    except Exception:  # what its evaluators raise
        raise refuse(_("Uttrykket i %(where)s er ikke gyldig FHIRPath."), where=where) from None
    return expression


# The FHIRPath functions a form's expressions may use (our choice, docs/forms.md "Expressions"): those the SDC guide's
# calculations and our shipped forms use, and the like, whose cost grows with the answers at most as a list does.
# Left out: trace (it writes what it sees, her answers, to the log), children and descendants (every node of the
# response, and more so inside a select), string functions that grow or backtrack (replace, replaceMatches, matches,
# split, join, toChars, encode, decode), and repeat inside another iterating function (a response per item).
ALLOWED_FUNCTIONS = frozenset(
    {
        # existence, filtering, subsetting, combining
        *("empty", "exists", "all", "allTrue", "anyTrue", "allFalse", "anyFalse", "count", "distinct"),
        *("isDistinct", "subsetOf", "supersetOf", "where", "select", "repeat", "ofType", "extension"),
        *("single", "first", "last", "tail", "take", "skip", "intersect", "exclude", "union", "combine"),
        # conversion and logic
        *("iif", "not", "is", "as", "toInteger", "toDecimal", "toString", "toBoolean", "toDate", "toDateTime"),
        *("toTime", "toQuantity", "convertsToInteger", "convertsToDecimal", "convertsToString"),
        *("convertsToBoolean", "convertsToDate", "convertsToDateTime", "convertsToTime", "convertsToQuantity"),
        # strings that do not grow
        *("indexOf", "substring", "startsWith", "endsWith", "contains", "upper", "lower", "length", "trim"),
        # numbers, aggregates, the clock
        *("abs", "ceiling", "floor", "round", "truncate", "sqrt", "ln", "log", "exp", "power"),
        *("aggregate", "sum", "min", "max", "avg", "today", "now", "timeOfDay"),
    }
)
ITERATING_FUNCTIONS = frozenset({"where", "select", "repeat", "all", "exists", "aggregate"})
MAX_ITERATION_DEPTH = 2  # a where inside a select, not a third level: each level multiplies the work by the answers
MAX_EXPRESSION_LENGTH = 1000  # our choice: the SDC guide's longest calculations are a few hundred characters
MAX_EXPRESSIONS = 50  # per form: calculated items, triage rules and calculated bounds (our choice)


def _check_functions(tree: Any, where: str) -> None:
    """Refuse a function not in `ALLOWED_FUNCTIONS`, `repeat` inside another iterating function, and iterating
    functions nested deeper than `MAX_ITERATION_DEPTH`. Walks the parse tree without recursion."""
    stack: list[tuple[Any, int, bool]] = [(tree, 0, False)]
    while stack:
        node, depth, inside = stack.pop()
        if not isinstance(node, dict):
            continue
        name = _function_name(node)
        if name and name not in ALLOWED_FUNCTIONS:
            raise refuse(_("Uttrykket i %(where)s bruker %(name)s(), som vi ikke tillater."), where=where, name=name)
        if name == "repeat" and inside:
            raise refuse(_("Uttrykket i %(where)s bruker repeat() inne i en annen funksjon."), where=where)
        iterating = name in ITERATING_FUNCTIONS
        if iterating and depth >= MAX_ITERATION_DEPTH:
            raise refuse(_("Uttrykket i %(where)s har for mange funksjoner inne i hverandre."), where=where)
        for child in node.get("children") or ():
            stack.append((child, depth + iterating, inside or iterating))


def _function_name(node: JSON) -> str:
    """The name of a `Function` node of fhirpathpy's parse tree ("" for any other node)."""
    if node.get("type") != "Functn":  # (sic: the grammar's name)
        return ""
    children = node.get("children") or ()
    return str(children[0].get("text") or "") if children and isinstance(children[0], dict) else ""


def _no_trace(_label: str, _value: Any) -> None:
    """fhirpathpy's trace() writes what it sees to stdout unless given a function; ours drops it (her answers)."""


def evaluation_options() -> JSON:
    """The options every evaluation of a form's FHIRPath gets: `today()`/`now()` on the portal's clock, a no-op trace.
    fhirpathpy offers no time or size budget (no hook in its evaluator, and a thread cannot be stopped in Python), so
    the cost is bounded before: the functions allowed, the length and number of expressions, the items and instances."""
    return {"userInvocationTable": _clock_functions(), "traceFn": _no_trace}


def evaluate_fhirpath(resource: JSON, expression: str, variables: JSON) -> Any:
    """fhirpathpy's evaluate with `evaluation_options` (what the engine evaluates everywhere)."""
    return fhirpathpy.evaluate(resource, expression, variables, models["r4"], options=evaluation_options())


def _expression(extension: JSON, where: str) -> str:
    value = extension.get("valueExpression") or {}
    if value.get("language") != "text/fhirpath" or not value.get("expression"):
        raise refuse(_("Uttrykket i %(where)s må være FHIRPath (text/fhirpath)."), where=where)
    return _fhirpath(value["expression"], where)


def _triage(resource: JSON) -> tuple[TriageRule, ...]:
    rules = []
    for extension in _extensions(resource, TRIAGE):
        for rule in _extensions(extension, "rule"):
            parts = {part.get("url"): part for part in rule.get("extension") or ()}
            advice = _advice(_extensions(rule, "advice"))
            priority = (parts.get("priority") or {}).get("valueCode", "")
            if priority not in PRIORITIES:
                raise refuse(
                    _("En triageregel må ha prioritet routine, urgent, asap eller stat, ikke «%(priority)s»."),
                    priority=priority,
                )
            condition = _expression(parts["condition"], "triage") if "condition" in parts else ""
            rules.append(TriageRule(condition, priority, advice))
    return tuple(rules)


def _advice(found: list[JSON]) -> Texts:
    """A rule's advice: one `advice` per language, each `lang` (nb, nn, en) and `content` (an Extension cannot
    carry both a value and the translation extension, so the languages sit side by side)."""
    texts: dict[str, str] = {}
    for advice in found:
        parts = {part.get("url"): part for part in advice.get("extension") or ()}
        language = str((parts.get("lang") or {}).get("valueCode", ""))[:2]
        content = str((parts.get("content") or {}).get("valueString", ""))
        if language in ("nb", "nn", "en") and content:
            texts[language] = content
    return Texts(texts.pop("nb", ""), tuple(texts.items()))


class _Reader:
    """Reads the items in document order, numbering them, and refuses what the engine cannot render."""

    def __init__(self, resource: JSON) -> None:
        self.resource = resource
        self.count = 0
        self.seen: set[str] = set()
        self.contained = {f"#{c.get('id')}": c for c in resource.get("contained") or () if c.get("id")}

    def item(self, raw: JSON, *, top: bool = False) -> Item:
        link_id = str(raw.get("linkId") or "")
        kind = raw.get("type", "")
        self._check(raw, link_id, kind)
        index = self.count
        self.count += 1
        children = [child for child in raw.get("item") or () if not self._is_help(child)]
        helps = [child for child in raw.get("item") or () if self._is_help(child)]
        if kind not in ("group",) and children:
            raise refuse(
                _("Spørsmålet %(link)s har underspørsmål; det kan vi ikke vise. Bruk en gruppe."), link=link_id
            )
        for helper in helps:
            self._check(helper, str(helper.get("linkId") or ""), "display")
            self.seen.add(str(helper.get("linkId")))
        calculated = [_expression(e, link_id) for e in _extensions(raw, CALCULATED)]
        low, low_expression = self._bound(raw, MIN_VALUE, link_id, kind)
        high, high_expression = self._bound(raw, MAX_VALUE, link_id, kind)
        least, most = self._occurs(raw, link_id, kind)
        return Item(
            link_id=link_id,
            type=kind,
            text=_texts(raw, "text"),
            index=index,
            prefix=str(raw.get("prefix") or ""),
            required=bool(raw.get("required")) and not calculated,
            repeats=bool(raw.get("repeats")),
            read_only=bool(raw.get("readOnly")) or bool(calculated),
            max_length=raw.get("maxLength"),
            options=self._options(raw, link_id, kind),
            initial=self._initial(raw, link_id, kind),
            conditions=tuple(self._condition(c, link_id) for c in raw.get("enableWhen") or ()),
            behavior=raw.get("enableBehavior") or "all",
            minimum=low,
            maximum=high,
            minimum_expression=low_expression,
            maximum_expression=high_expression,
            min_occurs=least,
            max_occurs=most,
            help=_texts(helps[0], "text") if helps else None,
            unit=self._unit(raw, link_id, kind),
            calculated=calculated[0] if calculated else "",
            items=tuple(self.item(child) for child in children),
        )

    def _check(self, raw: JSON, link_id: str, kind: str) -> None:
        if self.count >= MAX_ITEMS:
            raise refuse(_("Skjemaet har mer enn %(limit)s elementer."), limit=MAX_ITEMS)
        if not link_id:
            raise refuse(_("Et element i skjemaet mangler linkId."))
        if link_id in self.seen:
            raise refuse(_("linkId %(link)s finnes to ganger i skjemaet."), link=link_id)
        self.seen.add(link_id)
        if kind not in TYPES:
            raise refuse(_("Spørsmålet %(link)s har typen «%(type)s», som vi ikke kan vise."), link=link_id, type=kind)
        if raw.get("modifierExtension"):
            raise refuse(_("Spørsmålet %(link)s har en modifierExtension som vi ikke kan tolke."), link=link_id)
        for extension in raw.get("extension") or ():
            name = UNSUPPORTED_EXTENSIONS.get(extension.get("url", ""))
            if name:
                raise refuse(_("Spørsmålet %(link)s bruker %(name)s, som vi ikke støtter."), link=link_id, name=name)
        unknown = _controls(raw) - PRESENTATION_CONTROLS - {"help"}
        if unknown:
            raise refuse(
                _("Spørsmålet %(link)s har visningen «%(control)s», som vi ikke kan vise."),
                link=link_id,
                control=", ".join(sorted(unknown)),
            )
        if raw.get("answerValueSet") and raw.get("answerOption"):
            raise refuse(_("Spørsmålet %(link)s har både answerOption og answerValueSet."), link=link_id)

    @staticmethod
    def _is_help(raw: JSON) -> bool:
        return raw.get("type") == "display" and "help" in _controls(raw)

    def _options(self, raw: JSON, link_id: str, kind: str) -> tuple[Option, ...]:
        if kind not in ("choice", "open-choice"):
            if raw.get("answerOption") or raw.get("answerValueSet"):
                raise refuse(_("Spørsmålet %(link)s har svaralternativer, men er ikke et valg."), link=link_id)
            return ()
        options = []
        for option in raw.get("answerOption") or ():
            answer = _answer_of(option, "value")
            label = _option_label(option, answer)
            if isinstance(answer.get("valueCoding"), dict):  # the answer is the code; its translations stay here
                answer = {"valueCoding": {k: v for k, v in answer["valueCoding"].items() if not k.startswith("_")}}
            options.append(Option(answer, label, bool(option.get("initialSelected"))))
        if raw.get("answerValueSet"):
            options = self._value_set(raw["answerValueSet"], link_id)
        if not options:
            raise refuse(_("Valget %(link)s har ingen svaralternativer."), link=link_id)
        return tuple(options)

    def _value_set(self, reference: str, link_id: str) -> list[Option]:
        """Only a ValueSet shipped with the form (contained, `#id`) with its concepts listed: we look nothing up."""
        value_set = self.contained.get(reference)
        if value_set is None or value_set.get("resourceType") != "ValueSet":
            raise refuse(
                _("Spørsmålet %(link)s viser til verdisettet %(set)s, som ikke følger med skjemaet."),
                link=link_id,
                set=reference,
            )
        options = []
        for concept in (value_set.get("expansion") or {}).get("contains") or ():
            coding = {k: concept[k] for k in ("system", "code", "display") if concept.get(k)}
            options.append(Option({"valueCoding": coding}, _concept_label(concept, coding)))
        for include in (value_set.get("compose") or {}).get("include") or ():
            if include.get("filter") or include.get("valueSet") or not include.get("concept"):
                raise refuse(_("Verdisettet %(set)s må liste kodene sine; filtre kan vi ikke slå opp."), set=reference)
            for concept in include["concept"]:
                coding = {"system": include.get("system", ""), "code": concept.get("code", "")}
                if concept.get("display"):
                    coding["display"] = concept["display"]
                coding = {k: v for k, v in coding.items() if v}
                options.append(Option({"valueCoding": coding}, _concept_label(concept, coding)))
        return options

    def _initial(self, raw: JSON, link_id: str, kind: str) -> tuple[JSON, ...]:
        found = tuple(answer for initial in raw.get("initial") or () if (answer := _answer_of(initial, "value")))
        if found and kind in ("choice", "open-choice"):
            # R4: a choice's initial is `answerOption.initialSelected`; accept one that is among the options (or free
            # text, for an open choice), since the response must hold only those.
            options = [option.answer for option in self._options(raw, link_id, kind)]
            for answer in found:
                if not (kind == "open-choice" and "valueString" in answer) and not _among(answer, options):
                    raise refuse(_("Startverdien til %(link)s er ikke et av svaralternativene."), link=link_id)
            return found
        if found and kind == "attachment":
            return found
        expected = VALUE_KEYS.get(kind)
        for answer in found:
            if next(iter(answer)) != expected:
                raise refuse(_("Startverdien til %(link)s har feil type."), link=link_id)
        return found

    def _condition(self, raw: JSON, link_id: str) -> Condition:
        operator = raw.get("operator", "")
        if operator not in OPERATORS:
            raise refuse(_("enableWhen i %(link)s har en ukjent operator «%(op)s»."), link=link_id, op=operator)
        answer = _answer_of(raw, "answer")
        if not answer:
            raise refuse(_("enableWhen i %(link)s mangler svarverdi."), link=link_id)
        if operator == "exists" and "valueBoolean" not in answer:
            raise refuse(_("enableWhen med exists i %(link)s må ha et ja/nei-svar."), link=link_id)
        return Condition(str(raw.get("question") or ""), operator, answer)

    @staticmethod
    def _bound(raw: JSON, url: str, link_id: str, kind: str) -> tuple[Any, str]:
        """A fixed bound (its value, "") or a calculated one (None, its expression)."""
        found = _extensions(raw, url)
        if not found:
            return None, ""
        calculated = _calculated_bound(found[0], link_id, kind)
        if calculated:
            return None, calculated
        answer = _answer_of(found[0], "value")
        key = next(iter(answer), "")
        if key not in BOUND_KEYS.get(kind, ()) or not _bound_parses(kind, answer[key]):
            raise refuse(_("Grenseverdien til %(link)s har en type vi ikke kan bruke."), link=link_id)
        return answer[key], ""

    @staticmethod
    def _occurs(raw: JSON, link_id: str, kind: str) -> tuple[int, int]:
        """minOccurs and maxOccurs of a repeating group, within our cap; refused elsewhere or when they conflict."""
        found = {url: _extensions(raw, url) for url in (MIN_OCCURS, MAX_OCCURS)}
        if not (kind == "group" and raw.get("repeats")):
            if any(found.values()):
                raise refuse(_("minOccurs og maxOccurs bruker vi bare på gjentatte grupper (%(link)s)."), link=link_id)
            return 0, MAX_INSTANCES
        least, most = (
            (found[url][0].get("valueInteger") if found[url] else default)
            for url, default in ((MIN_OCCURS, 0), (MAX_OCCURS, MAX_INSTANCES))
        )
        if isinstance(least, int) and least > MAX_INSTANCES:
            raise refuse(
                _("Gruppen %(link)s krever flere enn %(limit)s utfyllinger; så mange tar vi ikke imot."),
                link=link_id,
                limit=MAX_INSTANCES,
            )
        if not isinstance(least, int) or not isinstance(most, int) or not 0 <= least <= most or most < 1:
            raise refuse(
                _("minOccurs og maxOccurs i %(link)s må være hele tall, minOccurs ikke over maxOccurs."), link=link_id
            )
        return least, min(most, MAX_INSTANCES)

    @staticmethod
    def _unit(raw: JSON, link_id: str, kind: str) -> JSON | None:
        found = _extensions(raw, UNIT)
        if not found:
            return None
        if kind not in ("quantity", "decimal", "integer"):
            raise refuse(_("Bare tall kan ha en enhet (%(link)s)."), link=link_id)
        return dict(found[0].get("valueCoding") or {}) or None


# The fixed bound a question of each type takes (R4 minValue/maxValue: date, dateTime, time, decimal, integer), as
# the step's field compares it (forms.py `_bounds`); any other is refused at import rather than a 500 on the page.
BOUND_KEYS = {
    "integer": ("valueInteger",),
    "decimal": ("valueDecimal", "valueInteger"),
    "quantity": ("valueDecimal", "valueInteger"),
    "date": ("valueDate",),
    "dateTime": ("valueDateTime", "valueDate"),
    "time": ("valueTime",),
}


def _bound_parses(kind: str, value: Any) -> bool:
    """Whether a fixed bound is a whole value of its kind (a full date, not `2026`; a decimal within our bounds)."""
    try:
        match kind:
            case "integer":
                return isinstance(value, int) and not isinstance(value, bool)
            case "decimal" | "quantity":
                return not isinstance(value, bool) and not decimal_problem(Decimal(str(value)))
            case "date":
                return bool(datetime.date.fromisoformat(str(value)))
            case "dateTime":
                return bool(datetime.datetime.fromisoformat(str(value)))
            case "time":
                return bool(datetime.time.fromisoformat(str(value)))
    except (ValueError, TypeError, InvalidOperation):
        return False
    return False


DYNAMIC_KEYS = {"date": ("_valueDate",), "dateTime": ("_valueDate", "_valueDateTime")}


def _calculated_bound(extension: JSON, link_id: str, kind: str) -> str:
    """The FHIRPath of a bound's cqf-calculatedValue ("" for a fixed bound); refused unless it parses and gives a
    date for a date question (a date or dateTime for a dateTime one)."""
    primitives = {key: value for key, value in extension.items() if key.startswith("_value")}
    if not primitives:
        return ""
    expressions = [
        str(inner.get("valueString") or "")
        for key, value in primitives.items()
        for inner in (value or {}).get("extension") or ()
        if inner.get("url") == CALCULATED_VALUE
    ]
    if len(primitives) != 1 or next(iter(primitives)) not in DYNAMIC_KEYS.get(kind, ()) or len(expressions) != 1:
        raise refuse(_("Den beregnede grenseverdien til %(link)s kan vi bare bruke på datoer."), link=link_id)
    expression = expressions[0]
    _fhirpath(expression, link_id)
    if bound_value(expression, kind) is None:
        raise refuse(_("Den beregnede grenseverdien til %(link)s gir ikke en dato."), link=link_id)
    return expression


def _clock_functions() -> dict[str, Any]:
    """`today()` and `now()` from the portal's clock (Oslo), replacing fhirpathpy's, which read the wall clock."""
    from fhirpathpy.engine.nodes import FP_DateTime

    def today(_inputs: Any) -> Any:
        return FP_DateTime(time.today().isoformat())

    def now(_inputs: Any) -> Any:
        return FP_DateTime(time.now().astimezone(time.OSLO).replace(microsecond=0).isoformat())

    return {"today": {"fn": today, "arity": {0: []}}, "now": {"fn": now, "arity": {0: []}}}


def bound_value(expression: str, kind: str) -> str | None:
    """A calculated bound now: an ISO date (or dateTime, for a dateTime question), or None if it gives none."""
    try:
        result = evaluate_fhirpath({}, expression, {})
    except Exception:  # fhirpathpy raises what its evaluators raise
        return None
    values = [str(value) for value in (result if isinstance(result, list) else [result])]
    if len(values) != 1:
        return None
    try:
        if len(values[0]) == 10:
            datetime.date.fromisoformat(values[0])
        elif kind == "dateTime":
            datetime.datetime.fromisoformat(values[0])
        else:
            return None
    except ValueError:
        return None
    return values[0]


SAMPLE_VALUES: dict[str, tuple[Any, Any]] = {  # two sample answers per type, for the responses the import tries
    "valueBoolean": (True, False),
    "valueDecimal": (2.5, 0),
    "valueInteger": (3, 0),
    "valueDate": ("2026-01-31", "1990-06-15"),
    "valueDateTime": ("2026-01-31T10:00:00+01:00", "1990-06-15T23:59:00+02:00"),
    "valueTime": ("10:00:00", "23:59:00"),
    "valueString": ("Svar", ""),
    "valueAttachment": ({"contentType": "image/png", "title": "vedlegg.png", "size": 1}, {"title": "x"}),
}


def _sample(item: Item, variant: int) -> list[JSON]:
    """A sample answer to a question: the variant-th option of a choice, else one of two values of its type."""
    if item.options:
        return [dict(item.options[variant % len(item.options)].answer)]
    if item.type == "quantity":
        return [
            {"valueQuantity": {"value": (2.5, 0)[variant % 2]} | ({"code": item.unit["code"]} if item.unit else {})}
        ]
    values = SAMPLE_VALUES.get(item.value_key)
    return [{item.value_key: values[variant % 2]}] if values and values[variant % 2] != "" else []


def _sample_items(items: tuple[Item, ...], variant: int) -> list[JSON]:
    found: list[JSON] = []
    for item in items:
        head: JSON = {"linkId": item.link_id}
        if item.type == "group":
            children = _sample_items(item.items, variant)
            found += [head | {"item": children}] if children else []
        elif item.is_question and (answers := _sample(item, variant)):
            found.append(head | {"answer": answers})
    return found


def _check_expression_count(definition: Definition) -> None:
    found = sum(
        bool(item.calculated) + bool(item.minimum_expression) + bool(item.maximum_expression)
        for item in definition.walk()
    )
    found += sum(1 for rule in definition.triage if rule.condition)
    if found > MAX_EXPRESSIONS:
        raise refuse(_("Skjemaet har flere enn %(limit)s uttrykk."), limit=MAX_EXPRESSIONS)


SAMPLE_VARIANTS = 2  # our choice: every item answered, each choice with its first two options, booleans both ways
# Our choice: all of a form's expressions, run once on a response where every question is answered, must take less
# than this (the engine runs them about twice per step saved). fhirpathpy has no budget of its own, so a form whose
# expressions are slow on a full response is refused at import, measured, rather than slowing every page later.
EXPRESSION_BUDGET_SECONDS = 1


def _check_expressions_run(definition: Definition) -> None:
    """Every calculatedExpression and triage condition runs without an error on responses where every item is answered
    (a few variants: each choice's first options, booleans true and false), as on an empty one (`_fhirpath`): an
    expression that raises once she has answered would leave a score empty or a triage unworked out. Refused."""
    expressions = [(item.link_id, item.calculated) for item in definition.walk() if item.calculated]
    expressions += [("triage", rule.condition) for rule in definition.triage if rule.condition]
    if not expressions:
        return
    for variant in range(SAMPLE_VARIANTS):
        response: JSON = {"resourceType": "QuestionnaireResponse", "status": "completed"}
        response["item"] = _sample_items(definition.items, variant)
        began = _time.perf_counter()
        for where, expression in expressions:
            if _time.perf_counter() - began > EXPRESSION_BUDGET_SECONDS:
                raise refuse(
                    _(
                        "Uttrykkene i skjemaet tar for lang tid å regne ut "
                        "(mer enn %(limit)s sekund på et utfylt skjema)."
                    ),
                    limit=EXPRESSION_BUDGET_SECONDS,
                )
            try:
                evaluate_fhirpath(response, expression, {"resource": response, "questionnaire": definition.resource})
            except Exception as error:  # what the library's evaluators raise
                raise refuse(
                    _("Uttrykket i %(where)s gir en feil når skjemaet er fylt ut: %(error)s"),
                    where=where,
                    error=_short(error)[:200],
                ) from None


def _concept_label(concept: JSON, coding: JSON) -> Texts:
    """A ValueSet concept's text in bokmål, nynorsk and English: its `display` (bokmål, or the code without one) with
    the translation extension on `_display`, and its `designation`s with a `language` (nb, nn, en; `nb-NO` too). A
    designation in bokmål gives the text when there is no display; the translation extension wins over a designation
    in the same language."""
    texts = _texts(concept, "display")
    found = dict(texts.others)
    base = texts.nb
    for designation in concept.get("designation") or ():
        language, value = str(designation.get("language") or "")[:2], str(designation.get("value") or "")
        if language in ("nn", "en") and value:
            found.setdefault(language, value)
        elif language == "nb" and value and not base:
            base = value
    return Texts(base or str(coding.get("code", "")), tuple(found.items()))


def _option_label(option: JSON, answer: JSON) -> Texts:
    key: str
    value: Any
    key, value = next(iter(answer.items()), ("", ""))
    if key == "valueCoding":
        return _texts(value, "display") or Texts(str(value.get("code", "")))
    return _texts(option, key) or Texts(str(value))


def _among(answer: JSON, options: list[JSON]) -> bool:
    """Whether an answer is one of the options: a coding by its code (and system, when both give one; R4 compares
    codes), anything else by its value."""
    for option in options:
        if answer == option:
            return True
        coding, wanted = answer.get("valueCoding"), option.get("valueCoding")
        if isinstance(coding, dict) and isinstance(wanted, dict) and coding.get("code") == wanted.get("code"):
            systems = (coding.get("system"), wanted.get("system"))
            if not all(systems) or systems[0] == systems[1]:
                return True
    return False


def _check_references(definition: Definition) -> None:
    """Every enableWhen names a question in the form, with an answer of its kind; no item depends on itself."""
    by_link = definition.by_link
    for item in definition.walk():
        for condition in item.conditions:
            target = by_link.get(condition.question)
            if target is None or not target.is_question:
                raise refuse(
                    _("enableWhen i %(link)s viser til %(question)s, som ikke er et spørsmål i skjemaet."),
                    link=item.link_id,
                    question=condition.question,
                )
            if condition.question in {inner.link_id for inner in item.walk()}:
                raise refuse(_("%(link)s kan ikke avhenge av seg selv."), link=item.link_id)
            if definition.level_of[condition.question] not in definition.levels_of(item.link_id):
                raise refuse(
                    _("enableWhen i %(link)s viser til %(question)s, som er i en gjentatt gruppe utenfor %(link)s."),
                    link=item.link_id,
                    question=condition.question,
                )
            key = next(iter(condition.answer))
            if condition.operator != "exists" and key != _answer_type(target):
                raise refuse(
                    _("enableWhen i %(link)s sammenligner %(question)s med en verdi av feil type."),
                    link=item.link_id,
                    question=condition.question,
                )
        if item.calculated and definition.level_of[item.link_id]:
            raise refuse(
                _("%(link)s er i en gjentatt gruppe og kan ikke regnes ut (calculatedExpression)."), link=item.link_id
            )
        if len(item.conditions) > 1 and item.behavior not in ("all", "any"):
            raise refuse(_("%(link)s har flere enableWhen og må si enableBehavior all eller any."), link=item.link_id)
    _check_cycles(definition)


def _answer_type(item: Item) -> str:
    if item.type in ("choice", "open-choice"):
        return next(iter(item.options[0].answer)) if item.options else "valueCoding"
    return item.value_key


def _check_cycles(definition: Definition) -> None:
    depends = {item.link_id: {c.question for c in item.conditions} for item in definition.walk()}
    state: dict[str, int] = {}

    def visit(link: str) -> None:
        if state.get(link) == 2:
            return
        if state.get(link) == 1:
            raise refuse(_("enableWhen-reglene i skjemaet går i ring (%(link)s)."), link=link)
        state[link] = 1
        for other in depends.get(link, ()):
            visit(other)
        state[link] = 2

    for link in depends:
        visit(link)
