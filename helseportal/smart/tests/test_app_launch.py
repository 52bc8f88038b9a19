"""SMART App Launch, standalone patient launch: login, whose data, the consent page, the code, the tokens."""

import datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.test import Client as Browser
from joserfc import jwt
from joserfc.jwk import KeySet

from helseportal.access.models import AuditEvent
from helseportal.core.actor import Actor, Assurance, Role
from helseportal.core.testing import log_in
from helseportal.demo import personas
from helseportal.smart import keys
from helseportal.smart.models import Client, Connection
from helseportal.smart.queries import actor_for_token
from helseportal.smart.tests.conftest import (
    FHIR_BASE,
    REDIRECT_URI,
    Pkce,
    authorize_query,
    form,
    json_body,
    person,
    pkce,
)
from tests.oidc_flow import provider_over_wsgi, start  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def redirect_params(response: Any) -> dict[str, str]:
    assert response.status_code == 302, response.content[:500]
    location = str(response["Location"])
    assert location.startswith(REDIRECT_URI + "?"), location
    return {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}


def exchange(browser: Browser, app: Client, code: str, challenge: Pkce) -> Any:
    return form(
        browser,
        "/oauth/token",
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT_URI,
            "client_id": app.client_id,
            "code_verifier": challenge.verifier,
        },
    )


def refresh(browser: Browser, app: Client, refresh_token: str) -> Any:
    data = {"grant_type": "refresh_token", "refresh_token": refresh_token, "client_id": app.client_id}
    return form(browser, "/oauth/token", data)


def connect(browser: Browser, app: Client, subject_pk: int) -> dict[str, Any]:
    """The logged-in citizen approves `app` for `subject_pk`; the app exchanges its code. The token response."""
    challenge = pkce()
    url = authorize_query(app, challenge)
    answer = browser.post(url, {"subject": subject_pk, "decision": "allow"}, secure=True)
    response = exchange(browser, app, redirect_params(answer)["code"], challenge)
    assert response.status_code == 200, response.content
    return json_body(response)


@pytest.mark.usefixtures("provider_over_wsgi")
def test_kari_connects_an_app_through_the_id_porten_login_and_the_app_gets_her_tokens(
    client: Browser, public_app: Client
):
    challenge = pkce()
    url = authorize_query(public_app, challenge)
    to_login = client.get(url, secure=True)
    assert to_login.status_code == 302
    assert to_login["Location"].startswith("/login/?")
    flow = start(client, to_login["Location"])
    assert flow.params["acr_values"] == "idporten-loa-high"
    after_login = flow.callback(flow.log_in_at_provider(f"{personas.KARI.pid}:bankid"))
    to_picker = client.get(after_login["Location"])  # Kari has children: whom does she act for?
    picker = urlsplit(to_picker["Location"])
    kari = person(personas.KARI)
    back = client.post(picker.path, {"person": kari.pk, "next": parse_qs(picker.query)["next"][0]})
    assert back["Location"] == url

    page = client.get(url, secure=True)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Vil du gi appen «Helseappen» tilgang?" in text
    assert "Dette får appen se om deg" in text
    for kind in ("Timeavtaler og timeønsker", "Meldinger til og fra helsetjenesten", "Svangerskapet: termin og forløp"):
        assert kind in text
    assert "til du kobler fra appen, men høyst 90 dager" in text
    assert "Etterpå sendes du tilbake til app.example." in text

    params = redirect_params(client.post(url, {"subject": kari.pk, "decision": "allow"}, secure=True))
    assert params["state"] == parse_qs(urlsplit(url).query)["state"][0]
    response = exchange(client, public_app, params["code"], challenge)
    assert response.status_code == 200, response.content
    body = json_body(response)
    assert body["patient"] == str(kari.pk)
    assert body["expires_in"] == 3600
    assert set(body["scope"].split()) == {"launch/patient", "openid", "fhirUser", "offline_access", "patient/*.rs"}
    assert body["refresh_token"]

    claims = jwt.decode(body["id_token"], KeySet.import_key_set(keys.public_key_set())).claims
    assert claims["iss"] == "https://testserver/oauth"
    assert claims["aud"] == [public_app.client_id]
    assert claims["fhirUser"] == f"{FHIR_BASE}/Patient/{kari.pk}"
    assert claims["nonce"] == parse_qs(urlsplit(url).query)["nonce"][0]

    actor = actor_for_token(body["access_token"])
    assert actor == Actor(
        role=Role.CITIZEN,
        assurance=Assurance.HIGH,
        person_id=kari.pk,
        subject_id=kari.pk,
        client_id=public_app.client_id,
        scopes=frozenset(body["scope"].split()),
        display_name="Kari Nordmann",
        subject_name="Kari Nordmann",
    )
    event = AuditEvent.objects.get(action="smart:app:connected")
    assert (event.subject_id, event.actor_person_id, event.purpose) == (kari.pk, kari.pk, "Helseappen")


