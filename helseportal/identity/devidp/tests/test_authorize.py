import re
from urllib.parse import parse_qs, urlsplit

import pytest

from helseportal.demo import personas
from helseportal.identity.devidp.models import AuthorizationCode
from helseportal.identity.devidp.tests.flow import CALLBACK, Login, citizen, issuer

pytestmark = pytest.mark.django_db


def error_of(response) -> dict[str, list[str]]:
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == CALLBACK["idporten"]
    return parse_qs(location.query)


def test_the_login_page_says_it_is_a_test_provider_and_lists_every_demo_person(client, demo):
    page = client.get(Login.start().authorize_url()).content.decode()
    assert "testinnlogging" in page
    assert "syntetiske fødselsnummer" in page
    assert len(re.findall(r"<h1[ >]", page)) == 1
    for persona in personas.CITIZENS:
        name = f"{persona.given_name} {persona.family_name}"
        assert persona.pid[:6] + "*****" in page
        assert persona.pid not in page.replace(f'value="{persona.pid}:', "")  # masked wherever people read it
        assert f'aria-label="Logg inn som {name} med MinID"' in page
        assert f'aria-label="Logg inn som {name} med BankID"' in page


def test_the_login_page_shows_the_age_of_each_person(client, demo):
    page = client.get(Login.start().authorize_url()).content.decode()
    assert re.search(r"10\s+år", page)  # Ola


def test_a_request_for_high_assurance_offers_only_bankid_and_says_why(client, demo):
    page = client.get(Login.start().authorize_url(acr_values="idporten-loa-high")).content.decode()
    assert "med BankID" in page
    assert "MinID" not in page.replace("ikke med MinID", "")
    assert "høyt sikkerhetsnivå" in page


def test_minid_is_refused_when_the_client_asked_for_high(client, demo):
    response = Login.start().choose(client, citizen(personas.KARI, "minid"), acr_values="idporten-loa-high")
    assert response.status_code == 200
    assert "Velg en innloggingsmåte som tjenesten godtar" in response.content.decode()
    assert not AuthorizationCode.objects.exists()


def test_choosing_a_person_redirects_with_a_code_the_state_and_the_issuer(client, demo):
    login = Login.start()
    response = login.choose(client, citizen(personas.KARI, "bankid"))
    assert response.status_code == 302
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["state"] == [login.state]
    assert query["iss"] == [issuer("idporten")]
    assert len(query["code"][0]) >= 43
    stored = AuthorizationCode.objects.get()
    assert stored.code_hash != query["code"][0]
    assert stored.claims["pid"] == personas.KARI.pid
    assert stored.claims["acr"] == "idporten-loa-high"


def test_the_login_post_needs_the_csrf_token(client, demo):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    login = Login.start()
    response = strict.post("/dev-idp/idporten/authorize", {**login.params(), "login": citizen(personas.KARI, "bankid")})
    assert response.status_code == 403


def test_a_typed_synthetic_number_logs_in(client, db):
    login = Login.start()
    code = login.code(client, "typed:bankid", pid=personas.PER.pid)
    assert code
    assert AuthorizationCode.objects.get().claims["pid"] == personas.PER.pid


def test_a_typed_number_with_wrong_check_digits_shows_a_norwegian_error(client, db):
    response = Login.start().choose(client, "typed:bankid", pid="12839440145")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Kontrollsifrene i fødselsnummeret stemmer ikke." in page
    assert 'aria-invalid="true"' in page
    assert not AuthorizationCode.objects.exists()


def test_a_typed_real_looking_number_is_refused(client, db):
    response = Login.start().choose(client, "typed:bankid", pid="01018010018")  # valid check digits, not synthetic
    assert "Bruk et syntetisk testnummer" in response.content.decode()
    assert not AuthorizationCode.objects.exists()


def test_an_unknown_client_gets_an_error_page_and_no_redirect(client, db):
    response = client.get(Login.start().authorize_url(client_id="someone-else"))
    assert response.status_code == 400
    assert "someone-else" in response.content.decode()
    assert "Location" not in response


@pytest.mark.parametrize(
    "redirect_uri",
    [
        "https://evil.example/login/callback/",
        "http://127.0.0.1:8000/somewhere-else/",
        "http://127.0.0.1:8000/login/helseid/callback/",
        "javascript:alert(1)//127.0.0.1/login/callback/",
        "http://user@127.0.0.1:8000/login/callback/",
        "",
    ],
)
def test_a_redirect_uri_off_the_rules_gets_an_error_page_and_no_redirect(client, db, redirect_uri):
    response = client.get(Login.start().authorize_url(redirect_uri=redirect_uri))
    assert response.status_code == 400
    assert "Location" not in response


def test_the_requests_own_host_is_an_allowed_redirect_host(client, db, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "portal.example"]
    response = client.get(
        Login.start().authorize_url(redirect_uri="https://portal.example/login/callback/"),
        HTTP_HOST="portal.example",
        SERVER_PORT="443",
        secure=True,
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"code_challenge_method": "plain"}, "invalid_request"),
        ({"code_challenge_method": None}, "invalid_request"),
        ({"code_challenge": None}, "invalid_request"),
        ({"code_challenge": "too-short"}, "invalid_request"),
        ({"nonce": None}, "invalid_request"),
        ({"response_type": "token"}, "unsupported_response_type"),
        ({"scope": "profile"}, "invalid_scope"),
    ],
)
def test_a_bad_request_from_a_known_client_goes_back_with_an_error(client, db, overrides, error):
    login = Login.start()
    query = error_of(client.get(login.authorize_url(**overrides)))
    assert query["error"] == [error]
    assert query["error_description"]
    assert query["state"] == [login.state]
    assert query["iss"] == [issuer("idporten")]


def test_a_request_without_state_goes_back_with_an_error_and_no_state(client, db):
    query = error_of(client.get(Login.start().authorize_url(state=None)))
    assert query["error"] == ["invalid_request"]
    assert "state" not in query


def test_a_tampered_login_post_is_checked_again(client, demo):
    response = Login.start().choose(client, citizen(personas.KARI, "bankid"), code_challenge_method="plain")
    assert error_of(response)["error"] == ["invalid_request"]
    assert not AuthorizationCode.objects.exists()


def test_a_person_not_on_the_list_is_refused_on_the_page(client, demo):
    response = Login.start().choose(client, "17859025188:bankid")  # synthetic, but not on the list
    assert response.status_code == 200
    assert "Fant ikke personen du valgte." in response.content.decode()
    assert not AuthorizationCode.objects.exists()
