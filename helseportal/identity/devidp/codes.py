"""Authorization codes: issued after the login choice, redeemed once at the token endpoint."""

import base64
import datetime
import hashlib
import secrets
from typing import Any

from django.utils import timezone

from helseportal.identity.devidp.authrequest import AuthorizationRequest
from helseportal.identity.devidp.models import AuthorizationCode
from helseportal.identity.devidp.providers import Provider

CODE_LIFETIME = datetime.timedelta(seconds=60)


class InvalidGrant(Exception):
    """The code cannot be redeemed; the message goes into error_description."""


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def issue_code(provider: Provider, params: AuthorizationRequest, claims: dict[str, Any]) -> str:
    # Codes nobody redeemed pile up otherwise; an hour keeps recent ones for looking at while debugging.
    AuthorizationCode.objects.filter(created__lt=timezone.now() - datetime.timedelta(hours=1)).delete()
    code = secrets.token_urlsafe(32)
    AuthorizationCode.objects.create(
        code_hash=_hash(code),
        provider=provider.name,
        client_id=params.client_id,
        redirect_uri=params.redirect_uri,
        code_challenge=params.code_challenge,
        nonce=params.nonce,
        scope=_granted_scope(provider, params.scope),
        claims=claims,
    )
    return code


def _granted_scope(provider: Provider, requested: str) -> str:
    return " ".join(s for s in dict.fromkeys(requested.split()) if s in provider.scopes)


def redeem_code(provider: Provider, client_id: str, code: str, redirect_uri: str, verifier: str) -> AuthorizationCode:
    """Spend the code and return it if it was issued to this client, for this redirect_uri and this verifier."""
    found = AuthorizationCode.objects.filter(code_hash=_hash(code), provider=provider.name).first()
    if found is None:
        raise InvalidGrant("Unknown authorization code.")
    # Spent before anything else is checked, so a stolen code presented with a wrong verifier is gone for
    # the thief too.
    if not spend(found):
        raise InvalidGrant("The authorization code has already been used.")
    if found.created <= timezone.now() - CODE_LIFETIME:
        raise InvalidGrant("The authorization code has expired.")
    if found.client_id != client_id:
        raise InvalidGrant("The authorization code was issued to another client.")
    if found.redirect_uri != redirect_uri:
        raise InvalidGrant("redirect_uri differs from the one in the authorization request.")
    if not secrets.compare_digest(s256(verifier), found.code_challenge):
        raise InvalidGrant("code_verifier does not match the code_challenge.")
    return found


def spend(code: AuthorizationCode) -> bool:
    """Mark the code used; False if it already was, also by a request that read it at the same moment.

    The database decides (UPDATE … WHERE used = false), not the copy in memory: of two concurrent
    redemptions exactly one updates a row.
    """
    return AuthorizationCode.objects.filter(pk=code.pk, used=False).update(used=True) == 1


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii", errors="replace")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
