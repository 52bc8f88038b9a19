"""The FHIR API's auditor: one event per person (and area) per call, naming the client, in the call's transaction; and
the log page "Hvem har sett opplysningene mine" showing API access by the app's or the record system's name."""

import datetime

import pytest
from django.db import transaction
from django.urls import reverse

from helseportal.access import audit
from helseportal.access.audit.api import record_api_call
from helseportal.access.models import AuditEvent, SharingGrant
from helseportal.access.tests.api_testing import (  # noqa: F401 - fixtures
    Demo,
    app,
    demo_fixture,
    named_clients_fixture,
    system,
    unit,
)
from helseportal.core.actor import Role
from helseportal.core.testing import log_in
from helseportal.core.time import today
from helseportal.demo import actors, personas
from helseportal.fhir import provider

pytestmark = pytest.mark.django_db


def grant(demo: Demo, person_key: str) -> SharingGrant:
    return SharingGrant.objects.create(
        person=getattr(demo, person_key),
        unit=unit("health_station"),
        area="pregnancy",
        valid_to=today() + datetime.timedelta(days=30),
    )


def events() -> list[AuditEvent]:
    return list(AuditEvent.objects.order_by("id"))


def test_the_kernel_registers_the_auditor_the_api_refuses_to_serve_without():
    assert provider.auditor() is record_api_call


def test_a_read_by_a_record_system_is_one_event_naming_the_client_and_its_unit(demo: Demo):
    station = unit("health_station")
    with transaction.atomic():
        record_api_call(system(station, name="Frogner EPJ"), "read", [f"Patient/{demo.kari.pk}"], [demo.kari.pk])
    [event] = events()
    assert event.action == "api:account:read"
    assert event.subject_id == demo.kari.pk
    assert event.resources == [f"Patient/{demo.kari.pk}"]
    assert (event.actor_role, event.actor_client_id, event.actor_name) == ("system", f"epj-{station.pk}", "Frogner EPJ")
    assert (event.actor_unit_id, event.actor_unit_name) == (station.pk, "Frogner helsestasjon")
    assert event.actor_person_id is None
    assert personas.KARI.pid not in str(event.__dict__)
    audit.chain_pending()
    assert audit.verify_chain().ok


def test_a_search_over_several_persons_writes_one_event_each_with_only_their_own_resources(demo: Demo):
    karis, olas = grant(demo, "kari"), grant(demo, "ola")
    listed = [f"Consent/{karis.pk}", f"Consent/{olas.pk}", "Organization/1"]  # a unit is no one's data
    with transaction.atomic():
        record_api_call(system(unit("health_station")), "search", listed, [demo.ola.pk, demo.kari.pk, demo.kari.pk])
    found = {event.subject_id: (event.action, event.resources) for event in events()}
    assert found == {
        demo.kari.pk: ("api:pregnancy:search", [f"Consent/{karis.pk}"]),
        demo.ola.pk: ("api:pregnancy:search", [f"Consent/{olas.pk}"]),
    }


def test_everything_writes_one_event_per_area_so_the_log_knows_who_may_see_each(demo: Demo):
    mine = grant(demo, "kari")
    touched = [f"Patient/{demo.kari.pk}", f"Consent/{mine.pk}"]
    with transaction.atomic():
        record_api_call(app(demo.kari, demo.kari), "everything", touched, [demo.kari.pk])
    assert [(e.action, e.resources) for e in events()] == [
        ("api:account:everything", [f"Patient/{demo.kari.pk}"]),
        ("api:pregnancy:everything", [f"Consent/{mine.pk}"]),
    ]


def test_a_read_of_nothing_or_of_the_directory_writes_nothing(demo: Demo):
    with transaction.atomic():
        record_api_call(system(unit("gp_office")), "search", [], [])
        record_api_call(system(unit("gp_office")), "read", ["Organization/1", "Practitioner/1"], [])
    assert events() == []


def test_events_about_a_youth_are_hidden_from_her_parents_unless_a_parent_caused_them(demo: Demo):
    hfu = unit("hfu_oslo")
    nora = f"Patient/{demo.nora.pk}"
    with transaction.atomic():
        record_api_call(system(hfu), "read", [nora], [demo.nora.pk])  # the youth health station's system
        record_api_call(app(demo.nora, demo.nora), "read", [nora], [demo.nora.pk])  # her own app
        record_api_call(app(demo.kari, demo.nora, Role.PARENT), "read", [nora], [demo.nora.pk])  # her mother's app
        record_api_call(system(hfu), "read", [f"Patient/{demo.ola.pk}"], [demo.ola.pk])  # Ola is 10
    assert [e.hidden_from_representatives for e in events()] == [True, True, False, False]


