"""The provider's OAuth 2 / OpenID Connect server: authlib's components, configured as ID-porten and HelseID do it.

authlib does the protocol: the authorization request's checks and its error redirects, the code and its
exchange, PKCE (S256 only), the private_key_jwt client assertion (RFC 7523), the ID token (OpenID Connect, with
nonce) and the access token (an RFC 9068 JWT). What is here is what authlib asks the application for: the one
registered client, where codes and spent assertion ids are kept, and what the tokens say about the person.
"""

import datetime
import hashlib
import secrets
import time
from dataclasses import dataclass
from typing import Any

from authlib.consts import default_json_headers
from authlib.oauth2.rfc6749 import ClientMixin, InvalidClientError, InvalidGrantError, InvalidRequestError, grants
from authlib.oauth2.rfc6749.util import list_to_scope, scope_to_list
from authlib.oauth2.rfc9068 import JWTBearerTokenGenerator, JWTBearerTokenValidator
from authlib.oidc.core import OpenIDCode
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from joserfc.jwk import KeySet

from helseportal.identity.devidp.clients import public_client_key, redirect_uri_allowed
from helseportal.identity.devidp.models import AuthorizationCode, UsedAssertion
from helseportal.identity.devidp.providers import Provider
from helseportal.identity.devidp.signing import ALGORITHM, signing_key
from helseportal.identity.oauth_server import JtiStore, OAuthServer, PkceS256, PrivateKeyJWT

ASSERTION_ALGORITHMS = ["RS256", "ES256"]
ASSERTION_MAX_SECONDS = 120
CODE_LIFETIME = datetime.timedelta(seconds=60)
TOKEN_SECONDS = 120
MAX_PARAMETER_LENGTH = 2000


@dataclass(frozen=True)
class Subject:
    """The person a code and its tokens are about: the claims fixed at login (sub, sid, auth_time, pid or HPR …)."""

    claims: dict[str, Any]

    def get_user_id(self) -> str:
        return str(self.claims["sub"])


class Client(ClientMixin):
    """The one client each provider knows, the portal: code flow, private_key_jwt, back to its callback path only."""

    def __init__(self, request: HttpRequest, idp: Provider) -> None:
        self.request = request
        self.idp = idp
        self.client_id = idp.client_id

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> None:
        return None  # the request must name it

    def get_allowed_scope(self, scope: str | None) -> str | None:
        """The provider's scopes among those asked for; None (invalid_scope) without openid."""
        requested = scope_to_list(scope) or []
        if "openid" not in requested:
            return None
        return str(list_to_scope([s for s in dict.fromkeys(requested) if s in self.idp.scopes]))

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri_allowed(self.request, self.idp, redirect_uri)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method == PrivateKeyJWT.CLIENT_AUTH_METHOD and endpoint == "token"

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


class CodeGrant(grants.AuthorizationCodeGrant):
    """The authorization code grant; `server` is the DevIdpServer the grant answers for."""

    TOKEN_ENDPOINT_AUTH_METHODS = [PrivateKeyJWT.CLIENT_AUTH_METHOD]

    def validate_authorization_request(self) -> str:
        redirect_uri = str(super().validate_authorization_request())
        data = self.request.payload.data
        if not data.get("state"):  # the portal always sends one; a request without it is not from the portal
            raise InvalidRequestError("state is required.", redirect_uri=redirect_uri)
        if any(len(str(value)) > MAX_PARAMETER_LENGTH for value in data.values()):
            raise InvalidRequestError("A parameter is too long.", redirect_uri=redirect_uri)
        return redirect_uri

    def save_authorization_code(self, code: str, request: Any) -> None:
        # Codes nobody redeemed pile up otherwise; an hour keeps recent ones for looking at while debugging.
        AuthorizationCode.objects.filter(created__lt=timezone.now() - datetime.timedelta(hours=1)).delete()
        data = request.payload.data
        AuthorizationCode.objects.create(
            code_hash=_hash(code),
            provider=self.server.idp.name,
            client_id=request.client.get_client_id(),
            redirect_uri=request.payload.redirect_uri,
            code_challenge=data["code_challenge"],
            nonce=data["nonce"],
            scope=request.scope,
            claims=request.user.claims,
        )

    def query_authorization_code(self, code: str, client: Client) -> AuthorizationCode | None:
        found = AuthorizationCode.objects.filter(code_hash=_hash(code), provider=self.server.idp.name).first()
        if found is None:
            return None
        # Spent before anything else is checked, so a stolen code presented with a wrong verifier is gone for
        # the thief too.
        if not spend(found):
            raise InvalidGrantError("The authorization code has already been used.")
        if found.created <= timezone.now() - CODE_LIFETIME:
            raise InvalidGrantError("The authorization code has expired.")
        if found.client_id != client.get_client_id():
            raise InvalidGrantError("The authorization code was issued to another client.")
        return found

    def delete_authorization_code(self, authorization_code: AuthorizationCode) -> None:
        """Already spent in `query_authorization_code`; the row stays an hour so a second use says so."""

    def authenticate_user(self, authorization_code: AuthorizationCode) -> Subject:
        return Subject(authorization_code.claims)


