"""The unit configurations "who uses this" can answer for (issue 13 item 3): a registry of configuration families.

A family is one kind of thing a unit configures: the appointment types a unit books (appointments), the service
kinds it offers in the catalogue (offerings), its unit kind (organisations). Stats sits below the domains in the
layers and never imports them, so each domain registers its family from its `AppConfig.ready()` with a function
that lists the family's configurations now: each one's code, its label and the units (organisation numbers) that
have it configured, also those that never used it. Organisations is below stats, so stats registers unit kinds
itself (`apps.py`).

How a configuration's use is counted (`usage.py`): `BY_DETAIL`, the counted events whose `detail` is the code, at
any unit; `BY_UNIT`, every counted event at the units that have it (a unit kind: what its units did).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from django.utils.functional import Promise

from helseportal.core.errors import NotFound

BY_DETAIL: Literal["detail"] = "detail"
BY_UNIT: Literal["unit"] = "unit"


@dataclass(frozen=True)
class Configuration:
    """One configuration: its code (as a counter's `detail` holds it), its label, the units that have it."""

    code: str
    label: str | Promise
    units: frozenset[str]  # organisation numbers


@dataclass(frozen=True)
class Family:
    key: str  # "appointment_type", "service_kind", "unit_kind": the command's first argument
    label: str | Promise
    lister: Callable[[], Iterable[Configuration]]
    counted: Literal["detail", "unit"] = BY_DETAIL

    def configurations(self) -> list[Configuration]:
        return sorted(self.lister(), key=lambda c: c.code)

    def configuration(self, code: str) -> Configuration:
        found = next((c for c in self.lister() if c.code == code), None)
        if found is None:
            raise NotFound(_unknown_configuration())
        return found


_lock = threading.Lock()
_families: dict[str, Family] = {}


def register(
    key: str,
    label: str | Promise,
    lister: Callable[[], Iterable[Configuration]],
    *,
    counted: Literal["detail", "unit"] = BY_DETAIL,
) -> None:
    """Register a family (from an `AppConfig.ready()`); registering the same key again replaces it (reloads)."""
    with _lock:
        _families[key] = Family(key, label, lister, counted)


def families() -> list[Family]:
    with _lock:
        return sorted(_families.values(), key=lambda f: f.key)


def family(key: str) -> Family:
    with _lock:
        found = _families.get(key)
    if found is None:
        raise NotFound(_unknown_configuration())
    return found


def _unknown_configuration() -> str:
    from django.utils.translation import gettext as _

    return _("Vi kjenner ikke den konfigurasjonen.")
