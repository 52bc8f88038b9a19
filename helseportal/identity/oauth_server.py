"""authlib's OAuth 2 / OpenID Connect authorization server on Django: the portal's one OAuth server code path.

authlib implements the protocol: the authorization and token endpoints, the grants
(`authlib.oauth2.rfc6749.grants`), PKCE (`authlib.oauth2.rfc7636.CodeChallenge`), client assertions
(`authlib.oauth2.rfc7523.JWTBearerClientAssertion`), OpenID Connect (`authlib.oidc.core`), JWT access tokens
(`authlib.oauth2.rfc9068`). What it leaves to the application, and what this module does once for every server
the portal runs (the development identity provider in `identity.devidp`, the SMART server in `smart`):

- `OAuthServer`: `authlib.oauth2.rfc6749.AuthorizationServer` with Django's requests and responses, and the
  storage glue as arguments: `query_client(client_id)` and `save_token(token, request)`. With an `issuer`,
  every redirect from the authorization endpoint carries `iss` (RFC 9207), errors included.
- `OAuthServer.consent_grant(request, end_user)`: validate an authorization request before a login or consent
  page is shown; `OAuthServer.authorization_error(request, error)` answers the error it raised.
- `PkceS256`: authlib's PKCE extension, required on every authorization request, S256 only.
- `PrivateKeyJWT`: authlib's RFC 7523 client assertion as `private_key_jwt`, with the checks authlib leaves
  out: only the algorithms the server names, a bounded lifetime, and the jti spent through the caller's store;
  `JtiStore` is that store on a model with a unique constraint, `RemoteKeySets` a cache of JWK Sets fetched from
  the clients' URLs, `import_public_keys` a registered JWK Set's public keys.
- `bearer_error(error)`: a protected resource's answer to an `OAuth2Error` from authlib's `ResourceProtector`.

A server is made the way authlib documents (`register_grant`, `register_client_auth_method`,
`register_token_generator`, `register_endpoint`), and views call it::

    server = OAuthServer(query_client=find_client, save_token=store_token, issuer="https://…")
    server.register_grant(MyCodeGrant, [CodeChallenge(required=True), MyOpenIDCode(require_nonce=True)])

    def token(request):                       # csrf_exempt, POST only
        return server.create_token_response(request)

    def authorize(request):
        try:
            grant = server.consent_grant(request, end_user=current_user_or_none)
        except OAuth2Error as error:
            return server.authorization_error(request, error)   # None: no trusted redirect_uri, show a page
        ...show the page, or...
        return server.create_authorization_response(grant.request, grant_user=user, grant=grant)

A server that depends on the request (an issuer on the request's host) is cheap to make per request.
"""

import datetime
import json
import logging
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx2 as httpx
from authlib.common.urls import add_params_to_uri
from authlib.integrations.django_oauth2.requests import DjangoJsonRequest, DjangoOAuth2Payload
from authlib.oauth2.rfc6749 import AuthorizationServer, InvalidRequestError, JsonRequest, OAuth2Error, OAuth2Request
from authlib.oauth2.rfc6749.errors import ForbiddenError, InvalidClientError
from authlib.oauth2.rfc6749.grants import BaseGrant
from authlib.oauth2.rfc7523 import JWTBearerClientAssertion
from authlib.oauth2.rfc7636 import CodeChallenge
from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import GuestProtocol, Key, KeySet

# authlib logs each issued token at DEBUG ("Issue token {…}"); no token goes into the logs, whatever the root level.
logging.getLogger("authlib").setLevel(logging.INFO)

QueryClient = Callable[[str], Any]
SaveToken = Callable[[dict[str, Any], OAuth2Request], None]


class OAuthResponse(HttpResponse):
    """A Django response with the `location` attribute authlib's extensions (RFC 9207's) read and write."""

    @property
    def location(self) -> str | None:
        return self.headers.get("Location")

    @location.setter
    def location(self, value: str) -> None:
        self["Location"] = value