def spend(code: AuthorizationCode) -> bool:
    """Mark the code used; False if it already was, also by a request that read it at the same moment.

    The database decides (UPDATE … WHERE used = false), not the copy in memory: of two concurrent
    redemptions exactly one updates a row.
    """
    return AuthorizationCode.objects.filter(pk=code.pk, used=False).update(used=True) == 1


class OpenIDConnect(OpenIDCode):
    """The ID token: signed with the provider's key, for the client, with the login's claims and the nonce."""

    def __init__(self, issuer: str) -> None:
        super().__init__(require_nonce=True)
        self.issuer = issuer

    def exists_nonce(self, nonce: str, request: Any) -> bool:
        # The nonce protects the client, which checks it in the ID token; a login form sent twice (a double
        # click) carries the same nonce and must still work.
        return False

    def resolve_client_private_key(self, client: Client) -> Any:
        return signing_key()

    def get_encode_header(self, client: Client) -> dict[str, str]:
        return {"alg": ALGORITHM, "kid": str(signing_key().kid), "typ": "JWT"}

    def get_client_claims(self, client: Client) -> dict[str, Any]:
        now = int(time.time())
        return {
            "iss": self.issuer,
            "aud": client.get_client_id(),
            "iat": now,
            "exp": now + TOKEN_SECONDS,
            "jti": secrets.token_urlsafe(16),
        }

    def generate_user_info(self, user: Subject, scope: str) -> dict[str, Any]:
        return dict(user.claims)


class AccessTokens(JWTBearerTokenGenerator):
    """RFC 9068 access tokens: this provider is their audience, since userinfo is the only API it opens."""

    def __init__(self, issuer: str) -> None:
        super().__init__(issuer, alg=ALGORITHM, expires_generator=TOKEN_SECONDS)

    def get_jwks(self) -> KeySet:
        return KeySet([signing_key()])  # a set, so the header names the key's kid

    def get_audiences(self, client: Client, user: Subject, scope: str) -> str:
        return str(self.issuer)

    def get_extra_claims(self, client: Client, grant_type: str, user: Subject, scope: str) -> dict[str, Any]:
        return dict(user.claims)


class AccessTokenValidator(JWTBearerTokenValidator):
    """Checks an access token presented at userinfo: ours, for us, an access token (typ at+jwt), unexpired."""

    def __init__(self, issuer: str) -> None:
        super().__init__(issuer, issuer, realm="devidp")

    def get_jwks(self) -> KeySet:
        return KeySet([signing_key()])


class DevIdpServer(OAuthServer):
    """One provider's server for one request (its issuer is on the host the request came to)."""

    def __init__(self, request: HttpRequest, idp: Provider) -> None:
        issuer = idp.issuer(request)
        client = Client(request, idp)
        # Development only, so plain http on any host the developer uses (signing refuses when deployed).
        super().__init__(
            query_client=lambda client_id: client if client_id == idp.client_id else None,
            issuer=issuer,
            allow_http=True,
        )
        self.idp = idp
        self.register_grant(CodeGrant, [PkceS256(), OpenIDConnect(issuer)])
        assertions = PrivateKeyJWT(
            audiences=[issuer, idp.url(request, "token")],
            public_key=lambda _client: public_client_key(idp),
            spend_jti=JtiStore(UsedAssertion, provider=idp.name),
            algorithms=ASSERTION_ALGORITHMS,
            max_lifetime=ASSERTION_MAX_SECONDS,
        )
        self.register_client_auth_method(PrivateKeyJWT.CLIENT_AUTH_METHOD, assertions)
        self.register_token_generator("default", AccessTokens(issuer))

    def handle_error_response(self, request: Any, error: Any) -> HttpResponse:
        if isinstance(error, InvalidClientError):
            # RFC 6749 §5.2 allows 401 for any failed client authentication; no Basic challenge for an assertion.
            return self.handle_response(401, dict(error.get_body()), default_json_headers)
        return super().handle_error_response(request, error)


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()
