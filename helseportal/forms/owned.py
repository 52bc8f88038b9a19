"""A domain's own form (`fhir.questionnaires`): the plain values its owner hands over to start a draft with, as
answer elements of the form's questions. A value that does not fit its question (an unknown code, a number that is
not one, a linkId the form does not have) is left out: she answers it herself."""

from typing import Any

from helseportal.core.actor import Actor
from helseportal.fhir import JSON, questionnaires
from helseportal.forms.definition import Definition, Item

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


def prefill(actor: Actor, url: str, definition: Definition) -> dict[str, list[JSON]]:
    """The owner's values for a new draft of the form, by linkId, as answers; {} for a form nobody owns."""
    items = definition.by_link
    found: dict[str, list[JSON]] = {}
    for link, value in questionnaires.prefilled(actor, url).items():
        item = items.get(link)
        top = item is not None and not definition.level_of.get(link)  # not in a repeating group: which instance?
        if item is not None and top and item.is_question and not item.read_only and (answer := _answer(item, value)):
            found[link] = [answer]
    return found
