"""The provider's single sign-on session: a cookie on the provider's origin and a row per session.

RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0) ends it; Front-Channel Logout 1.0 then tells each
client that used it, by loading the client's frontchannel_logout_uri with `iss` and `sid` in a hidden iframe.
The one client, the portal, has its front-channel logout URI at /logout/frontchannel/ on the origin of the
redirect_uri it logged in with.
"""

import datetime
import hashlib
import secrets
import time
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from helseportal.identity.devidp.models import ProviderSession
from helseportal.identity.devidp.providers import Provider

# DOMAIN.md §2: ID-porten's session lasts at most 120 minutes.
MAX_AGE = datetime.timedelta(minutes=120)
FRONTCHANNEL_PATH = "/logout/frontchannel/"


def cookie_name(idp: Provider) -> str:
    return f"devidp_session_{idp.name}"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def current(request: HttpRequest, idp: Provider) -> ProviderSession | None:
    """The browser's live session with this provider, if it has one."""
    token = request.COOKIES.get(cookie_name(idp), "")
    if not token:
        return None
    return ProviderSession.objects.filter(
        token_hash=_hash(token), provider=idp.name, created__gt=timezone.now() - MAX_AGE
    ).first()


def start(idp: Provider, claims: dict[str, Any], subject_key: str) -> tuple[ProviderSession, str]:
    """A new session for a login made on the login page; returns it and the token for the browser's cookie."""
    ProviderSession.objects.filter(created__lt=timezone.now() - MAX_AGE).delete()
    token = secrets.token_urlsafe(32)
    session = ProviderSession.objects.create(
        token_hash=_hash(token),
        provider=idp.name,
        sid=secrets.token_urlsafe(16),
        subject_key=subject_key,
        claims=claims,
        auth_time=int(time.time()),
    )
    return session, token


def remember(response: HttpResponse, idp: Provider, token: str) -> None:
    response.set_cookie(
        cookie_name(idp),
        token,
        max_age=int(MAX_AGE.total_seconds()),
        path=f"/dev-idp/{idp.name}/",
        httponly=True,
        samesite="Lax",  # sent when a client sends the browser here (a top-level GET), never on other requests
    )


def add_client(session: ProviderSession, redirect_uri: str) -> None:
    """Remember the client's front-channel logout URI, derived from the redirect_uri it was sent back to."""
    parts = urlsplit(redirect_uri)
    uri = f"{parts.scheme}://{parts.netloc}{FRONTCHANNEL_PATH}"
    if uri not in session.clients:
        session.clients = [*session.clients, uri]
        session.save(update_fields=["clients"])


def end(request: HttpRequest, idp: Provider, issuer: str, sid: str = "") -> list[str]:
    """End the browser's session (or the one named by `sid`); return the front-channel logout URLs to load."""
    session = current(request, idp)
    if session is None and sid:
        session = ProviderSession.objects.filter(provider=idp.name, sid=sid).first()
    if session is None:
        return []
    session.delete()
    query = urlencode({"iss": issuer, "sid": session.sid})
    return [f"{uri}?{query}" for uri in session.clients]


def forget(response: HttpResponse, idp: Provider) -> None:
    response.delete_cookie(cookie_name(idp), path=f"/dev-idp/{idp.name}/", samesite="Lax")
