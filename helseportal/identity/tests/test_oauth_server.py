"""The shared authlib adapter, on a server that knows nothing of the dev IdP: the way the SMART server uses it."""

import json
import logging
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from authlib.oauth2.rfc6749 import ClientMixin, InsecureTransportError, OAuth2Error, grants
from authlib.oauth2.rfc6749.errors import MissingAuthorizationError
from authlib.oauth2.rfc6750 import BearerTokenGenerator, InvalidTokenError
from authlib.oauth2.rfc7636 import CodeChallenge, create_s256_code_challenge
from django.test import RequestFactory
from joserfc import jwt
from joserfc.jwk import ECKey

from helseportal.identity.devidp.models import UsedAssertion
from helseportal.identity.oauth_server import (
    JtiStore,
    KeysUnavailable,
    OAuthServer,
    PrivateKeyJWT,
    RemoteKeySets,
    bearer_error,
)

ISSUER = "https://as.example"
CALLBACK = "https://app.example/cb"
VERIFIER = "v" * 50


class App(ClientMixin):
    client_id = "app"

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> None:
        return None

    def get_allowed_scope(self, scope: str | None) -> str:
        return scope or ""

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri == CALLBACK

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method == "none"  # a public client: PKCE is what binds the code

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


@dataclass
class Code:
    code: str
    redirect_uri: str
    scope: str
    code_challenge: str
    code_challenge_method: str
    user: str

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope


