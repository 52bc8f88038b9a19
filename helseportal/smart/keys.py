"""Keys: a client's public keys (registered, or fetched from its JWKS URL and cached), and the portal's own
signing key for ID tokens.
"""

import functools
import json
import threading
import time
from typing import Any

import httpx2 as httpx
from django.conf import settings
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from helseportal.identity.keys import ClientKey, load_client_key
from helseportal.smart.models import Client

# A fetched key set is used for 5 minutes; a `kid` it lacks makes us fetch again (the client rotated its keys),
# but not more often than every 30 seconds, so junk assertions cannot make us hammer the client's server.
JWKS_TTL_SECONDS = 300
JWKS_REFETCH_SECONDS = 30
JWKS_MAX_BYTES = 64 * 1024
JWKS_TIMEOUT_SECONDS = 5.0

transport: httpx.BaseTransport | None = None  # tests may route the fetch elsewhere; None: the network
_cache: dict[str, tuple[float, KeySet]] = {}
_lock = threading.Lock()


class KeysUnavailable(Exception):
    """The client's keys could not be had: no keys registered, the URL failed, or what it served is no JWK Set."""


def client_keys(client: Client, kid: str | None = None) -> KeySet:
    """The client's public keys; for a JWKS URL, fetched again when `kid` is not among the cached ones."""
    if client.jwks:
        return _key_set(client.jwks)
    if not client.jwks_url:
        raise KeysUnavailable("the client has no keys")
    now = time.monotonic()
    with _lock:
        cached = _cache.get(client.jwks_url)
    if cached is not None:
        fetched_at, keys = cached
        fresh = now - fetched_at < JWKS_TTL_SECONDS
        knows_kid = kid is None or any(key.kid == kid for key in keys.keys)
        if fresh and (knows_kid or now - fetched_at < JWKS_REFETCH_SECONDS):
            return keys
    keys = _key_set(_fetch(client.jwks_url))
    with _lock:
        _cache[client.jwks_url] = (now, keys)
    return keys


def _fetch(url: str) -> Any:
    if settings.DEPLOYED and not url.startswith("https://"):
        raise KeysUnavailable("a JWKS URL must be https")
    try:
        with httpx.Client(timeout=JWKS_TIMEOUT_SECONDS, transport=transport, follow_redirects=False) as http:
            response = http.get(url, headers={"Accept": "application/json"})
    except httpx.HTTPError as error:
        raise KeysUnavailable(f"the JWKS URL failed: {type(error).__name__}") from None
    if response.status_code != 200 or len(response.content) > JWKS_MAX_BYTES:
        raise KeysUnavailable(f"the JWKS URL answered {response.status_code}")
    try:
        return response.json()
    except ValueError:
        raise KeysUnavailable("the JWKS URL served no JSON") from None


def _key_set(data: Any) -> KeySet:
    if not isinstance(data, dict) or not isinstance(data.get("keys"), list):
        raise KeysUnavailable("not a JWK Set")
    public = [{k: v for k, v in key.items() if k != "d"} for key in data["keys"] if isinstance(key, dict)]
    try:
        return KeySet.import_key_set({"keys": public})
    except (JoseError, ValueError, TypeError) as error:
        raise KeysUnavailable(f"not a JWK Set: {error}") from None


def parse_jwks(text: str) -> dict[str, Any]:
    """A JWK Set (or one JWK) as JSON text, checked and stripped to its public parts, for registration."""
    data = json.loads(text)
    if isinstance(data, dict) and "kty" in data:
        data = {"keys": [data]}
    keys = _key_set(data)
    return {"keys": [key.as_dict(private=False) for key in keys.keys]}


def clear_cache() -> None:
    with _lock:
        _cache.clear()


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