def test_an_unknown_action_is_a_programming_error(demo: Demo):
    with transaction.atomic(), pytest.raises(ValueError, match="no API audit code"):
        record_api_call(system(unit("gp_office")), "delete", [f"Patient/{demo.per.pk}"], [demo.per.pk])


# --- The log page ------------------------------------------------------------------------------------------------


def log_page(client, demo: Demo, **query: str) -> str:
    log_in(client, actors.citizen(personas.KARI))
    html = client.get(reverse("audit:log"), query).content.decode()
    return html[html.index("<table") : html.index("</table>")] if "<table" in html else ""


def test_the_log_shows_the_record_system_by_name_and_unit_and_her_app_by_name(client, demo: Demo, named_clients):
    mine = grant(demo, "kari")
    with transaction.atomic():
        record_api_call(
            system(unit("health_station"), name="Frogner EPJ"), "read", [f"Consent/{mine.pk}"], [demo.kari.pk]
        )
        record_api_call(app(demo.kari, demo.kari), "search", [f"Patient/{demo.kari.pk}"], [demo.kari.pk])
    table = log_page(client, demo)
    assert "Frogner EPJ, Frogner helsestasjon" in table
    assert "Hentet opplysninger (Helsekort for gravide)" in table
    # Her own app is another's program: listed without asking for her own use, with her name beside it.
    assert "Appen Gravidappen, brukt av Kari Nordmann" in table
    assert "Søkte i opplysninger (Din bruk av helseportalen)" in table


def test_the_log_filter_lists_each_client_by_its_name(client, demo: Demo, named_clients):
    station = unit("health_station")
    with transaction.atomic():
        record_api_call(system(station, name="Frogner EPJ"), "read", [f"Patient/{demo.kari.pk}"], [demo.kari.pk])
        record_api_call(app(demo.kari, demo.kari), "read", [f"Patient/{demo.kari.pk}"], [demo.kari.pk])
    log_in(client, actors.citizen(personas.KARI))
    html = client.get(reverse("audit:log")).content.decode()
    assert f'<option value="client:epj-{station.pk}">Frogner EPJ</option>' in html
    assert '<option value="client:helseappen">Gravidappen</option>' in html
    filtered = client.get(reverse("audit:log"), {"who": "client:helseappen"}).content.decode()
    assert "Appen Gravidappen" in filtered
    assert "Frogner EPJ, Frogner helsestasjon" not in filtered[filtered.index("<table") :]


def test_a_parent_sees_api_events_of_the_areas_open_to_her_only(client, demo: Demo):
    ola, nora = f"Patient/{demo.ola.pk}", f"Patient/{demo.nora.pk}"
    with transaction.atomic():
        record_api_call(system(unit("gp_office"), name="Legekontorets EPJ"), "read", [ola], [demo.ola.pk])
        record_api_call(system(unit("hfu_oslo"), name="HFU-systemet"), "read", [nora], [demo.nora.pk])
    kari = actors.citizen(personas.KARI)
    log_in(client, kari.acting_for(demo.ola.pk, Role.PARENT))
    assert "Legekontorets EPJ" in client.get(reverse("audit:log")).content.decode()
    log_in(client, kari.acting_for(demo.nora.pk, Role.PARENT))
    assert "HFU-systemet" not in client.get(reverse("audit:log")).content.decode()


def test_an_app_without_a_registered_name_is_shown_by_its_client_id_never_by_the_persons_name(client, demo: Demo):
    with transaction.atomic():
        record_api_call(app(demo.kari, demo.ola, Role.PARENT), "read", [f"Patient/{demo.ola.pk}"], [demo.ola.pk])
    [event] = events()
    assert (event.actor_name, event.actor_person_id, event.on_behalf_of_id) == ("", demo.kari.pk, demo.ola.pk)
    log_in(client, actors.citizen(personas.KARI).acting_for(demo.ola.pk, Role.PARENT))
    assert "Appen helseappen, brukt av Kari Nordmann" in client.get(reverse("audit:log")).content.decode()
