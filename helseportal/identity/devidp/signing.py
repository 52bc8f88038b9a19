"""The provider's signing key: one RSA key under VAR_DIR, made on first use and kept across restarts."""

import functools
import json
import os
import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from joserfc.jwk import RSAKey

FILE_NAME = "devidp-signing.jwk"
ALGORITHM = "RS256"


def signing_key() -> RSAKey:
    if settings.DEPLOYED:
        # Settings already refuse HELSEPORTAL_DEV_IDP when deployed; a key that can mint any identity
        # must not appear there even if a URLconf is changed by mistake.
        raise ImproperlyConfigured("the development identity provider never signs tokens in staging or production")
    return _load(Path(settings.VAR_DIR) / FILE_NAME)


@functools.cache
def _load(path: Path) -> RSAKey:
    if not path.exists():
        _create(path)
    return RSAKey.import_key(json.loads(path.read_text()))


def _create(path: Path) -> None:
    key = RSAKey.generate_key(2048, parameters={"use": "sig", "alg": ALGORITHM}, private=True)
    key.ensure_kid()
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written under a private name and linked into place, so two processes starting at once never read a
    # half-written file and the loser of the race uses the winner's key.
    partial = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(json.dumps(key.as_dict(private=True)))
    try:
        os.link(partial, path)
    except FileExistsError:
        pass
    finally:
        partial.unlink()


def public_key_set() -> dict[str, Any]:
    return {"keys": [signing_key().as_dict(private=False)]}
