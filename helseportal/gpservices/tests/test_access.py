"""Who may use Fastlegetjenester for whom: the page in the `gp` area (herself; a parent for a child under 16 at her
address; a power of attorney for `gp`), each service in its own area: a parent of a child under 12 sends an
e-consultation for him, a parent of a 12–15-year-old has no Meldinger for her (the services are listed with why
not, their pages 404), a proxy needs a power for `messages` too, and a stranger gets the 404 of a missing page,
audited."""

from helseportal.access.models import AuditEvent, Outcome
from helseportal.access.tests.test_policy import power
from helseportal.core.actor import Role
from helseportal.gp.tests.conftest import People
from helseportal.gpservices.tests.test_pages import CONTACT, E_CONSULTATION, OVERVIEW, text
from helseportal.records.tests.family import citizen, client_for, parent


def test_a_parent_uses_every_service_for_a_child_under_12(people: People):
    client = client_for(parent(people.kari, people.ola))
    page = text(client.get(OVERVIEW))
    assert "Fastlegetjenestene til Ola" in page
    assert "Du kan ikke bruke denne tjenesten" not in page
    assert client.get(E_CONSULTATION).status_code == 200
    assert client.get(CONTACT).status_code == 200


def test_a_parent_of_a_12_to_15_year_old_sees_her_office_but_sends_no_messages_for_her(people: People):
    client = client_for(parent(people.kari, people.nora))
    page = text(client.get(OVERVIEW))
    assert "Kirkeveien legesenter" in page
    assert "Du kan ikke bruke denne tjenesten for denne personen." in page  # e-consultation, contact
    assert client.get(E_CONSULTATION).status_code == 404
    assert client.get(CONTACT).status_code == 404
    denied = AuditEvent.objects.filter(
        action="gpservices:office:read", subject_id=people.nora.pk, outcome=Outcome.DENIED
    )
    assert denied.exists()


def test_a_proxy_needs_a_power_for_gp_and_for_messages(people: People):
    power(people.kari, people.per, "gp")
    per_for_kari = citizen(people.per).acting_for(people.kari.pk, Role.PROXY)
    client = client_for(per_for_kari)
    assert client.get(OVERVIEW).status_code == 200
    assert client.get(E_CONSULTATION).status_code == 404
    power(people.kari, people.per, "messages")
    assert client.get(E_CONSULTATION).status_code == 200


def test_a_stranger_gets_a_404_and_the_denial_is_audited(people: People):
    per_for_kari = citizen(people.per).acting_for(people.kari.pk, Role.PROXY)
    client = client_for(per_for_kari)
    assert client.get(OVERVIEW).status_code == 404
    assert client.get(E_CONSULTATION).status_code == 404
    assert AuditEvent.objects.filter(
        action="gpservices:office:read", subject_id=people.kari.pk, outcome=Outcome.DENIED
    ).exists()
