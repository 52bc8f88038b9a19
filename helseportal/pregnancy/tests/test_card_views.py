"""Her whole card: sections in the paper card's order, who wrote what, corrections, and editing a section.

The helpers at the top (personas as actors, a pregnancy in week 24+3, sharing) are used by the practitioner
and first-form tests too.
"""

import datetime
import re

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from helseportal.access import sharing
from helseportal.access.models import SharingGrant
from helseportal.core.actor import Actor
from helseportal.core.testing import log_in
from helseportal.core.time import today
from helseportal.demo import actors, personas
from helseportal.demo.loader import load_demo
from helseportal.identity.models import Person
from helseportal.pregnancy import services
from helseportal.pregnancy.models import Pregnancy, SectionEntry

pytestmark = pytest.mark.django_db

METTE_SIGNATURE = "Mette Berg (HPR 9144889)"


def citizen(person: Person) -> Actor:
    return actors.of_person(person)


def clinician(persona: personas.PractitionerPersona, unit: personas.UnitPersona) -> Actor:
    return actors.clinician(persona, unit)


def start_at(woman: Actor, weeks: int = 24, days: int = 3, fetuses: int = 1) -> Pregnancy:
    """A pregnancy that is `weeks`+`days` today, started through the service as she would."""
    due = today() + datetime.timedelta(days=283 - (weeks * 7 + days))  # 283: the Norwegian count
    with transaction.atomic():
        return services.start_pregnancy(woman, subject_id=woman.subject_id or 0, due_date=due, fetuses=fetuses)


def share_with_mette(woman: Actor, permission: str = "read_write") -> SharingGrant:
    with transaction.atomic():
        return sharing.share_with_practitioner(
            woman,
            area="pregnancy",
            hpr_number=personas.METTE.hpr_number,
            family_name=personas.METTE.family_name,
            permission=permission,
            valid_to=today() + datetime.timedelta(days=120),
        )


def client_for(actor: Actor) -> Client:
    client = Client()
    log_in(client, actor)
    return client


def section_text(html: str, key: str) -> str:
    """The HTML of one section of the card, from its heading to the next section."""
    match = re.search(rf'<section aria-labelledby="seksjon-{key}-heading".*?</section>', html, re.DOTALL)
    assert match, f"no section {key} on the page"
    return match.group(0)


@pytest.fixture
def kari() -> Actor:
    load_demo()
    return citizen(Person.objects.get(pid=personas.KARI.pid))


@pytest.fixture
def mette(kari: Actor) -> Actor:
    return clinician(personas.METTE, personas.HEALTH_STATION)


@pytest.fixture
def pregnancy(kari: Actor) -> Pregnancy:
    return start_at(kari)


def test_the_card_shows_every_section_in_the_paper_cards_order(kari: Actor, pregnancy: Pregnancy):
    html = client_for(kari).get(reverse("pregnancy:card")).content.decode()
    order = ["mother", "contacts", "current", "previous", "genetic", "conditions", "medication", "lifestyle"]
    order += ["rhd", "before", "birth"]
    positions = [html.index(f'id="seksjon-{key}"') for key in order]
    assert positions == sorted(positions)
    assert html.count("<h1") == 1


def test_the_card_shows_who_wrote_each_entry(kari: Actor, mette: Actor, pregnancy: Pregnancy):
    share_with_mette(kari)
    with transaction.atomic():
        services.write_section(kari, pregnancy, "mother", {"occupation": "Lærer"})
        services.write_section(mette, pregnancy, "current", {"birth_preparation_talk": True})
        services.add_consultation(mette, pregnancy, date=today(), systolic=118, diastolic=72)
        services.add_test(mette, pregnancy, test="hb_t1", value="12,4", unit="g/dL", taken_on=today())
    html = client_for(kari).get(reverse("pregnancy:card")).content.decode()
    assert "Lærer" in section_text(html, "mother")
    assert "Egenregistrert" in section_text(html, "mother")
    assert METTE_SIGNATURE in section_text(html, "current")
    assert "Frogner helsestasjon" in section_text(html, "current")
    assert "118/72" in html
    assert "Hb, 1. trimester" in html
    assert html.count(METTE_SIGNATURE) == 3  # the section, the consultation and the test


def test_she_may_mark_only_what_she_wrote_herself_as_entered_in_error(kari: Actor, mette: Actor, pregnancy: Pregnancy):
    share_with_mette(kari)
    with transaction.atomic():
        mine = services.write_section(kari, pregnancy, "mother", {"occupation": "Lærer"})
        theirs = services.add_consultation(mette, pregnancy, date=today(), systolic=118, diastolic=72)
    html = client_for(kari).get(reverse("pregnancy:card")).content.decode()
    assert reverse("pregnancy:mark_in_error", args=["seksjon", mine.pk]) in html
    assert reverse("pregnancy:mark_in_error", args=["kontroll", theirs.pk]) not in html
    assert 'name="back" value="/gravid/helsekort/"' in html


