"""The OpenID Connect client for ID-porten and HelseID (authorization code + PKCE, private_key_jwt).

One code path for every provider: the issuer comes from settings, or, when none is set and the development
identity provider is on, from this site's own /dev-idp/. Discovery, JWKS and the token call go over HTTP
either way. Every check the ID-porten and HelseID integration guides require is made here, and a failure
raises LoginError with a stable reason code (audited) and a Norwegian message (shown).
"""

import secrets
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx2 as httpx
from authlib.integrations.httpx_client import OAuth2Client
from authlib.oauth2.rfc7523 import PrivateKeyJWT
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from helseportal.identity.keys import load_client_key

ALGORITHMS = ["RS256", "ES256"]  # never "none", never HMAC with a public key
LEEWAY_SECONDS = 30
ASSERTION_LIFETIME_SECONDS = 60
# The error codes an authorization response may carry: RFC 6749 §4.1.2.1 and OpenID Connect Core §3.1.2.6.
# Anything else is recorded as "other": the value comes from whoever crafted the callback URL, and the audit log
# is no place for a stranger's text.
PROVIDER_ERRORS = frozenset(
    {
        "invalid_request",
        "unauthorized_client",
        "access_denied",
        "unsupported_response_type",
        "invalid_scope",
        "server_error",
        "temporarily_unavailable",
        "interaction_required",
        "login_required",
        "account_selection_required",
        "consent_required",
        "invalid_request_uri",
        "invalid_request_object",
        "request_not_supported",
        "request_uri_not_supported",
        "registration_not_supported",
    }
)


