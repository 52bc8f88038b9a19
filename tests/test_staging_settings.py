"""HELSEPORTAL_ENV=staging: the portal against ID-porten's and HelseID's test environments, by environment only.

Issue 15 item 8: production refused the synthetic (Tenor) numbers those environments have, dev and test behind
an HTTPS proxy built http:// redirect URIs and refused the https Origin, and the dev IdP stayed mounted with real
issuers configured. Each test starts a fresh process, since settings are read once at start-up.
"""

import json
import os
import subprocess
import sys

STAGING = {
    "HELSEPORTAL_ENV": "staging",
    "SECRET_KEY": "s7Hq2-Lw9xRv4Kp1Zt8Nc3Bm6Yd0Fg5Jh2Ue7Ia9Ok3Pl6Qs1Wr4Tv8Xb",
    "ALLOWED_HOSTS": "test.helseportal.example",
    "DATABASE_URL": "sqlite:///:memory:",
    "HELSEPORTAL_IDPORTEN_ISSUER": "https://test.idporten.no",
    "HELSEPORTAL_HELSEID_ISSUER": "https://helseid-sts.test.nhn.no",
}


def environment(**overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HELSEPORTAL_", "DJANGO_ALLOW"))}
    env.pop("DEBUG", None)
    return {**env, **STAGING, **overrides}


def run_cli(*args: str, **overrides: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "helseportal.cli", *args],
        env=environment(**overrides),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def run_python(code: str, **overrides: str) -> dict:
    """Run `code` in a process with these settings; it prints one JSON object, returned here."""
    setup = "import django, json; django.setup()\n"
    result = subprocess.run(
        [sys.executable, "-c", setup + code],
        env={**environment(**overrides), "DJANGO_SETTINGS_MODULE": "helseportal.settings"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_staging_with_the_providers_test_environments_passes_the_deployment_checks():
    result = run_cli("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr


def test_staging_accepts_synthetic_numbers_and_has_no_dev_provider_and_no_django_admin():
    settings = run_python(
        "from django.conf import settings as s\n"
        "from django.urls import resolve, Resolver404\n"
        "def mounted(path):\n"
        "    try:\n"
        "        resolve(path)\n"
        "        return True\n"
        "    except Resolver404:\n"
        "        return False\n"
        "print(json.dumps({'synthetic': s.HELSEPORTAL_TEST_IDENTITIES, 'debug': s.DEBUG,"
        " 'dev_idp': mounted('/dev-idp/idporten/authorize'), 'admin': mounted('/admin/'),"
        " 'cookie': s.SESSION_COOKIE_NAME, 'notify': s.HELSEPORTAL_NOTIFY_BACKEND}))"
    )
    assert settings == {
        "synthetic": True,
        "debug": False,
        "dev_idp": False,
        "admin": False,
        "cookie": "__Host-session",
        "notify": "fake",
    }


PROXIED_REQUEST = """
from django.test import Client, RequestFactory
from django.test.utils import override_settings
from django.urls import reverse
# The pages name their static files through the manifest, which only collectstatic writes.
override_settings(STORAGES={"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()
proxy = {"HTTP_X_FORWARDED_PROTO": "https", "HTTP_HOST": "test.helseportal.example"}
request = RequestFactory().get("/login/", **proxy)
client = Client(enforce_csrf_checks=True, **proxy)
page = client.get("/logget-ut/")
token = client.cookies["__Host-csrftoken"].value
answer = client.post("/i18n/setlang/", {"language": "nn", "csrfmiddlewaretoken": token},
                     HTTP_ORIGIN="https://test.helseportal.example")
plain = Client(HTTP_HOST="test.helseportal.example").get("/logget-ut/")
print(json.dumps({
    "redirect_uri": request.build_absolute_uri(reverse("identity:callback")),
    "page": page.status_code,
    "post": answer.status_code,
    "plain_http": [plain.status_code, plain.get("Location")],
}))
"""


def test_behind_an_https_proxy_staging_builds_https_redirect_uris_and_accepts_the_https_origin():
    seen = run_python(PROXIED_REQUEST)
    assert seen["redirect_uri"] == "https://test.helseportal.example/login/callback/"
    assert seen["page"] == 200
    assert seen["post"] == 302  # the language switch answered: the https Origin passed the CSRF check
    assert seen["plain_http"] == [301, "https://test.helseportal.example/logget-ut/"]


def test_staging_refuses_the_dev_provider_and_debug_in_one_line():
    result = run_cli("check", HELSEPORTAL_DEV_IDP="true", DEBUG="true")
    assert result.returncode == 2
    assert result.stderr.startswith("helseportal: helseportal refuses to start with HELSEPORTAL_ENV=staging")
    assert "HELSEPORTAL_DEV_IDP=false" in result.stderr
    assert "DEBUG is on" in result.stderr


def test_staging_refuses_a_plain_http_issuer():
    result = run_cli("check", HELSEPORTAL_IDPORTEN_ISSUER="http://test.idporten.no")
    assert result.returncode == 2
    assert "HELSEPORTAL_IDPORTEN_ISSUER must be the provider's https:// issuer URL" in result.stderr


def test_staging_takes_extra_trusted_origins_from_the_environment():
    settings = run_python(
        "from django.conf import settings as s\nprint(json.dumps({'origins': s.CSRF_TRUSTED_ORIGINS}))",
        CSRF_TRUSTED_ORIGINS="https://test.helseportal.example,https://portal.test.example",
    )
    assert settings["origins"] == ["https://test.helseportal.example", "https://portal.test.example"]


def test_in_dev_the_dev_provider_is_not_mounted_once_both_real_issuers_are_set():
    code = "from django.conf import settings as s\nprint(json.dumps({'dev_idp': s.HELSEPORTAL_DEV_IDP}))"
    real = {"HELSEPORTAL_ENV": "dev", "SECRET_KEY": "x" * 60}
    assert run_python(code, **real) == {"dev_idp": False}
    assert run_python(code, **real, HELSEPORTAL_HELSEID_ISSUER="") == {"dev_idp": True}
