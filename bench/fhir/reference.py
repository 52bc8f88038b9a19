"""The reference stack: Starlette and psycopg (async), serving the same rows as FHIR JSON straight from the tables.

This is the ceiling for Python on this machine: routing, one query, orjson, and nothing else (no token, no scope,
no access rule, no audit record, no validation). helseportal's goal is to read at ≥ 0.7× this.

    granian --interface asgi bench.fhir.reference:app     (bench/fhir/__main__.py starts it)

Routes, under /fhir/R4/: `Observation/<id>`, `Observation?subject=Patient/<pk>&_count=&_sort=-date[&_include=
Observation:subject][&_cursor=]`, `POST Observation`, and `POST /` with a transaction Bundle of Observation creates
(all inserted in one database transaction).
"""

import os
from typing import Any

import orjson
import psycopg
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bench.fhir import store
from bench.fhir.pool import pool

FHIR_JSON = "application/fhir+json"
BASE = "/fhir/R4"
UNIT = int(os.environ.get("BENCH_FHIR_UNIT", "0"))  # the source unit new rows are stored under


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(orjson.dumps(body), status_code=status, media_type=FHIR_JSON, headers=headers)


def _outcome(status: int, code: str, text: str) -> Response:
    issue = {"severity": "error", "code": code, "diagnostics": text}
    return _json({"resourceType": "OperationOutcome", "issue": [issue]}, status)


READ = store.read_sql()
INSERT = store.insert_sql()


async def read(request: Request) -> Response:
    logical_id = request.path_params["id"]
    key = logical_id.removeprefix(store.LAYOUT.id_prefix)
    if not key.isdigit():
        return _outcome(404, "not-found", "Observation/" + logical_id)
    async with pool().connection() as conn:
        row = await (await conn.execute(READ, (int(key),))).fetchone()
    if row is None:
        return _outcome(404, "not-found", "Observation/" + logical_id)
    resource = store.read(row)
    return _json(resource, headers={"ETag": f'W/"{resource["meta"]["versionId"]}"'})


async def search(request: Request) -> Response:
    query = request.query_params
    subject = query.get("subject", "").removeprefix("Patient/")
    if not subject.isdigit():
        return _outcome(400, "required", "subject=Patient/<id> is required here")
    count = min(int(query.get("_count") or 20), 100)
    include = query.get("_include") == "Observation:subject"
    after = store.parse_cursor(query["_cursor"]) if "_cursor" in query else None
    async with pool().connection() as conn:
        person = await (await conn.execute(store.PATIENT_SQL, (int(subject),))).fetchone()
        sql = store.search_sql(after=after is not None)
        params = (int(subject), *(after or ()), count + 1)
        rows = await (await conn.execute(sql, params)).fetchall() if person else []
    url = f"{request.url.scheme}://{request.url.netloc}{BASE}"
    reference = store.subject(*person[:4]) if person else {}
    entries = [
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
    bundle: dict[str, Any] = {"resourceType": "Bundle", "type": "searchset", "link": [], "entry": entries}
    bundle["link"].append({"relation": "self", "url": str(request.url)})
    if len(rows) > count:
        last = rows[count - 1]
        nxt = f"{url}/Observation?subject=Patient/{subject}&_count={count}&_sort=-date"
        nxt += ("&_include=Observation:subject" if include else "") + f"&_cursor={store.cursor(last[4], last[0])}"
        bundle["link"].append({"relation": "next", "url": nxt})
    return _json(bundle)


async def create(request: Request) -> Response:
    body = await request.body()
    try:
        resource = orjson.loads(body)
        incoming = store.Incoming.of(resource)
    except (ValueError, KeyError, TypeError, IndexError) as error:
        return _outcome(400, "invalid", str(error))
    async with pool().connection() as conn:
        row = await (await conn.execute(INSERT, incoming.params(UNIT, body.decode()))).fetchone()
    assert row is not None
    created = store.observation((row[0], resource, row[1], row[2]), resource["subject"])
    location = f"{BASE}/Observation/{created['id']}/_history/{row[1]}"
    return _json(created, 201, {"Location": location, "ETag": f'W/"{row[1]}"'})


async def transaction(request: Request) -> Response:
    """A transaction Bundle of Observation creates: all rows in one database transaction, or none."""
    try:
        bundle = orjson.loads(await request.body())
        if bundle.get("resourceType") != "Bundle" or bundle.get("type") != "transaction":
            raise ValueError("a transaction Bundle is expected")
        resources = [entry["resource"] for entry in bundle["entry"]]
        params = [store.Incoming.of(r).params(UNIT, orjson.dumps(r).decode()) for r in resources]
    except (ValueError, KeyError, TypeError, IndexError) as error:
        return _outcome(400, "invalid", str(error))
    try:
        async with pool().connection() as conn, conn.transaction(), conn.cursor() as cur:
            await cur.executemany(INSERT, params, returning=True)
            rows = []
            while True:
                rows.append(await cur.fetchone())
                if not cur.nextset():
                    break
    except psycopg.Error as error:  # the bench prints the answer: say which statement failed, not a bare 500
        return _outcome(500, "exception", f"{type(error).__name__}: {error}")
    entries = [
        {"response": {"status": "201 Created", "location": f"Observation/{row[0]}/_history/{row[1]}"}}
        for row in rows
        if row is not None
    ]
    return _json({"resourceType": "Bundle", "type": "transaction-response", "entry": entries})


app = Starlette(
    routes=[
        Route(f"{BASE}/Observation/{{id}}", read, methods=["GET"]),
        Route(f"{BASE}/Observation", search, methods=["GET"]),
        Route(f"{BASE}/Observation", create, methods=["POST"]),
        Route(f"{BASE}/", transaction, methods=["POST"]),
    ]
)
