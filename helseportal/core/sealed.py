"""Opaque tokens for links: a page's "next" cursor, sealed so that what it holds never stands readable in a URL.

Encrypted, not only signed (Fernet, with a key derived from `SECRET_KEY` and the purpose): a list's cursor holds
the last row's date and key, and a date of a lab test or a prescription is health data that proxies and access
logs must not keep. A token from another purpose, or a forged or damaged one, reads as None: the caller starts
from the first page, as if there were no token.
"""

import base64
import functools
import hashlib
import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


def seal(payload: Any, purpose: str) -> str:
    """`payload` (JSON-serialisable) as an opaque, URL-safe token for `purpose`."""
    return _fernet(settings.SECRET_KEY, purpose).encrypt(json.dumps(payload).encode()).decode("ascii")


def unseal(token: str, purpose: str) -> Any:
    """What `seal` put into `token` for the same `purpose`; None for no token or any token not sealed so."""
    if not token or len(token) > 2000:
        return None
    try:
        return json.loads(_fernet(settings.SECRET_KEY, purpose).decrypt(token.encode("ascii")))
    except (InvalidToken, UnicodeError, ValueError):
        return None


@functools.lru_cache(maxsize=16)
def _fernet(secret: str, purpose: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(f"helseportal.sealed:{purpose}:{secret}".encode()).digest()))
