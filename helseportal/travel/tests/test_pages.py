"""Pasientreiser's pages per reader: Kari's claims and one claim's decision, «Klag på vedtaket»; her child's (a
parent of a child under 12), a proxy's with a power for patient travel; 404 for a stranger, a parent of a
15-year-old and a power for another area; the case officer's queue, decision and receipts (404 for other staff); the
front page marks the service available; every read audited."""

import base64

import pytest
from django.test import Client

from helseportal.access.models import AuditEvent, Outcome, PowerOfAttorney
from helseportal.catalogue import SERVICES
from helseportal.core.actor import Actor, Role
from helseportal.core.testing import log_in
from helseportal.core.time import today
from helseportal.demo import actors, personas
from helseportal.identity.models import Person
from helseportal.travel import services
from helseportal.travel.rules import Status
from helseportal.travel.tests.conftest import World

NBSP = "\u00a0"


def client_for(actor: Actor) -> Client:
    client = Client()
    log_in(client, actor)
    return client


def text(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode().replace(NBSP, " ").replace("&nbsp;", " ")


def decided(world: World, **answers: object):  # type: ignore[no-untyped-def]
    claim = world.claim(**answers)
    services.take(world.officer(), claim.pk)
    services.decide(world.officer(), claim.pk, approved=True, amount_ore=28_200, reasons="Dekkes med standardsats.")
    return claim


def test_kari_sees_her_claims_and_a_decision_with_its_reasons(world: World):
    claim = decided(world)
    client = client_for(world.me())
    overview = text(client.get("/pasientreiser/"))
    assert "Reise " in overview
    assert "Sykehuset i Vestfold, Tønsberg" in overview
    assert "Vedtak fattet" in overview
    assert "282 kr" in overview
    assert "/skjemaer/" in overview  # the claim form on the forms engine
    page = text(client.get(f"/pasientreiser/{claim.pk}/"))
    assert "Innvilget" in page
    assert "Dekkes med standardsats." in page
    assert "104 km" in page
    assert "Klag på vedtaket" in page
    assert AuditEvent.objects.filter(action="travel:claim:read", subject_id=world.kari.pk).exists()
    assert AuditEvent.objects.filter(action="travel:list:read", subject_id=world.kari.pk).exists()


def test_she_complains_on_the_decision_and_an_empty_complaint_is_refused_in_norwegian(world: World):
    claim = decided(world)
    client = client_for(world.me())
    empty = client.post(f"/pasientreiser/{claim.pk}/klage/", {"text": " "})
    assert empty.status_code == 400
    assert "Skriv hva du klager på." in text(empty)
    sent = client.post(f"/pasientreiser/{claim.pk}/klage/", {"text": "Reisen var lengre."}, follow=True)
    assert sent.status_code == 200
    assert "Klagen er sendt." in text(sent)
    again = client.post(f"/pasientreiser/{claim.pk}/klage/", {"text": "En til."})
    assert again.status_code == 400
    assert "én gang" in text(again)


@pytest.mark.parametrize(
    ("who", "sees"),
    [("self", True), ("parent_of_ola", True), ("stranger", False), ("proxy_other_area", False), ("proxy", True)],
)
def test_who_sees_a_claim(world: World, who: str, sees: bool):
    per = Person.objects.get(pid=personas.PER.pid)
    claim = world.claim(world.for_ola()) if who == "parent_of_ola" else world.claim()
    if who.startswith("proxy"):
        area = "patient_travel" if who == "proxy" else "messages"
        PowerOfAttorney.objects.create(giver=world.kari, receiver=per, area=area, valid_from=today())
    actor = {
        "self": world.me(),
        "parent_of_ola": world.for_ola(),
        "stranger": actors.citizen(personas.PER),
        "proxy_other_area": actors.citizen(personas.PER).acting_for(world.kari.pk, Role.PROXY),
        "proxy": actors.citizen(personas.PER).acting_for(world.kari.pk, Role.PROXY),
    }[who]
    response = client_for(actor).get(f"/pasientreiser/{claim.pk}/")
    assert response.status_code == (200 if sees else 404)
    if not sees and who != "stranger":
        assert AuditEvent.objects.filter(action="travel:claim:read", outcome=Outcome.DENIED).exists()


def test_a_parent_of_a_15_year_old_does_not_reach_her_claims(world: World):
    nora = Person.objects.get(pid=personas.NORA.pid)
    response = client_for(world.me().acting_for(nora.pk, Role.PARENT)).get("/pasientreiser/")
    assert response.status_code == 404


def test_the_case_officer_takes_decides_and_pays_from_the_queue(world: World):
    claim = world.claim()
    client = client_for(world.officer())
    queue = text(client.get("/helsepersonell/pasientreiser/"))
    assert "Kari" in queue
    assert "282 kr" in queue
    assert AuditEvent.objects.filter(action="travel:queue:read", subject_id=world.kari.pk).exists()
    page = text(client.get(f"/helsepersonell/pasientreiser/{claim.pk}/"))
    assert "Forslag etter satsene" in page
    assert "Kontroller beløpet" in page
    assert client.post(f"/helsepersonell/pasientreiser/{claim.pk}/behandle/").status_code == 302
    wrong = client.post(f"/helsepersonell/pasientreiser/{claim.pk}/vedtak/", {"outcome": "approved", "reasons": "Ok"})
    assert wrong.status_code == 400
    assert "Skriv beløpet" in text(wrong)
    done = client.post(
        f"/helsepersonell/pasientreiser/{claim.pk}/vedtak/", {"outcome": "approved", "amount": "282", "reasons": "Ok."}
    )
    assert done.status_code == 302
    again = client.post(f"/helsepersonell/pasientreiser/{claim.pk}/vedtak/", {"outcome": "rejected", "reasons": "Nei."})
    assert again.status_code == 400
    assert "bare én gang" in text(again)
    assert client.post(f"/helsepersonell/pasientreiser/{claim.pk}/utbetalt/").status_code == 302
    claim.refresh_from_db()
    assert claim.status == Status.PAID
    assert claim.amount_ore == 28_200


def test_other_staff_get_404_and_the_attempt_is_audited(world: World):
    claim = world.claim()
    lars = client_for(actors.clinician(personas.LARS, personas.MAJORSTUEN_GP))
    assert lars.get("/helsepersonell/pasientreiser/").status_code == 404
    assert lars.get(f"/helsepersonell/pasientreiser/{claim.pk}/").status_code == 404
    assert lars.post(f"/helsepersonell/pasientreiser/{claim.pk}/behandle/").status_code == 404
    claim.refresh_from_db()
    assert claim.status == Status.RECEIVED


def test_a_receipt_is_a_download_for_the_office_only(world: World):
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 20
    claim = world.claim(
        **{"trip.kind": ("kind", "expenses"), "expenses.transport": ("transport", "taxi"), "expenses.amount": 950}
    )
    claim.response["item"].append(
        {
            "linkId": "expenses.receipt",
            "answer": [{"valueAttachment": {"contentType": "image/png", "data": base64.b64encode(png).decode()}}],
        }
    )
    claim.save()
    response = client_for(world.officer()).get(f"/helsepersonell/pasientreiser/{claim.pk}/kvittering/1/")
    assert response.status_code == 200
    assert response.content == png
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client_for(world.officer()).get(f"/helsepersonell/pasientreiser/{claim.pk}/kvittering/2/").status_code == 404


def test_the_front_page_marks_pasientreiser_available():
    service = next(s for s in SERVICES if s.area == "patient_travel")
    assert service.url == "/pasientreiser/"
