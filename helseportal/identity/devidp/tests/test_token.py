import datetime
import hashlib
import time

import pytest
from joserfc.jwk import RSAKey

from helseportal.demo import personas
from helseportal.identity.devidp.models import AuthorizationCode
from helseportal.identity.devidp.tests.flow import (
    CLIENT_ID,
    Login,
    assertion,
    citizen,
    issuer,
    redeem,
    token_form,
    url,
    verify_with_jwks,
)

pytestmark = pytest.mark.django_db


def kari_bankid_code(client, login: Login) -> str:
    return login.code(client, citizen(personas.KARI, "bankid"))


def test_a_code_and_a_signed_client_assertion_give_tokens(client, demo, idporten_key):
    login = Login.start()
    code = kari_bankid_code(client, login)
    response = redeem(client, "idporten", token_form(login, code, idporten_key))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 120
    assert body["scope"] == "openid profile"
    assert body["access_token"]
    assert response["Cache-Control"] == "no-store"


def test_the_id_token_verifies_with_the_jwks_and_carries_the_idporten_claims(client, demo, idporten_key):
    login = Login.start()
    body = redeem(client, "idporten", token_form(login, kari_bankid_code(client, login), idporten_key)).json()
    claims = verify_with_jwks(client, "idporten", body["id_token"])
    assert claims["iss"] == issuer("idporten")
    assert claims["aud"] == CLIENT_ID
    assert claims["sub"] == hashlib.sha256(f"{CLIENT_ID}:{personas.KARI.pid}".encode()).hexdigest()
    assert claims["pid"] == personas.KARI.pid
    assert claims["acr"] == "idporten-loa-high"
    assert claims["amr"] == ["BankID"]
    assert claims["locale"] == "nb"
    assert claims["nonce"] == login.nonce
    assert claims["exp"] == claims["iat"] + 120
    assert claims["auth_time"] <= claims["iat"]
    assert claims["sid"]
    assert claims["jti"]


def test_the_id_token_header_names_the_signing_key(client, demo, idporten_key):
    from joserfc import jws

    login = Login.start()
    body = redeem(client, "idporten", token_form(login, kari_bankid_code(client, login), idporten_key)).json()
    kid = client.get(url("jwks", "idporten")).json()["keys"][0]["kid"]
    assert jws.extract_compact(body["id_token"].encode()).protected == {"alg": "RS256", "kid": kid, "typ": "JWT"}


def test_minid_gives_substantial_with_a_pin(client, demo, idporten_key):
    login = Login.start()
    code = login.code(client, citizen(personas.NORA, "minid"))
    body = redeem(client, "idporten", token_form(login, code, idporten_key)).json()
    claims = verify_with_jwks(client, "idporten", body["id_token"])
    assert (claims["acr"], claims["amr"]) == ("idporten-loa-substantial", ["Minid-PIN"])


def test_each_login_gets_its_own_sid(client, demo, idporten_key):
    sids = set()
    for _ in range(2):
        login = Login.start()
        body = redeem(client, "idporten", token_form(login, kari_bankid_code(client, login), idporten_key)).json()
        sids.add(verify_with_jwks(client, "idporten", body["id_token"])["sid"])
    assert len(sids) == 2


def test_it_refuses_a_code_used_twice(client, demo, idporten_key):
    login = Login.start()
    code = kari_bankid_code(client, login)
    assert redeem(client, "idporten", token_form(login, code, idporten_key)).status_code == 200
    again = redeem(client, "idporten", token_form(login, code, idporten_key))
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"


def test_it_refuses_an_expired_code(client, demo, idporten_key):
    login = Login.start()
    code = kari_bankid_code(client, login)
    AuthorizationCode.objects.update(created=AuthorizationCode.objects.get().created - datetime.timedelta(seconds=61))
    response = redeem(client, "idporten", token_form(login, code, idporten_key))
    assert (response.status_code, response.json()["error"]) == (400, "invalid_grant")
    assert "expired" in response.json()["error_description"]


def test_a_code_still_works_just_before_it_expires(client, demo, idporten_key):
    login = Login.start()
    code = kari_bankid_code(client, login)
    AuthorizationCode.objects.update(created=AuthorizationCode.objects.get().created - datetime.timedelta(seconds=55))
    assert redeem(client, "idporten", token_form(login, code, idporten_key)).status_code == 200


def test_it_refuses_a_wrong_code_verifier_and_burns_the_code(client, demo, idporten_key):
    login = Login.start()
    code = kari_bankid_code(client, login)
    wrong = redeem(client, "idporten", token_form(login, code, idporten_key, code_verifier="x" * 43))
    assert (wrong.status_code, wrong.json()["error"]) == (400, "invalid_grant")
    right = redeem(client, "idporten", token_form(login, code, idporten_key))
    assert right.json()["error"] == "invalid_grant"


