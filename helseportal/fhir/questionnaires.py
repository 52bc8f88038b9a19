"""Questionnaires a domain owns: what the forms engine calls when one of them is filled in and sent.

The forms engine (`helseportal.forms`) and the domains sit side by side in the layers (import-linter): neither
imports the other. A domain that ships a form of its own (the pregnancy card's survey before the first
consultation) registers its canonical URL here at its `AppConfig.ready()`, and the engine asks here:

    questionnaires.register(SURVEY_URL, on_submit=handler, open_to=has_a_card, takes=True)

- `open_to(actor)`: whether the person the actor acts for may fill it in now (on top of the form's area in
  `access.policy`, which the engine asks as for any form). Such a form is not listed under Skjemaer: the owning
  domain links to it.
- `units(actor)`: the units whose copy of the form she may fill in now (each unit imports its own copy), or None for
  any unit's: Fastlegetjenester's e-consultation is open only at her GP office, and only while it offers the service.
- `prefill(actor)`: answers to start her draft with, by linkId, as plain values (a choice by its code); the
  pregnancy card hands over a draft of the first form from before the survey moved onto the engine.
- `on_submit(actor, response)`: called with the QuestionnaireResponse as sent (JSON, answers of enabled items
  only), in the transaction that stores it, before the unit's subscribers are told. It may raise `Invalid` (in
  Norwegian, shown on the summary page): then nothing is sent.
- `takes`: the owner *takes* the response: it keeps the answers in its own record and decides who receives them
  (the pregnancy card: the units she shares the card with). The engine then keeps its stored response as the
  citizen's own copy only (her sent forms, the receipt, the PDF): it does not serve it to record systems as
  `QuestionnaireResponse/form-<id>`, list it in the importing unit's staff inbox, tie her to that unit, write its
  own "sent" event (the owner's is the one) nor tell that unit's subscribers. The unit a taken form is imported
  for only publishes it. Without `takes` the unit receives the response like any form's, and the owner only
  gates it and sees it sent.
- `receiver`: for a form the owner takes, who receives the answers in the citizen's words (a lazy translation:
  "jordmor og lege som helsekortet er delt med"): her receipt, her list and her PDF say "Sendt til" that rather
  than the unit the form was imported for, which does not receive them.

The engine in turn tells where a Questionnaire is filled in (`serve_pages`, at its `ready()`), so the owner can
link to it by canonical URL, and by unit where each unit has a copy (`page_of`), without knowing the engine's tables.
"""

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

from helseportal.core.actor import Actor
from helseportal.fhir import JSON

Handler = Callable[[Actor, JSON], None]
Gate = Callable[[Actor], bool]
Prefill = Callable[[Actor], dict[str, Any]]
UnitGate = Callable[[Actor], Collection[int] | None]


def _always(actor: Actor) -> bool:
    return True


def _nothing(actor: Actor) -> dict[str, Any]:
    return {}


def _any_unit(actor: Actor) -> None:
    return None


@dataclass(frozen=True)
class Owner:
    url: str
    on_submit: Handler
    open_to: Gate = _always
    prefill: Prefill = _nothing
    takes: bool = False
    receiver: Promise | str = ""
    units: UnitGate = _any_unit


_OWNERS: dict[str, Owner] = {}


def register(
    url: str,
    *,
    on_submit: Handler,
    open_to: Gate = _always,
    prefill: Prefill = _nothing,
    takes: bool = False,
    receiver: Promise | str = "",
    units: UnitGate = _any_unit,
) -> None:
    """The domain that owns the Questionnaire with this canonical URL (every version); again replaces it."""
    _OWNERS[url] = Owner(url, on_submit, open_to, prefill, takes, receiver, units)


def owned_urls() -> list[str]:
    return list(_OWNERS)


def taken_urls() -> list[str]:
    """The Questionnaires whose owner takes the responses (`takes`): the engine's copy is the citizen's only."""
    return [owner.url for owner in _OWNERS.values() if owner.takes]


def receiver_of(url: str) -> str:
    """Who receives the responses to a form its owner takes, in the citizen's words; "" for any other form."""
    owner = _OWNERS.get(url)
    return str(owner.receiver) if owner is not None and owner.takes else ""


def open_urls(actor: Actor) -> list[str]:
    """The owned Questionnaires the person acted for may fill in now (each owner asked)."""
    return [owner.url for owner in _OWNERS.values() if owner.open_to(actor)]


def open_forms(actor: Actor) -> list[tuple[str, Collection[int] | None]]:
    """The owned Questionnaires the person acted for may fill in now, each with the units whose copy is open to her
    (None: any unit's)."""
    return [(owner.url, owner.units(actor)) for owner in _OWNERS.values() if owner.open_to(actor)]


def prefilled(actor: Actor, url: str) -> dict[str, Any]:
    """The owner's answers to start a new draft with (plain values by linkId); none for a form nobody owns."""
    owner = _OWNERS.get(url)
    return owner.prefill(actor) if owner is not None else {}


def submitted(actor: Actor, url: str, response: JSON) -> bool:
    """Tell the owner of the Questionnaire `url`, if there is one, that this response to it was sent; whether the
    owner takes it (then the engine neither records its own "sent" event nor tells the unit's subscribers)."""
    owner = _OWNERS.get(url)
    if owner is None:
        return False
    owner.on_submit(actor, response)
    return owner.takes


Locate = Callable[[str, int | None], str | None]
_pages: list[Locate] = []


def serve_pages(locate: Locate) -> None:
    """Where the forms engine says a Questionnaire (the newest published version of a canonical URL, of one unit's
    copy when a unit is given) is filled in."""
    _pages[:] = [locate]


def page_of(url: str, unit_id: int | None = None) -> str | None:
    """The path of the page where the Questionnaire with this canonical URL (`unit_id`'s copy, when given) is filled
    in; None if none serves it."""
    return _pages[0](url, unit_id) if _pages else None