class MemoryCodeGrant(grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["none"]
    codes: dict[str, Code] = {}

    def save_authorization_code(self, code: str, request: Any) -> None:
        data = request.payload.data
        self.codes[code] = Code(
            code,
            data["redirect_uri"],
            request.scope,
            data["code_challenge"],
            data["code_challenge_method"],
            request.user,
        )

    def query_authorization_code(self, code: str, client: App) -> Code | None:
        return self.codes.get(code)

    def delete_authorization_code(self, authorization_code: Code) -> None:
        self.codes.pop(authorization_code.code, None)

    def authenticate_user(self, authorization_code: Code) -> str:
        return authorization_code.user


@pytest.fixture
def saved() -> list[dict[str, Any]]:
    return []


@pytest.fixture
def server(saved: list[dict[str, Any]]) -> OAuthServer:
    app = App()
    built = OAuthServer(
        query_client=lambda client_id: app if client_id == app.client_id else None,
        save_token=lambda token, request: saved.append({**token, "user": request.user}),
        issuer=ISSUER,
    )
    built.register_grant(MemoryCodeGrant, [CodeChallenge(required=True)])
    built.register_token_generator("default", BearerTokenGenerator(lambda **_: "an-access-token"))
    return built


def authorize_request(**overrides: str) -> Any:
    params = {
        "response_type": "code",
        "client_id": "app",
        "redirect_uri": CALLBACK,
        "scope": "patient/*.rs",
        "state": "s1",
        "code_challenge": create_s256_code_challenge(VERIFIER),
        "code_challenge_method": "S256",
        **overrides,
    }
    return RequestFactory().get(f"/authorize?{urlencode(params)}", secure=True)


def query(response: Any) -> dict[str, list[str]]:
    return parse_qs(urlsplit(response["Location"]).query)


def test_a_code_flow_with_pkce_runs_through_the_adapter_and_every_redirect_names_the_issuer(server, saved):
    grant = server.consent_grant(authorize_request())
    response = server.create_authorization_response(grant.request, grant_user="person-1", grant=grant)
    assert response.status_code == 302
    answer = query(response)
    assert (answer["state"], answer["iss"]) == (["s1"], [ISSUER])
    form = {"grant_type": "authorization_code", "code": answer["code"][0], "redirect_uri": CALLBACK, "client_id": "app"}
    post = RequestFactory().post(
        "/token",
        urlencode({**form, "code_verifier": VERIFIER}),
        secure=True,
        content_type="application/x-www-form-urlencoded",
    )
    token = server.create_token_response(post)
    assert token.status_code == 200
    assert token["Cache-Control"] == "no-store"
    assert json.loads(token.content)["access_token"] == "an-access-token"
    assert saved == [{**json.loads(token.content), "user": "person-1"}]
    again = server.create_token_response(post)  # the code is gone
    assert (again.status_code, json.loads(again.content)["error"]) == (400, "invalid_grant")


def test_an_error_for_a_known_client_goes_back_with_state_and_issuer(server):
    with pytest.raises(OAuth2Error) as raised:
        server.consent_grant(authorize_request(code_challenge_method="bogus"))
    response = server.authorization_error(authorize_request(), raised.value)
    assert response is not None
    assert response.status_code == 302
    assert response["Location"].startswith(CALLBACK)
    answer = query(response)
    assert (answer["error"], answer["state"], answer["iss"]) == (["invalid_request"], ["s1"], [ISSUER])


@pytest.mark.parametrize(
    "overrides",
    [{"client_id": "stranger"}, {"redirect_uri": "https://evil.example/cb"}, {"redirect_uri": CALLBACK + '"x'}],
)
def test_an_error_without_a_trusted_redirect_is_left_to_the_caller(server, overrides):
    with pytest.raises(OAuth2Error) as raised:
        server.consent_grant(authorize_request(**overrides))
    assert server.authorization_error(authorize_request(**overrides), raised.value) is None


def test_plain_http_off_loopback_is_refused_unless_the_server_allows_it(server):
    on_http = RequestFactory().get("/authorize?client_id=app")
    with pytest.raises(InsecureTransportError):
        server.create_oauth2_request(on_http)
    server.allow_http = True
    converted = server.create_oauth2_request(on_http)
    assert converted.uri == "http://testserver/authorize?client_id=app"
    assert converted.payload.client_id == "app"


def test_a_resource_answers_a_missing_token_with_a_bare_challenge_and_a_bad_one_with_invalid_token():
    missing = bearer_error(MissingAuthorizationError("bearer", "api"))
    assert (missing.status_code, missing["WWW-Authenticate"]) == (401, 'Bearer realm="api"')
    bad = bearer_error(InvalidTokenError(realm="api"))
    assert bad.status_code == 401
    assert bad["WWW-Authenticate"].startswith('Bearer realm="api", error="invalid_token"')
    assert json.loads(bad.content)["error"] == "invalid_token"


def test_authlib_never_logs_at_debug_where_it_would_write_issued_tokens():
    assert not logging.getLogger("authlib.oauth2.rfc6749.grants.authorization_code").isEnabledFor(logging.DEBUG)


class System(ClientMixin):
    """A confidential client of SMART Backend Services' kind: client_credentials, keys published at a URL."""

    client_id = "system"

    def get_client_id(self) -> str:
        return self.client_id

    def get_allowed_scope(self, scope: str | None) -> str:
        return scope or ""

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method == PrivateKeyJWT.CLIENT_AUTH_METHOD

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "client_credentials"


class AssertionGrant(grants.ClientCredentialsGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = [PrivateKeyJWT.CLIENT_AUTH_METHOD]


@dataclass
class Published:
    """What the loopback JWKS endpoint serves (changed by the test), and how often it was asked."""

    status: int
    body: bytes
    fetches: int = 0


@pytest.fixture
def published() -> Iterator[tuple[str, Published]]:
    state = Published(200, b"{}")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.fetches += 1
            self.send_response(state.status)
            self.send_header("Content-Length", str(len(state.body)))
            self.end_headers()
            self.wfile.write(state.body)

        def log_message(self, *args: object) -> None:
            pass

    http = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=http.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{http.server_port}/jwks", state
    http.shutdown()
    http.server_close()


def signed(key: ECKey, **claims: Any) -> str:
    now = int(time.time())
    body = {"iss": "system", "sub": "system", "aud": f"{ISSUER}/token", "exp": now + 60, "jti": secrets.token_hex(8)}
    return jwt.encode({"alg": "ES384", "kid": key.kid}, {**body, **claims}, key, algorithms=["ES384"])


@pytest.mark.django_db
def test_private_key_jwt_with_keys_by_url_follows_a_rotation_and_spends_each_jti_once(published):
    url, state = published
    system = System()
    remote = RemoteKeySets(ttl=300, refetch_after=0)  # no pause before a fetch for an unknown kid
    server = OAuthServer(query_client=lambda client_id: system if client_id == "system" else None, issuer=ISSUER)
    server.register_grant(AssertionGrant)
    server.register_token_generator("default", BearerTokenGenerator(lambda **_: "a-system-token"))
    server.register_client_auth_method(
        PrivateKeyJWT.CLIENT_AUTH_METHOD,
        PrivateKeyJWT(
            audiences=[f"{ISSUER}/token"],
            public_key=lambda client: remote.resolver(url),
            spend_jti=JtiStore(UsedAssertion, provider="test"),
            algorithms=["ES384"],
            max_lifetime=300,
        ),
    )

    def token(assertion: str) -> tuple[int, dict[str, Any]]:
        form = {
            "grant_type": "client_credentials",
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": assertion,
        }
        request = RequestFactory().post(
            "/token", urlencode(form), secure=True, content_type="application/x-www-form-urlencoded"
        )
        response = server.create_token_response(request)
        return response.status_code, json.loads(response.content)

    first, second = (ECKey.generate_key("P-384", private=True) for _ in range(2))
    for key in (first, second):
        key.ensure_kid()
    state.body = json.dumps({"keys": [first.as_dict(private=True)]}).encode()  # a private part is never kept
    once = signed(first)
    assert token(once) == (200, {"access_token": "a-system-token", "token_type": "Bearer", "expires_in": 864000})
    assert token(signed(first))[0] == 200
    assert state.fetches == 1
    assert all(not key.is_private for key in remote.key_set(url).keys)
    assert token(once) == (400, {"error": "invalid_client", "error_description": "JWT ID is used before."})
    assert token(signed(first, jti="j" * 201))[1]["error_description"] == (
        "The client assertion's jti must be 1 to 200 characters."
    )

    state.body = json.dumps({"keys": [second.as_dict(private=False)]}).encode()  # the client rotated its key
    assert token(signed(second))[0] == 200
    assert state.fetches == 2
    assert "InvalidKeyIdError" in token(signed(first))[1]["error_description"]  # the old key is gone

    remote.clear()
    state.status = 500
    assert token(signed(second))[1]["error_description"] == (
        "The client's keys are not available: the JWKS URL answered 500."
    )
    state.status, state.body = 200, b" " * (remote.max_bytes + 1)
    assert "served too much" in token(signed(second))[1]["error_description"]


def test_a_failing_jwks_url_is_asked_once_per_pause_and_the_last_good_keys_serve_meanwhile(published):
    url, state = published
    key = ECKey.generate_key("P-384", private=True)
    key.ensure_kid()
    remote = RemoteKeySets(ttl=0, refetch_after=60)  # every set stale at once; a failure kept a minute
    state.body = json.dumps({"keys": [key.as_dict(private=False)]}).encode()
    assert [k.kid for k in remote.key_set(url).keys] == [key.kid]
    state.status = 503
    for _ in range(3):  # the client's key server is down: its last good set serves, asked once in the pause
        assert [k.kid for k in remote.key_set(url).keys] == [key.kid]
    assert state.fetches == 2

    never = RemoteKeySets(refetch_after=60)
    for _ in range(3):
        with pytest.raises(KeysUnavailable, match="answered 503"):
            never.key_set(url)
    assert state.fetches == 3  # no good set to fall back on: the failure is remembered, not fetched again
