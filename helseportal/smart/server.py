"""The OAuth 2 authorization server, assembled from authlib's components.

- the server: `authlib.integrations.django_oauth2.AuthorizationServer` (Django requests and responses);
- client authentication: `private_key_jwt` by `rfc7523.JWTBearerClientAssertion` (RS384/ES384, `aud` the token
  endpoint, `exp` at most 5 minutes ahead, each `jti` once), and `none` for a public app;
- grants: `client_credentials` (SMART Backend Services), `authorization_code` with `rfc7636.CodeChallenge`
  (S256 required) and `oidc.core.OpenIDCode` (an ID token with `fhirUser`), `refresh_token` (rotated);
- endpoints: `rfc7009.RevocationEndpoint`.

What is ours: the models (`models.py`), scope narrowing (`scopes.py`), key resolution (`keys.py`), and the
`patient` launch context in the token response.
"""

import datetime
import logging
import time
from typing import Any
from urllib.parse import urlsplit

from authlib.common.security import generate_token
from authlib.integrations.django_oauth2 import AuthorizationServer as DjangoAuthorizationServer
from authlib.oauth2.base import invalid_error_characters
from authlib.oauth2.rfc6749 import (
    InvalidClientError,
    InvalidGrantError,
    InvalidRequestError,
    InvalidScopeError,
    OAuth2Request,
    UnsupportedResponseTypeError,
    grants,
)
from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oauth2.rfc7523 import JWTBearerClientAssertion
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo
from authlib.oidc.core import grants as oidc_grants
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from joserfc import jwt
from joserfc.errors import JoseError

from helseportal.smart import keys
from helseportal.smart.models import (
    CODE_SECONDS,
    AuthorizationCode,
    Client,
    Connection,
    Kind,
    Token,
    UsedAssertion,
    hash_secret,
)
from helseportal.smart.queries import may_still_act
from helseportal.smart.scopes import wants_refresh

# authlib logs every issued token at DEBUG ("Issue token {…}"): no token goes into the logs, whatever LOG_LEVEL says.
logging.getLogger("authlib").setLevel(logging.INFO)

# SMART Backend Services: servers SHALL support RS384 and ES384. We accept exactly those two (no RS256/ES256):
# fewer algorithms, fewer surprises, and every SMART client library can sign with them.
ASSERTION_ALGORITHMS = ("RS384", "ES384")
# "exp: … no more than five minutes in the future" (SMART Backend Services, authentication JWT).
ASSERTION_MAX_SECONDS = 5 * 60
# Clock skew allowed on an assertion's `exp` in the past.
ASSERTION_LEEWAY_SECONDS = 30
AUTH_METHODS = ["private_key_jwt", "none"]


def origin(request: OAuth2Request | HttpRequest) -> str:
    uri = request.uri if isinstance(request, OAuth2Request) else request.build_absolute_uri()
    parts = urlsplit(uri)
    return f"{parts.scheme}://{parts.netloc}"


def fhir_base(request: OAuth2Request | HttpRequest) -> str:
    """The FHIR base URL, as an app must name it in `aud`: `https://<host>/fhir/R4`."""
    return f"{origin(request)}/fhir/R4"


def issuer(request: OAuth2Request | HttpRequest) -> str:
    """The OpenID Connect issuer of our ID tokens (its discovery document is at `<issuer>/.well-known/…`)."""
    return f"{origin(request)}/oauth"


def token_endpoint(request: OAuth2Request | HttpRequest) -> str:
    return f"{origin(request)}{reverse('smart:token')}"


