"""The state of a login in progress (state, nonce, PKCE verifier, where to go next), kept in the browser.

Between "Logg inn" and the provider's callback the portal must remember a few values. Kept in the session, every
anonymous visit to /login/ wrote a session row that lived for half an hour: anyone could fill the table. Here
they travel in a cookie instead, encrypted and authenticated with a key derived from SECRET_KEY (JWE, `dir` +
A256GCM): the browser can neither read the verifier nor change a value. The cookie is scoped to /login/ (both
callbacks live there), lasts as long as a login may take, and is deleted by the callback whatever its outcome.
"""

import json
import time
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import salted_hmac
from joserfc import jwe
from joserfc.errors import JoseError
from joserfc.jwk import OctKey

MAX_AGE_SECONDS = 15 * 60  # how long a login may take at the provider; our choice
COOKIE_PATH = "/login/"
_HEADER = {"alg": "dir", "enc": "A256GCM"}
_ALGORITHMS = ["dir", "A256GCM"]


def cookie_name(provider: str) -> str:
    # __Secure- makes the browser refuse the cookie unless it came over HTTPS with the Secure flag.
    prefix = "__Secure-" if settings.SESSION_COOKIE_SECURE else ""
    return f"{prefix}helseportal_login_{provider}"


def _key() -> OctKey:
    return OctKey.import_key(salted_hmac("helseportal.identity.loginstate", "", algorithm="sha256").digest())


def seal(flow: dict[str, Any]) -> str:
    """Encrypt a login's state for the cookie."""
    return jwe.encrypt_compact(_HEADER, json.dumps(flow).encode(), _key())


def unseal(value: str) -> dict[str, Any] | None:
    """The login state in `value`, or None when it is not ours, was changed, or is older than MAX_AGE_SECONDS."""
    try:
        flow = json.loads(jwe.decrypt_compact(value, _key(), algorithms=_ALGORITHMS).plaintext or b"")
    except (JoseError, ValueError, TypeError):
        return None
    if not isinstance(flow, dict) or not isinstance(flow.get("started"), int | float):
        return None
    if not 0 <= time.time() - flow["started"] <= MAX_AGE_SECONDS:
        return None
    return flow


def remember(response: HttpResponse, provider: str, flow: dict[str, Any]) -> None:
    response.set_cookie(
        cookie_name(provider),
        seal(flow),
        max_age=MAX_AGE_SECONDS,
        path=COOKIE_PATH,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",  # sent on the provider's top-level redirect back to the callback, not on cross-site posts
    )


def recall(request: HttpRequest, provider: str) -> dict[str, Any] | None:
    value = request.COOKIES.get(cookie_name(provider))
    return unseal(value) if value else None


def forget(response: HttpResponse, provider: str) -> None:
    response.delete_cookie(cookie_name(provider), path=COOKIE_PATH, samesite="Lax")