class LoginError(Exception):
    def __init__(self, reason: str, message: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.message = message


@dataclass(frozen=True)
class Provider:
    name: str  # "idporten" or "helseid"
    issuer: str
    client_id: str
    client_key_path: str
    callback: str  # URL name of the redirect_uri
    scope: str


PROVIDER_NAMES = ("idporten", "helseid")
_SETTINGS = {"idporten": "HELSEPORTAL_IDPORTEN", "helseid": "HELSEPORTAL_HELSEID"}  # each provider's settings' prefix


def provider(name: str, request: HttpRequest) -> Provider:
    issuer = _configured_issuer(name)
    if not issuer:
        if not settings.HELSEPORTAL_DEV_IDP:
            raise LoginError("not_configured", _("Innlogging er ikke satt opp på denne tjenesten."))
        issuer = request.build_absolute_uri(f"/dev-idp/{name}")
    return _provider(name, issuer)


def _configured_issuer(name: str) -> str:
    return str(getattr(settings, f"{_SETTINGS[name]}_ISSUER"))


def _provider(name: str, issuer: str) -> Provider:
    prefix = _SETTINGS[name]
    return Provider(
        name=name,
        issuer=issuer.rstrip("/"),
        client_id=getattr(settings, f"{prefix}_CLIENT_ID"),
        client_key_path=getattr(settings, f"{prefix}_CLIENT_KEY"),
        callback="identity:callback" if name == "idporten" else "identity:callback_helseid",
        scope="openid profile"
        if name == "idporten"
        else "openid profile helseid://scopes/identity/pid "
        "helseid://scopes/identity/security_level helseid://scopes/hpr/hpr_number",
    )


# Tests set this to an httpx.WSGITransport so provider calls reach the app in-process; None means the network.
transport: httpx.BaseTransport | None = None


def http_client() -> httpx.Client:
    return httpx.Client(timeout=10.0, transport=transport)


_metadata_cache: dict[str, tuple[float, dict[str, Any], KeySet]] = {}
METADATA_TTL_SECONDS = 600


def metadata(p: Provider, *, refresh: bool = False) -> tuple[dict[str, Any], KeySet]:
    """The provider's discovery document and JWKS, cached for ten minutes (refreshed on an unknown kid)."""
    cached = _metadata_cache.get(p.issuer)
    if cached and not refresh and cached[0] > time.monotonic():
        return cached[1], cached[2]
    try:
        with http_client() as http:
            doc = http.get(f"{p.issuer}/.well-known/openid-configuration").raise_for_status().json()
            if doc.get("issuer") != p.issuer:
                raise LoginError("discovery_issuer_mismatch", _("Innloggingstjenesten svarte med feil utsteder."))
            keys = KeySet.import_key_set(http.get(doc["jwks_uri"]).raise_for_status().json())
    except (httpx.HTTPError, ValueError, KeyError) as error:
        raise LoginError("provider_unreachable", _("Vi får ikke kontakt med innloggingstjenesten nå.")) from error
    _metadata_cache[p.issuer] = (time.monotonic() + METADATA_TTL_SECONDS, doc, keys)
    return doc, keys


def _oauth_client(p: Provider, redirect_uri: str, doc: dict[str, Any]) -> OAuth2Client:
    key = load_client_key(p.client_key_path)
    # ID-porten wants the issuer as the assertion's audience (authlib calls that value "token_endpoint") and
    # an assertion that lives at most 120 s (authlib's default is an hour). A fresh claims dict per client:
    # authlib writes the jti into it, and a jti must never be sent twice.
    auth = PrivateKeyJWT(
        p.issuer,
        claims={"exp": int(time.time()) + ASSERTION_LIFETIME_SECONDS},
        headers={"kid": key.kid},
        alg="RS256" if key.key_type == "RSA" else "ES256",
    )
    return OAuth2Client(
        client_id=p.client_id,
        client_secret=key,
        token_endpoint_auth_method=auth,
        redirect_uri=redirect_uri,
        scope=p.scope,
        code_challenge_method="S256",
        timeout=10.0,
        transport=transport,
    )


def authorization_url(
    request: HttpRequest, p: Provider, *, acr: str | None, next_url: str
) -> tuple[str, dict[str, Any]]:
    """Start a login: return where to send the browser, and the state to keep until the callback (loginstate)."""
    doc, _keys = metadata(p)
    flow = {
        "state": secrets.token_urlsafe(32),
        "nonce": secrets.token_urlsafe(32),
        "verifier": secrets.token_urlsafe(64),
        "next": next_url,
        "acr": acr or "",
        "issuer": p.issuer,
        "started": time.time(),
    }
    redirect_uri = request.build_absolute_uri(reverse(p.callback))
    with _oauth_client(p, redirect_uri, doc) as client:
        extra = {"nonce": str(flow["nonce"]), "ui_locales": str(getattr(request, "LANGUAGE_CODE", "nb"))}
        if acr:
            extra["acr_values"] = acr
        url, _state = client.create_authorization_url(
            doc["authorization_endpoint"], state=str(flow["state"]), code_verifier=str(flow["verifier"]), **extra
        )
    return str(url), flow


def complete(request: HttpRequest, p: Provider, flow: dict[str, Any] | None) -> tuple[dict[str, Any], str]:
    """Finish a login from the callback: check state, redeem the code, validate the ID token. Returns its claims.

    `flow` is what `authorization_url` returned, kept until now (None when the browser has none, or an expired one).
    """
    params = request.GET
    if params.get("error"):
        code = params["error"] if params["error"] in PROVIDER_ERRORS else "other"
        raise LoginError(f"provider_error:{code}", _("Innloggingen ble avbrutt."))
    if not flow or flow.get("issuer") != p.issuer:
        raise LoginError("no_login_in_progress", _("Innloggingen er utløpt. Prøv å logge inn på nytt."))
    if not secrets.compare_digest(params.get("state", ""), flow["state"]):
        raise LoginError("state_mismatch", _("Innloggingen kunne ikke bekreftes. Prøv å logge inn på nytt."))
    if "iss" in params and params["iss"] != p.issuer:  # RFC 9207: a response from another provider
        raise LoginError("issuer_mismatch", _("Innloggingen kom fra feil innloggingstjeneste."))
    if not params.get("code"):
        raise LoginError("missing_code", _("Innloggingen kunne ikke fullføres."))
    id_token = _redeem(request, p, params["code"], flow["verifier"])
    claims = validate_id_token(p, id_token, nonce=flow["nonce"])
    return {**claims, "_next": flow["next"], "_acr_requested": flow["acr"]}, id_token


def _redeem(request: HttpRequest, p: Provider, code: str, verifier: str) -> str:
    doc, _keys = metadata(p)
    redirect_uri = request.build_absolute_uri(reverse(p.callback))
    try:
        with _oauth_client(p, redirect_uri, doc) as client:
            token = client.fetch_token(doc["token_endpoint"], code=code, code_verifier=verifier)
    except Exception as error:  # authlib raises OAuthError, httpx errors, or ValueError on a bad body
        raise LoginError("token_request_failed", _("Innloggingen kunne ikke fullføres. Prøv igjen.")) from error
    if not token.get("id_token"):
        raise LoginError("no_id_token", _("Innloggingstjenesten sendte ikke et ID-token."))
    return str(token["id_token"])


def validate_id_token(p: Provider, id_token: str, *, nonce: str) -> dict[str, Any]:
    """Check signature (a key in the provider's JWKS, RS256/ES256 only), issuer, audience, expiry and nonce."""
    claims = _verified_claims(p, id_token)
    now = time.time()
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    checks = [
        (claims.get("iss") == p.issuer, "wrong_issuer"),
        (p.client_id in audiences, "wrong_audience"),
        (len(audiences) == 1 or claims.get("azp") == p.client_id, "wrong_authorized_party"),
        (isinstance(claims.get("exp"), int | float) and claims["exp"] > now - LEEWAY_SECONDS, "token_expired"),
        (isinstance(claims.get("iat"), int | float) and claims["iat"] < now + LEEWAY_SECONDS, "token_from_future"),
        (bool(claims.get("nonce")) and secrets.compare_digest(str(claims.get("nonce")), nonce), "nonce_mismatch"),
    ]
    for ok, reason in checks:
        if not ok:
            raise LoginError(reason, _("Innloggingen kunne ikke bekreftes. Prøv å logge inn på nytt."))
    return claims


def _verified_claims(p: Provider, id_token: str) -> dict[str, Any]:
    _doc, keys = metadata(p)
    for attempt in (1, 2):
        try:
            return dict(jwt.decode(id_token, keys, algorithms=ALGORITHMS).claims)
        except JoseError as error:
            # An unknown kid may mean the provider rotated its keys: fetch the JWKS once more, then give up.
            if attempt == 1 and "key" in str(error).lower():
                _doc, keys = metadata(p, refresh=True)
                continue
            raise LoginError("bad_signature", _("Innloggingen kunne ikke bekreftes.")) from error
        except ValueError as error:
            raise LoginError("malformed_token", _("Innloggingen kunne ikke bekreftes.")) from error
    raise LoginError("bad_signature", _("Innloggingen kunne ikke bekreftes."))


def end_session_url(request: HttpRequest, p: Provider, id_token: str, post_logout: str) -> str | None:
    doc, _keys = metadata(p)
    endpoint = doc.get("end_session_endpoint")
    if not endpoint:
        return None
    query = {"id_token_hint": id_token, "post_logout_redirect_uri": post_logout, "state": secrets.token_urlsafe(16)}
    return f"{endpoint}?{urlencode(query)}"


def origin(url: object) -> str | None:
    """`scheme://host[:port]` of an http(s) URL, as CSP names a source; None for anything else."""
    try:
        parts = urlsplit(str(url))
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.username or parts.password:
        return None
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"{parts.scheme}://{host}" + (f":{port}" if port else "")


def endpoint_origins(doc: dict[str, Any]) -> set[str]:
    """Where a browser is sent at the provider: the origins of its issuer, login and logout endpoints."""
    urls = (doc.get("issuer"), doc.get("authorization_endpoint"), doc.get("end_session_endpoint"))
    return {o for o in (origin(u) for u in urls if u) if o}


def configured_origins(*, fetch: bool = False) -> set[str]:
    """The origins of the configured providers (none for the dev IdP, which is this site), from their issuer
    and, when known, their discovery document: ID-porten's login and logout pages live on another host than its
    issuer. With `fetch`, discovery is read when not cached; otherwise only what this process already knows."""
    found: set[str] = set()
    for name in PROVIDER_NAMES:
        issuer = _configured_issuer(name).rstrip("/")
        if not issuer:
            continue
        found |= {o for o in (origin(issuer),) if o}
        cached = _metadata_cache.get(issuer)
        if cached is None and fetch:
            try:
                metadata(_provider(name, issuer))
            except LoginError:
                continue
            cached = _metadata_cache.get(issuer)
        if cached is not None:
            found |= endpoint_origins(cached[1])
    return found