def test_saying_no_sends_access_denied_back_to_the_app(client: Browser, kari: Actor, public_app: Client):
    log_in(client, kari)
    url = authorize_query(public_app, pkce(), state="abc")
    assert client.get(url, secure=True).status_code == 200
    params = redirect_params(client.post(url, {"subject": kari.subject_id, "decision": "deny"}, secure=True))
    assert params["error"] == "access_denied"
    assert params["state"] == "abc"
    assert "code" not in params
    assert not Connection.objects.exists()


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"code_challenge": None, "code_challenge_method": None}, "invalid_request"),  # PKCE is required
        ({"code_challenge_method": "plain"}, "invalid_request"),
        ({"aud": "https://elsewhere.example/fhir"}, "invalid_request"),
        ({"scope": "system/*.rs"}, "invalid_scope"),
        ({"response_type": "token"}, "unsupported_response_type"),
    ],
)
def test_a_bad_authorization_request_goes_back_to_the_app_with_its_error(
    client: Browser, kari: Actor, public_app: Client, changes: dict[str, str | None], error: str
):
    log_in(client, kari)
    params = redirect_params(client.get(authorize_query(public_app, pkce(), **changes), secure=True))
    assert params["error"] == error


def test_an_unregistered_redirect_uri_gets_a_page_not_a_redirect(client: Browser, kari: Actor, public_app: Client):
    log_in(client, kari)
    response = client.get(authorize_query(public_app, pkce(), redirect_uri="https://evil.example/cb"), secure=True)
    assert response.status_code == 400
    assert "Appen kan ikke kobles til" in response.content.decode()


def test_a_wrong_verifier_or_a_second_use_of_the_code_is_refused(client: Browser, kari: Actor, public_app: Client):
    log_in(client, kari)
    challenge = pkce()
    url = authorize_query(public_app, challenge)
    code = redirect_params(client.post(url, {"subject": kari.subject_id, "decision": "allow"}, secure=True))["code"]
    wrong = exchange(client, public_app, code, pkce())
    assert json_body(wrong)["error"] == "invalid_grant"
    first = json_body(exchange(client, public_app, code, challenge))
    assert actor_for_token(first["access_token"]) is not None
    second = exchange(client, public_app, code, challenge)
    assert json_body(second)["error"] == "invalid_grant"
    # RFC 6749 § 4.1.2: whoever else holds the code, the tokens it gave are revoked.
    assert actor_for_token(first["access_token"]) is None


def test_kari_may_connect_an_app_for_ola_who_is_10(client: Browser, kari: Actor, public_app: Client):
    ola = person(personas.OLA)
    log_in(client, kari)
    page = client.get(authorize_query(public_app, pkce()) + f"&for={ola.pk}", secure=True).content.decode()
    assert "Dette får appen se om Ola Nordmann" in page
    assert "fordi du ikke har tilgang" not in page
    body = connect(client, public_app, ola.pk)
    assert body["patient"] == str(ola.pk)
    actor = actor_for_token(body["access_token"])
    assert actor is not None
    assert (actor.role, actor.person_id, actor.subject_id) == (Role.PARENT, kari.person_id, ola.pk)


def test_for_nora_who_is_14_the_page_says_only_what_the_rule_table_opens(
    client: Browser, kari: Actor, public_app: Client
):
    nora = person(personas.NORA)
    assert nora.age_on(datetime.date(2026, 6, 10)) == 14
    log_in(client, kari)
    page = client.get(authorize_query(public_app, pkce()) + f"&for={nora.pk}", secure=True).content.decode()
    shown, hidden = page.split("Appen får ikke se dette, fordi du ikke har tilgang til det for Nora:")
    assert "Timeavtaler og timeønsker" in shown
    for closed in ("Meldinger til og fra helsetjenesten", "Målinger og prøvesvar", "Svangerskapet: termin og forløp"):
        assert closed not in shown
        assert closed in hidden
    actor = actor_for_token(connect(client, public_app, nora.pk)["access_token"])
    assert actor is not None
    assert (actor.role, actor.subject_id) == (Role.PARENT, nora.pk)


def test_for_nora_at_16_kari_is_not_offered_her_and_cannot_post_her(client: Browser, kari: Actor, public_app: Client):
    nora = person(personas.NORA)
    with time_machine.travel(datetime.datetime(2027, 9, 10, 12, tzinfo=datetime.UTC), tick=True):
        log_in(client, kari)  # a login on that day (a session ends 120 minutes after its login)
        url = authorize_query(public_app, pkce())
        page = client.get(url + f"&for={nora.pk}", secure=True)
        assert page.status_code == 200
        assert "Nora Nordmann" not in page.content.decode()
        assert "Dette får appen se om deg" in page.content.decode()
        refused = client.post(url, {"subject": nora.pk, "decision": "allow"}, secure=True)
        assert refused.status_code == 404
    assert not Connection.objects.exists()


