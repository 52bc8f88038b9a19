"""The fhirstarter stack: fhirstarter (FastAPI + fhir.resources) with handlers that read the same tables (psycopg).

fhirstarter (https://github.com/canvas-medical/fhirstarter) builds the routes, validates what comes in and goes
out with the fhir.resources models, and answers errors with an OperationOutcome. Its handlers here do what the
reference's do, with the framework's types: read a row into an `Observation`, a page of rows into a `Bundle`,
and an `Observation` into a row. fhirstarter serves at the root (`/Observation/<id>`), not under /fhir/R4/.

    FHIR_SEQUENCE=R4B granian --interface asgi bench.fhir.fhirstarter_app:app   (bench/fhir/__main__.py starts it)
"""

import os

os.environ.setdefault("FHIR_SEQUENCE", "R4B")  # before fhirstarter is imported: it reads the sequence at import

import warnings

warnings.filterwarnings("ignore", module="fhirstarter")  # FastAPI's deprecation warnings about fhirstarter's code

from typing import Any  # noqa: E402

import orjson  # noqa: E402
from fhir.resources.R4B.bundle import Bundle  # noqa: E402
from fhir.resources.R4B.observation import Observation  # noqa: E402
from fhirstarter import FHIRProvider, FHIRStarter, InteractionContext  # noqa: E402
from fhirstarter.exceptions import FHIRBadRequestError, FHIRResourceNotFoundError  # noqa: E402

from bench.fhir import store  # noqa: E402
from bench.fhir.pool import pool  # noqa: E402

UNIT = int(os.environ.get("BENCH_FHIR_UNIT", "0"))
READ = store.read_sql()
INSERT = store.insert_sql()

app = FHIRStarter(title="fhirstarter on the records tables")
provider = FHIRProvider()


@provider.read(Observation)
async def observation_read(context: InteractionContext, id_: str) -> Observation:
    key = id_.removeprefix(store.LAYOUT.id_prefix)
    if not key.isdigit():
        raise FHIRResourceNotFoundError
    async with pool().connection() as conn:
        row = await (await conn.execute(READ, (int(key),))).fetchone()
    if row is None:
        raise FHIRResourceNotFoundError
    return Observation.model_validate(store.read(row))


@provider.search_type(Observation)
async def observation_search(
    context: InteractionContext,
    subject: str | None,
    _count: str | None,
    _sort: str | None,
    _include: list[str] | None,
) -> Bundle:
    key = (subject or "").removeprefix("Patient/")
    if not key.isdigit():
        raise FHIRBadRequestError(code="required", details_text="subject=Patient/<id> is required here")
    count = min(int(_count or 20), 100)
    include = "Observation:subject" in (_include or [])
    async with pool().connection() as conn:
        person = await (await conn.execute(store.PATIENT_SQL, (int(key),))).fetchone()
        rows = await (await conn.execute(store.search_sql(), (int(key), count + 1))).fetchall() if person else []
    request = context.request
    url = f"{request.url.scheme}://{request.url.netloc}"
    reference = store.subject(*person[:4]) if person else {}
    entries: list[dict[str, Any]] = [
        {
            "fullUrl": f"{url}/Observation/{row[0]}",
            "resource": store.observation(row, reference),
            "search": {"mode": "match"},
        }
        for row in rows[:count]
    ]
    if include and person is not None and entries:
        entries.append(
            {"fullUrl": f"{url}/Patient/{person[0]}", "resource": store.patient(person), "search": {"mode": "include"}}
        )
    links = [{"relation": "self", "url": str(request.url)}]
    if len(rows) > count:
        last = rows[count - 1]
        links.append(
            {
                "relation": "next",
                "url": f"{url}/Observation?subject=Patient/{key}&_count={count}&_sort=-date"
                f"&_cursor={store.cursor(last[4], last[0])}",
            }
        )
    return Bundle.model_validate({"type": "searchset", "link": links, "entry": entries or None})


@provider.create(Observation)
async def observation_create(context: InteractionContext, resource: Observation) -> Observation:
    body = resource.model_dump_json()
    as_json = orjson.loads(body)
    try:
        incoming = store.Incoming.of(as_json)
    except (ValueError, KeyError, TypeError, IndexError) as error:
        raise FHIRBadRequestError(code="invalid", details_text=str(error)) from error
    async with pool().connection() as conn:
        row = await (await conn.execute(INSERT, incoming.params(UNIT, body))).fetchone()
    assert row is not None
    return Observation.model_validate(store.observation((row[0], as_json, row[1], row[2]), as_json["subject"]))


app.add_providers(provider)