class DjangoRequest(OAuth2Request):
    """authlib's view of a Django request: GET and POST merged, repeated parameters kept (authlib's Django payload).

    authlib refuses plain http off loopback when it builds a request; `allow_http` lets a server that never runs
    deployed (or a test on http://testserver) answer on plain http. Deployed servers answer behind TLS.
    """

    def __init__(self, request: HttpRequest, *, allow_http: bool = False) -> None:
        uri = request.build_absolute_uri()
        checked = urlunsplit(urlsplit(uri)._replace(scheme="https")) if allow_http else uri
        super().__init__(str(request.method), checked, headers=request.headers)
        self.uri = uri
        self.payload = DjangoOAuth2Payload(request)
        self._request = request

    @property
    def args(self) -> Any:
        return self._request.GET

    @property
    def form(self) -> Any:
        return self._request.POST


class OAuthServer(AuthorizationServer):
    """authlib's AuthorizationServer for Django; register grants, client authentication and token generators on it."""

    def __init__(
        self,
        *,
        query_client: QueryClient,
        save_token: SaveToken | None = None,
        issuer: str | None = None,
        scopes_supported: list[str] | None = None,
        allow_http: bool = False,
    ) -> None:
        """`save_token=None` keeps nothing: for self-contained tokens (signed JWTs) that need no lookup."""
        super().__init__(scopes_supported=scopes_supported)
        self._query_client = query_client
        self._save_token = save_token
        self.issuer = issuer
        self.allow_http = allow_http
        if issuer:
            self.register_hook("after_create_authorization_response", _add_issuer)

    def query_client(self, client_id: str) -> Any:
        return self._query_client(client_id)

    def save_token(self, token: dict[str, Any], request: OAuth2Request) -> None:
        if self._save_token is not None:
            self._save_token(token, request)

    def create_oauth2_request(self, request: HttpRequest | OAuth2Request) -> OAuth2Request:
        if isinstance(request, OAuth2Request):
            return request
        return DjangoRequest(request, allow_http=self.allow_http)

    def create_json_request(self, request: HttpRequest) -> JsonRequest:
        return DjangoJsonRequest(request)

    def handle_response(self, status: int, body: Any, headers: list[tuple[str, str]]) -> HttpResponse:
        """Nothing an OAuth endpoint answers is cached: a token, or a code in a redirect's `Location`."""
        response = OAuthResponse(json.dumps(body) if isinstance(body, dict) else body, status=status)
        for name, value in headers:
            response[name] = value
        response.setdefault("Cache-Control", "no-store")
        return response

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        """authlib's signals (after client authentication, after revocation): none are listened to."""

    def consent_grant(self, request: HttpRequest, end_user: Any = None) -> BaseGrant:
        """Validate an authorization request (before a login or consent page); raises `OAuth2Error`.

        authlib puts the request's text into some error descriptions and refuses to build one with characters
        RFC 6749 does not allow there (a ValueError): such a request is refused as invalid, never a 500.
        """
        try:
            return self.get_consent_grant(request, end_user)
        except ValueError:
            raise InvalidRequestError("A parameter holds characters that are not allowed.") from None

    def authorization_error(self, request: HttpRequest | OAuth2Request, error: OAuth2Error) -> HttpResponse | None:
        """The redirect back to the client for an error `consent_grant` raised (with `iss`, RFC 9207).

        None when the error has no verified redirect_uri (an unknown client, a redirect_uri not registered):
        RFC 6749 §4.1.2.1 forbids sending the browser there, so the caller shows its own error page.
        """
        if not error.redirect_uri:
            return None
        response = self.handle_error_response(self.create_oauth2_request(request), error)
        _add_issuer(self, response)
        return response


def _add_issuer(server: OAuthServer, response: HttpResponse) -> None:
    location = getattr(response, "location", None)
    if server.issuer and location:
        response["Location"] = add_params_to_uri(location, [("iss", server.issuer)])


