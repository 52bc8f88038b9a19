"""ID and access tokens: what goes into them and how a presented one is checked."""

import secrets
import time
from typing import Any

from joserfc import jwt
from joserfc.errors import JoseError

from helseportal.identity.devidp.models import AuthorizationCode
from helseportal.identity.devidp.signing import ALGORITHM, sign, signing_key

TOKEN_SECONDS = 120
# Claims about the login rather than the person; userinfo answers with the rest.
AUTHENTICATION_CLAIMS = frozenset({"acr", "amr", "auth_time", "sid"})


class InvalidToken(Exception):
    """A presented token is not one of ours, or no longer valid; the message is for the developer."""


def token_response(issuer: str, code: AuthorizationCode) -> dict[str, Any]:
    now = int(time.time())
    return {
        "access_token": sign(_access_token_claims(issuer, code, now), "at+jwt"),
        "id_token": sign(_id_token_claims(issuer, code, now), "JWT"),
        "token_type": "Bearer",
        "expires_in": TOKEN_SECONDS,
        "scope": code.scope,
    }


def _id_token_claims(issuer: str, code: AuthorizationCode, now: int) -> dict[str, Any]:
    return {
        **code.claims,
        "iss": issuer,
        "aud": code.client_id,
        "iat": now,
        "exp": now + TOKEN_SECONDS,
        "nonce": code.nonce,
        "jti": secrets.token_urlsafe(16),
    }


def _access_token_claims(issuer: str, code: AuthorizationCode, now: int) -> dict[str, Any]:
    """An RFC 9068-style access token: this provider is its audience, since userinfo is the only API it opens."""
    return {
        **code.claims,
        "iss": issuer,
        "aud": issuer,
        "client_id": code.client_id,
        "scope": code.scope,
        "iat": now,
        "exp": now + TOKEN_SECONDS,
        "jti": secrets.token_urlsafe(16),
    }


def verify_access_token(issuer: str, value: str) -> dict[str, Any]:
    token = _decode(value)
    if token.header.get("typ") != "at+jwt":
        # An ID token is signed by the same key; its typ keeps it from being used as an access token.
        raise InvalidToken("Not an access token.")
    registry = jwt.JWTClaimsRegistry(
        iss={"essential": True, "value": issuer},
        aud={"essential": True, "value": issuer},
        exp={"essential": True},
    )
    _validate(token.claims, registry)
    return token.claims


def verify_id_token_hint(issuer: str, value: str) -> dict[str, Any]:
    """Check an id_token_hint: ours and unaltered. It may have expired (OIDC RP-Initiated Logout §2)."""
    token = _decode(value)
    registry = jwt.JWTClaimsRegistry(iss={"essential": True, "value": issuer})
    _validate({k: v for k, v in token.claims.items() if k != "exp"}, registry)
    return token.claims


def userinfo_claims(access_token_claims: dict[str, Any]) -> dict[str, Any]:
    protocol = {"iss", "aud", "client_id", "scope", "iat", "exp", "jti", *AUTHENTICATION_CLAIMS}
    return {k: v for k, v in access_token_claims.items() if k not in protocol}


def _decode(value: str) -> jwt.Token:
    try:
        return jwt.decode(value, signing_key(), algorithms=[ALGORITHM])
    except (JoseError, ValueError) as error:
        raise InvalidToken(f"The token is not valid: {error}") from None


def _validate(claims: dict[str, Any], registry: jwt.JWTClaimsRegistry) -> None:
    try:
        registry.validate(claims)
    except (JoseError, ValueError) as error:
        raise InvalidToken(f"The token is not valid: {error}") from None
