"""Version ids and `meta` for served resources, and the stored versions of what the API writes (decision 6)."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import CharField, Max, Model, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Concat

from helseportal.core.time import now
from helseportal.fhir import JSON, codes
from helseportal.fhir.models import ResourceVersion


@dataclass(frozen=True)
class Version:
    number: int
    stored: bool  # False: the row is newer than any stored version (changed on a page, or never written by the API)
    updated: datetime.datetime | None  # meta.lastUpdated

    @property
    def next(self) -> int:
        """The number the API's next write of the row gets (a version not stored yet is stored first)."""
        return self.number + 1 if self.stored else self.number


def current(type_name: str, items: Sequence[tuple[str, datetime.datetime | None]]) -> dict[str, Version]:
    """The current version of each (logical id, row's last change), in one query."""
    if not items:
        return {}
    stored = ResourceVersion.objects.filter(resource_type=type_name)
    if len(items) == 1:  # a read: the newest version by the unique index, without grouping
        logical_id = items[0][0]
        newest = stored.filter(logical_id=logical_id).order_by("-version_id").values_list("version_id", "last_updated")
        row = newest.first()
        latest: dict[str, tuple[int, datetime.datetime]] = {logical_id: row} if row is not None else {}
    else:
        latest = {
            found["logical_id"]: (found["number"], found["at"])
            for found in stored.filter(logical_id__in=[i for i, _ in items])
            .values("logical_id")
            .annotate(number=Max("version_id"), at=Max("last_updated"))
            .order_by()
        }
    return {logical_id: version_of(latest.get(logical_id), updated) for logical_id, updated in items}


def version_of(latest: tuple[int, datetime.datetime] | None, updated: datetime.datetime | None) -> Version:
    """The current version of a row from its newest stored version (number, time) and its last change."""
    if latest is None:
        return Version(1, False, updated)
    number, at = latest
    if updated is not None and updated > at:
        return Version(number + 1, False, updated)
    return Version(number, True, updated or at)


# A read's row comes with its newest stored version, in the same query (`with_newest`), under these names.
NEWEST_NUMBER, NEWEST_AT = "fhir_newest_version", "fhir_newest_version_at"


def with_newest[M: Model](rows: QuerySet[M], type_name: str, logical_id: str) -> QuerySet[M]:
    """The rows annotated with the newest stored version of `logical_id` (None when none is stored): one query
    for a read instead of two. `newest(row)` gives it back."""
    stored = ResourceVersion.objects.filter(resource_type=type_name, logical_id=logical_id).order_by("-version_id")
    return rows.annotate(
        **{
            NEWEST_NUMBER: Subquery(stored.values("version_id")[:1]),
            NEWEST_AT: Subquery(stored.values("last_updated")[:1]),
        }
    )


def with_newest_each[M: Model](rows: QuerySet[M], type_name: str, id_prefix: str) -> QuerySet[M]:
    """Like `with_newest` for every row of a page (a search, an `_include`): each row's newest stored version by a
    correlated subquery along the versions' index, so the page needs no second query for its versions. A scope
    that reaches nothing (`none()`: no query will run) is left as it is: annotating costs more than the rest."""
    if rows.query.is_empty():
        return rows
    key = Cast(OuterRef("pk"), CharField())
    logical_id = Concat(Value(id_prefix), key, output_field=CharField()) if id_prefix else key
    stored = ResourceVersion.objects.filter(resource_type=type_name, logical_id=logical_id).order_by("-version_id")
    return rows.annotate(
        **{
            NEWEST_NUMBER: Subquery(stored.values("version_id")[:1]),
            NEWEST_AT: Subquery(stored.values("last_updated")[:1]),
        }
    )


def newest(row: Any) -> tuple[bool, tuple[int, datetime.datetime] | None]:
    """Whether the row came annotated by `with_newest`, and the newest stored version it names (None: none)."""
    if not hasattr(row, NEWEST_NUMBER):
        return False, None
    number, at = getattr(row, NEWEST_NUMBER), getattr(row, NEWEST_AT)
    return True, (number, at) if number is not None else None


def with_meta(resource: JSON, version: Version) -> JSON:
    meta: JSON = {**resource.get("meta", {}), "versionId": str(version.number)}
    if version.updated is not None:
        meta["lastUpdated"] = codes.instant(version.updated)
    resource["meta"] = meta
    return resource


def store(
    type_name: str,
    logical_id: str,
    resource: JSON,
    *,
    number: int,
    updated: datetime.datetime | None,
    person: int | None,
    client_id: str,
    method: str,
) -> Version:
    """Keep one version (the unique constraint refuses a second writer of the same number: a lost race)."""
    [version] = store_many(
        [
            Keep(
                type_name,
                logical_id,
                resource,
                number=number,
                updated=updated,
                person=person,
                client_id=client_id,
                method=method,
            )
        ]
    )
    return version


@dataclass(frozen=True)
class Keep:
    """One version to store (`store`'s arguments)."""

    type_name: str
    logical_id: str
    resource: JSON
    number: int
    updated: datetime.datetime | None  # None: now
    person: int | None
    client_id: str
    method: str


def store_many(keeps: Sequence[Keep]) -> list[Version]:
    """Keep several versions in one insert, in order (a transaction Bundle's creates); as `store` for each."""
    moment = now()
    moments = [keep.updated or moment for keep in keeps]
    found = [Version(keep.number, True, at) for keep, at in zip(keeps, moments, strict=True)]
    ResourceVersion.objects.bulk_create(
        [
            ResourceVersion(
                resource_type=keep.type_name,
                logical_id=keep.logical_id,
                version_id=keep.number,
                last_updated=at,
                resource=with_meta(keep.resource, version),
                person_id=keep.person,
                client_id=keep.client_id,
                method=keep.method,
            )
            for keep, version, at in zip(keeps, found, moments, strict=True)
        ]
    )
    return found
