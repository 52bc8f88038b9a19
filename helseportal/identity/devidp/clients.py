"""The one registered client per provider, the portal: its public key and where it may be sent back to."""

from urllib.parse import urlsplit

from django.http import HttpRequest
from joserfc.jwk import ECKey, RSAKey

from helseportal.identity.devidp.providers import Provider
from helseportal.identity.keys import ClientKey, load_client_key

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def public_client_key(provider: Provider) -> ClientKey:
    # Only the public half is kept, so nothing here could sign in the client's name by accident.
    key = load_client_key(provider.client_key_path)
    public = key.as_dict(private=False)
    return ECKey.import_key(public) if isinstance(key, ECKey) else RSAKey.import_key(public)


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
