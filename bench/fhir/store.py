"""The tables the comparison stacks read, in plain SQL: what the reference (Starlette) and the fhirstarter handlers
share, so that they serve the same rows as helseportal and differ only in the framework around them.

Nothing here imports Django: the stacks run outside it. `LAYOUT` names the table and columns of the received
records (the `records` app's store); `observation()` and `patient()` turn a row into the resource JSON.
"""

import base64
import datetime
from dataclasses import dataclass
from typing import Any

# = helseportal.core.ids (not imported: the stacks run without Django)
FNR_SYSTEM, DNR_SYSTEM = "urn:oid:2.16.578.1.12.4.1.4.1", "urn:oid:2.16.578.1.12.4.1.4.2"
JSON = dict[str, Any]


@dataclass(frozen=True)
class Layout:
    """Where the received Observations live, and which column holds what."""

    table: str
    id: str
    person: str
    date: str
    resource: str
    updated: str
    version: str  # "" when the table keeps no version number (then every row is version 1)
    status: str
    code_system: str
    code: str
    unit: str
    identifier_system: str
    identifier_value: str
    resource_type: str  # "" when the table holds only Observations
    id_prefix: str  # the logical id is id_prefix + the row's pk
    extra_insert: tuple[tuple[str, str], ...] = ()  # (column, SQL expression) for NOT NULL columns the API fills


# The `records` app's store (helseportal/records/models.py, `Record`): one table for every received type.
RECORDS = Layout(
    table="records_record",
    id="id",
    person="person_id",
    date="effective",
    resource="resource",
    updated="updated",
    version="",  # versions are the API engine's (fhir.models.ResourceVersion); the reference serves 1
    status="status",
    code_system="code_system",
    code="code",
    unit="source_unit_id",
    identifier_system="identifier_system",
    identifier_value="identifier_value",
    resource_type="resource_type",
    id_prefix="",
    extra_insert=(
        ("category_system", "''"),
        ("category", "''"),
        ("entered_in_error", "false"),
        # NOT NULL columns records added after the bench was written (issue 11): the reference's creates failed on them
        ("guardian_labelled", "false"),
        ("guardian_reserved", "false"),
        ("released", "now()"),
        ("source_client", "'bench'"),
        ("created", "now()"),
        ("updated", "now()"),
    ),
)

LAYOUT = RECORDS


# The SQL below is built from a constant Layout (table and column names); every value is a parameter.


def read_sql(layout: Layout = LAYOUT) -> str:
    """One row by key, with its person's number and name for the subject reference (as records' `to_fhir`)."""
    version = layout.version or "1"
    kind = f" AND r.{layout.resource_type} = 'Observation'" if layout.resource_type else ""
    return (
        f"SELECT r.{layout.id}, r.{layout.resource}, {version}, r.{layout.updated}, p.id, p.pid, p.given_name,"  # noqa: S608
        f" p.family_name FROM {layout.table} r JOIN identity_person p ON p.id = r.{layout.person}"
        f" WHERE r.{layout.id} = %s{kind}"
    )


def search_sql(layout: Layout = LAYOUT, *, after: bool = False) -> str:
    """One page of a person's Observations, newest first, by keyset (date, id); one row more than the page."""
    version = layout.version or "1"
    kind = f" AND {layout.resource_type} = 'Observation'" if layout.resource_type else ""
    keyset = f" AND ({layout.date}, {layout.id}) < (%s, %s)" if after else ""
    return (
        f"SELECT {layout.id}, {layout.resource}, {version}, {layout.updated}, {layout.date} FROM {layout.table}"  # noqa: S608
        f" WHERE {layout.person} = %s{kind}{keyset} ORDER BY {layout.date} DESC, {layout.id} DESC LIMIT %s"
    )


PATIENT_SQL = "SELECT id, pid, given_name, family_name, birth_date FROM identity_person WHERE id = %s"


