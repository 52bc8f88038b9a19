"""`POST <Type>/_search` (FHIR R4 http.html#search): the same search as a GET, its parameters in a form body and the
URL together; the links of the answer carry them sealed, so that a fødselsnummer sent in the body never stands in a
URL; any other body type is a 415 OperationOutcome; CSRF does not stand in the way of a bearer token."""

from urllib.parse import parse_qsl, urlsplit

import pytest
from django.test import Client as Browser

from helseportal.core.ids import FNR_SYSTEM
from helseportal.demo import personas
from helseportal.fhir.testing import api
from helseportal.fhir.tests.conftest import Audit, book, person, system_client
from tests.fhir_tokens import register_system, signing_key, system_token

pytestmark = pytest.mark.django_db
GP = personas.MAJORSTUEN_GP
FORM = "application/x-www-form-urlencoded"


def ids(bundle: dict) -> list[str]:
    return [e["resource"]["id"] for e in bundle.get("entry", []) if e["search"]["mode"] == "match"]


def posted(path: str, body: str, actor=None, content_type: str = FORM):
    return api(actor or system_client(GP)).post(path, body, content_type=content_type)


def follow(url: str, actor=None) -> dict:
    parts = urlsplit(url)
    answer = api(actor or system_client(GP)).get(f"{parts.path}?{parts.query}")
    assert answer.status_code == 200, answer.content
    return answer.json()


def test_a_posted_search_finds_what_the_same_get_finds(demo, served):
    rows = [book(personas.KARI, GP, days=day + 1) for day in range(3)]
    book(personas.OLA, GP, days=2)
    kari = person(personas.KARI)
    query = f"patient=Patient/{kari.pk}&_sort=date"
    by_get = api(system_client(GP)).get(f"/fhir/R4/Appointment?{query}").json()
    answer = posted("/fhir/R4/Appointment/_search", query)
    assert answer.status_code == 200, answer.content
    assert answer["Content-Type"].startswith("application/fhir+json")
    assert ids(answer.json()) == ids(by_get) == [str(row.pk) for row in rows]


def test_the_body_and_the_url_combine(demo, served):
    soon = book(personas.KARI, GP, days=1)
    book(personas.KARI, GP, days=2, status="cancelled")
    book(personas.OLA, GP, days=3)
    kari = person(personas.KARI)
    answer = posted("/fhir/R4/Appointment/_search?status=booked", f"patient={kari.pk}")
    assert ids(answer.json()) == [str(soon.pk)]


def test_the_links_of_a_posted_search_carry_no_parameter_in_the_clear_and_page_on(demo, served, audit: Audit):
    rows = [book(personas.KARI, GP, days=day + 1) for day in range(5)]
    body = f"patient:identifier={FNR_SYSTEM}|{personas.KARI.pid}&_sort=date&_count=2"
    first = posted("/fhir/R4/Appointment/_search", body).json()
    links = {link["relation"]: link["url"] for link in first["link"]}
    for url in links.values():
        assert personas.KARI.pid not in url
        assert "identifier" not in url
        assert "patient" not in url
        assert [name for name, _value in parse_qsl(urlsplit(url).query)] == ["_cursor"]
    assert follow(links["self"])["entry"] == first["entry"]  # the self link repeats the search
    seen = ids(first)
    page = first
    while next_link := {link["relation"]: link["url"] for link in page["link"]}.get("next"):
        assert personas.KARI.pid not in next_link
        page = follow(next_link)
        seen += ids(page)
    assert seen == [str(row.pk) for row in rows]


def test_a_forged_sealed_cursor_is_a_400(demo, served):
    answer = api(system_client(GP)).get("/fhir/R4/Appointment?_cursor=q.gAAAAAforged")
    assert answer.status_code == 400
    assert answer.json()["issue"][0]["expression"] == ["_cursor"]


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/fhir+json", '{"patient": "1"}'),
        ("text/plain", "patient=1"),
        ("multipart/form-data; boundary=x", ""),
    ],
)
def test_a_body_of_another_type_is_a_415_operation_outcome(demo, served, content_type, body):
    answer = posted("/fhir/R4/Appointment/_search", body, content_type=content_type)
    assert answer.status_code == 415
    outcome = answer.json()
    assert outcome["resourceType"] == "OperationOutcome"
    assert outcome["issue"][0]["code"] == "not-supported"
    assert "application/x-www-form-urlencoded" in outcome["issue"][0]["details"]["text"]


def test_a_posted_search_keeps_the_rules_of_a_get(demo, served):
    assert posted("/fhir/R4/Nothing/_search", "a=b").status_code == 404
    assert posted("/fhir/R4/Appointment/_search", "_format=xml").status_code == 406
    assert posted("/fhir/R4/Appointment/_search", "_count=x").status_code == 400
    no_scope = system_client(GP, "system/Patient.rs")
    assert posted("/fhir/R4/Appointment/_search", "status=booked", actor=no_scope).status_code == 403
    assert api(system_client(GP)).get("/fhir/R4/Appointment/_search").status_code == 405


def test_csrf_does_not_stand_in_the_way_of_a_bearer_token(demo):
    """The whole stack, a real token, and a client that enforces CSRF as a browser's would: no cookie, no CSRF token."""
    book(personas.KARI, GP, days=1)
    key = signing_key()
    client = register_system("Majorstuen EPJ", GP.orgnr, key, ("system/Appointment.rs",))
    token = system_token(Browser(), client, key, "system/Appointment.rs")
    browser = Browser(enforce_csrf_checks=True)
    answer = browser.post(
        "/fhir/R4/Appointment/_search",
        "status=booked",
        content_type=FORM,
        headers={"Authorization": f"Bearer {token}", "Accept": "application/fhir+json"},
        secure=True,
    )
    assert answer.status_code == 200, answer.content
    assert len(ids(answer.json())) == 1
