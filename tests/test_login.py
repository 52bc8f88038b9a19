"""Citizen and practitioner login end to end: the portal's OIDC client against the dev identity provider."""

import datetime
import time

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from helseportal.access.models import AuditEvent
from helseportal.core.actor import Assurance, Role
from helseportal.demo import personas
from helseportal.demo.loader import load_demo
from helseportal.identity.middleware import TOUCHED
from helseportal.identity.models import LoginSession
from tests.oidc_flow import log_in, start

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("provider_over_wsgi")]
from tests.oidc_flow import provider_over_wsgi  # noqa: E402,F401  (fixture)


@pytest.fixture(autouse=True)
def demo() -> None:
    load_demo()


def actor(client: Client) -> dict:
    return client.session["actor"]


def landing(client: Client, response) -> str:
    """Where the login sends the user after the after-login step."""
    assert response.status_code == 302, response.content[:300]
    assert response["Location"].startswith("/etter-innlogging/")
    return str(client.get(response["Location"])["Location"])


def test_kari_logs_in_with_bankid_and_is_asked_whom_to_act_for(client: Client):
    response = log_in(client, f"{personas.KARI.pid}:bankid")
    assert landing(client, response).startswith("/velg-person/")
    assert actor(client)["assurance"] == Assurance.HIGH
    assert actor(client)["display_name"] == "Kari Nordmann"
    assert AuditEvent.objects.filter(action="identity:login:succeeded", outcome="allowed").count() == 1


def test_the_authorization_request_uses_pkce_s256_state_and_nonce(client: Client):
    params = start(client).params
    assert params["code_challenge_method"] == "S256"
    assert len(params["code_challenge"]) >= 43
    assert len(params["state"]) >= 32
    assert len(params["nonce"]) >= 32
    assert params["response_type"] == "code"


def test_login_gives_a_new_session_key(client: Client):
    client.get("/")
    client.session.save()
    before = client.session.session_key
    log_in(client, f"{personas.KARI.pid}:bankid")
    assert client.session.session_key != before


def test_nora_with_minid_is_a_youth_and_lands_in_the_youth_services(client: Client):
    response = log_in(client, f"{personas.NORA.pid}:minid")
    assert landing(client, response).startswith("/ungdom/")
    assert actor(client)["role"] == Role.YOUTH
    assert client.get("/ungdom/").status_code == 200


def test_a_youth_is_sent_to_step_up_for_anything_else(client: Client):
    log_in(client, f"{personas.NORA.pid}:minid")
    response = client.get("/min-side/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?")
    assert "acr=idporten-loa-high" in response["Location"]


def test_step_up_asks_the_provider_for_level_high(client: Client):
    log_in(client, f"{personas.NORA.pid}:minid")
    flow = start(client, "/login/?next=/min-side/&acr=idporten-loa-high")
    assert flow.params["acr_values"] == "idporten-loa-high"
    response = flow.callback(flow.log_in_at_provider(f"{personas.NORA.pid}:bankid"))
    assert actor(client)["assurance"] == Assurance.HIGH
    assert actor(client)["role"] == Role.CITIZEN
    assert client.get(landing(client, response)).status_code == 200


def test_mette_logs_in_with_helseid_and_reaches_the_practitioner_page(client: Client):
    response = log_in(client, f"{personas.METTE.hpr_number}:4", path="/login/helseid/")
    assert response.status_code == 302
    assert actor(client)["hpr_number"] == personas.METTE.hpr_number
    page = client.get("/helsepersonell/")
    assert page.status_code == 200
    assert personas.METTE.hpr_number in page.content.decode()


def test_a_helseid_login_without_hpr_gets_a_clear_norwegian_explanation(client: Client):
    response = log_in(client, "uten-hpr:4", path="/login/helseid/")
    assert response.status_code == 403
    assert "HPR-nummer" in response.content.decode()
    assert AuditEvent.objects.filter(action="identity:login:failed", reason="no_hpr").exists()