def test_it_refuses_a_missing_code_verifier(client, demo, idporten_key):
    login = Login.start()
    form = token_form(login, kari_bankid_code(client, login), idporten_key)
    del form["code_verifier"]
    assert redeem(client, "idporten", form).json()["error"] == "invalid_request"


def test_it_refuses_a_redirect_uri_other_than_the_one_in_the_request(client, demo, idporten_key):
    login = Login.start()
    code = kari_bankid_code(client, login)
    form = token_form(login, code, idporten_key, redirect_uri="http://localhost:8000/login/callback/")
    assert redeem(client, "idporten", form).json()["error"] == "invalid_grant"


def test_it_refuses_an_unknown_code(client, db, idporten_key):
    response = redeem(client, "idporten", token_form(Login.start(), "no-such-code", idporten_key))
    assert response.json()["error"] == "invalid_grant"


def test_it_refuses_a_code_issued_by_the_other_provider(client, demo, idporten_key):
    login = Login.start()
    code = kari_bankid_code(client, login)
    form = token_form(login, code, idporten_key, client_assertion=assertion(idporten_key, "helseid"))
    response = redeem(client, "helseid", form)
    assert response.status_code in (400, 401)
    assert response.json()["error"] in ("invalid_grant", "invalid_client")


def test_it_refuses_an_assertion_signed_by_another_key(client, demo, idporten_key):
    login = Login.start()
    code = kari_bankid_code(client, login)
    stranger = RSAKey.generate_key(2048, parameters={"kid": "stranger"}, private=True)
    response = redeem(
        client, "idporten", token_form(login, code, idporten_key, client_assertion=assertion(stranger, "idporten"))
    )
    assert (response.status_code, response.json()["error"]) == (401, "invalid_client")
    assert response["Cache-Control"] == "no-store"


def test_it_refuses_an_assertion_used_twice(client, demo, idporten_key):
    reused = assertion(idporten_key, "idporten")
    first, second = Login.start(), Login.start()
    ok = redeem(
        client,
        "idporten",
        token_form(first, kari_bankid_code(client, first), idporten_key, client_assertion=reused),
    )
    assert ok.status_code == 200
    replay = token_form(second, kari_bankid_code(client, second), idporten_key, client_assertion=reused)
    response = redeem(client, "idporten", replay)
    assert (response.status_code, response.json()["error"]) == (401, "invalid_client")
    assert "used before" in response.json()["error_description"]


def test_it_accepts_the_token_endpoint_as_the_assertion_audience(client, demo, idporten_key):
    login = Login.start()
    signed = assertion(idporten_key, "idporten", aud=f"http://testserver{url('token', 'idporten')}")
    form = token_form(login, kari_bankid_code(client, login), idporten_key, client_assertion=signed)
    assert redeem(client, "idporten", form).status_code == 200


@pytest.mark.parametrize(
    "claims",
    [
        {"aud": "http://testserver/dev-idp/helseid"},
        {"iss": "someone-else", "sub": "someone-else"},
        {"sub": "someone-else"},
        {"exp": lambda: int(time.time()) - 1},  # at test time: taken at collection, it aged with a long run
        {"exp": lambda: int(time.time()) + 600},
        {"jti": None},
    ],
    ids=["wrong-audience", "unknown-client", "sub-not-client", "expired", "too-long-lived", "no-jti"],
)
def test_it_refuses_an_assertion_with_bad_claims(client, demo, idporten_key, claims):
    login = Login.start()
    claims = {name: value() if callable(value) else value for name, value in claims.items()}
    signed = assertion(idporten_key, "idporten", **claims)
    form = token_form(login, kari_bankid_code(client, login), idporten_key, client_assertion=signed)
    response = redeem(client, "idporten", form)
    assert (response.status_code, response.json()["error"]) == (401, "invalid_client")
    assert AuthorizationCode.objects.get().used is False  # the code survives for the real client


def test_it_refuses_a_client_secret_or_no_authentication(client, demo, idporten_key):
    login = Login.start()
    form = token_form(login, kari_bankid_code(client, login), idporten_key)
    del form["client_assertion"], form["client_assertion_type"]
    response = redeem(client, "idporten", {**form, "client_id": CLIENT_ID, "client_secret": "secret"})
    assert (response.status_code, response.json()["error"]) == (401, "invalid_client")


def test_it_refuses_another_grant_type(client, db, idporten_key):
    form = token_form(Login.start(), "x", idporten_key, grant_type="refresh_token")
    assert redeem(client, "idporten", form).json()["error"] == "unsupported_grant_type"


def test_it_refuses_a_get_to_the_token_endpoint(client, db):
    assert client.get(url("token", "idporten")).status_code == 405


def test_of_two_redemptions_that_read_the_code_at_once_only_one_wins(client, demo):
    from helseportal.identity.devidp.server import spend

    kari_bankid_code(client, Login.start())
    first_read, second_read = AuthorizationCode.objects.get(), AuthorizationCode.objects.get()
    assert (first_read.used, second_read.used) == (False, False)
    assert spend(first_read) is True
    assert spend(second_read) is False