class PkceS256(CodeChallenge):
    """PKCE on every authorization request, public client or not, and only S256 (a plain challenge is the verifier
    itself): `server.register_grant(CodeGrant, [PkceS256(), …])`. authlib alone lets a request go without one."""

    DEFAULT_CODE_CHALLENGE_METHOD = "S256"
    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]

    def __init__(self) -> None:
        super().__init__(required=True)

    def validate_code_challenge(self, grant: BaseGrant, redirect_uri: str | None) -> None:
        if grant.request.payload.data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("PKCE with code_challenge_method=S256 is required.")
        super().validate_code_challenge(grant, redirect_uri)

    def get_authorization_code_challenge_method(self, authorization_code: Any) -> str:
        return "S256"  # the only one a code can have been issued with


class KeysUnavailable(Exception):
    """A client's keys could not be had: none registered, its JWKS URL failed, or what it holds is no JWK Set."""


# What makes a JWK private (RFC 7518 §6.2.2, §6.3.2; RFC 8037 §2): never kept of a client's key.
PRIVATE_MEMBERS = frozenset({"d", "p", "q", "dp", "dq", "qi", "oth"})

PublicKey = Key | KeySet | Callable[[GuestProtocol], Key | KeySet]


def import_public_keys(data: Any) -> KeySet:
    """A JWK Set (`{"keys": […]}`) as joserfc's KeySet of the public parts only; `KeysUnavailable` if it is none."""
    if not isinstance(data, dict) or not isinstance(data.get("keys"), list):
        raise KeysUnavailable("not a JWK Set")
    public = [
        {k: v for k, v in key.items() if k not in PRIVATE_MEMBERS} for key in data["keys"] if isinstance(key, dict)
    ]
    try:
        return KeySet.import_key_set({"keys": public})
    except (JoseError, ValueError, TypeError) as error:
        raise KeysUnavailable(f"not a JWK Set: {error}") from None


