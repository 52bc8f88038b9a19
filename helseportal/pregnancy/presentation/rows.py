"""What every row of the card carries: the entry, its week, a label, and the link that corrects it (if any)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from helseportal.pregnancy.dates import GestationalAge
from helseportal.pregnancy.models import Provenance
from helseportal.pregnancy.sections import Section


@dataclass(frozen=True)
class CardLinks:
    """Where the card's buttons lead; an empty string means no button (not allowed here)."""

    edit: Callable[[Section], str]
    correct: Callable[[str, Provenance], str]
    back: str


@dataclass
class EntryRow:
    entry: Any
    ga: GestationalAge | None = None
    label: str = ""
    correct_url: str = ""
