"""What the move onto authlib's server components must keep or add: errors never a 500, iss everywhere, RFC shapes."""

from urllib.parse import parse_qs, urlsplit

import pytest
from authlib.oidc.discovery import OpenIDProviderMetadata
from joserfc import jws, jwt

from helseportal.demo import personas
from helseportal.identity.devidp.models import AuthorizationCode
from helseportal.identity.devidp.tests.flow import CLIENT_ID, Login, citizen, issuer, redeem, token_form, url

pytestmark = pytest.mark.django_db


def test_a_repeated_parameter_is_an_error_page_that_names_it(client, db):
    response = client.get(Login.start().authorize_url() + "&state=again")
    assert response.status_code == 400
    assert "Location" not in response
    assert "Parameteren state er oppgitt mer enn én gang." in response.content.decode()


@pytest.mark.parametrize(
    "overrides",
    [
        {"redirect_uri": 'http://127.0.0.1:8000/login/callback/"x'},
        {"redirect_uri": "http://127.0.0.1:8000/login/callbæck/"},
        {"response_type": 'co"de'},
        {"client_id": 'å"\\'},
    ],
)
def test_characters_authlib_cannot_put_in_an_error_are_an_error_page_never_a_500(client, db, overrides):
    response = client.get(Login.start().authorize_url(**overrides))
    assert response.status_code == 400
    assert "Location" not in response


def test_single_sign_on_and_prompt_none_answer_with_a_code_the_state_and_the_issuer(client, demo, idporten_key):
    Login.start().code(client, citizen(personas.KARI, "bankid"))
    again = Login.start()
    response = client.get(again.authorize_url(prompt="none"))
    assert response.status_code == 302
    answer = parse_qs(urlsplit(response["Location"]).query)
    assert (answer["state"], answer["iss"]) == ([again.state], [issuer("idporten")])
    assert redeem(client, "idporten", token_form(again, answer["code"][0], idporten_key)).status_code == 200
    assert AuthorizationCode.objects.filter(used=True).count() == 1


def test_the_discovery_document_is_valid_provider_metadata(client, db, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "portal.example"]
    for provider in ("idporten", "helseid"):
        document = client.get(url("discovery", provider), HTTP_HOST="portal.example", secure=True).json()
        OpenIDProviderMetadata(document).validate()  # raises on a missing or malformed member


def test_the_access_token_is_an_rfc_9068_jwt_naming_the_signing_key(client, demo, idporten_key):
    login = Login.start()
    body = redeem(
        client, "idporten", token_form(login, login.code(client, citizen(personas.NORA, "minid")), idporten_key)
    )
    kid = client.get(url("jwks", "idporten")).json()["keys"][0]["kid"]
    assert jws.extract_compact(body.json()["access_token"].encode()).protected == {
        "alg": "RS256",
        "kid": kid,
        "typ": "at+jwt",
    }
    claims = jwt.decode(body.json()["access_token"], _jwks(client)).claims
    assert (claims["client_id"], claims["acr"], claims["amr"]) == (CLIENT_ID, "idporten-loa-substantial", ["Minid-PIN"])
    assert claims["exp"] == claims["iat"] + 120


@pytest.mark.parametrize("sub", [["a", "list"], 7, None])
def test_an_assertion_with_a_strange_subject_is_invalid_client_never_a_500(client, demo, idporten_key, sub):
    from helseportal.identity.devidp.tests.flow import assertion

    login = Login.start()
    signed = assertion(idporten_key, "idporten", sub=sub)
    form = token_form(
        login, login.code(client, citizen(personas.KARI, "bankid")), idporten_key, client_assertion=signed
    )
    response = redeem(client, "idporten", form)
    assert (response.status_code, response.json()["error"]) == (401, "invalid_client")


def _jwks(client):
    from joserfc.jwk import KeySet

    return KeySet.import_key_set(client.get(url("jwks", "idporten")).json())