class RemoteKeySets:
    """Clients' JWK Sets fetched from their URLs and cached, for `PrivateKeyJWT(public_key=…)`.

    `resolver(url)` picks the key when an assertion is checked: a set is used for `ttl` seconds; an assertion whose
    `kid` the cached set lacks makes it fetched again (the client rotated its keys), but not more often than every
    `refetch_after` seconds, so junk assertions cannot make the server hammer the client's. No redirects are
    followed, at most `max_bytes` are read within `timeout` seconds in all, and plain http is refused when deployed
    (`settings.DEPLOYED`).

    A failed fetch is remembered for `refetch_after` seconds too (an unauthenticated caller who knows a client id
    cannot make every request wait on a dead URL), and while the URL fails the last good set is used for up to
    `max_stale` seconds past its `ttl` (our own choice: a day; the client's key server being down for a while
    should not stop its record system). One fetch per URL at a time: the others wait for it and use its answer.
    """

    def __init__(
        self,
        *,
        ttl: float = 300,
        refetch_after: float = 30,
        max_bytes: int = 64 * 1024,
        timeout: float = 5.0,
        max_stale: float = 24 * 3600,
    ) -> None:
        self.ttl = ttl
        self.refetch_after = refetch_after
        self.max_bytes = max_bytes
        self.timeout = timeout
        self.max_stale = max_stale
        self._cache: dict[str, tuple[float, KeySet]] = {}
        self._failed: dict[str, tuple[float, KeysUnavailable]] = {}
        self._fetching: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def resolver(self, url: str) -> Callable[[GuestProtocol], KeySet]:
        """The key set at `url` for the assertion being checked, fetched again for a `kid` it does not hold."""

        def resolve(token: GuestProtocol) -> KeySet:
            kid = token.headers().get("kid")
            return self.key_set(url, kid if isinstance(kid, str) else None)

        return resolve

    def key_set(self, url: str, kid: str | None = None) -> KeySet:
        keys = self._cached(url, kid)
        if keys is not None:
            return keys
        with self._lock:
            fetching = self._fetching.setdefault(url, threading.Lock())
        with fetching:  # one fetch per URL; who waited finds its answer in the cache
            return self._cached(url, kid) or self._fetch_or_stale(url)

    def _cached(self, url: str, kid: str | None) -> KeySet | None:
        now = time.monotonic()
        with self._lock:
            cached = self._cache.get(url)
        if cached is None:
            return None
        fetched_at, keys = cached
        knows_kid = kid is None or any(key.kid == kid for key in keys.keys)
        if now - fetched_at < self.ttl and (knows_kid or now - fetched_at < self.refetch_after):
            return keys
        return None

    def _fetch_or_stale(self, url: str) -> KeySet:
        now = time.monotonic()
        with self._lock:
            cached, failed = self._cache.get(url), self._failed.get(url)
        stale = cached[1] if cached is not None and now - cached[0] < self.ttl + self.max_stale else None
        if failed is not None and now - failed[0] < self.refetch_after:
            if stale is not None:
                return stale
            raise failed[1]
        try:
            keys = import_public_keys(self._fetch(url))
        except KeysUnavailable as error:
            with self._lock:
                self._failed[url] = (now, error)
            if stale is not None:
                return stale
            raise
        with self._lock:
            self._failed.pop(url, None)
            self._cache[url] = (now, keys)
        return keys

    def clear(self) -> None:
        with self._lock:
            self._cache.clear()
            self._failed.clear()

    def _fetch(self, url: str) -> Any:
        if settings.DEPLOYED and not url.startswith("https://"):
            raise KeysUnavailable("a JWKS URL must be https")
        deadline = time.monotonic() + self.timeout
        try:
            with (
                httpx.Client(timeout=self.timeout, follow_redirects=False) as http,
                http.stream("GET", url, headers={"Accept": "application/json"}) as response,
            ):
                if response.status_code != 200:
                    raise KeysUnavailable(f"the JWKS URL answered {response.status_code}")
                body = b""
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > self.max_bytes:
                        raise KeysUnavailable("the JWKS URL served too much")
                    if time.monotonic() > deadline:  # a trickle: each read in time, the whole too slow
                        raise KeysUnavailable("the JWKS URL was too slow")
        except httpx.HTTPError as error:
            raise KeysUnavailable(f"the JWKS URL failed: {type(error).__name__}") from None
        try:
            return json.loads(body)
        except ValueError:
            raise KeysUnavailable("the JWKS URL served no JSON") from None


class JtiStore:
    """`PrivateKeyJWT(spend_jti=JtiStore(Model, …))`: each assertion's `jti` a row of `model` until it expires.

    The model has `client_id` and `jti` (CharFields), an expiry DateTimeField named `expires`, the `fixed` fields
    (e.g. which provider), and a unique constraint over the fixed fields, `client_id` and `jti`: the database
    decides between two requests racing with one assertion, and exactly one passes. A row is kept `keep` seconds
    past the assertion's `exp` (the server's clock leeway: an assertion is taken that long after it expired).
    """

    def __init__(self, model: type[models.Model], *, expires: str = "expires", keep: int = 0, **fixed: Any) -> None:
        self.model = model
        self.expires = expires
        self.keep = keep
        self.fixed = fixed
        self.max_length = int(model._meta.get_field("jti").max_length or 0)  # type: ignore[union-attr]

    def __call__(self, claims: dict[str, Any]) -> bool:
        jti = claims["jti"]
        if not isinstance(jti, str) or not 0 < len(jti) <= self.max_length:
            raise InvalidClientError(
                description=f"The client assertion's jti must be 1 to {self.max_length} characters."
            )
        expires = datetime.datetime.fromtimestamp(float(claims["exp"]) + self.keep, tz=datetime.UTC)
        manager = self.model._default_manager
        manager.filter(**self.fixed, **{f"{self.expires}__lt": datetime.datetime.now(datetime.UTC)}).delete()
        try:
            with transaction.atomic():
                manager.create(**self.fixed, client_id=str(claims["sub"]), jti=jti, **{self.expires: expires})
        except IntegrityError:
            return False
        return True


