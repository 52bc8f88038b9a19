"""Client keys for private_key_jwt: read from a JWK (JSON) or PEM file; generated on first use outside production."""

import json
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from joserfc.jwk import ECKey, RSAKey

ClientKey = RSAKey | ECKey


def load_client_key(path: str) -> ClientKey:
    """Load the private key at `path`; in dev and test, create an RSA key there when the file is missing."""
    file = Path(path)
    if not file.exists():
        if settings.DEPLOYED:
            raise ImproperlyConfigured(f"the client key file {path} does not exist")
        _generate(file)
    text = file.read_text()
    key: ClientKey
    if text.lstrip().startswith("{"):
        data = json.loads(text)
        key = ECKey.import_key(data) if data.get("kty") == "EC" else RSAKey.import_key(data)
    else:
        key = (
            RSAKey.import_key(text.encode())
            if "RSA" in text or "BEGIN PRIVATE KEY" in text
            else ECKey.import_key(text.encode())
        )
    if not key.kid:
        key.ensure_kid()
    return key


def _generate(file: Path) -> None:
    key = RSAKey.generate_key(2048, parameters={"use": "sig", "alg": "RS256"}, private=True)
    key.ensure_kid()
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(json.dumps(key.as_dict(private=True)))
    file.chmod(0o600)


def public_jwk(key: ClientKey) -> dict[str, object]:
    return dict(key.as_dict(private=False))
