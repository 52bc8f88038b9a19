"""The OAuth 2 machine endpoints, posted generated requests: never a 500, always JSON, an `error` for every 4xx.

The token and revocation endpoints (`fuzzing.MACHINE_ENDPOINTS`) are left out of the form fuzzer, since no page
shows a form for them; their callers are apps and record systems. Here they get what a broken or hostile client
might send: the fields of RFC 6749 § 4.1.3/§ 4.4/§ 6 and RFC 7009 § 2.1, each a real value (a registered client,
a live code, a refresh token, a freshly signed client assertion, or a near miss of one) or a hostile one, some
missing, some sent twice, stray fields, other bodies (multipart, JSON, bytes) and plain HTTP.

Each example runs in a savepoint that is rolled back, so every request meets the same live codes and tokens.
`HELSEPORTAL_FUZZ_EXAMPLES` lowers the count, as for the form fuzzer.
"""

import base64
import hashlib
import json
import os
import re
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from joserfc import jwt
from joserfc.jwk import RSAKey

from helseportal.core.testing import log_in
from helseportal.demo import actors, personas
from helseportal.demo.loader import load_demo
from helseportal.identity.models import Person
from helseportal.smart import services as smart_services
from tests import fuzzing

pytestmark = pytest.mark.django_db
EXAMPLES = int(os.environ.get("HELSEPORTAL_FUZZ_EXAMPLES", "200"))
ORIGIN = "https://testserver"
REDIRECT_URI = "https://app.example/callback"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
APP_SCOPE = "launch/patient patient/*.rs openid fhirUser offline_access"
# RFC 6749 § 5.2 and § 4.1.2.1: `error` and `error_description` hold only these characters.
ERROR_CHARACTERS = re.compile(r"[\x20-\x21\x23-\x5b\x5d-\x7e]+")
# What a rejected request may still write: the spent `jti` of a client assertion (a replay stays a replay, RFC
# 7523 § 3) and the audit.
MAY_CHANGE_ON_REJECTION = {"smart_usedassertion", "access_auditevent"}


@dataclass(frozen=True)
class Live:
    """Real credentials the fuzzer mixes in, so that hostile values meet the code behind a valid request."""

    app_id: str
    system_id: str
    key: RSAKey
    code: str  # an unused authorization code
    used_code: str  # one already exchanged (a second use revokes what it gave)
    verifier: str
    access_token: str
    refresh_token: str


