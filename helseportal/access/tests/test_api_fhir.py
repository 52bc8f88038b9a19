"""Consent and AuditEvent for the FHIR API: who reads which sharing grants, and the patient's own log as her page
shows it; valid R4B, in a constant number of queries per page."""

import datetime
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from helseportal.access import audit, sharing
from helseportal.access.audit.api import record_api_call
from helseportal.access.models import SharingGrant
from helseportal.access.tests.api_testing import Demo, app, assert_valid, demo_fixture, page, system, unit  # noqa: F401
from helseportal.access.tests.test_policy import child_of
from helseportal.core.actor import Actor, Assurance, Role
from helseportal.core.time import today
from helseportal.demo import actors, personas
from helseportal.fhir import provider
from helseportal.identity.models import Practitioner

pytestmark = pytest.mark.django_db


def grant(person: Any, **kwargs: Any) -> SharingGrant:
    kwargs.setdefault("unit", unit("health_station"))
    kwargs.setdefault("valid_to", today() + datetime.timedelta(days=30))
    return SharingGrant.objects.create(person=person, area="pregnancy", **kwargs)


def ids(resources: list[dict[str, Any]]) -> set[str]:
    return {resource["id"] for resource in resources}


# --- Consent -----------------------------------------------------------------------------------------------------


def test_a_record_system_reads_the_grants_in_force_to_its_own_unit_only(demo: Demo):
    to_station = grant(demo.kari)
    mette = Practitioner.objects.get(hpr_number=personas.METTE.hpr_number)
    grant(demo.kari, unit=None, practitioner=mette)  # to the midwife by name: hers, in the portal
    grant(demo.per, revoked_at=timezone.now())
    grant(demo.ola, unit=unit("gp_office"))
    found = page("Consent", system(unit("health_station")))
    assert ids(found) == {str(to_station.pk)}
    for resource in found:
        assert_valid(resource)


def test_her_app_reads_her_grants_ended_ones_too_and_a_parents_app_only_where_the_area_is_open(demo: Demo):
    active, ended = grant(demo.kari), grant(demo.kari, revoked_at=timezone.now())
    olas, noras = grant(demo.ola), grant(demo.nora)
    assert ids(page("Consent", app(demo.kari, demo.kari))) == {str(active.pk), str(ended.pk)}
    assert ids(page("Consent", app(demo.kari, demo.ola, Role.PARENT))) == {str(olas.pk)}
    assert page("Consent", app(demo.kari, demo.nora, Role.PARENT)) == []  # her pregnancy card is hers at 15
    assert ids(page("Consent", app(demo.nora, demo.nora))) == {str(noras.pk)}
    assert page("Consent", app(demo.per, demo.kari, Role.PROXY)) == []
    assert page("Consent", Actor()) == []


def test_revoking_a_grant_moves_its_last_update(demo: Demo):
    kari = actors.citizen(personas.KARI)
    with transaction.atomic():
        made = sharing.share_with_unit(
            kari, unit_id=unit("health_station").pk, area="pregnancy", permission="read", valid_to=today()
        )
    before = made.updated
    with transaction.atomic():
        sharing.revoke(kari, made.pk)
    made.refresh_from_db()
    assert made.revoked_at is not None
    assert made.updated > before
    assert made.updated >= made.revoked_at


def test_a_page_of_twenty_grants_is_one_query(demo: Demo, django_assert_num_queries: Any):
    for _n in range(25):
        grant(demo.kari)
    station = system(unit("health_station"))
    with django_assert_num_queries(1):
        assert len(page("Consent", station)) == 20


# --- AuditEvent --------------------------------------------------------------------------------------------------


