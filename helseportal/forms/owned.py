"""The start values of a new draft besides the form's `initial`: her answers in a draft of another version of the
same form (`carried`), and, for a domain's own form (`fhir.questionnaires`), the plain values its owner hands over,
as answer elements of the form's questions. A value that does not fit its question (an unknown code, a number that is
not one, a linkId the form does not have) is left out: she answers it herself."""

from typing import Any

from helseportal.core.actor import Actor
from helseportal.fhir import JSON, questionnaires
from helseportal.forms.definition import Definition, Item
from helseportal.forms.queries import definition_of, earlier_draft

SIMPLE = {"date": "valueDate", "string": "valueString", "text": "valueString"}


def _answer(item: Item, value: Any) -> JSON | None:
    if item.type in ("choice", "open-choice"):
        return next((o.answer for o in item.options if (o.answer.get("valueCoding") or {}).get("code") == value), None)
    if item.type == "boolean" and isinstance(value, bool):
        return {"valueBoolean": value}
    if item.type == "integer" and isinstance(value, int) and not isinstance(value, bool):
        return {"valueInteger": value}
    if item.type in SIMPLE and isinstance(value, str) and value.strip():
        return {SIMPLE[item.type]: value}
    return None


def _fits(item: Item, given: list[JSON]) -> bool:
    """An answer from another version of the form still fits the question (same type; a choice's codes offered)."""
    if item.type not in ("choice", "open-choice"):
        return True
    codes = {(o.answer.get("valueCoding") or {}).get("code") for o in item.options if "valueCoding" in o.answer}
    return all("valueCoding" not in one or one["valueCoding"].get("code") in codes for one in given) and (
        item.type == "open-choice" or all("valueCoding" in one for one in given)
    )


def carried(earlier: dict[str, list[JSON]], earlier_definition: Definition, definition: Definition) -> dict[str, Any]:
    """The answers of her draft of another version that fit this version's questions of the same linkId and type
    (not in a repeating group, not read-only). The other draft is kept as it was."""
    old, new = earlier_definition.by_link, definition.by_link
    found: dict[str, list[JSON]] = {}
    for link, given in earlier.items():
        item, was = new.get(link), old.get(link)
        top = item is not None and not definition.level_of.get(link) and not earlier_definition.level_of.get(link)
        if item is None or was is None or not top or not item.is_question or item.read_only:
            continue
        if was.type == item.type and given and _fits(item, given):
            found[link] = given
    return found


def prefill(actor: Actor, url: str, definition: Definition) -> dict[str, list[JSON]]:
    """The start values of a new draft of the form, by linkId, as answers: her answers in a draft of another version
    of it (`carried`: a new version loses nothing she typed), over the owner's values (a form nobody owns has none)."""
    earlier = earlier_draft(actor, url, definition.version)
    kept = carried(earlier.answers, definition_of(earlier.form), definition) if earlier is not None else {}
    return _owners(actor, url, definition) | kept


def _owners(actor: Actor, url: str, definition: Definition) -> dict[str, list[JSON]]:
    items = definition.by_link
    found: dict[str, list[JSON]] = {}
    for link, value in questionnaires.prefilled(actor, url).items():
        item = items.get(link)
        top = item is not None and not definition.level_of.get(link)  # not in a repeating group: which instance?
        if item is not None and top and item.is_question and not item.read_only and (answer := _answer(item, value)):
            found[link] = [answer]
    return found
