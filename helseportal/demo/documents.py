"""Pasientjournal's demo data (issue 11, item 4): writes the transaction Bundles
`data/records/<orgnr>/documents-*.json`.

Run once when the demo documents change
(`uv run helseportal shell -c "from helseportal.demo.documents import write; write()"`), and commit the Bundles: the
demo loads them as every other record file (`demo/records.py`), so `make run` needs no WeasyPrint run. Kari's
epicrisis from Oslo sykehus is a real PDF laid out by WeasyPrint (`helseportal.pdf.layout`, the same path as the
portal's own PDFs), sent inline as base64; the others are plain text. The hospital also sends its access log of the
epicrisis (three `AuditEvent`s naming it by its identifier). Nora's note from the GP carries *vergeinnsynsreservasjon*.

Everything here is synthetic: invented people, units' demo names, no clinical claim.
"""

import base64
import json
import uuid
from pathlib import Path
from typing import Any

from helseportal.core.ids import FNR_SYSTEM
from helseportal.demo import personas
from helseportal.records.extract import GUARDIAN_RESERVATION, SOURCE_IDENTIFIER_EXTENSION

DATA = Path(__file__).resolve().parent / "data" / "records"
NAMESPACE = uuid.UUID("4f0c7a52-5d1e-4b8f-9c11-2a7d2f1c9e01")  # ours: stable ids for the demo documents
URI = "urn:ietf:rfc:3986"
LOINC = "http://loinc.org"
SYNTHETIC = "Syntetiske demodata for helseportal, ikke et ekte journaldokument."
EPICRISIS_HTML = """<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>Epikrise</title></head><body>
<h1>Epikrise</h1>
<p><strong>Oslo sykehus, ortopedisk avdeling</strong>. Syntetiske demodata for helseportal: ikke en ekte pasient.</p>
<h2>Pasient</h2><p>Kari Nordmann</p>
<h2>Innlagt</h2><p>16.03.2026 til 18.03.2026</p>
<h2>Årsak til innleggelse</h2><p>Smerter i høyre kne etter fall på ski. Planlagt artroskopi.</p>
<h2>Forløp</h2><p>Artroskopi av høyre kne 17.03.2026 uten komplikasjoner. Mobilisert med krykker første dag.</p>
<h2>Videre oppfølging</h2><p>Kontroll hos fastlegen om to uker. Fysioterapi etter henvisning.</p>
<p>Lege Ida Berg, overlege</p>
</body></html>"""


def key(*parts: str) -> str:
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, '/'.join(parts))}"


def patient(pid: str) -> dict[str, Any]:
    return {"identifier": {"system": FNR_SYSTEM, "value": pid}}


def document(
    name: str,
    pid: str,
    *,
    title: str,
    kind: str,
    code: str,
    date: str,
    author: str,
    unit: str,
    data: bytes,
    content_type: str,
    reserved: bool = False,
) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "DocumentReference",
        "identifier": [{"system": URI, "value": key("document", name)}],
        "status": "current",
        "type": {"coding": [{"system": LOINC, "code": code, "display": kind}], "text": kind},
        "subject": patient(pid),
        "date": date,
        "author": [{"display": author}],
        "custodian": {"display": unit},
        "description": f"{title}. {SYNTHETIC}",
        "content": [
            {
                "attachment": {
                    "contentType": content_type,
                    "language": "nb",
                    "data": base64.b64encode(data).decode("ascii"),
                    "title": title,
                    "creation": date,
                }
            }
        ],
    }
    if reserved:
        resource["meta"] = {"security": [dict(GUARDIAN_RESERVATION)]}
    return resource


def access_event(
    name: str, pid: str, document_name: str, *, when: str, who: str, role: str, where: str
) -> dict[str, Any]:
    return {
        "resourceType": "AuditEvent",
        "extension": [
            {"url": SOURCE_IDENTIFIER_EXTENSION, "valueIdentifier": {"system": URI, "value": key("event", name)}}
        ],
        "type": {
            "system": "http://terminology.hl7.org/CodeSystem/audit-event-type",
            "code": "rest",
            "display": "RESTful Operation",
        },
        "action": "R",
        "recorded": when,
        "outcome": "0",
        "agent": [
            {"who": {"display": who}, "role": [{"text": role}], "requestor": True, "location": {"display": where}}
        ],
        "source": {"site": "Oslo sykehus", "observer": {"display": "Oslo sykehus, journalsystem (demo)"}},
        "entity": [
            {"what": patient(pid)},
            {
                "what": {
                    "type": "DocumentReference",
                    "identifier": {"system": URI, "value": key("document", document_name)},
                }
            },
        ],
    }


