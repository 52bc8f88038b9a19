"""The person picker at /velg-person/: whom a citizen may act for, the acting banner, the audit event."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from helseportal.access.models import AuditEvent, PowerOfAttorney
from helseportal.core.actor import Actor, Assurance, Role
from helseportal.core.testing import log_in
from helseportal.core.time import today
from helseportal.demo import personas
from helseportal.demo.loader import load_demo
from helseportal.identity.models import Person

pytestmark = pytest.mark.django_db

BANNER = "Du bruker helseportalen på vegne av"


@pytest.fixture
def people(db: None) -> dict[str, Person]:
    load_demo()
    return {p.key: Person.objects.get(pid=p.pid) for p in personas.CITIZENS}


def logged_in(client: Client, person: Person, assurance: Assurance = Assurance.HIGH) -> Client:
    log_in(
        client,
        Actor(
            role=Role.CITIZEN,
            assurance=assurance,
            person_id=person.pk,
            subject_id=person.pk,
            display_name=person.full_name,
            subject_name=person.full_name,
        ),
    )
    return client


def offered(client: Client) -> list[str]:
    """The primary keys of the persons the picker offers, in page order."""
    response = client.get("/velg-person/")
    assert response.status_code == 200
    return [str(choice.person.pk) for choice in response.context["choices"]]


def test_kari_is_offered_herself_and_both_children_but_not_per(client: Client, people: dict[str, Person]):
    logged_in(client, people["kari"])
    response = client.get("/velg-person/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Hvem vil du bruke helseportalen for?" in page
    for name in ["Kari Nordmann", "Ola Nordmann", "Nora Nordmann"]:
        assert name in page
    assert "Per Hansen" not in page
    assert page.index("Kari Nordmann", page.index("<main")) < page.index("Ola Nordmann")  # oneself first


def test_the_picker_tells_kari_that_her_access_to_nora_is_limited(client: Client, people: dict[str, Person]):
    logged_in(client, people["kari"])
    assert "Ditt barn (12–15 år): begrenset innsyn" in client.get("/velg-person/").content.decode()


def test_choosing_ola_shows_the_acting_banner_on_min_side(client: Client, people: dict[str, Person]):
    logged_in(client, people["kari"])
    response = client.post("/velg-person/", {"person": people["ola"].pk})
    assert response.status_code == 302
    assert response["Location"] == "/min-side/"
    page = client.get("/min-side/").content.decode()
    assert f"{BANNER} Ola Nordmann" in page


def test_choosing_ola_is_audited_with_kari_as_the_actor(client: Client, people: dict[str, Person]):
    logged_in(client, people["kari"])
    client.post("/velg-person/", {"person": people["ola"].pk})
    event = AuditEvent.objects.get(action="access:acting_for:started", subject_id=people["ola"].pk)
    assert event.actor_person_id == people["kari"].pk
    assert event.on_behalf_of_id == people["ola"].pk
    assert event.actor_role == "parent"
    assert event.reason == "parent_of_child_under_12"


def test_choosing_oneself_again_removes_the_banner_and_is_not_logged_as_acting_for(
    client: Client, people: dict[str, Person]
):
    logged_in(client, people["kari"])
    client.post("/velg-person/", {"person": people["ola"].pk})
    client.post("/velg-person/", {"person": people["kari"].pk})
    assert BANNER not in client.get("/min-side/").content.decode()
    assert not AuditEvent.objects.filter(action="access:acting_for:started", subject_id=people["kari"].pk).exists()


def test_choosing_per_answers_404_and_leaves_kari_acting_for_herself(client: Client, people: dict[str, Person]):
    logged_in(client, people["kari"])
    response = client.post("/velg-person/", {"person": people["per"].pk})
    assert response.status_code == 404
    assert BANNER not in client.get("/min-side/").content.decode()
    assert not AuditEvent.objects.filter(action="access:acting_for:started").exists()


def test_choosing_a_person_who_does_not_exist_answers_404(client: Client, people: dict[str, Person]):
    logged_in(client, people["kari"])
    assert client.post("/velg-person/", {"person": "999999999"}).status_code == 404
    assert client.post("/velg-person/", {"person": "kari"}).status_code == 404


def test_a_child_who_moved_away_from_both_parents_is_not_offered(client: Client, people: dict[str, Person]):
    Person.objects.filter(pk=people["ola"].pk).update(street_address="Storgata 1", postcode="0155")
    logged_in(client, people["kari"])
    assert offered(client) == [str(people["kari"].pk), str(people["nora"].pk)]
    assert client.post("/velg-person/", {"person": people["ola"].pk}).status_code == 404


def test_per_is_offered_kari_once_she_gives_him_a_power_of_attorney(client: Client, people: dict[str, Person]):
    PowerOfAttorney.objects.create(
        giver=people["kari"], receiver=people["per"], area="appointments", valid_from=today()
    )
    logged_in(client, people["per"])
    assert "Du har fullmakt" in client.get("/velg-person/").content.decode()
    client.post("/velg-person/", {"person": people["kari"].pk})
    assert f"{BANNER} Kari Nordmann" in client.get("/min-side/").content.decode()
    event = AuditEvent.objects.get(action="access:acting_for:started", subject_id=people["kari"].pk)
    assert (event.actor_role, event.reason) == ("proxy", "power_of_attorney")


def test_per_is_not_offered_kari_when_her_power_has_ended(client: Client, people: dict[str, Person]):
    yesterday = today() - datetime.timedelta(days=1)
    PowerOfAttorney.objects.create(
        giver=people["kari"],
        receiver=people["per"],
        area="all",
        valid_from=yesterday - datetime.timedelta(days=30),
        valid_to=yesterday,
    )
    logged_in(client, people["per"])
    assert offered(client) == [str(people["per"].pk)]
    assert client.post("/velg-person/", {"person": people["kari"].pk}).status_code == 404


def test_the_picker_returns_to_the_page_asked_for(client: Client, people: dict[str, Person]):
    logged_in(client, people["kari"])
    response = client.post("/velg-person/", {"person": people["ola"].pk, "next": "/profil/"})
    assert response["Location"] == "/profil/"


def test_the_picker_never_sends_anyone_to_another_site(client: Client, people: dict[str, Person]):
    logged_in(client, people["kari"])
    for target in ["https://evil.example/", "//evil.example/"]:
        response = client.post("/velg-person/", {"person": people["ola"].pk, "next": target})
        assert response["Location"] == "/min-side/"


def test_a_minid_session_is_sent_to_log_in_again_with_bankid(client: Client, people: dict[str, Person]):
    logged_in(client, people["kari"], Assurance.SUBSTANTIAL)
    response = client.get("/velg-person/")
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == "/login/"
    assert parse_qs(location.query) == {"next": ["/velg-person/"], "acr": ["idporten-loa-high"]}


def test_a_minid_session_cannot_choose_by_posting_either(client: Client, people: dict[str, Person]):
    logged_in(client, people["kari"], Assurance.SUBSTANTIAL)
    response = client.post("/velg-person/", {"person": people["ola"].pk})
    assert response.status_code == 302
    assert "acr=idporten-loa-high" in response["Location"]
    assert not AuditEvent.objects.filter(action="access:acting_for:started").exists()


def test_an_anonymous_visitor_is_sent_to_log_in(client: Client, people: dict[str, Person]):
    response = client.get("/velg-person/")
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == "/login/"
    assert parse_qs(location.query)["next"] == ["/velg-person/"]
