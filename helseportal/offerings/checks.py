"""The system check that no unit's choice names a kind the registry no longer knows (`offerings.E001`).

A database check (Django runs those before `migrate` and on `helseportal check --database default`): a kind deleted
from `kinds.KINDS` without retiring it (`retiring.RetireKinds`) stops the deploy's `migrate` with the units named,
instead of their choice vanishing from their pages. Before the table exists (a new database) there is nothing to check.
"""

from typing import Any

from django.apps import apps
from django.core.checks import Error, Tags, register
from django.db import DatabaseError

from helseportal.offerings.kinds import KINDS
from helseportal.offerings.retiring import describe, units_using


@register(Tags.database)
def kinds_in_use_are_known(app_configs: Any = None, databases: Any = None, **kwargs: Any) -> list[Error]:
    if not databases:
        return []
    try:
        codes = set(apps.get_model("offerings", "Offering").objects.values_list("kind", flat=True).distinct())
        in_use = units_using(apps, sorted(codes - set(KINDS)))
    except DatabaseError:
        return []
    if not in_use:
        return []
    return [
        Error(
            f"Service kinds in use are missing from the registry: {describe(in_use)}.",
            hint="Put the kinds back in helseportal/offerings/kinds.py, or retire them with RetireKinds.",
            id="offerings.E001",
        )
    ]
