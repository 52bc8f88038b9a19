import re

import pytest

from helseportal.demo import personas
from helseportal.identity.devidp.identities import NO_HPR
from helseportal.identity.devidp.tests.flow import Login, issuer, redeem, token_form, verify_with_jwks

pytestmark = pytest.mark.django_db

HELSEID = "helseid://claims"


def log_in(client, key, choice: str) -> dict:
    login = Login.start("helseid")
    body = redeem(client, "helseid", token_form(login, login.code(client, choice), key)).json()
    return verify_with_jwks(client, "helseid", body["id_token"])


def test_the_helseid_page_lists_every_practitioner_and_one_without_hpr(client, demo):
    page = client.get(Login.start("helseid").authorize_url()).content.decode()
    assert "testinnlogging" in page
    assert len(re.findall(r"<h1[ >]", page)) == 1
    for persona in personas.PRACTITIONERS:
        name = f"{persona.given_name} {persona.family_name}"
        assert persona.hpr_number in page
        assert persona.profession in page
        assert f'aria-label="Logg inn som {name} på sikkerhetsnivå 4"' in page
    assert "Helsepersonell uten HPR-nummer" in page
    assert f'aria-label="Logg inn som {NO_HPR.full_name}, uten HPR-nummer, på sikkerhetsnivå 4"' in page
    assert page.count("på sikkerhetsnivå 3") == 1


def test_a_practitioner_gets_level_4_high_assurance_and_the_hpr_number(client, demo, helseid_key):
    claims = log_in(client, helseid_key, f"{personas.METTE.hpr_number}:4")
    assert claims["iss"] == issuer("helseid")
    assert claims[f"{HELSEID}/identity/pid"] == personas.METTE.pid
    assert claims[f"{HELSEID}/identity/security_level"] == "4"
    assert claims[f"{HELSEID}/identity/assurance_level"] == "high"
    assert claims[f"{HELSEID}/hpr/hpr_number"] == personas.METTE.hpr_number
    assert (claims["name"], claims["given_name"], claims["family_name"]) == ("Mette Berg", "Mette", "Berg")
    assert claims["amr"] == ["pwd"]
    assert "pid" not in claims  # HelseID names its claims with URIs


def test_level_3_gives_substantial_assurance(client, demo, helseid_key):
    claims = log_in(client, helseid_key, f"{personas.LARS.hpr_number}:3")
    assert claims[f"{HELSEID}/identity/security_level"] == "3"
    assert claims[f"{HELSEID}/identity/assurance_level"] == "substantial"


def test_the_persona_without_hpr_has_no_hpr_claim(client, demo, helseid_key):
    claims = log_in(client, helseid_key, f"{NO_HPR.key}:4")
    assert f"{HELSEID}/hpr/hpr_number" not in claims
    assert claims[f"{HELSEID}/identity/pid"] == NO_HPR.pid
    assert claims[f"{HELSEID}/identity/security_level"] == "4"


def test_an_unknown_hpr_number_is_refused_on_the_page(client, demo):
    response = Login.start("helseid").choose(client, "1234567:4")
    assert response.status_code == 200
    assert "Fant ikke helsepersonellet" in response.content.decode()


def test_an_unknown_security_level_is_refused_on_the_page(client, demo):
    response = Login.start("helseid").choose(client, f"{personas.METTE.hpr_number}:2")
    assert "Ukjent sikkerhetsnivå" in response.content.decode()


def test_the_idporten_client_key_cannot_redeem_a_helseid_code(client, demo, idporten_key, helseid_key):
    login = Login.start("helseid")
    code = login.code(client, f"{personas.METTE.hpr_number}:4")
    response = redeem(client, "helseid", token_form(login, code, idporten_key))
    assert response.json()["error"] == "invalid_client"
