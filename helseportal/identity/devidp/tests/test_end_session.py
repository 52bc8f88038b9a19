from urllib.parse import urlencode

import pytest

from helseportal.demo import personas
from helseportal.identity.devidp.tests.flow import Login, citizen, redeem, token_form, url

pytestmark = pytest.mark.django_db
BACK = "http://127.0.0.1:8000/logget-ut/"


def end_session(client, **params):
    return client.get(f"{url('end_session', 'idporten')}?{urlencode(params)}")


def test_logout_goes_back_to_the_client_with_its_state(client, db):
    response = end_session(client, post_logout_redirect_uri=BACK, state="abc")
    assert response.status_code == 302
    assert response["Location"] == f"{BACK}?state=abc"


def test_logout_without_a_return_address_shows_a_logged_out_page(client, db):
    response = end_session(client)
    assert response.status_code == 200
    assert "Du er logget ut" in response.content.decode()


def test_logout_never_sends_the_browser_to_a_foreign_host(client, db):
    response = end_session(client, post_logout_redirect_uri="https://evil.example/", state="abc")
    assert response.status_code == 400
    assert "Location" not in response


def test_logout_accepts_an_id_token_hint_it_issued(client, demo, idporten_key):
    login = Login.start()
    code = login.code(client, citizen(personas.KARI, "bankid"))
    id_token = redeem(client, "idporten", token_form(login, code, idporten_key)).json()["id_token"]
    response = end_session(client, id_token_hint=id_token, post_logout_redirect_uri=BACK)
    # The session it ended had a client to tell: a page with its front-channel frame, then on to BACK.
    assert response.status_code == 200
    assert f'href="{BACK}"' in response.content.decode()


def test_logout_refuses_an_id_token_hint_it_did_not_sign(client, db, idporten_key):
    from joserfc import jwt

    forged = jwt.encode({"alg": "RS256"}, {"iss": "http://testserver/dev-idp/idporten"}, idporten_key)
    response = end_session(client, id_token_hint=forged, post_logout_redirect_uri=BACK)
    assert response.status_code == 400
    assert "Location" not in response
