"""No health content by construction: the texts are fixed per event and take nothing else."""

import inspect
import re

import pytest

from helseportal.notify.events import Event
from helseportal.notify.texts import text_for


def test_text_for_takes_the_event_and_a_language_and_nothing_else() -> None:
    assert list(inspect.signature(text_for).parameters) == ["event", "language"]


@pytest.mark.parametrize("event", list(Event))
def test_every_event_has_a_fixed_text_without_placeholders_or_details(event: Event) -> None:
    msgid = text_for(event, "nb").body  # bokmål is the msgid itself
    assert not re.search(r"%|\{|\}", msgid), "a text must take no arguments"
    assert not re.search(r"\d", msgid), "no time, date or number"
    assert "helseportalen" in msgid
    assert "Logg inn" in msgid


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_every_event_is_translated(language: str) -> None:
    bodies = {text_for(event, language).body for event in Event}
    assert len(bodies) == len(Event)
    for body in bodies:
        assert not re.search(r"[%{}\d]", body)
    if language != "nb":
        assert bodies.isdisjoint({text_for(event, "nb").body for event in Event})


def test_the_texts_of_the_brief() -> None:
    assert text_for(Event.NEW_MESSAGE).body == "Du har en ny melding på helseportalen. Logg inn for å lese den."
    assert text_for(Event.APPOINTMENT_REMINDER).body == (
        "Du har en time i morgen. Logg inn på helseportalen for å se den."
    )
    assert text_for(Event.APPOINTMENT_ANSWERED).body.startswith("Du har fått svar på et timeønske.")


def test_an_unknown_or_empty_language_is_bokmal() -> None:
    assert text_for(Event.NEW_MESSAGE, "").body == text_for(Event.NEW_MESSAGE, "nb").body
    assert text_for(Event.NEW_MESSAGE, "de").body == text_for(Event.NEW_MESSAGE, "nb").body
    assert text_for(Event.NEW_MESSAGE, "en").subject == "Notification from helseportalen"


def test_notify_takes_no_text_or_detail_from_the_caller() -> None:
    from helseportal.notify.services import notify

    # `person` is the recipient herself, read already by a caller that tells many (records.notices): no text
    assert list(inspect.signature(notify).parameters) == ["person_id", "event", "run_after", "key", "person"]