def test_a_refresh_token_is_rotated_and_a_reused_one_ends_the_connection(
    client: Browser, kari: Actor, public_app: Client
):
    log_in(client, kari)
    first = connect(client, public_app, kari.own_person_id)
    second = json_body(refresh(client, public_app, first["refresh_token"]))
    assert second["refresh_token"] != first["refresh_token"]
    assert second["patient"] == str(kari.person_id)
    assert actor_for_token(second["access_token"]) is not None
    third = json_body(refresh(client, public_app, second["refresh_token"]))
    assert actor_for_token(third["access_token"]) is not None
    # The first refresh token again: a stolen copy. Refused, and everything of the connection revoked.
    assert json_body(refresh(client, public_app, first["refresh_token"]))["error"] == "invalid_grant"
    assert actor_for_token(third["access_token"]) is None
    assert json_body(refresh(client, public_app, third["refresh_token"]))["error"] == "invalid_grant"


def test_without_offline_access_there_is_no_refresh_token(client: Browser, kari: Actor, public_app: Client):
    log_in(client, kari)
    challenge = pkce()
    url = authorize_query(public_app, challenge, scope="launch/patient patient/Appointment.rs")
    code = redirect_params(client.post(url, {"subject": kari.subject_id, "decision": "allow"}, secure=True))["code"]
    body = json_body(exchange(client, public_app, code, challenge))
    assert body["scope"] == "launch/patient patient/Appointment.rs"
    assert "refresh_token" not in body
    assert "id_token" not in body


def test_disconnecting_on_the_profile_page_kills_the_apps_tokens(client: Browser, kari: Actor, public_app: Client):
    log_in(client, kari)
    ola = person(personas.OLA)
    mine = connect(client, public_app, kari.own_person_id)
    for_ola = connect(client, public_app, ola.pk)
    profile = client.get("/profil/").content.decode()
    assert "Apper du har koblet til" in profile
    assert "Gjelder deg" in profile
    assert "Gjelder Ola Nordmann" in profile
    connection = Connection.objects.get(subject=ola)
    response = client.post(f"/profil/apper/{connection.pk}/koble-fra/")
    assert response.status_code == 302
    assert response["Location"] == "/profil/"
    assert actor_for_token(for_ola["access_token"]) is None
    assert json_body(refresh(client, public_app, for_ola["refresh_token"]))["error"] == "invalid_grant"
    assert actor_for_token(mine["access_token"]) is not None  # her own connection is untouched
    assert "Gjelder Ola Nordmann" not in client.get("/profil/").content.decode()
    event = AuditEvent.objects.get(action="smart:app:disconnected")
    assert (event.subject_id, event.actor_person_id, event.on_behalf_of_id) == (ola.pk, kari.person_id, ola.pk)


def test_nobody_else_can_disconnect_her_app(client: Browser, kari: Actor, public_app: Client):
    log_in(client, kari)
    body = connect(client, public_app, kari.own_person_id)
    per = person(personas.PER)
    log_in(client, Actor(role=Role.CITIZEN, assurance=kari.assurance, person_id=per.pk, subject_id=per.pk))
    connection = Connection.objects.get()
    assert client.post(f"/profil/apper/{connection.pk}/koble-fra/").status_code == 404
    assert actor_for_token(body["access_token"]) is not None


def test_the_smart_configuration_is_public_json(client: Browser, demo: None):
    response = client.get("/fhir/R4/.well-known/smart-configuration", secure=True)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    config = json_body(response)
    assert config["authorization_endpoint"] == "https://testserver/oauth/authorize"
    assert config["token_endpoint"] == "https://testserver/oauth/token"
    assert config["revocation_endpoint"] == "https://testserver/oauth/revoke"
    assert config["code_challenge_methods_supported"] == ["S256"]
    assert "private_key_jwt" in config["token_endpoint_auth_methods_supported"]
    assert config["token_endpoint_auth_signing_alg_values_supported"] == ["RS384", "ES384"]
    assert {"client_credentials", "authorization_code", "refresh_token"} <= set(config["grant_types_supported"])
    for capability in (
        "launch-standalone",
        "client-public",
        "client-confidential-asymmetric",
        "context-standalone-patient",
        "permission-v2",
        "permission-patient",
        "sso-openid-connect",
    ):
        assert capability in config["capabilities"]
    keys_response = json_body(client.get("/oauth/jwks"))
    assert all("d" not in key for key in keys_response["keys"])
    discovery = json_body(client.get("/oauth/.well-known/openid-configuration", secure=True))
    assert discovery["issuer"] == config["issuer"] == "https://testserver/oauth"
