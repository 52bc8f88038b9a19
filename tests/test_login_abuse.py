"""What an anonymous stranger can make the login do: no 500s, no NUL in a query, no unbounded writes.

Issue 15 item 10: `/login/callback/?error=<11 digits>` was a 500 (the audit log refuses what looks like a
fødselsnummer), NUL in a parameter was a 500 on PostgreSQL, 200 forged callbacks wrote 200 audit rows, and every
anonymous visit to /login/ wrote a session row.
"""

import time

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from helseportal.access.models import AuditEvent
from helseportal.demo import personas
from helseportal.demo.loader import load_demo
from helseportal.identity import loginstate, throttle
from tests.oidc_flow import change_login_state, log_in, provider_over_wsgi, start  # noqa: F401  (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("provider_over_wsgi")]


def failed_reasons() -> list[str]:
    return list(AuditEvent.objects.filter(action="identity:login:failed").values_list("reason", flat=True))


@pytest.mark.parametrize("error", ["12345678901", "123456789012345", "x" * 500, "<script>"])
def test_an_unknown_error_code_on_the_callback_is_a_clear_page_and_recorded_as_other(client: Client, error):
    response = client.get("/login/callback/", {"error": error})
    assert response.status_code == 400
    assert "Innloggingen ble avbrutt." in response.content.decode()
    assert failed_reasons() == ["provider_error:other"]


def test_a_known_error_code_is_recorded_as_it_is(client: Client):
    client.get("/login/helseid/callback/", {"error": "access_denied", "error_description": "12345678901"})
    assert failed_reasons() == ["provider_error:access_denied"]


@pytest.mark.parametrize(
    "path",
    [
        "/login/callback/?error=a%00b",
        "/login/callback/?code=a%00&state=b",
        "/logout/frontchannel/?iss=a%00&sid=b",
        "/logout/frontchannel/?iss=a&sid=%00",
        "/enhet/a%00b/",
        "/?q%00=1",
    ],
)
def test_nul_anywhere_in_a_url_is_a_norwegian_bad_request_before_any_query(client: Client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "<html" in response.content.decode()
    assert 'lang="nb"' in response.content.decode()
    assert AuditEvent.objects.count() == 0


def test_nul_in_a_form_or_a_cookie_is_a_bad_request(client: Client):
    assert client.post("/logout/", {"x": "a\x00b"}).status_code == 400
    client.cookies["sessionid"] = "abc\x00defghij"
    assert client.get("/").status_code == 400


def test_forged_callbacks_from_one_address_are_recorded_only_up_to_the_limit():
    stranger = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(throttle.RECORDED_PER_WINDOW + 15):
        assert stranger.get("/login/callback/", {"code": "x", "state": "y"}).status_code == 400
    reasons = failed_reasons()
    assert reasons.count("no_login_in_progress") == throttle.RECORDED_PER_WINDOW
    assert reasons.count(throttle.TOO_MANY) == 1
    assert len(reasons) == throttle.RECORDED_PER_WINDOW + 1
    # Someone else's failed login is still recorded.
    Client(REMOTE_ADDR="198.51.100.2").get("/login/callback/", {"code": "x", "state": "y"})
    assert len(failed_reasons()) == throttle.RECORDED_PER_WINDOW + 2


def test_ipv6_addresses_count_by_their_64_prefix():
    one = Client(REMOTE_ADDR="2001:db8:1:2::1")
    other_host_same_prefix = Client(REMOTE_ADDR="2001:db8:1:2:ffff::9")
    for n in range(throttle.RECORDED_PER_WINDOW):
        (one if n % 2 else other_host_same_prefix).get("/login/callback/", {"code": "x"})
    one.get("/login/callback/", {"code": "x"})
    assert failed_reasons().count(throttle.TOO_MANY) == 1


def test_behind_a_proxy_the_address_is_the_one_the_proxy_saw(settings):
    settings.HELSEPORTAL_FORWARDED_HOPS = 1
    spoofer = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.7")
    for n in range(throttle.RECORDED_PER_WINDOW + 2):
        # A client that changes the left part of the header still counts as 203.0.113.7.
        spoofer.get("/login/callback/", {"code": "x"}, HTTP_X_FORWARDED_FOR=f"1.1.1.{n}, 203.0.113.7")
    assert failed_reasons().count(throttle.TOO_MANY) == 1


def test_visiting_the_login_writes_no_session_row(client: Client):
    for _ in range(5):
        response = client.get("/login/")
        assert response.status_code == 302
    assert Session.objects.count() == 0
    cookie = response.cookies[loginstate.cookie_name("idporten")]
    assert cookie["path"] == "/login/"
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == 15 * 60


def test_the_login_state_cannot_be_read_or_changed_by_the_browser(client: Client):
    load_demo()
    flow = start(client)
    value = client.cookies[loginstate.cookie_name("idporten")].value
    assert flow.params["nonce"] not in value
    assert flow.params["state"] not in value
    client.cookies[loginstate.cookie_name("idporten")] = value[:-3] + ("AAA" if not value.endswith("AAA") else "BBB")
    response = flow.callback(flow.log_in_at_provider(f"{personas.KARI.pid}:bankid"))
    assert response.status_code == 400
    assert "no_login_in_progress" in failed_reasons()


def test_a_login_state_older_than_15_minutes_is_refused(client: Client):
    load_demo()
    flow = start(client)
    change_login_state(client, started=time.time() - 15 * 60 - 1)
    response = flow.callback(flow.log_in_at_provider(f"{personas.KARI.pid}:bankid"))
    assert response.status_code == 400
    assert "Innloggingen er utløpt" in response.content.decode()


def test_a_login_state_is_used_once_and_the_session_key_still_changes_at_login(client: Client):
    load_demo()
    client.get("/")
    client.session.save()
    before = client.session.session_key
    csrf_before = client.cookies["csrftoken"].value
    flow = start(client)
    callback = flow.log_in_at_provider(f"{personas.KARI.pid}:bankid")
    response = flow.callback(callback)
    assert response.status_code == 302
    assert client.session.session_key != before
    assert client.cookies["csrftoken"].value != csrf_before  # a new CSRF token too
    assert response.cookies[loginstate.cookie_name("idporten")].value == ""  # deleted
    assert Session.objects.count() == 1


def test_a_login_still_works_end_to_end(client: Client):
    load_demo()
    response = log_in(client, f"{personas.KARI.pid}:bankid")
    assert response.status_code == 302
    assert client.session["actor"]["display_name"] == "Kari Nordmann"