class PrivateKeyJWT(JWTBearerClientAssertion):
    """`private_key_jwt` (RFC 7523 § 2.2) as SMART Backend Services profiles it; one instance per request."""

    CLIENT_AUTH_METHOD = "private_key_jwt"

    def __init__(self, audience: str) -> None:
        super().__init__(validate_jti=True, leeway=ASSERTION_LEEWAY_SECONDS)
        self.audience = audience
        self.kid: str | None = None

    def get_audiences(self) -> list[str]:
        return [self.audience]

    def extract_assertion(self, assertion: str) -> tuple[dict[str, Any], dict[str, Any]]:
        headers, claims = super().extract_assertion(assertion)
        kid = headers.get("kid")
        self.kid = kid if isinstance(kid, str) else None
        return headers, claims

    def resolve_client_public_key(self, client: Client) -> Any:
        try:
            return keys.client_keys(client, self.kid)
        except keys.KeysUnavailable as error:
            raise InvalidClientError(description=str(error)) from None

    def process_assertion_claims(self, assertion: str, resolve_key: Any) -> dict[str, Any]:
        try:
            token = jwt.decode(assertion, resolve_key, algorithms=list(ASSERTION_ALGORITHMS))
        except (JoseError, ValueError) as error:  # a bad signature, an algorithm we refuse, a `kid` not in the set
            raise InvalidClientError(description=f"Invalid client assertion: {type(error).__name__}") from None
        self.verify_claims(token.claims)
        return token.claims

    def verify_claims(self, claims: dict[str, Any]) -> None:
        exp = claims.get("exp")
        # The same leeway for clocks as in the past: a client stamping exactly now + 300 s must not fail by a second.
        if isinstance(exp, int | float) and exp > time.time() + ASSERTION_MAX_SECONDS + ASSERTION_LEEWAY_SECONDS:
            raise InvalidClientError(description="The assertion's exp is more than 5 minutes ahead.")
        super().verify_claims(claims)

    def validate_jti(self, claims: dict[str, Any], jti: Any) -> bool:
        """Remember the `jti` until the assertion expires; a second use is a replay (`invalid_client`)."""
        if not isinstance(jti, str) or not 0 < len(jti) <= 255:
            return False
        now = timezone.now()
        expires = datetime.datetime.fromtimestamp(float(claims["exp"]) + ASSERTION_LEEWAY_SECONDS, tz=datetime.UTC)
        UsedAssertion.objects.filter(expires_at__lt=now).delete()  # nothing that old can be replayed any more
        try:
            with transaction.atomic():
                UsedAssertion.objects.create(client_id=str(claims["sub"]), jti=jti, expires_at=expires)
        except IntegrityError:
            return False
        return True


def authenticate_private_key_jwt(query_client: Any, request: OAuth2Request) -> Client | None:
    return PrivateKeyJWT(audience=token_endpoint(request))(query_client, request)


class ClientCredentialsGrant(grants.ClientCredentialsGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["private_key_jwt"]


class StrictCodeChallenge(CodeChallenge):
    """PKCE with S256, required of every app, public or not (SMART App Launch 2.0)."""

    DEFAULT_CODE_CHALLENGE_METHOD = "S256"
    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]

    def validate_code_challenge(self, grant: grants.AuthorizationCodeGrant, redirect_uri: str) -> None:
        data = grant.request.payload.data
        if not data.get("code_challenge"):
            raise InvalidRequestError("PKCE is required: missing 'code_challenge'.")
        if data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("'code_challenge_method' must be S256.")
        super().validate_code_challenge(grant, redirect_uri)