def bundle(resources: list[dict[str, Any]]) -> dict[str, Any]:
    entries = []
    for resource in resources:
        identifier = resource.get("identifier", [None])[0] or resource["extension"][0]["valueIdentifier"]
        entries.append(
            {
                "fullUrl": key("entry", identifier["value"]),
                "resource": resource,
                "request": {
                    "method": "POST",
                    "url": resource["resourceType"],
                    "ifNoneExist": f"identifier={identifier['system']}|{identifier['value']}",
                },
            }
        )
    return {"resourceType": "Bundle", "type": "transaction", "entry": entries}


def epicrisis_pdf() -> bytes:
    from helseportal.pdf import layout  # WeasyPrint, only when the files are written

    return layout(EPICRISIS_HTML)


def bundles() -> dict[str, dict[str, Any]]:
    kari, ola, nora = personas.KARI.pid, personas.OLA.pid, personas.NORA.pid
    hospital, gp = personas.HOSPITAL, personas.MAJORSTUEN_GP
    text = "text/plain"
    epicrisis = document(
        "kari-epicrisis",
        kari,
        title="Epikrise etter artroskopi av høyre kne",
        kind="Epikrise",
        code="18842-5",
        date="2026-03-18T14:05:00+01:00",
        author="Lege Ida Berg, ortopedisk avdeling",
        unit=hospital.name,
        data=epicrisis_pdf(),
        content_type="application/pdf",
    )
    reads = [
        ("kari-epicrisis-read-1", "2026-03-18T14:10:00+01:00", "Ida Berg", "Lege", "Oslo sykehus, ortopedisk avdeling"),
        (
            "kari-epicrisis-read-2",
            "2026-03-20T09:32:00+01:00",
            "Jonas Lie",
            "Fysioterapeut",
            "Oslo sykehus, fysioterapi",
        ),
        (
            "kari-epicrisis-read-3",
            "2026-04-02T11:47:00+02:00",
            "Sara Khan",
            "Sykepleier",
            "Oslo sykehus, ortopedisk poliklinikk",
        ),
    ]
    events = [
        access_event(name, kari, "kari-epicrisis", when=when, who=who, role=role, where=where)
        for name, when, who, role, where in reads
    ]
    gp_note = document(
        "kari-gp-note",
        kari,
        title="Notat fra konsultasjon",
        kind="Journalnotat",
        code="11506-3",
        date="2026-05-04T10:20:00+02:00",
        author="Fastlege Lars Bakken",
        unit=gp.name,
        content_type=text,
        data=(
            "Konsultasjon 4. mai 2026.\n\nKontroll etter artroskopi av høyre kne. God bevegelighet, lite hevelse. "
            "Fortsetter med fysioterapi.\n\n" + SYNTHETIC + "\n"
        ).encode(),
    )
    ola_note = document(
        "ola-note",
        ola,
        title="Notat fra barnepoliklinikken",
        kind="Journalnotat",
        code="11506-3",
        date="2026-02-10T13:00:00+01:00",
        author="Lege Per Aas, barnepoliklinikken",
        unit=hospital.name,
        content_type=text,
        data=(
            "Ola kom til kontroll for tung pust ved anstrengelse. Lungefunksjon normal.\n\n" + SYNTHETIC + "\n"
        ).encode(),
    )
    nora_note = document(
        "nora-note",
        nora,
        title="Samtale på legekontoret",
        kind="Journalnotat",
        code="11506-3",
        date="2026-04-22T15:30:00+02:00",
        author="Fastlege Lars Bakken",
        unit=gp.name,
        content_type=text,
        reserved=True,
        data=(
            "Samtale etter ønske fra pasienten. Skjermet for foreldre (vergeinnsynsreservasjon).\n\n" + SYNTHETIC + "\n"
        ).encode(),
    )
    return {
        f"{hospital.orgnr}/documents-kari.json": bundle([epicrisis, *events]),
        f"{hospital.orgnr}/documents-ola.json": bundle([ola_note]),
        f"{gp.orgnr}/documents-kari.json": bundle([gp_note]),
        f"{gp.orgnr}/documents-nora.json": bundle([nora_note]),
    }


def write(folder: Path = DATA) -> list[Path]:
    written = []
    for name, found in bundles().items():
        path = folder / name
        path.write_text(json.dumps(found, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        written.append(path)
    return written
