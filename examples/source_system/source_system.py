"""A sample source system: a lab or a record system (EPJ) that sends its records to helseportal's FHIR API.

It uses only published libraries, none of the portal's code: `fhirpy` (a FHIR client) for the API, `joserfc`
for the client assertion and `requests` for the token. It authenticates as a SMART Backend Services client
(`client_credentials` with a `private_key_jwt` assertion signed ES384) and sends its records as FHIR
transaction Bundles: one Bundle per day's changes, each record with the source's own business identifier, so
that sending the same day again changes nothing in the portal.

    python examples/source_system/source_system.py keygen --out var/lab        # a key pair; the public part
    helseportal fhir-client add --name "Demo lab" --kind system --unit 910000004 \
        --jwks-file var/lab/jwks.json --scope "system/*.cruds"
    python examples/source_system/source_system.py send --base http://127.0.0.1:8000/fhir/R4 \
        --client-id <the id printed above> --key var/lab/private.jwk.json --demo

`--demo` sends the demo records of the unit `--unit` (default the GP office 910000004: blood tests, prescriptions,
vaccines and journal notes for the demo personas), the same files `helseportal demo` loads
(`helseportal/demo/data/records/<orgnr>/`; synthetic values for demonstration, not clinical reference data);
`--bundle FILE` sends a Bundle you wrote yourself.
"""

import argparse
import json
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import requests
from fhirpy import SyncFHIRClient
from joserfc import jwt
from joserfc.jwk import ECKey

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
# The demo Bundles, one folder per sending unit (its organisasjonsnummer); `helseportal demo` loads the same files
# through the API in its own process. Synthetic values for demonstration, not clinical reference data.
DEMO_DATA = Path(__file__).resolve().parents[2] / "helseportal" / "demo" / "data" / "records"
DEMO_UNIT = "910000004"  # the demo GP office, whose lab results these are


def keygen(out: Path) -> None:
    """An ES384 key pair: the private JWK for this system, the public JWKS to register with the portal."""
    out.mkdir(parents=True, exist_ok=True)
    key = ECKey.generate_key("P-384", parameters={"alg": "ES384", "use": "sig"}, auto_kid=True)
    (out / "private.jwk.json").write_text(json.dumps(key.as_dict(private=True)))
    (out / "jwks.json").write_text(json.dumps({"keys": [key.as_dict(private=False)]}))
    print(f"kid {key.kid}: register {out / 'jwks.json'} with `helseportal fhir-client add`")


def token(base: str, client_id: str, key_file: Path, scope: str) -> str:
    """An access token by SMART Backend Services: the token endpoint from the server's smart-configuration."""
    configuration = requests.get(f"{base}/.well-known/smart-configuration", timeout=30).json()
    endpoint = configuration["token_endpoint"]
    key = ECKey.import_key(json.loads(key_file.read_text()))
    now = int(time.time())
    claims = {"iss": client_id, "sub": client_id, "aud": endpoint, "iat": now, "exp": now + 300}
    claims["jti"] = str(uuid.uuid4())  # never reused: the server refuses a replayed assertion
    assertion = jwt.encode({"alg": "ES384", "kid": key.kid, "typ": "JWT"}, claims, key, algorithms=["ES384"])
    form = {
        "grant_type": "client_credentials",
        "scope": scope,
        "client_assertion_type": ASSERTION_TYPE,
        "client_assertion": assertion,
    }
    response = requests.post(endpoint, data=form, timeout=30)
    if response.status_code != 200:
        sys.exit(f"token refused: {response.status_code} {response.text}")
    return str(response.json()["access_token"])


# The types the demo Bundles hold (records/kinds.py), to write, and the patients they name, to read.
DEMO_TYPES = (
    "Observation", "DiagnosticReport", "Immunization", "ServiceRequest", "MedicationRequest", "MedicationDispense",
    "MedicationStatement", "DocumentReference", "AuditEvent",
)  # fmt: skip
DEMO_SCOPE = " ".join([*(f"system/{name}.cruds" for name in DEMO_TYPES), "system/Patient.rs"])


def demo_bundles(unit: str) -> list[dict[str, Any]]:
    """The demo transaction Bundles of one sending unit, as `helseportal demo` loads them."""
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted((DEMO_DATA / unit).glob("*.json"))]


def send(base: str, client_id: str, key_file: Path, bundle: dict[str, Any], scope: str) -> dict[str, Any]:
    client = SyncFHIRClient(base, authorization=f"Bearer {token(base, client_id, key_file, scope)}")
    client.extra_headers = {"Content-Type": "application/fhir+json", "Accept": "application/fhir+json"}
    response: dict[str, Any] = client.execute("", method="post", data=bundle)
    return response


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    make_keys = commands.add_parser("keygen", help="make a key pair")
    make_keys.add_argument("--out", type=Path, required=True)
    sender = commands.add_parser("send", help="send a transaction Bundle")
    sender.add_argument("--base", required=True, help="the FHIR base URL, e.g. http://127.0.0.1:8000/fhir/R4")
    sender.add_argument("--client-id", required=True)
    sender.add_argument("--key", type=Path, required=True, help="the private JWK file from keygen")
    sender.add_argument("--scope", default=DEMO_SCOPE, help="the scopes to ask for (default: every type of the demo)")
    sender.add_argument("--unit", default=DEMO_UNIT, help="with --demo: whose demo Bundles (organisasjonsnummer)")
    what = sender.add_mutually_exclusive_group(required=True)
    what.add_argument("--demo", action="store_true", help="the demo records of the unit (--unit)")
    what.add_argument("--bundle", type=Path, help="a Bundle (JSON) of your own")
    args = parser.parse_args(argv)
    if args.command == "keygen":
        keygen(args.out)
        return
    bundles = demo_bundles(args.unit) if args.demo else [json.loads(args.bundle.read_text())]
    for bundle in bundles:
        response = send(args.base.rstrip("/"), args.client_id, args.key, bundle, args.scope)
        for entry in response.get("entry", []):
            print(entry.get("response", {}).get("status", ""), entry.get("response", {}).get("location", ""))


if __name__ == "__main__":
    main()