class AuthorizationCodeGrant(grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = AUTH_METHODS

    @staticmethod
    def validate_authorization_redirect_uri(request: OAuth2Request, client: Client) -> str:
        # authlib's check names the URI in its error text, and an error text with a character RFC 6749 § 4.1.2.1 does
        # not allow (`ø`, `"`) raises ValueError: a 500 for any made-up URI. Ours names none.
        if request.payload.redirect_uri and not client.check_redirect_uri(request.payload.redirect_uri):
            raise InvalidRequestError("The redirect URI is not registered for this client.")
        redirect_uri: str = grants.AuthorizationCodeGrant.validate_authorization_redirect_uri(request, client)
        return redirect_uri

    def validate_authorization_request(self) -> str:
        redirect_uri: str = super().validate_authorization_request()
        aud = self.request.payload.data.get("aud") or ""
        if aud.rstrip("/") != fhir_base(self.request):
            raise InvalidRequestError("'aud' must be this server's FHIR base URL.", redirect_uri=redirect_uri)
        return redirect_uri

    def save_authorization_code(self, code: str, request: OAuth2Request) -> None:
        data = request.payload.data
        AuthorizationCode.objects.create(
            code_hash=hash_secret(code),
            client=request.client,
            connection=request.user,
            redirect_uri=request.payload.redirect_uri or "",
            scope=request.scope,
            nonce=(data.get("nonce") or "")[:255],
            code_challenge=data["code_challenge"],
            code_challenge_method=data["code_challenge_method"],
            expires_at=timezone.now() + datetime.timedelta(seconds=CODE_SECONDS),
        )

    def query_authorization_code(self, code: str, client: Client) -> AuthorizationCode | None:
        row = (
            AuthorizationCode.objects.select_related("connection")
            .filter(code_hash=hash_secret(code), client=client)
            .first()
        )
        if row is None:
            return None
        if row.used_at is not None:
            # RFC 6749 § 4.1.2: a code used twice SHOULD revoke the tokens it gave: someone else holds it too.
            revoke_connection_tokens(row.connection)
            return None
        if row.expires_at <= timezone.now() or not row.connection.active:
            return None
        return row

    def create_token_response(self) -> tuple[int, dict[str, Any], list[tuple[str, str]]]:
        # Claim the code before the token exists, in one UPDATE: two racing exchanges cannot both win.
        code: AuthorizationCode = self.request.authorization_code
        claimed = AuthorizationCode.objects.filter(pk=code.pk, used_at__isnull=True).update(used_at=timezone.now())
        if not claimed:
            raise InvalidGrantError("The code was already used.")
        result: tuple[int, dict[str, Any], list[tuple[str, str]]] = super().create_token_response()
        return result

    def delete_authorization_code(self, authorization_code: AuthorizationCode) -> None:
        pass  # kept, marked used, so that a second use is recognised (above)

    def authenticate_user(self, authorization_code: AuthorizationCode) -> Connection:
        return authorization_code.connection


class OpenIDCode(oidc_grants.OpenIDCode):
    """An ID token for `openid`: `sub` the logged-in person, `fhirUser` her Patient resource."""

    def exists_nonce(self, nonce: str, request: OAuth2Request) -> bool:
        return AuthorizationCode.objects.filter(client__client_id=request.payload.client_id, nonce=nonce).exists()

    def resolve_client_private_key(self, client: Client) -> Any:
        return keys.signing_key()

    def get_client_algorithm(self, client: Client) -> str:
        return keys.signing_algorithm(keys.signing_key())

    def get_encode_header(self, client: Client) -> dict[str, str]:
        key = keys.signing_key()
        return {"alg": keys.signing_algorithm(key), "kid": key.kid or "", "typ": "JWT"}

    def get_client_claims(self, client: Client) -> dict[str, Any]:
        return {"aud": [client.client_id]}

    def get_compatible_claims(self, request: OAuth2Request) -> dict[str, Any]:
        claims: dict[str, Any] = super().get_compatible_claims(request)
        claims["iss"] = issuer(request)
        connection: Connection = request.user
        if "fhirUser" in request.authorization_code.get_scope().split():
            # The logged-in person (also when she launched the app for a child), as an absolute URL.
            claims["fhirUser"] = f"{fhir_base(request)}/Patient/{connection.person_id}"
        return claims

    def generate_user_info(self, user: Connection, scope: str) -> UserInfo:
        return UserInfo(sub=str(user.person_id))


class RefreshTokenGrant(grants.RefreshTokenGrant):
    """Each use of a refresh token gives a new one and retires the old (rotation); an old one used again is a
    stolen copy, so the whole connection's tokens are revoked (RFC 9700 § 4.14.2)."""

    TOKEN_ENDPOINT_AUTH_METHODS = AUTH_METHODS
    INCLUDE_NEW_REFRESH_TOKEN = True

    def authenticate_refresh_token(self, refresh_token: str) -> Token | None:
        row = (
            Token.objects.select_related("connection", "client")
            .filter(refresh_token_hash=hash_secret(refresh_token))
            .first()
        )
        if row is None or row.connection is None:
            return None
        if row.rotated_at is not None:
            revoke_connection_tokens(row.connection)
            return None
        now = timezone.now()
        if row.revoked_at is not None or not row.connection.active:
            return None
        if row.refresh_expires_at is None or row.refresh_expires_at <= now:
            return None
        return row

    def authenticate_user(self, refresh_token: Token) -> Connection | None:
        connection = refresh_token.connection
        return connection if connection is not None and may_still_act(connection) else None

    def create_token_response(self) -> tuple[int, dict[str, Any], list[tuple[str, str]]]:
        old: Token = self.request.refresh_token
        rotated = Token.objects.filter(pk=old.pk, rotated_at__isnull=True).update(rotated_at=timezone.now())
        if not rotated:
            raise InvalidGrantError()
        result: tuple[int, dict[str, Any], list[tuple[str, str]]] = super().create_token_response()
        return result

    def revoke_old_credential(self, refresh_token: Token) -> None:
        pass  # done above, before the new token was made


class Revocation(RevocationEndpoint):
    """RFC 7009: a client revokes its own access or refresh token; unknown tokens answer 200 all the same."""

    CLIENT_AUTH_METHODS = AUTH_METHODS

    def query_token(self, token_string: str, token_type_hint: str | None) -> Token | None:
        digest = hash_secret(token_string)
        rows = Token.objects.select_related("client")
        return rows.filter(access_token_hash=digest).first() or rows.filter(refresh_token_hash=digest).first()

    def revoke_token(self, token: Token, request: OAuth2Request) -> None:
        Token.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def revoke_connection_tokens(connection: Connection) -> int:
    return Token.objects.filter(connection=connection, revoked_at__isnull=True).update(revoked_at=timezone.now())


def generate_bearer_token(
    grant_type: str,
    client: Client,
    user: Connection | None = None,
    scope: str | None = None,
    expires_in: int | None = None,
    include_refresh_token: bool = True,
) -> dict[str, Any]:
    """authlib's token generator hook: the scope narrowed to the client's, a refresh token only for an app that
    asked for `offline_access` or `online_access`."""
    granted = client.get_allowed_scope(scope)
    if granted is None:
        raise InvalidScopeError()
    token: dict[str, Any] = {
        "token_type": "Bearer",
        "access_token": generate_token(48),
        "expires_in": expires_in or client.access_token_seconds,
        "scope": granted,
    }
    if include_refresh_token and client.kind == Kind.APP and wants_refresh(granted):
        token["refresh_token"] = generate_token(48)
    return token


class Server(DjangoAuthorizationServer):
    def __init__(self) -> None:
        super().__init__(Client, Token)
        self.register_token_generator("default", generate_bearer_token)
        self.register_client_auth_method("private_key_jwt", authenticate_private_key_jwt)
        self.register_grant(ClientCredentialsGrant)
        self.register_grant(AuthorizationCodeGrant, [StrictCodeChallenge(required=True), OpenIDCode()])
        self.register_grant(RefreshTokenGrant)
        self.register_endpoint(Revocation)

    def get_authorization_grant(self, request: OAuth2Request) -> Any:
        # authlib names an unknown response type in its error text, which raises ValueError when the type holds a
        # character an error text may not (RFC 6749 § 4.1.2.1): such a type is refused here, naming nothing.
        if invalid_error_characters(request.payload.response_type or ""):
            raise UnsupportedResponseTypeError("", description="The response type is not supported.")
        return super().get_authorization_grant(request)

    def query_client(self, client_id: Any) -> Client | None:
        if not isinstance(client_id, str):
            return None
        return Client.objects.select_related("unit").filter(client_id=client_id, disabled=False).first()

    def save_token(self, token: dict[str, Any], request: OAuth2Request) -> Token:
        """Store the token's hashes; an app's response gets its launch context (`patient`) here."""
        connection: Connection | None = request.user if isinstance(request.user, Connection) else None
        now = timezone.now()
        refresh = token.get("refresh_token")
        row = Token.objects.create(
            client=request.client,
            connection=connection,
            access_token_hash=hash_secret(token["access_token"]),
            refresh_token_hash=hash_secret(refresh) if refresh else None,
            scope=token["scope"],
            issued_at=now,
            expires_at=now + datetime.timedelta(seconds=int(token["expires_in"])),
            refresh_expires_at=connection.expires_at if refresh and connection else None,
        )
        if connection is not None:
            token["patient"] = str(connection.subject_id)
        return row

    def handle_response(self, status_code: int, payload: Any, headers: Any) -> HttpResponse:
        response: HttpResponse = super().handle_response(status_code, payload, headers)
        response["Cache-Control"] = "no-store"
        return response

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        pass  # nobody listens to authlib's Django signals here


server = Server()
