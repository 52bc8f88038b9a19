"""Keys: a client's public keys (registered, or published at its JWKS URL and cached by the shared OAuth
adapter), and the portal's own signing key for ID tokens.
"""

import functools
import json
from typing import Any

from django.conf import settings

from helseportal.identity.keys import ClientKey, load_client_key
from helseportal.identity.oauth_server import KeysUnavailable, PublicKey, RemoteKeySets, import_public_keys
from helseportal.smart.models import Client

# A fetched key set is used for 5 minutes; a `kid` it lacks makes it fetched again (the client rotated its keys),
# but not more often than every 30 seconds.
remote = RemoteKeySets(ttl=300, refetch_after=30)


def client_keys(client: Client) -> PublicKey:
    """The client's registered public keys, or the resolver of those at its JWKS URL (fetched when checked)."""
    if client.jwks:
        return import_public_keys(client.jwks)
    if client.jwks_url:
        return remote.resolver(client.jwks_url)
    raise KeysUnavailable("the client has no keys")


def parse_jwks(text: str) -> dict[str, Any]:
    """A JWK Set (or one JWK) as JSON text, checked and stripped to its public parts, for registration.
    ValueError says what is wrong."""
    data = json.loads(text)
    if isinstance(data, dict) and "kty" in data:
        data = {"keys": [data]}
    try:
        keys = import_public_keys(data)
    except KeysUnavailable as error:
        raise ValueError(str(error)) from None
    return {"keys": [key.as_dict(private=False) for key in keys.keys]}


def clear_cache() -> None:
    remote.clear()


@functools.cache
def _signing_key(path: str) -> ClientKey:
    return load_client_key(path)


def signing_key() -> ClientKey:
    """The portal's key for ID tokens (HELSEPORTAL_SMART_SIGNING_KEY; generated in dev and test)."""
    return _signing_key(settings.HELSEPORTAL_SMART_SIGNING_KEY)


def signing_algorithm(key: ClientKey) -> str:
    if key.alg:
        return key.alg
    return "ES256" if key.key_type == "EC" else "RS256"


def public_key_set() -> dict[str, Any]:
    key = signing_key()
    return {"keys": [{**key.as_dict(private=False), "use": "sig", "alg": signing_algorithm(key)}]}
