"""The pages of Frikort og egenandeler per reader: Kari's own year past the cap (the sum as text, the card, the
refund, the list), an earlier year, her child's (shown, not counted), a 15-year-old's (closed to a parent: 404,
audited), someone with none; the front page marks the service available; every read audited."""

import pytest
from django.test import Client

from helseportal.access.models import AuditEvent, Outcome
from helseportal.catalogue import SERVICES
from helseportal.copayments.models import CoPayment, ExemptionCard
from helseportal.copayments.tests.conftest import World
from helseportal.core.time import today
from helseportal.demo.copayments import load_copayments
from helseportal.records.tests.family import citizen, client_for, parent

NBSP = "\u00a0"


@pytest.fixture
def demo(world: World) -> World:
    load_copayments()
    return world


def page(client: Client, path: str = "/egenandeler/") -> str:
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response.content.decode().replace(NBSP, " ").replace("&nbsp;", " ")


def test_kari_sees_this_year_against_the_cap_her_card_and_what_is_paid_back(demo: World):
    kari = demo.family.kari
    text = page(client_for(citizen(kari)))
    assert "Egenandeler i 2026" in text
    assert "Registrert 3 587 kr av egenandelstaket på 3 278 kr" in text
    assert '<progress id="copayments-progress"' in text
    assert 'max="327800" value="327800"' in text
    assert "Egenandelstaket er nådd." in text
    assert "Til utbetaling: 309 kr." in text
    card = ExemptionCard.objects.get(person=kari, year=2026)
    assert card.number in text
    assert card.valid_from.strftime("%d.%m.%Y") in text
    assert "/egenandeler/2026/frikort.pdf" in text
    # The list by date: the provider, the service, the amount; the corrected one once, at its new amount.
    assert "Kirkeveien legesenter" in text
    assert "Oslo sykehus" in text
    assert text.count("Konsultasjon hos fastlege") == 3
    assert "275 kr" not in text
    assert "Telles ikke: behandleren har trukket egenandelen tilbake." in text
    assert 'href="/egenandeler/2025/"' in text
    event = AuditEvent.objects.filter(action="copayments:overview:read").latest("pk")
    assert (event.subject_id, event.actor_person_id, event.outcome) == (kari.pk, kari.pk, Outcome.ALLOWED)
    shown = CoPayment.objects.filter(person=kari, service_date__year=2026)
    assert sorted(event.resources) == sorted([*(f"ChargeItem/{r.pk}" for r in shown), f"ExemptionCard/{card.pk}"])


def test_last_year_is_summed_and_says_its_cap_is_unknown_to_the_portal(demo: World):
    text = page(client_for(citizen(demo.family.kari)), "/egenandeler/2025/")
    assert "Egenandeler i 2025" in text
    assert "Registrert 612 kr. Helseportalen kjenner ikke egenandelstaket for 2025" in text
    assert 'href="/egenandeler/"' in text


def test_a_parent_sees_her_child_s_co_payment_shown_but_not_counted_with_the_rule(demo: World):
    family = demo.family
    text = page(client_for(parent(family.kari, family.ola)))
    assert "Egenandelene til Ola Nordmann." in text
    assert "Barn under 16 år betaler ikke egenandel og er ikke med i frikortordningen." in text
    assert "Registrert 0 kr av egenandelstaket på 3 278 kr" in text
    assert "Telles ikke: tjenesten ble gitt før fylte 16 år." in text
    assert "Poliklinisk konsultasjon" in text
    event = AuditEvent.objects.filter(action="copayments:overview:read").latest("pk")
    assert (event.subject_id, event.actor_person_id) == (family.ola.pk, family.kari.pk)


def test_a_parent_of_a_15_year_old_gets_the_404_audited_as_denied(demo: World):
    family = demo.family
    client = client_for(parent(family.kari, family.nora))
    assert client.get("/egenandeler/").status_code == 404
    assert client.get("/egenandeler/2026/frikort.pdf").status_code == 404
    denied = AuditEvent.objects.filter(subject_id=family.nora.pk, outcome=Outcome.DENIED)
    assert set(denied.values_list("action", flat=True)) == {"copayments:overview:read", "copayments:card:exported"}


def test_someone_without_co_payments_sees_an_empty_year_and_no_card(demo: World):
    client = client_for(citizen(demo.family.per))
    text = page(client)
    assert "Ingen egenandeler er registrert." in text
    assert "Ikke noe frikort for dette året." in text
    assert client.get("/egenandeler/2026/frikort.pdf").status_code == 404


def test_a_year_before_the_common_cap_or_after_this_one_is_a_404(demo: World):
    client = client_for(citizen(demo.family.kari))
    assert client.get("/egenandeler/2020/").status_code == 404
    assert client.get(f"/egenandeler/{today().year + 1}/").status_code == 404


def test_the_front_page_marks_the_service_available_at_its_url(db: None):
    [service] = [s for s in SERVICES if s.area == "copayments"]
    assert service.available
    assert service.url == "/egenandeler/"