def test_an_entry_marked_in_error_leaves_the_card_and_is_listed_as_such(kari: Actor, pregnancy: Pregnancy):
    client = client_for(kari)
    with transaction.atomic():
        entry = services.write_section(kari, pregnancy, "before", {"height_cm": 168, "weight_kg": "65.0"})
    assert "168 cm" in section_text(client.get(reverse("pregnancy:card")).content.decode(), "before")
    url = reverse("pregnancy:mark_in_error", args=["seksjon", entry.pk])
    response = client.post(url, {"back": reverse("pregnancy:card")}, follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("pregnancy:card")
    assert "168 cm" not in section_text(html, "before")
    details = html[html.index("<details") :]
    assert "Feilregistrerte oppføringer" in details
    assert "Del av kortet: Før svangerskapet" in details
    assert "Kari Nordmann" in details  # who marked it
    assert SectionEntry.objects.filter(pk=entry.pk, entered_in_error_at__isnull=False).exists()  # kept, not deleted


def test_there_is_no_list_of_errors_when_nothing_was_marked(kari: Actor, pregnancy: Pregnancy):
    assert "Feilregistrerte oppføringer" not in client_for(kari).get(reverse("pregnancy:card")).content.decode()


def test_she_edits_a_section_and_it_is_saved_as_self_reported(kari: Actor, pregnancy: Pregnancy):
    client = client_for(kari)
    url = reverse("pregnancy:section", args=["before"])
    assert 'for="id_height_cm"' in client.get(url).content.decode()
    response = client.post(url, {"height_cm": "168", "weight_kg": "65,5"}, follow=True)
    entry = SectionEntry.objects.get(pregnancy=pregnancy, section="before")
    assert entry.data == {"height_cm": 168, "weight_kg": "65.5"}
    assert entry.self_reported
    before = section_text(response.content.decode(), "before")
    assert "65,5 kg" in before
    assert "Egenregistrert" in before
    assert "KMI før svangerskapet" in before
    assert "23,2" in before


def test_the_section_form_starts_from_what_the_card_says(kari: Actor, pregnancy: Pregnancy):
    with transaction.atomic():
        services.write_section(kari, pregnancy, "mother", {"occupation": "Lærer", "needs_interpreter": True})
    html = client_for(kari).get(reverse("pregnancy:section", args=["mother"])).content.decode()
    assert 'value="Lærer"' in html
    assert re.search(r'<input[^>]*name="needs_interpreter"[^>]*checked', html)


@pytest.mark.parametrize("key", ["current", "rhd", "birth"])
def test_she_cannot_edit_the_sections_health_personnel_fill_in(kari: Actor, pregnancy: Pregnancy, key: str):
    client = client_for(kari)
    url = reverse("pregnancy:section", args=[key])
    assert client.get(url).status_code == 404
    assert client.post(url, {"status": "born"}).status_code == 404
    assert not SectionEntry.objects.filter(section=key).exists()
    assert reverse("pregnancy:section", args=[key]) not in client.get(reverse("pregnancy:card")).content.decode()


def test_an_unknown_section_answers_404(kari: Actor, pregnancy: Pregnancy):
    assert client_for(kari).get(reverse("pregnancy:section", args=["passord"])).status_code == 404


def test_an_implausible_section_value_answers_400_in_norwegian_and_saves_nothing(kari: Actor, pregnancy: Pregnancy):
    url = reverse("pregnancy:section", args=["before"])
    response = client_for(kari).post(url, {"height_cm": "1680", "weight_kg": "6550"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Vekten må være mellom 30 og 250 kg" in html
    assert "Skriv et tall mellom 100 og 230." in html
    assert not SectionEntry.objects.exists()


def test_without_a_pregnancy_the_card_and_its_forms_answer_404(kari: Actor):
    client = client_for(kari)
    for name, args in (("card", []), ("section", ["mother"]), ("first_form", [])):
        assert client.get(reverse(f"pregnancy:{name}", args=args)).status_code == 404


def test_per_does_not_see_karis_card(kari: Actor, pregnancy: Pregnancy):
    per = citizen(Person.objects.get(pid=personas.PER.pid))
    assert client_for(per).get(reverse("pregnancy:card")).status_code == 404


def test_the_card_asks_for_bankid_before_anything_is_shown():
    response = Client().get(reverse("pregnancy:card"))
    assert response.status_code == 302
    assert "idporten-loa-high" in response["Location"]
