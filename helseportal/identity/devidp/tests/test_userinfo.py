import pytest

from helseportal.demo import personas
from helseportal.identity.devidp.tests.flow import Login, citizen, redeem, token_form, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def tokens(client, demo, idporten_key) -> dict:
    login = Login.start()
    code = login.code(client, citizen(personas.KARI, "bankid"))
    return redeem(client, "idporten", token_form(login, code, idporten_key)).json()


def test_userinfo_answers_with_the_identity_for_a_valid_access_token(client, tokens):
    response = client.get(url("userinfo", "idporten"), HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}")
    assert response.status_code == 200
    body = response.json()
    assert body["pid"] == personas.KARI.pid
    assert body["sub"]
    assert "aud" not in body
    assert response["Cache-Control"] == "no-store"


def test_userinfo_refuses_a_bad_token(client, tokens):
    tampered = tokens["access_token"][:-4] + ("AAAA" if not tokens["access_token"].endswith("AAAA") else "BBBB")
    response = client.get(url("userinfo", "idporten"), HTTP_AUTHORIZATION=f"Bearer {tampered}")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith('Bearer realm="devidp", error="invalid_token"')


def test_userinfo_refuses_an_id_token_in_place_of_an_access_token(client, tokens):
    response = client.get(url("userinfo", "idporten"), HTTP_AUTHORIZATION=f"Bearer {tokens['id_token']}")
    assert response.status_code == 401


def test_userinfo_refuses_an_access_token_from_the_other_issuer(client, tokens):
    response = client.get(url("userinfo", "helseid"), HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}")
    assert response.status_code == 401


def test_userinfo_without_a_token_asks_for_one(client, db):
    response = client.get(url("userinfo", "idporten"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="devidp"'


def test_the_access_token_is_for_the_issuer_and_carries_sub_pid_and_scope(client, tokens):
    from joserfc import jwt
    from joserfc.jwk import KeySet

    keys = KeySet.import_key_set(client.get(url("jwks", "idporten")).json())
    claims = jwt.decode(tokens["access_token"], keys, algorithms=["RS256"]).claims
    assert claims["aud"] == "http://testserver/dev-idp/idporten"
    assert claims["pid"] == personas.KARI.pid
    assert claims["scope"] == "openid profile"
    assert claims["sub"]