def insert_sql(layout: Layout = LAYOUT) -> str:
    columns = [
        layout.person,
        layout.code_system,
        layout.code,
        layout.date,
        layout.status,
        layout.unit,
        layout.identifier_system,
        layout.identifier_value,
        layout.resource,
    ]
    values = ["%s"] * (len(columns) - 1) + ["%s::jsonb"]
    if layout.resource_type:
        columns.append(layout.resource_type)
        values.append("'Observation'")
    for column, expression in layout.extra_insert:
        columns.append(column)
        values.append(expression)
    version = layout.version or "1"
    return (
        f"INSERT INTO {layout.table} ({', '.join(columns)}) VALUES ({', '.join(values)})"  # noqa: S608
        f" RETURNING {layout.id}, {version}, {layout.updated}"
    )


def instant(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def subject(pk: int, pid: str, given: str, family: str) -> JSON:
    """The patient reference records' `to_fhir` gives (`fhir.references.patient`): our key, the number, the name."""
    system = DNR_SYSTEM if pid[0] in "4567" else FNR_SYSTEM
    return {
        "reference": f"Patient/{pk}",
        "type": "Patient",
        "identifier": {"system": system, "value": pid},
        "display": f"{given} {family}",
    }


def observation(row: tuple[Any, ...], subject_reference: JSON, layout: Layout = LAYOUT) -> JSON:
    """A stored row (id, resource, version, updated, …) as the resource, with its id, meta and subject."""
    pk, resource, version, updated = row[:4]
    return {
        "resourceType": "Observation",
        "id": f"{layout.id_prefix}{pk}",
        "meta": {"versionId": str(version), "lastUpdated": instant(updated)},
        **resource,
        "subject": subject_reference,
    }


def read(row: tuple[Any, ...]) -> JSON:
    """A row of `read_sql()` as the resource."""
    return observation(row, subject(*row[4:8]))


def patient(row: tuple[Any, ...]) -> JSON:
    pk, pid, given, family, birth_date = row
    system = DNR_SYSTEM if pid[0] in "4567" else FNR_SYSTEM
    return {
        "resourceType": "Patient",
        "id": str(pk),
        "identifier": [{"system": system, "value": pid}],
        "name": [{"family": family, "given": [given]}],
        "birthDate": birth_date.isoformat(),
    }


def cursor(date: datetime.datetime, pk: int) -> str:
    """An opaque keyset cursor for the next page."""
    return base64.urlsafe_b64encode(f"{date.isoformat()}|{pk}".encode()).decode().rstrip("=")


def parse_cursor(text: str) -> tuple[datetime.datetime, int]:
    raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
    date, pk = raw.split("|")
    return datetime.datetime.fromisoformat(date), int(pk)


@dataclass(frozen=True)
class Incoming:
    """The indexed columns of a received Observation, read from its JSON the way the records store reads them."""

    person: int
    code_system: str
    code: str
    date: str
    status: str
    identifier_system: str
    identifier_value: str

    @classmethod
    def of(cls, resource: JSON) -> "Incoming":
        """Raises ValueError/KeyError/TypeError for what is not an Observation we can index."""
        if resource.get("resourceType") != "Observation":
            raise ValueError("not an Observation")
        reference = resource["subject"]["reference"]
        kind, _, key = reference.partition("/")
        if kind != "Patient" or not key.isdigit():
            raise ValueError("subject is not a Patient/<id> reference")
        coding = resource["code"]["coding"][0]
        identifier = resource["identifier"][0]
        return cls(
            person=int(key),
            code_system=coding["system"],
            code=coding["code"],
            date=resource["effectiveDateTime"],
            status=resource["status"],
            identifier_system=identifier["system"],
            identifier_value=identifier["value"],
        )

    def params(self, unit: int, resource: bytes | str) -> tuple[Any, ...]:
        return (
            self.person,
            self.code_system,
            self.code,
            self.date,
            self.status,
            unit,
            self.identifier_system,
            self.identifier_value,
            resource,
        )
