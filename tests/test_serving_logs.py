"""The logs of a run hold no personal data and no secret (issue 14; CONTRIBUTING's rule: no personal data in logs).

A run of requests as the deployed portal logs them (JSON, every logger at DEBUG): the citizens' logins through the
identity provider, their pages, a practitioner's login and pages, a record system's and a citizen's app's FHIR calls
with bearer tokens, a search by fødselsnummer in the query string, and pages that fail. Then the whole log is searched
for every persona's fødselsnummer and name, and for every token and cookie value the run handed out.

`test_a_recorded_log_holds_no_personal_data` does the same for a log file another run wrote (`LOG_FILE`, JSON
lines), such as the browser suite's: `LOG_FILE=$PWD/var/test-browser.log make test-browser`, then this test.
"""

import json
import logging
import os
import re
from collections.abc import Iterable, Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.test import Client

from helseportal.core import logs
from helseportal.demo import actors, personas
from helseportal.demo.appointments import load_appointments
from helseportal.demo.loader import load_demo
from helseportal.demo.messaging import load_messaging
from helseportal.demo.pregnancy import load_pregnancy
from helseportal.identity.models import Person
from tests.fhir_tokens import app_token, fhir, register_app, register_system, signing_key, system_token
from tests.oidc_flow import (
    log_in,
    provider_over_wsgi,  # noqa: F401  (fixture)
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("provider_over_wsgi")]

RECORDED_LOG = Path(os.environ.get("HELSEPORTAL_CHECK_LOG", "var/test-browser.log"))
PERSONS = (*personas.CITIZENS, *personas.PRACTITIONERS)
CITIZEN_PAGES = ("/min-side/", "/gravid/", "/meldinger/", "/timeavtaler/", "/logg/", "/gravid/finnes-ikke/")
STAFF_PAGES = ("/helsepersonell/", "/helsepersonell/meldinger/")


def personal_data() -> list[re.Pattern[str]]:
    """Every persona's fødselsnummer, name and street address (names as whole words: "Per" is not in "Periode")."""
    found: list[re.Pattern[str]] = []
    for person in PERSONS:
        found.append(re.compile(re.escape(person.pid)))
        found += [re.compile(rf"\b{re.escape(name)}\b") for name in (person.given_name, person.family_name)]
    found += [re.compile(re.escape(person.street_address)) for person in personas.CITIZENS]
    return found


def leaks(text: str, secrets: Iterable[str]) -> list[str]:
    found = [pattern.pattern for pattern in personal_data() if pattern.search(text)]
    found += [f"a secret ({secret[:6]}…)" for secret in secrets if secret and secret in text]
    found += ["a bearer token"] if re.search(r"(?i)bearer\s+[A-Za-z0-9._~+/-]{12,}", text) else []
    return found


@pytest.fixture
def json_log() -> Iterator[StringIO]:
    out = StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(logs.JsonFormatter())
    handler.addFilter(logs.RequestIdFilter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield out
    root.removeHandler(handler)
    root.setLevel(level)


def citizens_run(secrets: list[str]) -> None:
    for persona in (personas.KARI, personas.NORA, personas.PER):
        browser = Client()
        log_in(browser, f"{persona.pid}:bankid")
        for path in CITIZEN_PAGES:
            browser.get(path)
        browser.get(f"/om/?fnr={persona.pid}&navn={persona.given_name}+{persona.family_name}")
        secrets += [browser.cookies[name].value for name in ("sessionid", "csrftoken") if name in browser.cookies]
        secrets.append(browser.session.get("id_token", ""))


def practitioners_run(secrets: list[str]) -> None:
    browser = Client()
    log_in(browser, f"{personas.METTE.hpr_number}:4", path="/login/helseid/")
    for path in STAFF_PAGES:
        browser.get(path)
    secrets += [browser.cookies[name].value for name in ("sessionid", "csrftoken") if name in browser.cookies]


def api_run(secrets: list[str]) -> None:
    browser = Client()
    key = signing_key()
    system = register_system("Legekontorets EPJ", personas.MAJORSTUEN_GP.orgnr, key)
    token = system_token(browser, system, key, "system/*.rs")
    kari = Person.objects.get(pid=personas.KARI.pid)
    fhir(browser, f"/fhir/R4/Patient?identifier=urn:oid:2.16.578.1.12.4.1.4.1|{personas.KARI.pid}", token)
    fhir(browser, f"/fhir/R4/Patient/{kari.pk}", token)
    fhir(browser, "/fhir/R4/Observation", "not-a-token-but-shaped-like-one")
    citizen = Client()
    mother = actors.citizen(personas.KARI)
    app_access = app_token(citizen, register_app("Helseappen"), mother, mother.own_person_id)
    fhir(citizen, f"/fhir/R4/Patient/{kari.pk}", app_access)
    secrets += [token, app_access]


def test_a_run_of_requests_logs_no_personal_data_and_no_token(json_log: StringIO):
    load_demo()
    load_pregnancy()
    load_appointments()
    load_messaging()
    secrets: list[str] = []
    citizens_run(secrets)
    practitioners_run(secrets)
    api_run(secrets)
    text = json_log.getvalue()
    lines = [json.loads(line) for line in text.splitlines()]
    assert sum(line["logger"] == "helseportal.request" for line in lines) >= 30  # the run did log
    assert all(line["request_id"] for line in lines if line["logger"] == "helseportal.request")
    assert len(secrets) >= 8
    assert leaks(text, secrets) == []


def test_the_check_finds_what_it_looks_for():
    """The search above would see a leak: each kind, planted in a line."""
    assert leaks(f"GET /om/?fnr={personas.PER.pid}", []) == [re.escape(personas.PER.pid)]
    assert leaks("sent to Kari", []) == [r"\bKari\b"]
    assert leaks("Authorization: Bearer eyJhbGciOiJSUzM4NCJ9.abc", []) == ["a bearer token"]
    assert leaks("session=s3cr3t-value", ["s3cr3t-value"]) == ["a secret (s3cr3t…)"]
    assert leaks("Periode for Perioden", []) == []


def test_the_formatter_masks_a_fodselsnummer_and_a_token_whoever_logs_them(json_log: StringIO):
    logging.getLogger("somewhere").warning(
        "lookup for %s failed with Bearer %s", personas.KARI.pid, "eyJhbGciOiJSUzM4NCJ9.payload.signature"
    )
    line = json.loads(json_log.getvalue())
    assert line["message"] == "lookup for 128394***** failed with Bearer …"


@pytest.mark.skipif(not RECORDED_LOG.exists(), reason=f"no recorded log at {RECORDED_LOG} (LOG_FILE=… of a run)")
def test_a_recorded_log_holds_no_personal_data():
    text = RECORDED_LOG.read_text(errors="replace")
    assert text.strip(), f"{RECORDED_LOG} is empty"
    assert leaks(text, []) == []
