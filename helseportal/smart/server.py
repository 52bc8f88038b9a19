"""The SMART authorization server: authlib's components on the portal's one OAuth adapter (`identity.oauth_server`,
shared with the development identity provider).

- the server: `OAuthServer`, one per request (the issuer and the token endpoint are on the request's host), which
  adds RFC 9207's `iss` to every authorization response;
- client authentication: the adapter's `PrivateKeyJWT` (RS384/ES384, `aud` the token endpoint, `exp` at most
  5 minutes ahead, each `jti` once, keys registered or by JWKS URL), and `none` for a public app;
- grants: `client_credentials` (SMART Backend Services), `authorization_code` with `rfc7636.CodeChallenge`
  (the adapter's `PkceS256`) and `oidc.core.OpenIDCode` (an ID token with `fhirUser`), `refresh_token` (rotated);
- endpoints: `rfc7009.RevocationEndpoint`.

What is ours: the models (`models.py`), scope narrowing (`scopes.py`), the client's keys (`keys.py`), and the
`patient` launch context in the token response.
"""

import datetime
from typing import Any
from urllib.parse import urlsplit

from authlib.common.security import generate_token
from authlib.oauth2.base import invalid_error_characters
from authlib.oauth2.rfc6749 import (
    InvalidGrantError,
    InvalidRequestError,
    InvalidScopeError,
    OAuth2Request,
    UnsupportedResponseTypeError,
    UnsupportedTokenTypeError,
    grants,
)
from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oidc.core import UserInfo
from authlib.oidc.core import grants as oidc_grants
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from helseportal.identity.oauth_server import JtiStore, OAuthServer, PkceS256, PrivateKeyJWT
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

# SMART Backend Services: servers SHALL support RS384 and ES384. We accept exactly those two (no RS256/ES256):
# fewer algorithms, fewer surprises, and every SMART client library can sign with them.
ASSERTION_ALGORITHMS = ("RS384", "ES384")
# "exp: … no more than five minutes in the future" (SMART Backend Services, authentication JWT).
ASSERTION_MAX_SECONDS = 5 * 60
# Clock skew allowed both ways: an assertion is taken until 30 s after its `exp`, and with an `exp` up to
# 5 minutes + 30 s ahead (a client stamping exactly now + 300 s must not fail by a second).
ASSERTION_LEEWAY_SECONDS = 30
AUTH_METHODS = [PrivateKeyJWT.CLIENT_AUTH_METHOD, "none"]


def origin(request: OAuth2Request | HttpRequest) -> str:
    uri = request.uri if isinstance(request, OAuth2Request) else request.build_absolute_uri()
    parts = urlsplit(uri)
    return f"{parts.scheme}://{parts.netloc}"


def fhir_base(request: OAuth2Request | HttpRequest) -> str:
    """The FHIR base URL, as an app must name it in `aud`: `https://<host>/fhir/R4`."""
    return f"{origin(request)}/fhir/R4"


def issuer(request: OAuth2Request | HttpRequest) -> str:
    """The issuer of our ID tokens and authorization responses (discovery at `<issuer>/.well-known/…`)."""
    return f"{origin(request)}/oauth"


def token_endpoint(request: OAuth2Request | HttpRequest) -> str:
    return f"{origin(request)}{reverse('smart:token')}"


class ClientCredentialsGrant(grants.ClientCredentialsGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = [PrivateKeyJWT.CLIENT_AUTH_METHOD]


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


class UnsupportedTokenType(UnsupportedTokenTypeError):
    """RFC 7009 § 2.2.1 names `unsupported_token_type` among RFC 6749 § 5.2's error codes, which answer 400;
    authlib's class is a 401 (it extends its `ForbiddenError`), as if the client had failed to authenticate."""

    status_code = 400


class Revocation(RevocationEndpoint):
    """RFC 7009: a client revokes its own access or refresh token; unknown tokens answer 200 all the same. A
    `token_type_hint` other than `access_token`/`refresh_token` is `unsupported_token_type` (400)."""

    CLIENT_AUTH_METHODS = AUTH_METHODS

    def check_params(self, request: OAuth2Request, client: Client) -> None:
        try:
            super().check_params(request, client)
        except UnsupportedTokenTypeError as error:
            raise UnsupportedTokenType() from error

    def query_token(self, token_string: str, token_type_hint: str | None) -> Token | None:
        digest = hash_secret(token_string)
        rows = Token.objects.select_related("client")
        return rows.filter(access_token_hash=digest).first() or rows.filter(refresh_token_hash=digest).first()

    def revoke_token(self, token: Token, request: OAuth2Request) -> None:
        """The token; for a refresh token also every token of its grant (RFC 7009 § 2.1: the access tokens given
        with it and with the refresh tokens before it), so no earlier access token outlives the revocation."""
        presented = request.form.get("token") or ""
        if token.connection_id is not None and token.refresh_token_hash == hash_secret(presented):
            Token.objects.filter(connection_id=token.connection_id, revoked_at__isnull=True).update(
                revoked_at=timezone.now()
            )
            return
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


def find_client(client_id: Any) -> Client | None:
    if not isinstance(client_id, str):
        return None
    return Client.objects.select_related("unit").filter(client_id=client_id, disabled=False).first()


def save_token(token: dict[str, Any], request: OAuth2Request) -> None:
    """Store the token's hashes; an app's response gets its launch context (`patient`) here."""
    connection: Connection | None = request.user if isinstance(request.user, Connection) else None
    now = timezone.now()
    refresh = token.get("refresh_token")
    Token.objects.create(
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


class Server(OAuthServer):
    """The server for one request: its issuer and token endpoint are on the host the request came to."""

    def __init__(self, request: HttpRequest) -> None:
        super().__init__(query_client=find_client, save_token=save_token, issuer=issuer(request))
        self.register_token_generator("default", generate_bearer_token)
        assertions = PrivateKeyJWT(
            audiences=[token_endpoint(request)],
            public_key=keys.client_keys,
            spend_jti=JtiStore(UsedAssertion, expires="expires_at", keep=ASSERTION_LEEWAY_SECONDS),
            algorithms=list(ASSERTION_ALGORITHMS),
            max_lifetime=ASSERTION_MAX_SECONDS,
            leeway=ASSERTION_LEEWAY_SECONDS,
        )
        self.register_client_auth_method(PrivateKeyJWT.CLIENT_AUTH_METHOD, assertions)
        self.register_grant(ClientCredentialsGrant)
        self.register_grant(AuthorizationCodeGrant, [PkceS256(), OpenIDCode()])
        self.register_grant(RefreshTokenGrant)
        self.register_endpoint(Revocation)

    def get_authorization_grant(self, request: OAuth2Request) -> Any:
        # authlib names an unknown response type in its error text, which raises ValueError when the type holds a
        # character an error text may not (RFC 6749 § 4.1.2.1): such a type is refused here, naming nothing.
        if invalid_error_characters(request.payload.response_type or ""):
            raise UnsupportedResponseTypeError("", description="The response type is not supported.")
        return super().get_authorization_grant(request)