def test_a_helseid_login_at_security_level_3_is_refused(client: Client):
    response = log_in(client, f"{personas.LARS.hpr_number}:3", path="/login/helseid/")
    assert response.status_code == 400
    assert "sikkerhetsnivå 4" in response.content.decode()


def test_a_citizen_is_not_a_practitioner(client: Client):
    log_in(client, f"{personas.KARI.pid}:bankid")
    response = client.get("/helsepersonell/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/helseid/")


def test_logout_ends_the_session_and_sends_the_user_to_the_provider(client: Client):
    log_in(client, f"{personas.KARI.pid}:bankid")
    response = client.post("/logout/")
    assert response.status_code == 302
    assert "/dev-idp/idporten/endsession?" in response["Location"]
    assert "id_token_hint=" in response["Location"]
    assert "actor" not in client.session
    assert AuditEvent.objects.filter(action="identity:logout").exists()


def test_front_channel_logout_ends_the_session_with_that_sid(client: Client):
    log_in(client, f"{personas.KARI.pid}:bankid")
    login_session = LoginSession.objects.get()
    other = Client()
    response = other.get("/logout/frontchannel/", {"iss": login_session.issuer, "sid": login_session.sid})
    assert response.status_code == 200
    assert client.get("/min-side/").status_code == 302  # the old session is gone: back to login


def test_a_session_ends_120_minutes_after_login_however_active(client: Client):
    log_in(client, f"{personas.KARI.pid}:bankid")
    session = client.session
    session["login_at"] = time.time() - 121 * 60
    session.save()
    response = client.get("/min-side/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_a_session_ends_30_minutes_idle_and_not_while_she_is_active(client: Client):
    log_in(client, f"{personas.KARI.pid}:bankid")
    for _ in range(3):  # active: a page every 20 minutes, an hour in all
        _moved_on(minutes=20)
        assert client.get("/min-side/").status_code == 200
    _moved_on(minutes=30)  # idle for 30 minutes
    response = client.get("/min-side/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_a_page_inside_the_minute_writes_no_session(client: Client):
    """The idle limit slides with one session write a minute (`identity.middleware.sliding_session`), not one per
    request; the first page after the minute writes it."""
    log_in(client, f"{personas.KARI.pid}:bankid")
    client.get("/min-side/")
    with CaptureQueriesContext(connection) as quick:
        assert client.get("/min-side/").status_code == 200
    assert not [q for q in quick.captured_queries if q["sql"].startswith('UPDATE "django_session"')]
    _moved_on(minutes=1)
    with CaptureQueriesContext(connection) as later:
        client.get("/min-side/")
    assert [q for q in later.captured_queries if q["sql"].startswith('UPDATE "django_session"')]


def _moved_on(*, minutes: int) -> None:
    """Age every stored session and its idle mark by `minutes`, as if that long had passed since its last save."""
    for row in Session.objects.all():
        data = row.get_decoded()
        data[TOUCHED] = data.get(TOUCHED, time.time()) - minutes * 60
        Session.objects.save(row.session_key, data, row.expire_date - datetime.timedelta(minutes=minutes))


def test_no_log_line_holds_a_fodselsnummer_or_a_token(client: Client, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    log_in(client, f"{personas.KARI.pid}:bankid")
    client.get("/min-side/")
    id_token = client.session["id_token"]
    text = "\n".join(record.getMessage() for record in caplog.records)
    assert caplog.records  # the flow did log (HTTP calls to the provider), so the check below means something
    assert personas.KARI.pid not in text
    assert id_token not in text
    assert id_token.split(".")[1] not in text


def test_a_login_drops_the_front_channel_rows_of_sessions_that_expired_without_a_logout(client: Client):
    log_in(client, f"{personas.KARI.pid}:bankid")
    LoginSession.objects.update(created=timezone.now() - datetime.timedelta(minutes=121))
    log_in(Client(), f"{personas.PER.pid}:bankid")
    assert LoginSession.objects.count() == 1  # Per's; Kari's session has expired whatever she did
