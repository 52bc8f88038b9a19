"""The bearer middleware: an Actor from the token under /fhir/, nothing from the session there, nothing from a
token anywhere else; and a token stops counting the moment its person may no longer act for its subject."""

import datetime
from typing import Any

import pytest
import time_machine
from django.http import HttpRequest, HttpResponse
from django.test import Client as Browser
from django.test.client import RequestFactory
from joserfc.jwk import RSAKey

from helseportal.access.models import PowerOfAttorney
from helseportal.core.actor import ANONYMOUS, Actor, Role
from helseportal.core.request import actor_of, set_actor
from helseportal.core.testing import log_in
from helseportal.core.time import today
from helseportal.demo import actors, personas
from helseportal.smart import services
from helseportal.smart.middleware import bearer_token
from helseportal.smart.models import Client
from helseportal.smart.queries import actor_for_token
from helseportal.smart.tests.conftest import assertion, client_credentials, json_body, person
from helseportal.smart.tests.test_app_launch import connect

pytestmark = pytest.mark.django_db


def through_middleware(factory: RequestFactory, path: str, token: str = "", session_actor: Actor = ANONYMOUS) -> Any:
    """Pass a request through the middleware as the stack does (after the session's actor); what the view saw."""
    seen: dict[str, Any] = {}

    def view(request: HttpRequest) -> HttpResponse:
        seen["actor"] = actor_of(request)
        seen["error"] = getattr(request, "bearer_error", None)
        return HttpResponse()

    headers = {"Authorization": f"Bearer {token}"} if token else {}
    request = factory.get(path, headers=headers, secure=True)
    set_actor(request, session_actor)
    bearer_token(view)(request)
    return seen


def test_a_system_token_puts_the_system_on_an_api_request_only(
    client: Browser, factory: RequestFactory, system_client: Client, rsa_key: RSAKey
):
    access = json_body(client_credentials(client, assertion(system_client.client_id, rsa_key)))["access_token"]
    api = through_middleware(factory, "/fhir/R4/Appointment", access)
    assert api["actor"].role == Role.SYSTEM
    assert api["actor"].unit_id == system_client.unit_id
    assert api["error"] is None
    page = through_middleware(factory, "/min-side/", access)
    assert page["actor"] == ANONYMOUS  # a bearer token never logs anyone in to a page


def test_an_unknown_or_revoked_token_leaves_the_caller_anonymous_and_says_invalid_token(
    client: Browser, factory: RequestFactory, system_client: Client, rsa_key: RSAKey
):
    assert through_middleware(factory, "/fhir/R4/Patient", "made-up")["error"] == "invalid_token"
    access = json_body(client_credentials(client, assertion(system_client.client_id, rsa_key)))["access_token"]
    services.set_disabled(system_client.client_id, True)
    seen = through_middleware(factory, "/fhir/R4/Patient", access)
    assert seen == {"actor": ANONYMOUS, "error": "invalid_token"}
    assert through_middleware(factory, "/fhir/R4/metadata") == {"actor": ANONYMOUS, "error": None}


def test_a_system_token_expires_after_five_minutes(
    client: Browser, factory: RequestFactory, system_client: Client, rsa_key: RSAKey
):
    access = json_body(client_credentials(client, assertion(system_client.client_id, rsa_key)))["access_token"]
    with time_machine.travel(datetime.timedelta(minutes=5, seconds=1)):
        assert through_middleware(factory, "/fhir/R4/Patient", access)["error"] == "invalid_token"


def test_the_session_login_does_not_reach_the_api(factory: RequestFactory, kari: Actor):
    assert through_middleware(factory, "/fhir/R4/Patient", session_actor=kari)["actor"] == ANONYMOUS
    assert through_middleware(factory, "/profil/", session_actor=kari)["actor"] == kari


def test_a_parents_app_stops_working_the_moment_the_child_turns_16(client: Browser, public_app: Client):
    nora = person(personas.NORA)  # born 3 September 2011
    eve = datetime.datetime(2027, 9, 2, 23, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))
    with time_machine.travel(eve, tick=False):
        log_in(client, actors.citizen(personas.KARI))
        body = connect(client, public_app, nora.pk)
        actor = actor_for_token(body["access_token"])
        assert actor is not None
        assert actor.subject_id == nora.pk
    with time_machine.travel(eve + datetime.timedelta(hours=1), tick=False):  # 00:30 on her birthday, in Oslo
        assert actor_for_token(body["access_token"]) is None


def test_a_proxys_app_stops_working_when_the_power_of_attorney_is_revoked(client: Browser, public_app: Client):
    kari, per = person(personas.KARI), person(personas.PER)
    power = PowerOfAttorney.objects.create(giver=kari, receiver=per, area="all", valid_from=today())
    log_in(client, actors.citizen(personas.PER))
    body = connect(client, public_app, kari.pk)
    actor = actor_for_token(body["access_token"])
    assert actor is not None
    assert (actor.role, actor.person_id, actor.subject_id) == (Role.PROXY, per.pk, kari.pk)
    power.revoked_at = power.created
    power.save()
    assert actor_for_token(body["access_token"]) is None
