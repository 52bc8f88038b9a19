"""The operator's automatic checklist for a form version (issue 17 item 4, the roadmap's quality routine).

Pure: the imported Questionnaire in, a list of `Check`s out. What is checked (docs/forms.md, "Publishing"):

1. **FHIR**: the resource validates as an R4 Questionnaire (`fhir.resources`) and the engine renders it whole
   (`definition.load`; a form that fails never got this far, but the check is run again on what is stored).
2. **Language**: every question, display text, option and triage advice has a bokmål text (failure if not); the
   nynorsk and English translations are listed where missing (flagged, not a failure: the page falls back to bokmål).
3. **Required items reachable**: a static check, no solving: an item can be shown when its group can and its
   `enableWhen` can hold. A condition can hold unless: its question can never be shown; its question is read-only
   and neither calculated nor given an initial value (it never gets an answer), and the operator asks for one
   (`exists true`, `=`, `>` …); `=` asks for a code that is not among a closed choice's options; a comparison
   lies outside the question's minValue/maxValue; or, with `enableBehavior` `all`, two conditions ask the same
   single-answer question for two different values, or for a value and for no answer. `!=` and `exists false`
   always can (no answer satisfies them). Every `required` item that can never be shown is a failure.
4. **No unused item**: every `enableWhen` question exists (load refuses it otherwise), every `linkId` an expression
   names (SDC calculatedExpression, our triage conditions) exists, and every item is on a step and can be shown.
5. **Accessibility**: the pages a form becomes are the engine's own templates; the browser tests run axe on every
   step of the shipped forms (tests/browser/), so the approval records that and runs no browser itself.
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from fhir.resources.R4B.questionnaire import Questionnaire
from pydantic import ValidationError

from helseportal.core.errors import Invalid
from helseportal.fhir import JSON
from helseportal.forms.definition import Condition, Definition, Item, Texts, load

OK, WARNING, FAILED, ELSEWHERE = "ok", "warning", "failed", "elsewhere"
SHOWN_AT_MOST = 12  # linkIds named in one check's details; the rest are counted
LINK_IN_EXPRESSION = re.compile(r"""linkId\s*=\s*['"]([^'"]+)['"]""")
NEEDS_AN_ANSWER = frozenset({"=", ">", "<", ">=", "<="})


@dataclass(frozen=True)
class Check:
    key: str
    title: str
    outcome: str  # OK, WARNING, FAILED or ELSEWHERE (done by another test, recorded here)
    details: tuple[str, ...] = ()

    @property
    def failed(self) -> bool:
        return self.outcome == FAILED


def run(resource: Any) -> list[Check]:
    """The checklist for one stored Questionnaire; a resource the engine refuses fails the first check only."""
    try:
        Questionnaire.model_validate(resource)
        definition = load(resource)
    except (ValidationError, ValueError, TypeError) as error:
        return [Check("fhir", _("Gyldig FHIR R4 Questionnaire"), FAILED, (str(error).splitlines()[0][:300],))]
    except Invalid as refusal:
        return [Check("fhir", _("Gyldig FHIR R4 Questionnaire"), FAILED, (refusal.message,))]
    shown = reachable(definition)
    return [
        Check("fhir", _("Gyldig FHIR R4 Questionnaire"), OK, (definition.canonical,)),
        _language(definition),
        _required(definition, shown),
        _unused(definition, shown),
        Check(
            "axe",
            _("Tilgjengelighet (axe)"),
            ELSEWHERE,
            (_("Sidene lages av portalens egne maler; nettlesertestene kjører axe på hvert steg. Ikke kjørt her."),),
        ),
    ]


def passed(checks: list[Check]) -> bool:
    return not any(check.failed for check in checks)


def _named(links: list[str]) -> str:
    more = len(links) - SHOWN_AT_MOST
    text = ", ".join(links[:SHOWN_AT_MOST])
    return text + (_(" og %(count)s til") % {"count": more} if more > 0 else "")


def _texts_of(definition: Definition) -> list[tuple[str, Texts]]:
    """Every text a citizen reads, with the linkId it belongs to."""
    found: list[tuple[str, Texts]] = [(_("(tittel)"), definition.title)]
    for item in definition.walk():
        if item.type != "group" or item.text:
            found.append((item.link_id, item.text))
        found += [(f"{item.link_id} «{option.label.nb}»", option.label) for option in item.options]
        if item.help is not None:
            found.append((item.link_id, item.help))
    found += [(f"triage {number + 1}", rule.advice) for number, rule in enumerate(definition.triage) if rule.advice]
    return found


def _language(definition: Definition) -> Check:
    texts = _texts_of(definition)
    no_bokmal = sorted({link for link, text in texts if not text.nb})
    details = []
    if no_bokmal:
        details.append(_("Mangler tekst på bokmål: %(links)s") % {"links": _named(no_bokmal)})
    for language, name in (("nn", _("nynorsk")), ("en", _("engelsk"))):
        missing = sorted({link for link, text in texts if text.nb and language not in dict(text.others)})
        if missing:
            details.append(_("Mangler %(language)s: %(links)s") % {"language": name, "links": _named(missing)})
    outcome = FAILED if no_bokmal else WARNING if details else OK
    return Check("language", _("Tekst på bokmål, nynorsk og engelsk"), outcome, tuple(details))


def reachable(definition: Definition) -> set[str]:
    """The linkIds that can be shown (the static check of the docstring's point 3)."""
    return _Reach(definition).all()


class _Reach:
    """Whether each item can be shown, worked out on demand: its group can be, and its conditions can hold. An item
    met again while it is being worked out (a group that waits for a question inside another group that waits for
    it) can never be shown."""

    def __init__(self, definition: Definition) -> None:
        self.by_link = definition.by_link
        self.parent = {child.link_id: item.link_id for item in definition.walk() for child in item.items}
        self.memo: dict[str, bool] = {}

    def all(self) -> set[str]:
        return {link for link in self.by_link if self.shown(link)}

    def shown(self, link: str) -> bool:
        if link not in self.memo:
            self.memo[link] = False  # while working it out: a circle through groups never opens
            item = self.by_link[link]
            parent = self.parent.get(link)
            self.memo[link] = (parent is None or self.shown(parent)) and self._conditions_can_hold(item)
        return self.memo[link]

    def _conditions_can_hold(self, item: Item) -> bool:
        if not item.conditions:
            return True
        possible = [self._can_hold(condition) for condition in item.conditions]
        if item.behavior == "any":
            return any(possible)
        return all(possible) and not _contradict(item.conditions, self.by_link)

    def _answerable(self, target: Item) -> bool:
        """Whether the question can ever have an answer: shown, and open to input, calculated or given a start."""
        writable = not target.read_only or bool(target.calculated) or bool(target.initial)
        return writable and self.shown(target.link_id)

    def _can_hold(self, condition: Condition) -> bool:
        target = self.by_link[condition.question]
        wants_answer = condition.operator in NEEDS_AN_ANSWER or (
            condition.operator == "exists" and condition.answer.get("valueBoolean") is True
        )
        if not wants_answer:
            return True  # != and exists false hold when there is no answer
        if not self._answerable(target):
            return False
        value = next(iter(condition.answer.values()))
        if condition.operator == "=" and target.type == "choice" and "valueCoding" in condition.answer:
            return any(_same_coding(option.answer.get("valueCoding"), value) for option in target.options)
        if condition.operator == "=" and target.type == "choice":
            return any(option.answer == condition.answer for option in target.options)
        return _within_bounds(condition.operator, value, target)


def _same_coding(option: JSON | None, wanted: JSON) -> bool:
    if not option:
        return False
    return option.get("code") == wanted.get("code") and (
        not wanted.get("system") or option.get("system") == wanted.get("system")
    )


def _comparable(value: Any) -> Any:
    """A number as a Decimal, a date or time as its ISO text (which sorts), else None (not compared)."""
    if isinstance(value, dict):
        value = value.get("value")
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return Decimal(str(value))
    if isinstance(value, str):
        try:
            return Decimal(value)
        except InvalidOperation:
            return value
    return None


def _within_bounds(operator: str, value: Any, target: Item) -> bool:
    wanted, low, high = _comparable(value), _comparable(target.minimum), _comparable(target.maximum)
    if wanted is None:
        return True
    try:
        if (
            operator in ("=", ">=", ">")
            and high is not None
            and (wanted > high or (operator == ">" and wanted == high))
        ):
            return False
        if operator in ("=", "<=", "<") and low is not None and (wanted < low or (operator == "<" and wanted == low)):
            return False
    except TypeError:  # a date bound against a number: load checks the types, so this is a mixed form; let it be
        return True
    return True


def _contradict(conditions: tuple[Condition, ...], by_link: Any) -> bool:
    """Under `all`: one single-answer question asked for two different values, or for a value and for none."""
    asked: dict[str, list[Condition]] = {}
    for condition in conditions:
        asked.setdefault(condition.question, []).append(condition)
    for question, on_it in asked.items():
        if by_link[question].repeats:
            continue
        equal = {repr(sorted(c.answer.items())) for c in on_it if c.operator == "="}
        none = any(c.operator == "exists" and c.answer.get("valueBoolean") is False for c in on_it)
        some = any(c.operator in NEEDS_AN_ANSWER or c.answer.get("valueBoolean") is True for c in on_it)
        if len(equal) > 1 or (none and some):
            return True
    return False


def _required(definition: Definition, shown: set[str]) -> Check:
    never = [item.link_id for item in definition.walk() if item.required and item.link_id not in shown]
    title = _("Alle obligatoriske spørsmål kan vises")
    if never:
        return Check("required", title, FAILED, (_("Kan aldri vises: %(links)s") % {"links": _named(never)},))
    count = sum(1 for item in definition.walk() if item.required)
    return Check("required", title, OK, (_("Obligatoriske spørsmål kontrollert: %(count)s.") % {"count": count},))


def _expression_links(definition: Definition) -> list[tuple[str, str]]:
    """(where, linkId) for every linkId an expression of the form names."""
    found = [(item.link_id, link) for item in definition.walk() for link in LINK_IN_EXPRESSION.findall(item.calculated)]
    for number, rule in enumerate(definition.triage):
        found += [(f"triage {number + 1}", link) for link in LINK_IN_EXPRESSION.findall(rule.condition)]
    return found


def _unused(definition: Definition, shown: set[str]) -> Check:
    by_link = definition.by_link
    on_steps = {item.link_id for step in definition.steps for top in step.items for item in top.walk()}
    on_steps |= {step.group.link_id for step in definition.steps if step.group}
    details = []
    missing = sorted({f"{where} → {link}" for where, link in _expression_links(definition) if link not in by_link})
    if missing:
        details.append(_("Uttrykk viser til linkId som ikke finnes: %(links)s") % {"links": _named(missing)})
    off_steps = [link for link in by_link if link not in on_steps]
    if off_steps:
        details.append(_("Står ikke på noe steg: %(links)s") % {"links": _named(off_steps)})
    never = [link for link in by_link if link in on_steps and link not in shown]
    if never:
        details.append(_("Kan aldri vises (enableWhen kan ikke bli sann): %(links)s") % {"links": _named(never)})
    title = _("Ingen ubrukte elementer")
    return Check("unused", title, FAILED if details else OK, tuple(details))
