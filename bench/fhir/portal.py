"""helseportal's side of the benchmark: a system client of the GP office and its bearer tokens, by the real flow.

The client is registered as an operator registers one (`helseportal fhir-client add --kind system --unit <orgnr>
--jwks-file … --scope …`, run in the loader's process against the same database) with an ES384 key made for the
run. Its tokens come from the running server, as a SMART Backend Services client gets them: a `client_credentials`
request to the token endpoint the server's `.well-known/smart-configuration` names, authenticated by a signed
client assertion (`private_key_jwt`). Access tokens are short-lived, so the runner asks for a fresh one before
each wrk run (`Tokens.headers()`), outside the measured time.
"""

import io
import json
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from joserfc import jwt
from joserfc.jwk import ECKey

SCOPES = "system/Observation.cruds system/Patient.rs"
ASSERTION = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
FRESH_FOR = 60.0  # seconds a token is reused before the runner asks for another (they live longer)
PROXY = {"X-Forwarded-Proto": "https"}  # the staging settings expect the TLS proxy's header


@dataclass
class Client:
    client_id: str
    key: ECKey


def register(unit_orgnr: str, folder: Path) -> Client:
    """Register the benchmark's EPJ as a system client of the unit; call after django.setup()."""
    from django.core.management import call_command

    key = ECKey.generate_key("P-384", parameters={"kid": "bench-epj", "use": "sig", "alg": "ES384"})
    jwks = folder / "bench-epj.jwks.json"
    jwks.write_text(json.dumps({"keys": [key.as_dict(private=False)]}))
    out = io.StringIO()
    call_command(
        "fhir-client",
        "add",
        "--name",
        "Benchmark-EPJ",
        "--kind",
        "system",
        "--unit",
        unit_orgnr,
        "--jwks-file",
        str(jwks),
        "--scope",
        SCOPES,
        stdout=out,
    )
    return Client(out.getvalue().strip().splitlines()[-1], key)


@dataclass
class Tokens:
    client: Client
    base_url: str  # http://127.0.0.1:<port>
    _token: str = ""
    _fetched: float = field(default=0.0)

    def headers(self) -> dict[str, str]:
        if not self._token or time.monotonic() - self._fetched > FRESH_FOR:
            self._token = self._fetch()
            self._fetched = time.monotonic()
        return {"Authorization": f"Bearer {self._token}"}

    def _get(self, path: str) -> dict[str, object]:
        request = urllib.request.Request(self.base_url + path, headers={"Accept": "application/json", **PROXY})  # noqa: S310
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 -- loopback http only
            return dict(json.loads(response.read()))

    def _fetch(self) -> str:
        configuration = self._get("/fhir/R4/.well-known/smart-configuration")
        endpoint = str(configuration["token_endpoint"])
        form = urllib.parse.urlencode(token_request(self.client, endpoint)).encode()
        # The endpoint is named by its public https:// address; the request goes to the server on loopback.
        path = urllib.parse.urlsplit(endpoint).path
        request = urllib.request.Request(  # noqa: S310
            self.base_url + path,
            data=form,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json", **PROXY},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 -- loopback http only
                return str(json.loads(response.read())["access_token"])
        except urllib.error.HTTPError as error:
            raise RuntimeError(f"the token endpoint answered {error.code}: {error.read()[:300]!r}") from None


def token_request(client: Client, endpoint: str) -> dict[str, str]:
    """The form of a `client_credentials` request authenticated by a fresh ES384 client assertion for `endpoint`."""
    now = int(time.time())
    claims = {
        "iss": client.client_id,
        "sub": client.client_id,
        "aud": endpoint,
        "jti": str(uuid.uuid4()),
        "iat": now,
        "exp": now + 240,
    }
    assertion = jwt.encode({"alg": "ES384", "kid": "bench-epj"}, claims, client.key, algorithms=["ES384"])
    return {
        "grant_type": "client_credentials",
        "scope": SCOPES,
        "client_assertion_type": ASSERTION,
        "client_assertion": assertion,
    }
