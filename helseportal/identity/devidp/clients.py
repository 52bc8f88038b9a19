"""The one registered client per provider: the portal itself, authenticated by private_key_jwt only."""

import datetime
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction
from django.http import HttpRequest, QueryDict
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, RSAKey

from helseportal.identity.devidp.models import UsedAssertion
from helseportal.identity.devidp.providers import Provider
from helseportal.identity.keys import ClientKey, load_client_key

JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
ASSERTION_ALGORITHMS = ["RS256", "ES256"]
ASSERTION_MAX_SECONDS = 120
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


class InvalidClient(Exception):
    """The client could not be authenticated; the message goes into error_description."""


@dataclass(frozen=True)
class Client:
    client_id: str
    key: ClientKey  # public part only


def registered_client(provider: Provider) -> Client:
    # Only the public half is kept, so nothing here could sign in the client's name by accident.
    key = load_client_key(provider.client_key_path)
    public = key.as_dict(private=False)
    return Client(provider.client_id, ECKey.import_key(public) if isinstance(key, ECKey) else RSAKey.import_key(public))


def redirect_uri_allowed(request: HttpRequest, provider: Provider, uri: str) -> bool:
    parts = urlsplit(uri)
    return parts.path == provider.callback_path and not parts.fragment and _host_allowed(request, uri)


def post_logout_uri_allowed(request: HttpRequest, uri: str) -> bool:
    return not urlsplit(uri).fragment and _host_allowed(request, uri)


def _host_allowed(request: HttpRequest, uri: str) -> bool:
    """Allow loopback on any port, or exactly the host this request came to: a developer's own portal."""
    try:
        parts = urlsplit(uri)
        hostname = parts.hostname
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or parts.username or parts.password or not hostname:
        return False
    return hostname in LOOPBACK_HOSTS or parts.netloc.lower() == request.get_host().lower()


def authenticate_client(request: HttpRequest, provider: Provider, form: QueryDict) -> Client:
    """Check a private_key_jwt client assertion (RFC 7523, OIDC Core §9) and spend its jti."""
    assertion = form.get("client_assertion") or ""
    if form.get("client_assertion_type") != JWT_BEARER or not assertion:
        raise InvalidClient("Only private_key_jwt client authentication is accepted.")
    client = registered_client(provider)
    if form.get("client_id", client.client_id) != client.client_id:
        raise InvalidClient("Unknown client_id.")
    try:
        token = jwt.decode(assertion, client.key, algorithms=ASSERTION_ALGORITHMS)
        _assertion_claims(request, provider, client).validate(token.claims)
    except (JoseError, ValueError) as error:
        raise InvalidClient(f"The client assertion is not valid: {error}") from None
    exp = token.claims["exp"]
    if isinstance(exp, bool) or not isinstance(exp, int | float) or exp > time.time() + ASSERTION_MAX_SECONDS:
        raise InvalidClient(f"The client assertion must expire within {ASSERTION_MAX_SECONDS} seconds.")
    _spend_jti(provider, client, str(token.claims["jti"]), exp)
    return client


def _assertion_claims(request: HttpRequest, provider: Provider, client: Client) -> jwt.JWTClaimsRegistry:
    audiences = [provider.issuer(request), provider.url(request, "token")]
    return jwt.JWTClaimsRegistry(
        iss={"essential": True, "value": client.client_id},
        sub={"essential": True, "value": client.client_id},
        aud={"essential": True, "values": audiences},
        exp={"essential": True},
        jti={"essential": True},
    )


def _spend_jti(provider: Provider, client: Client, jti: str, exp: float) -> None:
    if len(jti) > UsedAssertion._meta.get_field("jti").max_length:  # type: ignore[operator]
        raise InvalidClient("The client assertion's jti is too long.")
    now = datetime.datetime.now(datetime.UTC)
    UsedAssertion.objects.filter(expires__lt=now).delete()
    try:
        # The unique constraint decides, so two requests racing with one assertion cannot both pass.
        with transaction.atomic():
            UsedAssertion.objects.create(
                provider=provider.name,
                client_id=client.client_id,
                jti=jti,
                expires=datetime.datetime.fromtimestamp(exp, datetime.UTC),
            )
    except IntegrityError:
        raise InvalidClient("The client assertion has been used before.") from None
