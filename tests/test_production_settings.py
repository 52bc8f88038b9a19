"""HELSEPORTAL_ENV=production (and staging) refuses unsafe settings at start-up, with a clear message."""

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

# The audit log's signing key and checkpoint store (ADR 0015): production refuses to start without them.
_AUDIT_DIR = Path(tempfile.mkdtemp(prefix="helseportal-audit-"))
atexit.register(shutil.rmtree, _AUDIT_DIR, ignore_errors=True)
_AUDIT_KEY = _AUDIT_DIR / "audit-signing-key.pem"
_AUDIT_KEY.write_bytes(
    Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
)

SAFE = {
    "HELSEPORTAL_ENV": "production",
    "DEBUG": "false",
    "SECRET_KEY": "k3Jx9-vQ2mZ8pL4tR7wY1nB6cH0sD5fG8aE2uI9oP3qW7eT4yU6iO1",
    "HELSEPORTAL_DEV_IDP": "false",
    "HELSEPORTAL_TEST_IDENTITIES": "false",
    "ALLOWED_HOSTS": "helseportal.example",
    "DATABASE_URL": "sqlite:///:memory:",
    "HELSEPORTAL_IDPORTEN_ISSUER": "https://idporten.no",
    "HELSEPORTAL_HELSEID_ISSUER": "https://helseid-sts.nhn.no",
    "HELSEPORTAL_FREG_URL": "https://folkeregisteret.api.skatteetaten.no/folkeregisteret/offentlig-med-hjemmel/api",
    "HELSEPORTAL_FLR_URL": "https://ws.nhn.no/v2/flr",
    "HELSEPORTAL_AUDIT_SIGNING_KEY_FILE": str(_AUDIT_KEY),
    "HELSEPORTAL_AUDIT_CHECKPOINTS": str(_AUDIT_DIR / "checkpoints"),
}


def run_check(**overrides: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in SAFE and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(SAFE)
    env.update(overrides)
    env = {k: v for k, v in env.items() if v is not None}
    return subprocess.run(
        [sys.executable, "-m", "helseportal.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_safe_production_settings_pass_djangos_deploy_check():
    result = run_check()
    assert result.returncode == 0, result.stderr


def test_production_refuses_debug():
    result = run_check(DEBUG="true")
    assert result.returncode == 2
    assert "DEBUG is on" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_refuses_a_missing_secret_key():
    result = run_check(SECRET_KEY="")
    assert result.returncode == 2
    assert "SECRET_KEY is missing" in result.stderr


def test_production_refuses_the_development_identity_provider():
    result = run_check(HELSEPORTAL_DEV_IDP="true")
    assert result.returncode == 2
    assert "development identity provider is on" in result.stderr


def test_production_sets_host_prefixed_secure_cookies_and_hsts():
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)"
    )
    env = {**os.environ, **SAFE, "DJANGO_SETTINGS_MODULE": "helseportal.settings"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup();" + code],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.stdout.split() == ["__Host-session", "__Host-csrftoken", "True", "63072000"]


def test_an_unknown_environment_name_is_refused():
    result = run_check(HELSEPORTAL_ENV="prod")
    assert result.returncode == 2
    assert "HELSEPORTAL_ENV must be one of" in result.stderr


# Issue 15 item 12: the guard runs Django's deployment checks (and ours) and refuses on any warning.


def assert_refused_in_one_line(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("helseportal: helseportal refuses to start with HELSEPORTAL_ENV=production")
    for needle in needles:
        assert needle in lines[0]
    assert "Traceback" not in result.stderr


def test_production_refuses_a_long_secret_key_with_little_entropy():
    assert_refused_in_one_line(run_check(SECRET_KEY="k" * 60), "security.W009")


def test_production_refuses_a_wildcard_host():
    assert_refused_in_one_line(run_check(ALLOWED_HOSTS="*"), "helseportal.W001", "ALLOWED_HOSTS")
    assert_refused_in_one_line(run_check(ALLOWED_HOSTS=".example"), "helseportal.W001")


def test_production_refuses_an_unbounded_session():
    assert_refused_in_one_line(run_check(HELSEPORTAL_SESSION_ABSOLUTE_SECONDS="0"), "helseportal.W002")
    assert_refused_in_one_line(run_check(HELSEPORTAL_SESSION_ABSOLUTE_SECONDS="999999999"), "helseportal.W002")


def test_production_refuses_turning_off_the_https_redirect():
    assert_refused_in_one_line(run_check(SECURE_SSL_REDIRECT="false"), "security.W008")


def test_production_refuses_a_plain_http_trusted_origin():
    assert_refused_in_one_line(run_check(CSRF_TRUSTED_ORIGINS="http://helseportal.example"), "helseportal.W003")


def test_production_refuses_the_local_population_register_that_invents_persons():
    result = run_check(HELSEPORTAL_POPULATION_REGISTER="helseportal.identity.register.LocalRegister")
    assert result.returncode == 2
    assert "the population register is the local fake" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_asks_for_folkeregisterets_address():
    result = run_check(HELSEPORTAL_FREG_URL="")
    assert result.returncode == 2
    assert "HELSEPORTAL_FREG_URL must be Folkeregisteret's https:// API address" in result.stderr


def test_production_refuses_to_start_without_the_audit_logs_key_and_checkpoint_store():
    result = run_check(HELSEPORTAL_AUDIT_SIGNING_KEY_FILE="", HELSEPORTAL_AUDIT_CHECKPOINTS="")
    assert result.returncode == 2
    assert "HELSEPORTAL_AUDIT_SIGNING_KEY_FILE must name the audit log's Ed25519 signing key" in result.stderr
    assert "HELSEPORTAL_AUDIT_CHECKPOINTS must name the place outside the database" in result.stderr
    missing = run_check(HELSEPORTAL_AUDIT_SIGNING_KEY_FILE=str(_AUDIT_DIR / "no-such-key.pem"))
    assert missing.returncode == 2
    assert "HELSEPORTAL_AUDIT_SIGNING_KEY_FILE must name" in missing.stderr
