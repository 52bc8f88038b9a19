"""Who reaches whom through the FHIR API, with real bearer tokens (issue 10, "What it must show"): a system client of
one organisation cannot read or infer another organisation's patients, nor another organisation's rows of a patient
they share (404, and no difference through `_include`, `_total`, `$everything`, history or an error text); a
citizen's app with `patient/*.rs` sees only its patient, a parent's app never the youth service; a token without
the scope gets 403, no token or an expired one 401.

The demo, once for the module: Kari's GP times, the answered request and her thread at Kirkeveien legesenter (the
GP office); her pregnancy card, shared with Frogner helsestasjon (the health station) as a unit; Nora's youth
request at the school health service, and Kari's requests for Nora and for Ola at the GP office; a result the
health station's record system sent for Per. Three record systems (the GP office's, the school health service's,
the health station's) and one citizen's app are registered as `helseportal fhir-client add` registers them.
"""

import datetime
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import pytest
import time_machine
from django.db import transaction
from django.test import Client as Browser
from joserfc.jwk import RSAKey

from helseportal.access import sharing
from helseportal.access.models import AuditEvent, Outcome
from helseportal.appointments import services as appointments
from helseportal.appointments.models import Appointment, AppointmentRequest, AppointmentStatus
from helseportal.core.actor import Actor, Assurance, Role
from helseportal.core.ids import FNR_SYSTEM, HPR_SYSTEM
from helseportal.core.time import today
from helseportal.demo import actors, personas
from helseportal.demo.appointments import load_appointments
from helseportal.demo.loader import load_demo
from helseportal.demo.messaging import load_messaging
from helseportal.demo.pregnancy import load_pregnancy
from helseportal.identity.models import Person
from helseportal.messaging.models import Message
from helseportal.organisations.models import Unit
from helseportal.pregnancy.models import Pregnancy
from helseportal.records import services as records
from helseportal.records.models import Record
from helseportal.smart.models import Client
from tests.fhir_tokens import app_token, fhir, register_app, register_system, signing_key, system_token

BASE = "/fhir/R4"
MISSING = "987654321"  # a key no row has (the module's rows are few)
UNKNOWN_FNR = "01819010001"  # a valid synthetic fødselsnummer nobody in the demo has
READ_ALL = "system/*.rs"
GP, SHT, STATION = "gp", "sht", "station"


@dataclass(frozen=True)
class System:
    client: Client
    key: RSAKey


@dataclass(frozen=True)
class World:
    kari: Person
    ola: Person
    nora: Person
    per: Person
    karis_time: Appointment  # her upcoming GP time
    youth_request: AppointmentRequest  # Nora's, at the school health service, by the youth path
    noras_gp_request: AppointmentRequest  # Kari asked the GP office for Nora
    olas_gp_request: AppointmentRequest  # Kari asked the GP office for Ola
    karis_message: Message  # her first message to the GP office
    pregnancy: Pregnancy  # her card, shared with the health station
    grant: int  # the sharing grant (Consent) to the health station
    pers_result: Record  # the health station's record system sent it
    systems: dict[str, System]
    app: Client  # the citizen's app ("Helseappen")
    app_tokens: dict[str, str]  # "kari", "kari-for-ola", "kari-for-nora": a citizen's app's access token (1 hour)


# --- The data, once for the module ----------------------------------------------------------------------------------


def _unit(persona: personas.UnitPersona) -> Unit:
    return Unit.objects.get(orgnr=persona.orgnr)


def _result_for_per(station: Unit, client_id: str) -> Record:
    """A haemoglobin result as the health station's record system sends it (the shape of the specification's
    observation-example-haemoglobin; not a clinical claim)."""
    sender = Actor(
        role=Role.SYSTEM, assurance=Assurance.HIGH, client_id=client_id, unit_id=station.pk, scopes=frozenset()
    )
    resource = _haemoglobin("urn:uuid:7f1c1f9e-3b1a-4c53-9d3a-2b1e5f0c9a01", personas.PER.pid, "2026-06-01")
    return Record.objects.get(pk=records.receive(sender, resource).row.pk)


