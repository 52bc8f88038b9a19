"""Retiring a service kind: refused while a unit still offers it, with the units named.

A migration that takes a kind out of the registry (`kinds.KINDS`) runs `RetireKinds` first:

    operations = [RetireKinds(["gp_flu_vaccine"])]

It looks at the units' choices (`Offering` rows, turned on or off: a unit's texts are its choice too) and refuses,
naming each unit by name and organisasjonsnummer, until none uses the kind. Moving the units off it (to another kind,
or by deleting their rows on purpose, in a migration of its own that says why) is the operator's decision, never a
side effect. The system check (`checks.py`) catches a kind removed from code without such a migration.
"""

from collections.abc import Iterable
from typing import Any

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor


class KindInUse(Exception):
    """A kind to be retired is still a unit's choice."""


def units_using(apps: Apps, codes: Iterable[str]) -> dict[str, list[str]]:
    """The units that use each of `codes`, as "name (orgnr)", by code; a code no unit uses is left out."""
    offering = apps.get_model("offerings", "Offering")
    found: dict[str, list[str]] = {}
    rows = offering.objects.filter(kind__in=list(codes)).select_related("unit").order_by("kind", "unit__name")
    for row in rows:
        unit = row.unit
        found.setdefault(row.kind, []).append(f"{unit.display_name or unit.name} ({unit.orgnr})")
    return found


def describe(in_use: dict[str, list[str]]) -> str:
    return "; ".join(f"the service kind {code!r} is used by {', '.join(units)}" for code, units in in_use.items())


def refuse_if_in_use(apps: Apps, codes: Iterable[str]) -> None:
    in_use = units_using(apps, codes)
    if in_use:
        raise KindInUse(
            f"Cannot retire: {describe(in_use)}. Move these units to another kind first (docs/service-catalogue.md)."
        )


class RetireKinds(migrations.RunPython):
    """A migration step that refuses while any of `codes` is in use (and does nothing backwards)."""

    def __init__(self, codes: Iterable[str], **kwargs: Any) -> None:
        self.codes = tuple(codes)

        def check(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
            refuse_if_in_use(apps, self.codes)

        super().__init__(check, migrations.RunPython.noop, **kwargs)
