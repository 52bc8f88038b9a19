import stat

import pytest

from helseportal.identity.devidp.tests.flow import issuer, url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("provider", ["idporten", "helseid"])
def test_discovery_names_the_issuer_on_the_host_it_was_fetched_from(client, provider):
    document = client.get(url("discovery", provider), HTTP_HOST="127.0.0.1:8000").json()
    origin = "http://127.0.0.1:8000"
    assert document["issuer"] == f"{origin}/dev-idp/{provider}"
    assert document["authorization_endpoint"] == f"{origin}/dev-idp/{provider}/authorize"
    assert document["token_endpoint"] == f"{origin}/dev-idp/{provider}/token"
    assert document["userinfo_endpoint"] == f"{origin}/dev-idp/{provider}/userinfo"
    assert document["end_session_endpoint"] == f"{origin}/dev-idp/{provider}/endsession"
    assert document["jwks_uri"] == f"{origin}/dev-idp/{provider}/jwks"


@pytest.mark.parametrize("provider", ["idporten", "helseid"])
def test_discovery_offers_only_code_flow_with_pkce_and_private_key_jwt(client, provider):
    document = client.get(url("discovery", provider)).json()
    assert document["response_types_supported"] == ["code"]
    assert document["grant_types_supported"] == ["authorization_code"]
    assert document["code_challenge_methods_supported"] == ["S256"]
    assert document["token_endpoint_auth_methods_supported"] == ["private_key_jwt"]
    assert document["token_endpoint_auth_signing_alg_values_supported"] == ["RS256", "ES256"]
    assert document["id_token_signing_alg_values_supported"] == ["RS256"]
    assert document["subject_types_supported"] == ["pairwise"]
    assert document["frontchannel_logout_supported"] is True
    assert document["frontchannel_logout_session_supported"] is True
    assert "openid" in document["scopes_supported"]


def test_idporten_discovery_lists_both_assurance_levels_and_its_claims(client):
    document = client.get(url("discovery", "idporten")).json()
    assert document["acr_values_supported"] == ["idporten-loa-substantial", "idporten-loa-high"]
    assert {"pid", "acr", "amr", "sid", "locale"} <= set(document["claims_supported"])


def test_helseid_discovery_lists_the_helseid_claims(client):
    document = client.get(url("discovery", "helseid")).json()
    assert "helseid://claims/hpr/hpr_number" in document["claims_supported"]
    assert "helseid://claims/identity/security_level" in document["claims_supported"]


def test_an_unknown_provider_does_not_exist(client):
    assert client.get("/dev-idp/feide/.well-known/openid-configuration").status_code == 404


def test_jwks_publishes_only_the_public_half_of_a_persisted_key(client, devidp_files):
    keys = client.get(url("jwks", "idporten")).json()["keys"]
    assert len(keys) == 1
    key = keys[0]
    assert key["kty"] == "RSA"
    assert key["kid"]
    assert not {"d", "p", "q", "dp", "dq", "qi"} & set(key)
    assert client.get(url("jwks", "helseid")).json()["keys"] == keys
    stored = devidp_files / "devidp-signing.jwk"
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert '"d"' in stored.read_text()


def test_the_signing_key_survives_a_restart(client, devidp_files):
    from helseportal.identity.devidp import signing

    first = client.get(url("jwks", "idporten")).json()
    signing._load.cache_clear()
    assert client.get(url("jwks", "idporten")).json() == first


def test_issuer_helper_matches_the_test_client_host(client):
    assert client.get(url("discovery", "idporten")).json()["issuer"] == issuer("idporten")