def _haemoglobin(uuid: str, pid: str, day: str) -> dict[str, Any]:
    """The shape of the specification's observation-example-haemoglobin, for the patient with number `pid`."""
    return {
        "resourceType": "Observation",
        "identifier": [{"system": "urn:ietf:rfc:3986", "value": uuid}],
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "718-7"}]},
        "subject": {"identifier": {"system": FNR_SYSTEM, "value": pid}},
        "effectiveDateTime": f"{day}T08:30:00+02:00",
        "valueQuantity": {"value": 7.2, "unit": "g/dl", "system": "http://unitsofmeasure.org", "code": "g/dL"},
    }


def _build() -> World:
    load_demo()
    load_pregnancy()
    load_appointments()
    load_messaging()
    kari, ola, nora, per = (
        Person.objects.get(pid=p.pid) for p in (personas.KARI, personas.OLA, personas.NORA, personas.PER)
    )
    gp, sht, station = _unit(personas.MAJORSTUEN_GP), _unit(personas.SHT_OSLO), _unit(personas.HEALTH_STATION)
    mother = actors.citizen(personas.KARI)
    grant = sharing.share_with_unit(
        mother,
        area="pregnancy",
        unit_id=station.pk,
        permission="read",
        valid_to=today() + datetime.timedelta(days=120),
    )
    nora_youth = replace(actors.citizen(personas.NORA, Assurance.SUBSTANTIAL), role=Role.YOUTH)
    youth_request = appointments.request_appointment(
        nora_youth, unit_id=sht.pk, meeting_form="physical", phone="91234567", via_youth_service=True
    )
    noras_gp_request = appointments.request_appointment(
        mother.acting_for(nora.pk, Role.PARENT), unit_id=gp.pk, meeting_form="phone", phone="91234567"
    )
    olas_gp_request = appointments.request_appointment(
        mother.acting_for(ola.pk, Role.PARENT), unit_id=gp.pk, meeting_form="phone", phone="91234567"
    )
    systems = {}
    for name, unit in ((GP, gp), (SHT, sht), (STATION, station)):
        key = signing_key()
        systems[name] = System(register_system(f"EPJ {unit.name}", unit.orgnr, key), key)
    app = register_app("Helseappen")
    browser = Browser()
    app_tokens = {
        "kari": app_token(browser, app, mother, kari.pk),
        "kari-for-ola": app_token(browser, app, mother, ola.pk),
        "kari-for-nora": app_token(browser, app, mother, nora.pk),
    }
    return World(
        kari=kari,
        ola=ola,
        nora=nora,
        per=per,
        karis_time=Appointment.objects.get(person=kari, unit=gp, status=AppointmentStatus.BOOKED),
        youth_request=youth_request,
        noras_gp_request=noras_gp_request,
        olas_gp_request=olas_gp_request,
        karis_message=Message.objects.filter(person=kari).earliest("pk"),
        pregnancy=Pregnancy.objects.get(person=kari),
        grant=grant.pk,
        pers_result=_result_for_per(station, systems[STATION].client.client_id),
        systems=systems,
        app=app,
        app_tokens=app_tokens,
    )


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """Built once inside a transaction rolled back after the module; each test runs in a savepoint inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build()
        transaction.set_rollback(True)


@pytest.fixture
def w(world: World, db: None) -> World:
    return world


# --- Calling the API ------------------------------------------------------------------------------------------------


def token(w: World, system: str, scope: str = READ_ALL) -> str:
    """A fresh token of a record system (a system's token lives 5 minutes: each test asks for its own)."""
    return system_token(Browser(), w.systems[system].client, w.systems[system].key, scope)


def get(path: str, bearer: str, **headers: str) -> Any:
    return fhir(Browser(), f"{BASE}/{path}", bearer, **headers)


def ok(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, (response.status_code, response.content[:1000])
    return dict(response.json())


def pages(path: str, bearer: str) -> list[dict[str, Any]]:
    """Every entry's resource of a search or `$everything`, following the `next` links."""
    found: list[dict[str, Any]] = []
    url: str | None = f"{BASE}/{path}"
    while url is not None:
        bundle = ok(fhir(Browser(), url, bearer))
        found += [entry["resource"] for entry in bundle.get("entry", [])]
        url = next((link["url"] for link in bundle.get("link", []) if link["relation"] == "next"), None)
        url = url.removeprefix("https://testserver") if url else None
    return found


def ids(resources: list[dict[str, Any]]) -> set[str]:
    return {f"{r['resourceType']}/{r['id']}" for r in resources}


def patients_named(resources: Any) -> set[str]:
    """Every `Patient/<key>` any reference in the resources names, however deep."""
    return set(re.findall(r'"reference": "(Patient/[0-9]+)"', json.dumps(resources)))


def same_404(foreign: Any, missing: Any) -> None:
    """A row out of the caller's reach answers exactly as a row that never existed: status, headers, bytes."""
    assert foreign.status_code == missing.status_code == 404, (foreign.status_code, missing.status_code)
    assert foreign.content == missing.content
    # Each answer carries its own request id (core/edge.py); every other header is the same.
    assert dict(foreign.headers) | {"X-Request-ID": ""} == dict(missing.headers) | {"X-Request-ID": ""}
    body = missing.json()
    assert body["resourceType"] == "OperationOutcome"
    assert body["issue"][0]["code"] == "not-found"


def search_without_self(response: Any) -> dict[str, Any]:
    """A searchset Bundle without its `self` link (which repeats the query) and its `timestamp` (the moment it was
    made, to the second); the rest must not differ."""
    body = ok(response)
    assert body.pop("timestamp")
    body["link"] = [link for link in body.get("link", []) if link["relation"] != "self"]
    return body


# --- A system client of another unit ---------------------------------------------------------------------------------


def test_another_units_patient_and_rows_are_a_404_byte_for_byte_like_a_missing_id(w: World):
    school = token(w, SHT)
    kari = w.kari.pk
    foreign_and_missing = [
        (f"Patient/{kari}", f"Patient/{MISSING}"),
        (f"Patient/{kari}/$everything", f"Patient/{MISSING}/$everything"),
        (f"Patient/{kari}/_history", f"Patient/{MISSING}/_history"),
        (f"Patient/{kari}/_history/1", f"Patient/{MISSING}/_history/1"),
        (f"Patient/{w.per.pk}", f"Patient/{MISSING}"),
        (f"Appointment/{w.karis_time.pk}", f"Appointment/{MISSING}"),
        (f"Appointment/{w.karis_time.pk}/_history", f"Appointment/{MISSING}/_history"),
        # Nora is the school health service's patient too, but the GP office's rows of her are not its business.
        (f"Appointment/request-{w.noras_gp_request.pk}", f"Appointment/request-{MISSING}"),
        (f"Communication/{w.karis_message.pk}", f"Communication/{MISSING}"),
        (f"EpisodeOfCare/{w.pregnancy.pk}", f"EpisodeOfCare/{MISSING}"),
        (f"Consent/{w.grant}", f"Consent/{MISSING}"),
        (f"Observation/{w.pers_result.pk}", f"Observation/{MISSING}"),
    ]
    for foreign, missing in foreign_and_missing:
        same_404(get(foreign, school), get(missing, school))

    gp = token(w, GP)
    # Nora is the GP office's patient (Kari asked it for a time for her), but her youth request is not its business;
    # Kari is its patient, but her pregnancy card is shared with the health station only.
    for foreign, missing in [
        (f"Appointment/request-{w.youth_request.pk}", f"Appointment/request-{MISSING}"),
        (f"EpisodeOfCare/{w.pregnancy.pk}", f"EpisodeOfCare/{MISSING}"),
        (f"Consent/{w.grant}", f"Consent/{MISSING}"),
        (f"Observation/{w.pers_result.pk}", f"Observation/{MISSING}"),
        (f"Patient/{w.per.pk}/$everything", f"Patient/{MISSING}/$everything"),
    ]:
        same_404(get(foreign, gp), get(missing, gp))
    # What each reaches is there: the 404s above are about reach, not about the rows.
    assert ok(get(f"Appointment/request-{w.noras_gp_request.pk}", gp))["status"] == "proposed"
    assert ok(get(f"Appointment/request-{w.youth_request.pk}", school))["status"] == "proposed"
    assert ok(get(f"EpisodeOfCare/{w.pregnancy.pk}", token(w, STATION)))["patient"]["reference"] == f"Patient/{kari}"


def test_a_refused_row_is_audited_for_its_person_and_a_missing_one_writes_nothing(w: World):
    """House rule 3: denials are audited too. The answer is the missing row's 404; the person sees on her log page
    that the unit's system asked for her data and was refused."""
    school = token(w, SHT)
    client_id = w.systems[SHT].client.client_id
    refused = AuditEvent.objects.filter(actor_client_id=client_id, outcome=Outcome.DENIED)
    before = refused.count()
    same_404(get(f"Patient/{w.kari.pk}", school), get(f"Patient/{MISSING}", school))
    same_404(get(f"Observation/{w.pers_result.pk}", school), get(f"Observation/{MISSING}", school))
    new = refused.order_by("pk")[before:]
    assert [(e.action, e.subject_id, e.resources) for e in new] == [
        ("api:account:denied", w.kari.pk, [f"Patient/{w.kari.pk}"]),
        ("api:results:denied", w.per.pk, [f"Observation/{w.pers_result.pk}"]),
    ]


def test_a_foreign_row_is_a_404_for_an_update_too_and_its_history_lists_nothing(w: World):
    gp = token(w, GP, "system/Appointment.cruds system/Patient.rs")
    start = datetime.datetime.now(datetime.UTC).replace(microsecond=0) + datetime.timedelta(days=20)
    booking = {
        "resourceType": "Appointment",
        "identifier": [{"system": "urn:oid:2.16.578.1.12.4.1.1.9999", "value": "isolation-1"}],
        "status": "booked",
        "start": start.isoformat(),
        "end": (start + datetime.timedelta(minutes=20)).isoformat(),
        "participant": [
            {"actor": {"identifier": {"system": FNR_SYSTEM, "value": personas.KARI.pid}}, "status": "accepted"},
            {"actor": {"identifier": {"system": HPR_SYSTEM, "value": personas.LARS.hpr_number}}, "status": "accepted"},
        ],
    }
    browser = Browser()
    headers = {"Authorization": f"Bearer {gp}", "Accept": "application/fhir+json"}
    made = browser.post(
        f"{BASE}/Appointment", json.dumps(booking), content_type="application/fhir+json", headers=headers, secure=True
    )
    assert made.status_code == 201, made.content
    new = made.json()["id"]

    school = token(w, SHT, "system/Appointment.cruds system/Patient.rs")
    for path in (f"{new}/_history", f"{new}/_history/1", new):
        same_404(get(f"Appointment/{path}", school), get(f"Appointment/{path.replace(new, MISSING)}", school))
    assert pages("Appointment/_history", school) == []
    assert new in {r["id"] for r in pages("Appointment/_history", gp)}

    def put(target: str) -> Any:
        sent = json.dumps(booking | {"id": target, "status": "cancelled"})
        school_headers = {"Authorization": f"Bearer {school}", "Accept": "application/fhir+json"}
        path = f"{BASE}/Appointment/{target}"
        return Browser().put(path, sent, content_type="application/fhir+json", headers=school_headers, secure=True)

    same_404(put(new), put(MISSING))
    same_404(put(str(w.karis_time.pk)), put(MISSING))
    assert Appointment.objects.get(pk=new).status == AppointmentStatus.BOOKED


def test_a_write_naming_another_units_patient_by_our_key_is_refused_like_one_naming_nobody(w: World):
    """Our keys are ours: a record that names a person by `Patient/<key>` the client does not reach is refused in
    exactly the words a key nobody has gets, so a writer cannot probe which keys are people (by fødselsnummer a
    source may name anyone: that is how a lab or an EPJ names its patient)."""
    school = token(w, SHT, "system/Appointment.cruds system/Observation.cruds")
    start = datetime.datetime.now(datetime.UTC).replace(microsecond=0) + datetime.timedelta(days=21)

    def booking(patient: str) -> dict[str, Any]:
        return {
            "resourceType": "Appointment",
            "identifier": [{"system": "urn:oid:2.16.578.1.12.4.1.1.9998", "value": f"probe-{patient}"}],
            "status": "booked",
            "start": start.isoformat(),
            "end": (start + datetime.timedelta(minutes=20)).isoformat(),
            "participant": [
                {"actor": {"reference": patient}, "status": "accepted"},
                {
                    "actor": {"identifier": {"system": HPR_SYSTEM, "value": personas.INGRID.hpr_number}},
                    "status": "accepted",
                },
            ],
        }

    def result(patient: str) -> dict[str, Any]:
        return {
            "resourceType": "Observation",
            "identifier": [{"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:probe-{patient}"}],
            "status": "final",
            "code": {"coding": [{"system": "http://loinc.org", "code": "718-7"}]},
            "subject": {"reference": patient},
        }

    for make, kind in ((booking, "Appointment"), (result, "Observation")):
        answers = []
        for patient in (f"Patient/{w.kari.pk}", f"Patient/{MISSING}"):
            headers = {"Authorization": f"Bearer {school}", "Accept": "application/fhir+json"}
            answers.append(
                Browser().post(
                    f"{BASE}/{kind}",
                    json.dumps(make(patient)),
                    content_type="application/fhir+json",
                    headers=headers,
                    secure=True,
                )
            )
        kari, nobody = answers
        assert 400 <= kari.status_code < 500, (kind, kari.status_code, kari.content)
        assert (kari.status_code, kari.content) == (nobody.status_code, nobody.content), kind
        assert kari.json()["resourceType"] == "OperationOutcome"


def test_a_search_by_a_foreign_patient_looks_like_one_by_a_person_who_does_not_exist(w: World):
    school = token(w, SHT)
    for total in ("", "&_total=accurate", "&_total=estimate"):
        karis = search_without_self(get(f"Patient?identifier={FNR_SYSTEM}|{personas.KARI.pid}{total}", school))
        nobodys = search_without_self(get(f"Patient?identifier={FNR_SYSTEM}|{UNKNOWN_FNR}{total}", school))
        assert karis == nobodys
        assert not karis.get("entry")
        assert karis.get("total", 0) == 0
        assert ("total" in karis) == bool(total)  # `_total` is off unless asked for
        for search in ("Appointment?patient={}", "Communication?patient={}", "Observation?subject={}"):
            hers = search_without_self(get(search.format(w.kari.pk) + total, school))
            none = search_without_self(get(search.format(MISSING) + total, school))
            assert hers == none, search
            assert not hers.get("entry")

    for foreign, missing in [
        (f"Patient?_id={w.kari.pk}&_total=accurate", f"Patient?_id={MISSING}&_total=accurate"),
        (f"Patient?identifier={personas.KARI.pid}", f"Patient?identifier={UNKNOWN_FNR}"),  # any system
        (
            f"Patient?birthdate={w.kari.birth_date}&identifier={personas.KARI.pid}",
            f"Patient?birthdate=1901-01-01&identifier={UNKNOWN_FNR}",
        ),
        (
            f"Appointment?patient:identifier={FNR_SYSTEM}|{personas.KARI.pid}&_total=accurate",
            f"Appointment?patient:identifier={FNR_SYSTEM}|{UNKNOWN_FNR}&_total=accurate",
        ),
    ]:
        assert search_without_self(get(foreign, school)) == search_without_self(get(missing, school)), foreign
    # A record system looks a patient up by number or id, it does not list the population: a search by a name all
    # three share is refused as too costly, whoever it would find; with a number it finds the one the unit reaches.
    refused = get("Patient?family=Nordmann&_total=accurate", school)
    assert (refused.status_code, refused.json()["issue"][0]["code"]) == (400, "too-costly")
    assert get("Patient", school).status_code == 400
    nordmann = ok(get(f"Patient?family=Nordmann&identifier={personas.NORA.pid}&_total=accurate", school))
    assert (nordmann["total"], [e["resource"]["id"] for e in nordmann["entry"]]) == (1, [str(w.nora.pk)])

    # The GP office reaches Nora, and counts only its own row of her: her youth request is not in its total.
    gp = token(w, GP)
    noras = ok(get(f"Appointment?patient={w.nora.pk}&_total=accurate", gp))
    assert noras["total"] == 1
    assert [e["resource"]["id"] for e in noras["entry"]] == [f"request-{w.noras_gp_request.pk}"]
    school_sees = ok(get(f"Appointment?patient={w.nora.pk}&_total=accurate", school))
    assert [e["resource"]["id"] for e in school_sees["entry"]] == [f"request-{w.youth_request.pk}"]
    assert school_sees["total"] == 1


def test_include_brings_only_the_patients_the_client_reaches(w: World):
    school, gp = token(w, SHT), token(w, GP)
    mine = pages("Appointment?_include=Appointment:patient&_count=100", school)
    assert ids(mine) == {f"Appointment/request-{w.youth_request.pk}", f"Patient/{w.nora.pk}"}

    theirs = pages("Appointment?_include=Appointment:patient&_include=Appointment:practitioner&_count=100", gp)
    included = {r["id"] for r in theirs if r["resourceType"] == "Patient"}
    assert included == {str(w.kari.pk), str(w.nora.pk), str(w.ola.pk)}
    assert f"Appointment/request-{w.youth_request.pk}" not in ids(theirs)
    for r in theirs:
        if r["resourceType"] == "Appointment":
            [unit] = [s for s in r["supportingInformation"] if s.get("type") == "Organization"]
            assert unit["identifier"]["value"] == personas.MAJORSTUEN_GP.orgnr

    # Asked about Kari, the school health service gets what it gets for a patient who does not exist.
    about_kari = f"Appointment?patient={w.kari.pk}&_include=Appointment:patient&_total=accurate"
    about_nobody = f"Appointment?patient={MISSING}&_include=Appointment:patient&_total=accurate"
    assert search_without_self(get(about_kari, school)) == search_without_self(get(about_nobody, school))
    # The results the health station sent for Per never bring him to the GP office.
    assert pages("Observation?_include=Observation:subject&_count=100", gp) == []
    # Without a Patient scope, `_include` includes no Patient at all.
    appointments_only = token(w, GP, "system/Appointment.rs")
    assert {r["resourceType"] for r in pages("Appointment?_include=Appointment:patient", appointments_only)} == {
        "Appointment"
    }


def test_everything_gives_a_unit_only_its_own_rows_and_what_is_shared_with_it(w: World):
    kari = f"Patient/{w.kari.pk}"
    at_gp = pages(f"{kari}/$everything", token(w, GP))
    assert {r["resourceType"] for r in at_gp} == {"Appointment", "Communication", "Patient"}
    assert patients_named(at_gp) == {kari}
    assert f"Appointment/{w.karis_time.pk}" in ids(at_gp)
    assert f"Communication/{w.karis_message.pk}" in ids(at_gp)

    at_station = pages(f"{kari}/$everything", token(w, STATION))
    kinds = {r["resourceType"] for r in at_station}
    assert {"EpisodeOfCare", "Observation", "Consent", "Patient"} <= kinds
    assert not kinds & {"Appointment", "Communication"}
    assert patients_named(at_station) == {kari}

    noras = pages(f"Patient/{w.nora.pk}/$everything", token(w, GP))
    assert ids(noras) == {f"Appointment/request-{w.noras_gp_request.pk}", f"Patient/{w.nora.pk}"}


# --- Citizens' apps -------------------------------------------------------------------------------------------------


def test_her_app_sees_only_her(w: World):
    app = w.app_tokens["kari"]
    kari = f"Patient/{w.kari.pk}"
    assert ids(pages("Patient", app)) == {kari}
    for search in ("Appointment", "Communication", "Observation?_count=100", "EpisodeOfCare", "Consent"):
        found = pages(search, app)
        assert found, search
        assert patients_named(found) == {kari}, search
    everything = pages(f"{kari}/$everything", app)
    assert patients_named(everything) == {kari}
    assert {"Appointment", "Communication", "Observation", "EpisodeOfCare", "Patient"} <= {
        r["resourceType"] for r in everything
    }
    assert not ok(get(f"Patient?identifier={FNR_SYSTEM}|{personas.OLA.pid}", app)).get("entry")
    for other in (w.ola.pk, w.nora.pk, w.per.pk):
        same_404(get(f"Patient/{other}", app), get(f"Patient/{MISSING}", app))
        same_404(get(f"Patient/{other}/$everything", app), get(f"Patient/{MISSING}/$everything", app))
    same_404(get(f"Observation/{w.pers_result.pk}", app), get(f"Observation/{MISSING}", app))
    same_404(get(f"Appointment/request-{w.olas_gp_request.pk}", app), get(f"Appointment/request-{MISSING}", app))


def test_a_parents_app_for_ola_who_is_10_sees_ola_and_only_ola(w: World):
    app = w.app_tokens["kari-for-ola"]
    ola = f"Patient/{w.ola.pk}"
    assert ok(get(ola, app))["identifier"][0]["value"] == personas.OLA.pid
    assert ids(pages("Patient", app)) == {ola}
    assert ids(pages("Appointment", app)) == {f"Appointment/request-{w.olas_gp_request.pk}"}
    assert patients_named(pages(f"{ola}/$everything", app)) == {ola}
    same_404(get(f"Patient/{w.kari.pk}", app), get(f"Patient/{MISSING}", app))  # launched for Ola, not for her
    same_404(get(f"Appointment/{w.karis_time.pk}", app), get(f"Appointment/{MISSING}", app))


def test_a_parents_app_for_nora_never_sees_her_youth_request(w: World):
    """Nora (born 3 September 2011: 14 on the test clock) is in the 12–15 band: her parent's app reads her
    appointments, never the youth service's, and her log keeps no trace of the youth request."""
    app = w.app_tokens["kari-for-nora"]
    nora = f"Patient/{w.nora.pk}"
    assert ok(get(nora, app))["id"] == str(w.nora.pk)
    youth = f"Appointment/request-{w.youth_request.pk}"
    asked_by_kari = f"Appointment/request-{w.noras_gp_request.pk}"
    assert ids(pages("Appointment", app)) == {asked_by_kari}
    counted = ok(get(f"Appointment?patient={w.nora.pk}&_total=accurate", app))
    assert counted["total"] == 1
    everything = pages(f"{nora}/$everything", app)
    log = [r for r in everything if r["resourceType"] == "AuditEvent"]  # her log, as a parent may see it
    assert ids(everything) - ids(log) == {asked_by_kari, nora}
    log = pages(f"AuditEvent?patient={w.nora.pk}", app)  # her log as a parent may see it, $everything's read too
    assert log
    assert f"request-{w.youth_request.pk}" not in json.dumps(log)  # the youth request left no trace there
    assert personas.SHT_OSLO.orgnr not in json.dumps(log)
    same_404(get(youth, app), get(f"Appointment/request-{MISSING}", app))
    same_404(get(f"{youth}/_history", app), get(f"Appointment/request-{MISSING}/_history", app))


def test_noras_own_app_never_sees_her_youth_request_in_rows_or_in_her_log(w: World):
    """The youth services never go through an app, hers neither (`NEVER_THROUGH_AN_APP`): not the request, and
    not the log line that names it."""
    app = app_token(Browser(), w.app, actors.citizen(personas.NORA), w.nora.pk)
    assert f"request-{w.youth_request.pk}" not in json.dumps(pages("Appointment", app))
    log = json.dumps(pages("AuditEvent", app))
    assert f"AppointmentRequest/{w.noras_gp_request.pk}" in log  # her own log: what Kari asked the GP for her
    assert f"AppointmentRequest/{w.youth_request.pk}" not in log
    assert personas.SHT_OSLO.orgnr not in log


def test_a_result_corrected_to_another_patient_shows_his_app_nothing_of_the_first(w: World):
    station = token(w, STATION, "system/Observation.cruds")
    sent = _haemoglobin("urn:uuid:5d9b2f0e-9a3c-4a57-8f0e-3c2d1b4a6e77", personas.KARI.pid, "2026-06-02")
    headers = {"Authorization": f"Bearer {station}", "Accept": "application/fhir+json"}

    def post(resource: dict[str, Any]) -> Any:
        body = json.dumps(resource)
        return Browser().post(
            f"{BASE}/Observation", body, content_type="application/fhir+json", headers=headers, secure=True
        )

    first = post(sent)  # the laboratory's first sending names the wrong patient: Kari
    assert first.status_code == 201, first.content
    logical_id = first.json()["id"]
    corrected = post(sent | {"subject": {"identifier": {"system": FNR_SYSTEM, "value": personas.PER.pid}}})
    assert (corrected.status_code, corrected.json()["id"]) == (200, logical_id)  # the same result, now Per's

    pers_app = app_token(Browser(), w.app, actors.citizen(personas.PER), w.per.pk)
    assert ok(get(f"Observation/{logical_id}", pers_app))["subject"]["reference"] == f"Patient/{w.per.pk}"
    same_404(get(f"Patient/{w.kari.pk}", pers_app), get(f"Patient/{MISSING}", pers_app))
    history = [
        json.dumps(ok(get(f"Observation/{logical_id}/_history", pers_app))),
        json.dumps(ok(get("Observation/_history", pers_app))),
    ]
    for text in history:
        assert personas.KARI.pid not in text
        assert f"Patient/{w.kari.pk}" not in text
    same_404(get(f"Observation/{logical_id}/_history/1", pers_app), get(f"Observation/{MISSING}/_history/1", pers_app))


def test_a_modifier_on_a_parameter_the_domain_filters_itself_is_a_400(w: World):
    """records' and the card's `code`, `category` and `identifier` are filters of their own: `:missing` or `:not`
    on them is refused with an outcome, never a 500."""
    station = token(w, STATION)
    for query in ("code:missing=true", "category:missing=false", "identifier:not=x|y", "code:text=blood"):
        response = get(f"Observation?{query}", station)
        assert response.status_code == 400, query
        assert response.json()["resourceType"] == "OperationOutcome"


def test_a_client_that_may_only_create_reads_nothing_through_if_none_exist(w: World):
    """A conditional create answers with what it finds, so it is a search: without the search scope it is a 403,
    and nothing is read or made."""
    create_only = token(w, STATION, "system/Observation.c")
    headers = {"Authorization": f"Bearer {create_only}", "Accept": "application/fhir+json"}
    before = Record.objects.count()
    for criteria in (f"_id={w.pers_result.pk}", f"patient={w.kari.pk}"):
        found = Browser().post(
            f"{BASE}/Observation",
            json.dumps(_haemoglobin("urn:uuid:0b6c3c1e-58a4-4d5e-9a51-7a0c2a3d9e10", personas.PER.pid, "2026-06-03")),
            content_type="application/fhir+json",
            headers=headers | {"If-None-Exist": criteria},
            secure=True,
        )
        assert found.status_code == 403, criteria
        assert "valueQuantity" not in found.content.decode()
    assert Record.objects.count() == before


def test_a_measurement_of_a_shared_card_is_no_record_to_update_through_the_api(w: World):
    """The station reads Kari's card (shared with it); its measurements are hers and her midwife's, not the record
    system's: an update is a 405 with an outcome, never a crash in records' writer."""
    station = token(w, STATION, "system/Observation.cruds")
    card = [r for r in pages(f"Observation?patient={w.kari.pk}", station) if not r["id"].isdigit()]
    assert card
    measurement = card[0]
    response = Browser().put(
        f"{BASE}/Observation/{measurement['id']}",
        json.dumps({k: v for k, v in measurement.items() if k != "meta"}),
        content_type="application/fhir+json",
        headers={"Authorization": f"Bearer {station}", "Accept": "application/fhir+json"},
        secure=True,
    )
    assert (response.status_code, response.json()["issue"][0]["code"]) == (405, "not-supported")


# --- Tokens ---------------------------------------------------------------------------------------------------------


def test_a_token_without_the_scope_gets_403_whatever_the_id(w: World):
    patients_only = token(w, GP, "system/Patient.rs")
    existing = get(f"Appointment/{w.karis_time.pk}", patients_only)
    missing = get(f"Appointment/{MISSING}", patients_only)
    assert existing.status_code == missing.status_code == 403
    assert existing.content == missing.content  # a 403 says nothing of the row either
    outcome = existing.json()
    assert outcome["resourceType"] == "OperationOutcome"
    assert outcome["issue"][0]["code"] == "forbidden"
    assert get(f"Appointment?patient={w.kari.pk}", patients_only).status_code == 403
    assert get("Communication", patients_only).status_code == 403
    kari = ok(get(f"Patient/{w.kari.pk}", patients_only))
    assert (kari["id"], kari["birthDate"]) == (str(w.kari.pk), w.kari.birth_date.isoformat())
    assert "address" not in kari  # a record system learns who she is, never where she lives
    assert ids(pages(f"Patient/{w.kari.pk}/$everything", patients_only)) == {f"Patient/{w.kari.pk}"}
    assert ok(get(f"Patient/{w.kari.pk}", w.app_tokens["kari"]))["address"][0]["line"] == [w.kari.street_address]


def test_no_token_or_an_expired_one_is_a_401_that_says_which(w: World):
    path = f"Appointment/{w.karis_time.pk}"
    anonymous = get(path, "")
    assert anonymous.status_code == 401
    assert anonymous["WWW-Authenticate"].startswith("Bearer")
    assert "invalid_token" not in anonymous["WWW-Authenticate"]
    assert anonymous.json()["resourceType"] == "OperationOutcome"
    same_401 = get(f"Appointment/{MISSING}", "")
    assert (same_401.status_code, same_401.content) == (401, anonymous.content)

    gp = token(w, GP)
    assert ok(get(path, gp))["id"] == str(w.karis_time.pk)
    with time_machine.travel(datetime.timedelta(minutes=5, seconds=1)):
        expired = get(path, gp)
    assert expired.status_code == 401
    assert 'error="invalid_token"' in expired["WWW-Authenticate"]
    assert expired.json()["resourceType"] == "OperationOutcome"
    made_up = get(path, "not-a-token-we-issued")
    assert made_up.status_code == 401
    assert 'error="invalid_token"' in made_up["WWW-Authenticate"]