def seed_log(demo: Demo) -> None:
    """Kari's own login, the midwife reading her card, a GP system reading Ola, and Nora's youth request."""
    kari = actors.citizen(personas.KARI)
    mette = actors.clinician(personas.METTE, personas.HEALTH_STATION)
    with transaction.atomic():
        audit.record(kari, "identity:login:succeeded", subject_id=demo.kari.pk)
        audit.record(mette, "pregnancy:card:read", subject_id=demo.kari.pk, resources=["EpisodeOfCare/1"])
        record_api_call(
            system(unit("gp_office"), name="Legekontorets EPJ"), "read", [f"Patient/{demo.ola.pk}"], [demo.ola.pk]
        )
        nora = actors.citizen(personas.NORA, Assurance.SUBSTANTIAL).acting_for(demo.nora.pk, Role.YOUTH)
        audit.record(nora, "appointments:request:sent", subject_id=demo.nora.pk, hidden_from_representatives=True)
        audit.record(mette, "appointments:appointment:read", subject_id=demo.nora.pk)
        audit.record(mette, "messaging:thread:read", subject_id=demo.nora.pk)


def test_her_app_reads_her_whole_log_as_valid_audit_events(demo: Demo):
    seed_log(demo)
    found = page("AuditEvent", app(demo.kari, demo.kari))
    assert {event["type"]["code"] for event in found} == {"identity:login:succeeded", "pregnancy:card:read"}
    for event in found:
        assert_valid(event)
    by_mette = next(event for event in found if event["type"]["code"] == "pregnancy:card:read")
    assert by_mette["agent"][0]["name"] == "Mette Berg (HPR 9144889), Frogner helsestasjon"
    assert by_mette["agent"][0]["who"]["identifier"]["value"] == personas.METTE.hpr_number
    assert by_mette["agent"][1]["who"]["identifier"]["value"] == personas.HEALTH_STATION.orgnr
    assert by_mette["type"]["display"] == "Så helsekortet for gravide"
    assert by_mette["action"] == "R"
    assert by_mette["entity"][0]["what"]["reference"] == f"Patient/{demo.kari.pk}"
    # A reference when the API serves the type (the pregnancy domain provides EpisodeOfCare), else a display.
    assert by_mette["entity"][1]["what"] in (
        {"reference": "EpisodeOfCare/1", "type": "EpisodeOfCare"},
        {"display": "EpisodeOfCare/1"},
    )
    assert personas.KARI.pid not in str(found)


def test_a_parents_app_reads_what_the_log_page_shows_her_and_never_the_youth_services(demo: Demo):
    seed_log(demo)
    for_ola = page("AuditEvent", app(demo.kari, demo.ola, Role.PARENT))
    [api_read] = for_ola
    assert_valid(api_read)
    assert api_read["type"]["code"] == "api:account:read"
    system_agent, its_unit = api_read["agent"]
    assert system_agent["name"] == "Legekontorets EPJ, Kirkeveien legesenter"
    assert system_agent["who"]["identifier"]["value"] == f"epj-{unit('gp_office').pk}"
    assert its_unit["who"]["identifier"]["value"] == personas.MAJORSTUEN_GP.orgnr
    for_nora = page("AuditEvent", app(demo.kari, demo.nora, Role.PARENT))
    # Appointments are open to a parent of a 15-year-old; her youth request and her messages are not.
    assert {event["type"]["code"] for event in for_nora} == {"appointments:appointment:read"}
    assert page("AuditEvent", app(demo.kari, child_of(demo.kari, 16), Role.PARENT)) == []


def test_a_record_system_never_reads_the_log(demo: Demo):
    seed_log(demo)
    assert page("AuditEvent", system(unit("gp_office"))) == []
    assert page("AuditEvent", system(unit("health_station"))) == []


def test_a_page_of_twenty_log_events_costs_two_queries(demo: Demo, django_assert_num_queries: Any):
    kari = actors.citizen(personas.KARI)
    with transaction.atomic():
        for _n in range(25):
            audit.record(kari, "profile:read", subject_id=demo.kari.pk)
    mine = app(demo.kari, demo.kari)
    # Her age and youth-access consent (once per request, as the engine asks: under 16 they decide her own areas),
    # may the app reach her, then the page; and the page of the type's second source, the access logs record systems
    # send (records, Pasientjournal: none here).
    with provider.one_request(), django_assert_num_queries(4):
        assert len(page("AuditEvent", mine)) == 20
