"""The login works against a provider configured only through the environment (no dev-IdP code path).

A second portal process is started as the "external" provider: its own database, its own port, its dev IdP
answering at /dev-idp/idporten. This process is pointed at it with HELSEPORTAL_IDPORTEN_ISSUER, exactly as an
operator points production at ID-porten, and every provider call crosses a real TCP connection.
"""

import html
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx2
import pytest
from django.test import Client

from helseportal.demo import personas
from helseportal.demo.loader import load_demo
from helseportal.identity import oidc

pytestmark = pytest.mark.django_db
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def external_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    var = tmp_path_factory.mktemp("provider-var")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    # The provider registers this portal's client by its public key: give it the same key file.
    env |= {
        "HELSEPORTAL_ENV": "dev",
        "HELSEPORTAL_VAR_DIR": str(var),
        "DEBUG": "false",
        "SECRET_KEY": "p" * 60,
        "HELSEPORTAL_IDPORTEN_CLIENT_KEY": str(var / "client.jwk"),
    }
    cli = [sys.executable, "-m", "helseportal.cli"]
    for command in (["migrate", "-v0"], ["demo"]):
        subprocess.run([*cli, *command], env=env, check=True, capture_output=True, timeout=120)
    server = subprocess.Popen(
        [*cli, "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_ready(base)
        yield base, var
    finally:
        server.terminate()
        server.wait(timeout=10)


def _wait_until_ready(base: str, seconds: float = 60.0) -> None:
    """Wait for the provider's /healthz: a loaded machine may need far longer than usual to start a process."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx2.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx2.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"the provider at {base} did not start within {seconds:.0f} seconds")


def test_login_against_a_provider_named_only_in_the_environment(external_provider, settings, real_clock):
    base, var = external_provider
    load_demo()
    client = Client(HTTP_HOST="127.0.0.1")  # a loopback redirect_uri, which the provider accepts
    issuer = f"{base}/dev-idp/idporten"
    settings.HELSEPORTAL_IDPORTEN_ISSUER = issuer
    settings.HELSEPORTAL_IDPORTEN_CLIENT_KEY = str(var / "client.jwk")
    settings.HELSEPORTAL_DEV_IDP = False  # our own dev IdP is off: nothing but the environment names the provider
    oidc._metadata_cache.clear()
    assert oidc.transport is None  # real HTTP

    start = client.get("/login/")
    authorize = start["Location"]
    assert authorize.startswith(f"{issuer}/authorize?")

    with httpx2.Client(base_url=base, follow_redirects=False) as browser:
        page = browser.get(authorize)
        fields = {k: html.unescape(v) for k, v in HIDDEN.findall(page.text)}
        answer = browser.post(
            authorize.split("?")[0],
            data={**fields, "login": f"{personas.KARI.pid}:bankid"},
            headers={"Referer": authorize},
        )
    callback = urlsplit(answer.headers["Location"])
    response = client.get(f"{callback.path}?{callback.query}")
    assert response.status_code == 302, response.content[:400]
    assert client.session["actor"]["display_name"] == "Kari Nordmann"