def _pkce() -> tuple[str, str]:
    verifier = base64.urlsafe_b64encode(uuid.uuid4().bytes * 2).rstrip(b"=").decode()
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _code(browser: Client, app_id: str, challenge: str, subject: int) -> str:
    """Kari (logged in on `browser`) lets the app use `subject`'s data on the consent page: the code it gets."""
    query = {
        "response_type": "code",
        "client_id": app_id,
        "redirect_uri": REDIRECT_URI,
        "scope": APP_SCOPE,
        "state": "s",
        "aud": f"{ORIGIN}/fhir/R4",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    answer = browser.post("/oauth/authorize?" + urlencode(query), {"subject": subject, "decision": "allow"})
    assert answer.status_code == 302, answer.content[:300]
    return parse_qs(urlsplit(answer["Location"]).query)["code"][0]


@pytest.fixture(scope="module")
def live(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[Live]:
    """The demo, an app Kari has connected (with its tokens and one more code) and a record system's client."""
    with django_db_blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
        load_demo()
        app = smart_services.register_client(
            smart_services.Registration(
                name="Helseappen", kind="app", scopes=tuple(APP_SCOPE.split()), redirect_uris=(REDIRECT_URI,),
                public=True,
            )
        )  # fmt: skip
        key = RSAKey.generate_key(2048, parameters={"alg": "RS384"}, private=True)
        key.ensure_kid()
        public = {k: v for k, v in key.as_dict(private=False).items() if k != "alg"}
        system = smart_services.register_client(
            smart_services.Registration(
                name="Majorstuen EPJ", kind="system", scopes=("system/Appointment.cruds", "system/Patient.rs"),
                unit_orgnr=personas.MAJORSTUEN_GP.orgnr, jwks={"keys": [public]},
            )
        )  # fmt: skip
        browser = fuzzing.Browser()
        kari = actors.citizen(personas.KARI)
        log_in(browser, kari)
        verifier, challenge = _pkce()
        used_code = _code(browser, app.client_id, challenge, kari.own_person_id)
        exchanged = browser.post(
            "/oauth/token",
            {
                "grant_type": "authorization_code",
                "code": used_code,
                "redirect_uri": REDIRECT_URI,
                "client_id": app.client_id,
                "code_verifier": verifier,
            },
        )
        assert exchanged.status_code == 200, exchanged.content
        tokens = json.loads(exchanged.content)
        # The unused code is for her son: a second consent for herself would replace the first and its tokens.
        ola = Person.objects.get(pid=personas.OLA.pid).pk
        code = _code(browser, app.client_id, challenge, ola)  # the same verifier fits both codes
        yield Live(
            app.client_id, system.client_id, key, code, used_code, verifier, tokens["access_token"],
            tokens["refresh_token"],
        )  # fmt: skip
        transaction.set_rollback(True)


def signed_assertion(live: Live, **changes: Any) -> str:
    """A client assertion signed now with the system's registered key, as SMART Backend Services asks;
    `changes` sets claims (None drops one)."""
    claims: dict[str, Any] = {
        "iss": live.system_id,
        "sub": live.system_id,
        "aud": f"{ORIGIN}/oauth/token",
        "exp": int(time.time()) + 240,
        "jti": str(uuid.uuid4()),
        **changes,
    }
    claims = {name: value for name, value in claims.items() if value is not None}
    return jwt.encode({"alg": "RS384", "kid": live.key.kid, "typ": "JWT"}, claims, live.key, algorithms=["RS384"])


@st.composite
def near_miss_assertion(draw: st.DrawFn, live: Live) -> str:
    """A client assertion with one claim wrong or missing, or with no signature at all."""
    wrong = draw(st.sampled_from(["iss", "sub", "aud", "exp", "jti", "iat", "nbf", "unsigned"]))
    if wrong == "unsigned":
        header = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').rstrip(b"=").decode()
        claims = {"iss": live.system_id, "sub": live.system_id, "aud": f"{ORIGIN}/oauth/token", "exp": 2**40}
        body = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
        return f"{header}.{body}."
    value = draw(
        st.one_of(
            st.none(),
            st.integers(min_value=-(2**63), max_value=2**63),
            st.sampled_from([live.app_id, "https://evil.example/oauth/token", f"{ORIGIN}/oauth/revoke", ""]),
            fuzzing.hostile_text(),
        )
    )
    return signed_assertion(live, **{wrong: value})


def valid_requests(live: Live, route: str) -> list[dict[str, str]]:
    """The requests a working client sends (RFC 6749 § 4.1.3, § 4.4, § 6; RFC 7009 § 2.1), a fresh assertion
    in each."""
    app = {"client_id": live.app_id}
    system = {"client_assertion_type": ASSERTION_TYPE, "client_assertion": signed_assertion(live)}
    if route == "smart:token":
        code = {"code": live.code, "redirect_uri": REDIRECT_URI, "code_verifier": live.verifier}
        return [
            {"grant_type": "authorization_code", **code, **app},
            {"grant_type": "refresh_token", "refresh_token": live.refresh_token, **app},
            {"grant_type": "client_credentials", "scope": "system/Appointment.rs", **system},
        ]
    return [
        {"token": live.access_token, **app},
        {"token": live.refresh_token, "token_type_hint": "refresh_token", **app},
        {"token": live.code, **system},  # not a token: "invalid tokens do not cause an error" (RFC 7009 § 2.2)
    ]


def near_misses(live: Live) -> dict[str, st.SearchStrategy[str]]:
    """Per field, what a confused client sends instead: another real value, or a near miss of one."""
    _, other_challenge = _pkce()
    pick = st.sampled_from
    return {
        "grant_type": pick(["authorization_code", "refresh_token", "client_credentials", "password", "implicit"]),
        "client_id": pick([live.app_id, live.system_id, live.app_id.lower(), "unknown"]),
        "client_assertion_type": pick([ASSERTION_TYPE, "urn:ietf:params:oauth:grant-type:jwt-bearer"]),
        "client_assertion": near_miss_assertion(live),
        "scope": pick(["system/Appointment.rs", "system/*.cruds", APP_SCOPE, "openid", "patient/*.cruds", ""]),
        "code": pick([live.code, live.used_code, live.refresh_token]),
        "redirect_uri": pick([REDIRECT_URI, REDIRECT_URI + "/", "https://evil.example/", "app.example/callback"]),
        "code_verifier": pick([live.verifier, other_challenge, live.verifier[:42]]),
        "refresh_token": pick([live.refresh_token, live.access_token, live.code]),
        "token": pick([live.access_token, live.refresh_token, live.code]),
        "token_type_hint": pick(["access_token", "refresh_token", "id_token", "Bearer"]),
        "client_secret": pick(["secret", ""]),
    }


@st.composite
def request_fields(draw: st.DrawFn, live: Live, route: str) -> dict[str, list[str]]:
    """Three times in four one of the endpoint's valid requests with up to two fields changed (a near miss or
    a hostile value), one missing and one sent twice; else any of the fields with any values. Sometimes a stray
    field."""
    other = near_misses(live)
    if draw(st.integers(0, 3)):
        valid = draw(st.sampled_from(valid_requests(live, route)))
        names = st.sampled_from(sorted(set(valid) | set(other)))
        changed, missing, twice = (
            draw(st.sets(names, max_size=2)),
            draw(st.sets(names, max_size=1)),
            draw(st.sets(names, max_size=1)),
        )
    else:
        valid, changed = {}, set(draw(st.sets(st.sampled_from(sorted(other)), min_size=1)))
        missing, twice = set(), set(draw(st.sets(st.sampled_from(sorted(changed)), max_size=1)))
    fields: dict[str, list[str]] = {}
    for name in sorted((set(valid) | changed) - missing):
        kept = name in valid and name not in changed
        value = st.just(valid[name]) if kept else st.one_of(other[name], fuzzing.hostile_text())
        fields[name] = draw(st.lists(value, min_size=2 if name in twice else 1, max_size=3 if name in twice else 1))
    if draw(st.booleans()):
        stray = draw(st.sampled_from(["extra", "aud", "nonce", "state", "__proto__", "", "client_id"]))
        fields.setdefault(stray, []).append(draw(fuzzing.hostile_text()))
    return fields


def send(client: Client, path: str, fields: dict[str, list[str]], body: str, secure: bool) -> Any:
    """POST the fields as a form (most of the time), as multipart, as JSON, or as bytes of no format."""
    if body == "form":
        data = urlencode(fields, doseq=True)
        return client.post(path, data, content_type="application/x-www-form-urlencoded", secure=secure)
    if body == "multipart":
        return client.post(path, fields, secure=secure)
    if body == "json":
        flat = {name: values[0] for name, values in fields.items()}
        return client.post(path, json.dumps(flat), content_type="application/json", secure=secure)
    raw = "&".join(f"{name}={value}" for name, values in fields.items() for value in values)
    return client.post(path, raw.encode("utf-8", "surrogatepass"), content_type="text/plain", secure=secure)


@pytest.mark.parametrize("route", sorted(fuzzing.MACHINE_ENDPOINTS))
def test_the_requests_the_fuzzer_starts_from_are_accepted(live: Live, route: str):
    """So that the changed fields meet the code behind a valid request: the grants, the token store."""
    client = Client()
    for data in valid_requests(live, route):
        with fuzzing.rolled_back(client):
            response = send(client, reverse(route), {name: [value] for name, value in data.items()}, "form", True)
        assert response.status_code == 200, (data, response.content)


def test_the_machine_endpoints_are_the_ones_the_form_fuzzer_leaves_out():
    assert set(fuzzing.MACHINE_ENDPOINTS) == {"smart:token", "smart:revoke"}
    assert not set(fuzzing.MACHINE_ENDPOINTS) & set(fuzzing.post_routes())


@pytest.mark.parametrize("route", sorted(fuzzing.MACHINE_ENDPOINTS))
def test_no_generated_request_answers_500_or_anything_but_json(live: Live, route: str):
    path = reverse(route)
    client = Client()
    answered: set[int] = set()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(
        fields=request_fields(live, route),
        body=st.sampled_from(["form"] * 5 + ["multipart", "json", "bytes"]),
        secure=st.integers(0, 9).map(bool),
    )
    def send_generated_request(fields: dict[str, list[str]], body: str, secure: bool) -> None:
        with fuzzing.rolled_back(client), fuzzing.no_tracebacks() as problems:
            before = fuzzing.row_counts()
            response = send(client, path, fields, body, secure)
            after = fuzzing.row_counts()
        answered.add(response.status_code)
        assert response.status_code < 500, response.content[:500]
        assert not problems, problems
        assert response["Content-Type"].startswith("application/json"), (response.status_code, response["Content-Type"])
        answer = json.loads(response.content)
        assert isinstance(answer, dict)
        if response.status_code >= 400:
            assert response.status_code < 500
            assert isinstance(answer.get("error"), str), answer
            for key in ("error", "error_description"):
                assert key not in answer or ERROR_CHARACTERS.fullmatch(answer[key]), answer
            changed = {
                t: (before[t], after[t]) for t in before if before[t] != after[t] and t not in MAY_CHANGE_ON_REJECTION
            }
            assert not changed, f"{path} answered {response.status_code} but wrote {changed}"
        else:
            assert response.status_code == 200, response.status_code
            assert "no-store" in response["Cache-Control"]

    send_generated_request()
    assert any(status >= 400 for status in answered)


def test_a_made_up_response_type_or_redirect_uri_is_refused_without_a_500(live: Live):
    """authlib names both in its error texts, and raises ValueError for a text with a character RFC 6749 does not
    allow there: found by the form fuzzer on the consent page."""
    browser = fuzzing.Browser()
    log_in(browser, actors.citizen(personas.KARI))
    _, challenge = _pkce()
    good = {
        "response_type": "code",
        "client_id": live.app_id,
        "redirect_uri": REDIRECT_URI,
        "scope": APP_SCOPE,
        "aud": f"{ORIGIN}/fhir/R4",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    with fuzzing.no_tracebacks() as problems:
        assert browser.get("/oauth/authorize?" + urlencode(good)).status_code == 200
        for change in (
            {"response_type": "cøde"},
            {"response_type": 'co"de'},
            {"redirect_uri": "https://app.example/ø"},
        ):
            response = browser.get("/oauth/authorize?" + urlencode({**good, **change}))
            assert response.status_code == 400, (change, response.status_code)
    assert not problems, problems
