"""`helseportal fhir-client`: register, list, disable, enable and remove the API's clients."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from joserfc.jwk import RSAKey

from helseportal.demo import personas
from helseportal.smart.models import Client

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("fhir-client", *args, stdout=out)
    return out.getvalue().strip()


def test_an_operator_registers_lists_disables_enables_and_removes_a_system(demo: None, rsa_key: RSAKey, tmp_path: Path):
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps({"keys": [rsa_key.as_dict(private=True)]}))  # a private key given by mistake
    client_id = run(
        "add",
        "--name",
        "Frogner EPJ",
        "--kind",
        "system",
        "--unit",
        personas.MAJORSTUEN_GP.orgnr,
        "--jwks-file",
        str(jwks),
        "--scope",
        "system/Appointment.cruds system/Patient.rs",
    )
    client = Client.objects.get(client_id=client_id)
    assert client.scopes == ["system/Appointment.cruds", "system/Patient.rs"]
    assert client.unit is not None
    assert client.unit.orgnr == personas.MAJORSTUEN_GP.orgnr
    assert "d" not in client.jwks["keys"][0]  # only the public part is kept
    listed = run("list")
    assert client_id in listed
    assert "Frogner EPJ" in listed
    assert "enabled" in listed
    assert run("disable", client_id) == f"{client_id} disabled"
    assert Client.objects.get(pk=client.pk).disabled
    assert run("enable", client_id) == f"{client_id} enabled"
    assert run("remove", client_id) == f"{client_id} removed"
    assert not Client.objects.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kind", "system", "--jwks-url", "https://epj.example/jwks", "--scope", "system/*.rs"], "belongs to a unit"),
        (["--kind", "system", "--unit", personas.MAJORSTUEN_GP.orgnr, "--scope", "system/*.rs"], "public keys"),
        (
            [
                "--kind",
                "system",
                "--unit",
                personas.MAJORSTUEN_GP.orgnr,
                "--jwks-url",
                "https://epj.example/jwks",
                "--scope",
                "patient/*.rs",
            ],
            r"cannot hold: patient/\*\.rs",
        ),
        (["--kind", "app", "--public", "--scope", "patient/*.rs"], "redirect URI"),
        (
            ["--kind", "app", "--public", "--redirect-uri", "https://app.example/cb#x", "--scope", "patient/*.rs"],
            "without a fragment",
        ),
    ],
)
def test_a_client_the_server_could_not_serve_is_refused(demo: None, args: list[str], message: str):
    with pytest.raises(CommandError, match=message):
        run("add", "--name", "Feil", *args)
    assert not Client.objects.exists()


def test_a_client_id_never_looks_like_an_option():
    from helseportal.smart.services import new_client_id

    assert all(new_client_id().isalnum() for _ in range(200))


def test_disabling_an_unknown_client_says_so(db: None):
    with pytest.raises(CommandError, match="no client nope"):
        run("disable", "nope")