class PrivateKeyJWT(JWTBearerClientAssertion):
    """private_key_jwt (RFC 7523 §3, OIDC Core §9), registered with `server.register_client_auth_method(
    PrivateKeyJWT.CLIENT_AUTH_METHOD, PrivateKeyJWT(...))` and named in a grant's TOKEN_ENDPOINT_AUTH_METHODS.

    - `audiences`: what `aud` may be (the token endpoint's URL; the issuer too where the profile allows it);
    - `public_key(client)`: the client's key, its key set (`import_public_keys`), or a resolver that picks by the
      assertion's header (`RemoteKeySets.resolver(url)` for a JWKS by URL); `KeysUnavailable` is `invalid_client`;
    - `spend_jti(claims)`: record `claims["jti"]` for `claims["sub"]` until `claims["exp"]`; False if it was
      already (a replay). Let a unique constraint decide (`JtiStore`), so two requests racing with one assertion
      cannot both pass;
    - `algorithms`: the only `alg` values accepted (authlib alone would take any joserfc recommends);
    - `max_lifetime`: how far in the future `exp` may lie, in seconds (authlib alone sets no bound);
    - `leeway`: the clock skew allowed, in seconds, both ways: an assertion is taken until `leeway` after its `exp`,
      and with an `exp` up to `max_lifetime + leeway` ahead. 0 (the default): an expired assertion is refused at once.
    """

    CLIENT_AUTH_METHOD = "private_key_jwt"

    def __init__(
        self,
        *,
        audiences: list[str],
        public_key: Callable[[Any], PublicKey],
        spend_jti: Callable[[dict[str, Any]], bool],
        algorithms: list[str],
        max_lifetime: int,
        leeway: int = 0,
    ) -> None:
        super().__init__(leeway=leeway)
        self.audiences = audiences
        self.public_key = public_key
        self.spend_jti = spend_jti
        self.algorithms = algorithms
        self.max_lifetime = max_lifetime

    def get_audiences(self) -> list[str]:
        return self.audiences

    def resolve_client_public_key(self, client: Any) -> PublicKey:
        try:
            return self.public_key(client)
        except KeysUnavailable as error:
            raise InvalidClientError(description=f"The client's keys are not available: {error}.") from None

    def process_assertion_claims(self, assertion: str, resolve_key: Any) -> Any:
        try:
            token = jwt.decode(assertion, resolve_key, algorithms=self.algorithms)
        except KeysUnavailable as error:
            raise InvalidClientError(description=f"The client's keys are not available: {error}.") from None
        except (JoseError, ValueError) as error:  # a bad signature, an algorithm not named, a kid not in the set
            raise InvalidClientError(
                description=f"The client assertion is not valid ({type(error).__name__})."
            ) from error
        self.verify_claims(token.claims)
        return token.claims

    def verify_claims(self, claims: Any) -> None:
        exp = claims.get("exp")
        latest = time.time() + self.max_lifetime + self.leeway
        if not isinstance(exp, bool) and isinstance(exp, int | float) and exp > latest:
            raise InvalidClientError(description=f"The client assertion must expire within {self.max_lifetime} s.")
        super().verify_claims(claims)  # iss = sub, aud, exp, then jti through validate_jti

    def validate_jti(self, claims: Any, jti: Any) -> bool:
        return self.spend_jti(dict(claims))


def bearer_error(error: OAuth2Error) -> JsonResponse:
    """A protected resource's answer to an `OAuth2Error` from authlib's `ResourceProtector` (RFC 6750 §3).

    A request with no token at all (or another scheme) gets a bare challenge without an error code, as §3.1 asks;
    authlib would name it `missing_authorization`.
    """
    if isinstance(error, ForbiddenError):
        response = JsonResponse({}, status=401)
        response["WWW-Authenticate"] = f'Bearer realm="{error.realm}"' if error.realm else "Bearer"
        return response
    response = JsonResponse(dict(error.get_body()), status=error.status_code)
    for name, value in error.get_headers():
        response[name] = value
    return response
