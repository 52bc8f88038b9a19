"""The provider keeps a single sign-on session, as ID-porten does, and logout ends it and tells the client.

Issue 15 item 7: a logout test means something only if the provider has a session for the logout to end.
"""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from helseportal.demo import personas
from helseportal.identity.devidp.models import ProviderSession
from helseportal.identity.devidp.tests.flow import (
    CALLBACK,
    Login,
    citizen,
    issuer,
    redeem,
    token_form,
    url,
    verify_with_jwks,
)

pytestmark = pytest.mark.django_db
BACK = "http://127.0.0.1:8000/logget-ut/"
COOKIE = "devidp_session_idporten"


def logged_in(client: Client, method: str = "bankid") -> Login:
    login = Login.start()
    login.code(client, citizen(personas.KARI, method))
    return login


def test_a_login_on_the_page_starts_a_session_with_a_cookie_on_the_providers_path(client, demo):
    login = Login.start()
    response = login.choose(client, citizen(personas.KARI, "bankid"))
    cookie = response.cookies[COOKIE]
    assert cookie["path"] == "/dev-idp/idporten/"
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    session = ProviderSession.objects.get()
    assert session.clients == ["http://127.0.0.1:8000/logout/frontchannel/"]
    assert cookie.value not in session.token_hash  # only a hash is kept


def test_with_a_session_the_next_authorization_skips_the_login_page(client, demo, idporten_key):
    logged_in(client)
    again = Login.start()
    response = client.get(again.authorize_url())
    assert response.status_code == 302
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["state"] == [again.state]
    token = redeem(client, "idporten", token_form(again, query["code"][0], idporten_key)).json()["id_token"]
    claims = verify_with_jwks(client, "idporten", token)
    assert claims["pid"] == personas.KARI.pid
    assert claims["sid"] == ProviderSession.objects.get().sid  # the same provider session


def test_prompt_login_and_a_step_up_show_the_page_again(client, demo):
    logged_in(client, "minid")
    assert client.get(Login.start().authorize_url(prompt="login")).status_code == 200
    assert client.get(Login.start().authorize_url(acr_values="idporten-loa-high")).status_code == 200


def test_prompt_none_without_a_session_answers_login_required(client, demo):
    response = client.get(Login.start().authorize_url(prompt="none"))
    assert response.status_code == 302
    assert "error=login_required" in response["Location"]


def test_logout_ends_the_session_and_loads_the_clients_front_channel_logout(client, demo):
    login = logged_in(client)
    sid = ProviderSession.objects.get().sid
    response = client.get(f"{url('end_session', 'idporten')}?post_logout_redirect_uri={BACK}&state=s1")
    page = response.content.decode()
    assert response.status_code == 200
    frame = re.search(r'<iframe src="([^"]+)"', page)
    assert frame is not None
    src = frame.group(1).replace("&amp;", "&")
    assert src.startswith(CALLBACK[login.provider].replace("/login/callback/", "/logout/frontchannel/?"))
    assert parse_qs(urlsplit(src).query) == {"iss": [issuer("idporten")], "sid": [sid]}
    assert "frame-src http://127.0.0.1:8000" in response["Content-Security-Policy"]
    assert f'data-continue="{BACK}?state=s1"' in page
    assert response.cookies[COOKIE].value == ""
    assert not ProviderSession.objects.exists()
    assert client.get(Login.start().authorize_url()).status_code == 200  # the login page again


def test_the_login_page_lets_its_form_redirect_to_the_client_and_nowhere_else(client, demo):
    response = client.get(Login.start().authorize_url())
    policy = response["Content-Security-Policy"]
    assert "form-action 'self' http://127.0.0.1:8000;" in policy
